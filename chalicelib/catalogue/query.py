"""The public listing's filters as wire values: dates that mean a whole Brussels day, and the
opaque paging cursor. The query model itself is in schemas.py."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.core.clock import BRUSSELS
from chalicelib.core.errors import FieldError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_TEXT = 100
INSTANT_EXPECTED = "a date (2026-12-31) or a date-time (2026-12-31T20:00:00+01:00)"
_CURSOR_KEY = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ#[a-z0-9][a-z0-9-]{0,62}$")
_CURSOR_PREFIX = "v1|"


def instant_of(raw: str, *, end_of_day: bool) -> datetime:
    """A date means a whole day in Brussels (its first or its last moment); a date-time without
    offset is Brussels time. ValueError for anything else."""
    if len(raw) == 10:
        day = date.fromisoformat(raw)
        start = datetime.combine(day, time(0), tzinfo=BRUSSELS)
        moment = start + timedelta(days=1, microseconds=-1) if end_of_day else start
    else:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=BRUSSELS)
    return moment.astimezone(UTC)


def parse_instant(
    params: Mapping[str, str], name: str, errors: list[FieldError], *, end_of_day: bool
) -> datetime | None:
    """`instant_of` for the hand-parsed staff queries (sales search, the staff performance
    list) until they read their query with a model too."""
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return instant_of(raw, end_of_day=end_of_day)
    except ValueError:
        errors.append(FieldError(name, f"{raw!r} is not a date", INSTANT_EXPECTED))
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
