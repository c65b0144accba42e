"""The HTTP edge shared by every capability: request language, JSON and problem responses,
and a Blueprint whose routes turn `Problem` into problem+json by construction."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from chalice.app import Blueprint, Request, Response
from pydantic import BaseModel

from chalicelib.core.edge import Doc, Query, describe, parse, render
from chalicelib.core.errors import (
    PROBLEM_CONTENT_TYPE,
    FieldError,
    Problem,
    invalid,
)
from chalicelib.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, from_accept_language

logger = Logger(service="podium")


def request_language(request: Request | None) -> str:
    """`lang` in the query wins, then Accept-Language, then Dutch."""
    if request is None:
        return DEFAULT_LANGUAGE
    params = request.query_params
    asked = params.get("lang") if params is not None else None
    if isinstance(asked, str) and asked in LANGUAGES:
        return asked
    return from_accept_language(request.headers.get("accept-language"))


CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
# The header `client_identity` reads, as a route's Doc names it for the API document.
CLIENT_HEADER = ("X-Client-Id", "the webshop's random browser id (8-128 of A-Z a-z 0-9 _ -)")


def client_identity(request: Request) -> str:
    """Who is asking, for per-buyer limits: the webshop's random browser id (`X-Client-Id`),
    else the caller's address. Holds and the waiting room digest the same string, so an
    admission is bound to the identity that then holds seats."""
    client_id = request.headers.get("x-client-id")
    if client_id is not None:
        if not CLIENT_ID.match(client_id):
            raise invalid(
                FieldError(
                    "X-Client-Id", "malformed client id", "8-128 letters, digits, - or _", "header"
                )
            )
        return f"client:{client_id}"
    source = (request.context or {}).get("identity", {}).get("sourceIp") or "unknown"
    return f"ip:{source}"


def query_params(request: Request) -> dict[str, str]:
    return dict(request.query_params or {})


def json_body(request: Request) -> Any:
    """The request's JSON. Chalice's own parser answers bad JSON outside problem+json."""
    raw = request.raw_body or b""
    try:
        return json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError) as error:
        raise invalid(
            FieldError("body", f"not valid JSON ({error})", "a JSON object", "body")
        ) from error


Q = TypeVar("Q", bound=Query)
B = TypeVar("B", bound=BaseModel)


def read_query(request: Request, model: type[Q]) -> Q:
    """The query string as `model` (400 naming each bad or unknown parameter)."""
    return parse(model, query_params(request), "query")


def read_body(request: Request, model: type[B]) -> B:
    """The JSON body as `model`. Read only after the object the route acts on was found in the
    caller's houses: another house's object is a 404 whatever the body says."""
    return parse(model, json_body(request), "body")


def reply(
    body: BaseModel,
    *,
    status: int = 200,
    lang: str | None = None,
    max_age: int | None = None,
    omit_none: bool = False,
    omit_unset: bool = False,
    location: str | None = None,
) -> Response:
    """A response model as JSON. `omit_none` leaves out members that are None; `omit_unset`
    those its builder did not set (a member set to None stays, as null). `location`: the
    Location header of a 201."""
    content = render(body, omit_none=omit_none, omit_unset=omit_unset)
    response = json_response(content, status=status, lang=lang, max_age=max_age)
    if location is not None:
        response.headers["Location"] = location
    return response


def json_response(
    body: Any, *, status: int = 200, lang: str | None = None, max_age: int | None = None
) -> Response:
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json; charset=utf-8"}
    if lang:
        headers["Content-Language"] = lang
    if max_age is not None:
        headers["Cache-Control"] = f"public, max-age={max_age}"
    return Response(body=_dumps(body), status_code=status, headers=headers)


def problem_response(problem: Problem, lang: str) -> Response:
    return Response(
        body=_dumps(problem.to_dict(lang)),
        status_code=problem.status,
        headers={"Content-Type": PROBLEM_CONTENT_TYPE, "Content-Language": lang},
    )


def _dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


class ApiBlueprint(Blueprint):
    """Routes registered here answer a raised `Problem` as problem+json in the caller's
    language, and an unexpected exception as a logged problem 500 without internals."""

    def route(self, path: str, *, doc: Doc | None = None, **kwargs: Any) -> Callable[..., Any]:
        """`doc`: the models the route reads and answers, for the API document; the view's
        docstring is the operation's summary and description."""
        register = super().route(path, **kwargs)

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            if doc is not None:
                describe(path, list(kwargs.get("methods", ["GET"])), doc, view)

            @functools.wraps(view)
            def answered(*args: Any, **view_kwargs: Any) -> Any:
                try:
                    return view(*args, **view_kwargs)
                except Problem as problem:
                    return problem_response(problem, request_language(self.current_request))
                except Exception:
                    logger.exception("unhandled error", extra={"path": path})
                    return problem_response(
                        Problem("internal"), request_language(self.current_request)
                    )

            register(answered)
            return view

        return decorator


_CHALICE_ERRORS = {
    405: "method-not-allowed",
    415: "invalid-input",
    400: "invalid-input",
}


def chalice_errors_as_problems(event: Request, get_response: Callable[..., Response]) -> Response:
    """Middleware: the few errors Chalice answers itself (405, 415...) as problem+json too."""
    response = get_response(event)
    kind = _CHALICE_ERRORS.get(response.status_code)
    content_type = str(response.headers.get("Content-Type", "application/json"))
    if kind and not content_type.startswith(PROBLEM_CONTENT_TYPE):
        detail = response.body.get("Message", "") if isinstance(response.body, dict) else ""
        problem_body = problem_response(Problem(kind, detail=detail), request_language(event))
        problem_body.headers.update(
            {k: v for k, v in response.headers.items() if k.lower() == "allow"}
        )
        return problem_body
    return response
