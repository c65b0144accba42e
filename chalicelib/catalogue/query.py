"""Parsing and checking the public listing's filters: every bad value becomes a field error."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.catalogue.model import Genre
from chalicelib.core.clock import BRUSSELS
from chalicelib.core.errors import (
    FieldError,
    invalid,
    unknown_parameters,
    unsupported_language,
)
from chalicelib.core.i18n import LANGUAGES
from chalicelib.store.keys import is_valid_id

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_TEXT = 100
_CURSOR_KEY = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ#[a-z0-9][a-z0-9-]{0,62}$")
_CURSOR_PREFIX = "v1|"
LISTING_PARAMETERS = ("cluster", "house", "genre", "from", "to", "q", "lang", "limit", "next")


@dataclass(frozen=True)
class PerformanceQuery:
    limit: int = DEFAULT_LIMIT
    cluster: str | None = None
    house: str | None = None
    genre: Genre | None = None
    starts_from: datetime | None = None  # None: from now on
    starts_until: datetime | None = None  # None: no end
    text: str | None = None
    after: str | None = None  # timeline key of the last performance already shown


def parse_performance_query(params: Mapping[str, str]) -> PerformanceQuery:
    errors = unknown_parameters(params, LISTING_PARAMETERS)
    if "lang" in params and params["lang"] not in LANGUAGES:
        errors.append(unsupported_language())

    def identifier(name: str) -> str | None:
        value = params.get(name)
        if value is None:
            return None
        if not is_valid_id(value):
            errors.append(FieldError(name, f"not a valid {name} id", "a lowercase id like 'gent'"))
            return None
        return value

    cluster, house = identifier("cluster"), identifier("house")

    genre: Genre | None = None
    if "genre" in params:
        try:
            genre = Genre(params["genre"])
        except ValueError:
            errors.append(
                FieldError("genre", "unknown genre", "one of " + ", ".join(g.value for g in Genre))
            )

    limit = DEFAULT_LIMIT
    if "limit" in params:
        raw = params["limit"]
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            errors.append(
                FieldError("limit", f"{raw!r} is out of range", f"an integer from 1 to {MAX_LIMIT}")
            )
        else:
            limit = int(raw)

    starts_from = parse_instant(params, "from", errors, end_of_day=False)
    starts_until = parse_instant(params, "to", errors, end_of_day=True)
    if starts_from and starts_until and starts_until < starts_from:
        errors.append(FieldError("to", "'to' is before 'from'", "a moment on or after 'from'"))

    text = params.get("q")
    if text is not None:
        text = text.strip() or None
        if text and len(text) > MAX_TEXT:
            errors.append(FieldError("q", "search text too long", f"at most {MAX_TEXT} characters"))

    after = None
    if "next" in params:
        after = decode_cursor(params["next"])
        if after is None:
            errors.append(
                FieldError("next", "not a cursor this API issued", "the 'next' value of a page")
            )

    if errors:
        raise invalid(*errors)
    return PerformanceQuery(
        limit=limit,
        cluster=cluster,
        house=house,
        genre=genre,
        starts_from=starts_from,
        starts_until=starts_until,
        text=text,
        after=after,
    )


def parse_instant(
    params: Mapping[str, str], name: str, errors: list[FieldError], *, end_of_day: bool
) -> datetime | None:
    """A date means a whole day in Brussels; a date-time without offset is Brussels time."""
    raw = params.get(name)
    if raw is None:
        return None
    expected = "a date (2026-12-31) or a date-time (2026-12-31T20:00:00+01:00)"
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            start = datetime.combine(day, time(0), tzinfo=BRUSSELS)
            moment = start + timedelta(days=1, microseconds=-1) if end_of_day else start
        else:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=BRUSSELS)
        return moment.astimezone(UTC)
    except ValueError:
        errors.append(FieldError(name, f"{raw!r} is not a date", expected))
        return None


def encode_cursor(timeline_key: str) -> str:
    raw = (_CURSOR_PREFIX + timeline_key).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not raw.startswith(_CURSOR_PREFIX):
        return None
    key = raw.removeprefix(_CURSOR_PREFIX)
    return key if _CURSOR_KEY.match(key) else None
