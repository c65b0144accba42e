"""The one typed edge: every request body and query string is parsed into a pydantic model
here, and every response is rendered from one; the OpenAPI document is generated from the same
models (chalicelib/core/openapi.py).

- `Body` / `Query`: request models. Closed (an unknown field is an error, as a typo should be)
  and frozen. `expect("…")` gives a field the words a caller reads when it is wrong; the same
  words describe it in the API document.
- `Reply`: response models. Open to documentation only: they are built by our code.
- `parse(Model, data, location)`: a model, or one invalid-input problem (400) listing every bad
  field with where it was, what was wrong and what was expected, derived from pydantic's errors.

Models build their validators on first use (`defer_build`), not at import: a Lambda cold start
pays only for the models its request touches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    ValidationError,
    WithJsonSchema,
)
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from chalicelib.core.clock import parse_utc_iso, to_utc_iso
from chalicelib.core.errors import FieldError, invalid

Location = Literal["query", "path", "body", "header"]
Language = Literal["nl", "fr", "en"]


# --- field types every package shares ------------------------------------------------------------

INSTANT_EXPECTED = "an instant such as 2027-01-15T19:30:00Z"


def _instant(value: Any) -> Any:
    """An ISO 8601 text with a time zone, as UTC; a number or a local time is refused (pydantic
    alone would take a Unix time, or a time without zone)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("instant", "not an instant with a time zone")
    try:
        return parse_utc_iso(value)
    except ValueError:
        raise PydanticCustomError("instant", "not an instant with a time zone") from None


Instant = Annotated[datetime, BeforeValidator(_instant)]
# An instant in a reply: the one wire format (UTC, whole seconds, "Z"), as to_utc_iso writes
# it everywhere else; pydantic alone would add microseconds and an offset.
Moment = Annotated[
    datetime,
    PlainSerializer(to_utc_iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]
# JSON numbers and booleans as they are: "5" is not 5 and 1 is not true in a body. (A query
# string is all text: its models use plain int.)
Whole = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]
ID_REGEX = r"^[a-z0-9][a-z0-9-]{0,62}$"  # chalicelib/store/keys.py ID_PATTERN
ID_EXPECTED = "a lowercase id: letters, digits and '-', at most 63 characters"
Id = Annotated[str, Field(pattern=ID_REGEX, description=ID_EXPECTED)]


class Body(BaseModel):
    """A JSON request body."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Query(BaseModel):
    """A query string: every value arrives as text; numbers are read from it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    lang: Language | None = Field(default=None, description="one of nl, fr, en")


class Reply(BaseModel):
    """A response body, rendered with `render`."""

    model_config = ConfigDict(frozen=True, defer_build=True)


class FieldErrorReply(Reply):
    field: str = Field(description='the field as the caller wrote it, e.g. "seats[1].zone"')
    in_: Location = Field(alias="in", description="where the field was")
    detail: str = Field(description="what was wrong")
    expected: str = Field(description="what a good value looks like")


class ProblemReply(Reply):
    """An RFC 9457 problem: a machine `type` and `code`, a human `title` and `detail` in the
    request's language, and the offending fields. Some problems add members of their own (the
    seats someone else took, a `Retry-After` in seconds...)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:podium:problem:invalid-input",
                    "title": "Ongeldige invoer",
                    "status": 400,
                    "code": "invalid_input",
                    "detail": "Ongeldige waarde voor: quantity",
                    "errors": [
                        {
                            "field": "quantity",
                            "in": "body",
                            "detail": "not a whole number from 1 to 10",
                            "expected": "a whole number from 1 to 10",
                        }
                    ],
                }
            ]
        },
    )

    type: str
    title: str
    status: int
    code: str | None = None
    detail: str | None = None
    errors: list[FieldErrorReply] | None = None


M = TypeVar("M", bound=BaseModel)


def expect(expected: str, **constraints: Any) -> Any:
    """A field whose `expected` text (in errors and in the API document) is `expected`."""
    return Field(description=expected, **constraints)


def examples(model: type[BaseModel]) -> list[Any]:
    """The examples a model states (`json_schema_extra={"examples": [...]}`): the API
    document shows the first, and a test checks that the model accepts every one."""
    extra = model.model_config.get("json_schema_extra")
    found = extra.get("examples") if isinstance(extra, dict) else None
    return list(found) if isinstance(found, list) else []


def parse(model: type[M], data: Any, location: Location = "body") -> M:
    """`data` as `model`, or an invalid-input problem naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid(*field_errors(model, error, location)) from None


def render(reply: BaseModel, *, omit_none: bool = False, omit_unset: bool = False) -> Any:
    """The JSON-ready body of a response model."""
    return reply.model_dump(
        mode="json", by_alias=True, exclude_none=omit_none, exclude_unset=omit_unset
    )


# --- pydantic's errors as our field errors ------------------------------------------------------

_GENERIC: dict[str, str] = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a text",
    "list_type": "a list",
    "dict_type": "a JSON object",
    "model_type": "a JSON object",
    "datetime_type": INSTANT_EXPECTED,
    "datetime_parsing": INSTANT_EXPECTED,
}


def field_errors(
    model: type[BaseModel], error: ValidationError, location: Location
) -> list[FieldError]:
    found: list[FieldError] = []
    for item in error.errors(include_url=False, include_input=False):
        kind = item["type"]
        name, info, parent = _locate(model, item["loc"])
        if kind == "extra_forbidden":
            allowed = list(_aliases(parent)) if parent is not None else []
            expected = "one of " + ", ".join(allowed) if allowed else "no such field"
            found.append(FieldError(name, "unknown parameter", expected, location))
            continue
        context = item.get("ctx") or {}
        if not name and "field" in context:
            # A rule across fields (a model validator) names the field the caller should fix.
            found.append(
                FieldError(
                    str(context["field"]),
                    str(item["msg"]),
                    str(context.get("expected") or item["msg"]),
                    location,
                )
            )
            continue
        if not name:  # the whole body is of the wrong kind
            what = (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else ""
            found.append(FieldError("body", "not a JSON object", what or "a JSON object", location))
            continue
        # A validator's own error may say what it expected (ctx "expected"): a rule between
        # items ("a unique id") expects something else than the field's own description.
        stated = context.get("expected")
        described = info.description if info is not None else None
        expected = stated or described or _GENERIC.get(kind, "")
        detail = "missing" if kind == "missing" else str(item["msg"])
        found.append(FieldError(name, detail, expected or detail, location))
    return found


def _aliases(model: type[BaseModel]) -> Mapping[str, FieldInfo]:
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def _locate(
    model: type[BaseModel], loc: tuple[int | str, ...]
) -> tuple[str, FieldInfo | None, type[BaseModel] | None]:
    """The field's public name ("seats[1].zone"), its FieldInfo when known, and the model that
    holds it. Parts of `loc` that are not fields (pydantic's union and validator tags) are
    left out of the name."""
    name = ""
    info: FieldInfo | None = None
    current: type[BaseModel] | None = model
    holder: type[BaseModel] | None = model
    keyed = False  # the field is a mapping: its next part is a key the caller wrote
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
            continue
        if keyed:  # a mapping's key: "prices.zone-1"
            keyed = False
            name += f".{part}"
            continue
        fields = _aliases(current) if current is not None else {}
        if part in fields:
            holder = current
            info = fields[part]
            name = f"{name}.{part}" if name else part
            current = _model_in(info.annotation)
            keyed = _is_mapping(info.annotation)
        elif current is None or not fields:
            continue  # a tag inside a union or a list: not a name the caller wrote
        else:  # an unknown key of `current`
            holder = current
            info = None
            name = f"{name}.{part}" if name else part
            current = None
    return name, info, holder


def _is_mapping(annotation: Any) -> bool:
    origin = getattr(annotation, "__origin__", None)
    if origin is Annotated:
        return _is_mapping(annotation.__origin__)
    if origin in (dict, Mapping):
        return True
    return any(_is_mapping(arg) for arg in getattr(annotation, "__args__", ()) or ())


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, directly or in a list, tuple, dict value or optional."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is Annotated:
        return _model_in(annotation.__origin__)
    return None


# --- what a route says about itself, for the API document ---------------------------------------


@dataclass(frozen=True)
class Doc:
    """A route's contract: the models it reads and answers, for chalicelib/core/openapi.py.
    The route's docstring gives the operation's summary (first line) and description."""

    tag: str
    response: type[BaseModel] | None = None  # None: no body (204)
    body: type[BaseModel] | None = None
    query: type[Query] | None = None
    status: int = 200
    staff: bool = False
    headers: tuple[tuple[str, str], ...] = ()  # (header, description), optional
    content_type: str = "application/json"
    body_required: bool = True
    # Other media types the route may answer instead, as text, each with its example: a
    # report's CSV (?format=csv).
    also: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    doc: Doc
    summary: str
    description: str


# (method, path) → what the route registered; filled as route modules are imported.
OPERATIONS: dict[tuple[str, str], Operation] = {}


def describe(path: str, methods: list[str], doc: Doc, view: Callable[..., Any]) -> None:
    text = (view.__doc__ or "").strip()
    summary, _, description = text.partition("\n\n")
    if not summary:
        raise ValueError(f"{view.__qualname__}: a route's docstring is its API summary")
    summary = " ".join(summary.split())
    description = " ".join(description.split()) or summary
    for method in methods:
        OPERATIONS[(method, path)] = Operation(method, path, doc, summary, description)


# --- rules between the items of one body ----------------------------------------------------


def problem_at(
    loc: tuple[int | str, ...],
    kind: str,
    message: str,
    expected: str | None = None,
    value: Any = None,
) -> InitErrorDetails:
    """An error a validator found at `loc` (relative to the field it validates), such as a
    duplicate id in a list: raised with `more_problems`, it is named like pydantic's own.
    Without `expected`, the field's own description says what was expected."""
    context = {"expected": expected} if expected is not None else None
    return InitErrorDetails(type=PydanticCustomError(kind, message, context), loc=loc, input=value)


def located(
    title: str, loc: tuple[int | str, ...], kind: str, message: str, expected: str | None = None
) -> ValidationError:
    """One error at `loc`, for a model validator that judges several fields at once: pydantic
    gives such a validator's own errors no field, and the caller must learn which to fix."""
    return more_problems(None, [problem_at(loc, kind, message, expected)], title)


def more_problems(
    error: ValidationError | None, found: list[InitErrorDetails], title: str
) -> ValidationError:
    """pydantic's errors of a value and the ones its items' rules found, as one error: a body is
    answered with every bad value at once, not the cross-item ones after the rest is fixed."""
    details: list[InitErrorDetails] = []
    for item in error.errors(include_url=False) if error is not None else ():
        stated = (item.get("ctx") or {}).get("expected")
        details.append(
            InitErrorDetails(
                # the message as pydantic worded it; only a stated "expected" travels along
                type=PydanticCustomError(
                    item["type"], item["msg"], {"expected": stated} if stated else None
                ),
                loc=item["loc"],
                input=item.get("input"),
            )
        )
    return ValidationError.from_exception_data(title, [*details, *found])
