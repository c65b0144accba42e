"""Pages of staff lists read house by house (orders, productions, performances, venues,
halls): `limit` and an opaque `next` cursor naming the house and the sort key of the last item
shown. A page reads each house's own partition from just after that key, so no list is loaded
whole, and a cursor is refused unless its house is one of the caller's: it cannot reach into
another house's partition."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TypeVar

from chalicelib.core.errors import FieldError, invalid

MAX_LIMIT = 100
_HOUSE = r"[a-z0-9][a-z0-9-]{0,62}"
# What the key of the last item shown looks like, per kind of list: a cursor of one list is
# not accepted by another.
_KEYS = {
    "orders": r"[0-9TZ:-]{20}#o-[0-9a-f]{31}",  # the house's order index key
    "productions": _HOUSE,  # the object's id: its sort key in the house's partition
    "performances": _HOUSE,
    "venues": _HOUSE,
    "halls": _HOUSE,
}
_NOT_OURS = "the 'next' value of a page"

T = TypeVar("T")


def encode_cursor(house: str, key: str, kind: str = "orders") -> str:
    raw = f"{kind}:{house}|{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, kind: str = "orders") -> tuple[str, str] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    body = raw.removeprefix(f"{kind}:")
    if body == raw or not re.fullmatch(rf"{_HOUSE}\|{_KEYS[kind]}", body):
        return None
    house, _, key = body.partition("|")
    return house, key


def parse_page(
    params: Mapping[str, str], errors: list[FieldError], kind: str, default: int
) -> tuple[int, tuple[str, str] | None]:
    """`limit` (1-100) and `next`; a bad one is added to `errors`, naming its field."""
    limit = default
    if "limit" in params:
        raw = params["limit"]
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            errors.append(FieldError("limit", f"{raw!r} is not 1-{MAX_LIMIT}", f"1-{MAX_LIMIT}"))
        else:
            limit = int(raw)
    after = None
    if "next" in params:
        after = decode_cursor(params["next"], kind)
        if after is None:
            errors.append(FieldError("next", "not a cursor this API issued", _NOT_OURS))
    return limit, after


def page_by_house(
    houses: Collection[str],
    after: tuple[str, str] | None,
    limit: int,
    read: Callable[[str, str | None], Iterable[tuple[str, T]]],
    kind: str,
) -> tuple[list[T], str | None]:
    """One page over `houses` in name order. `read(house, key)` yields (sort key, item) of a
    house in its order, strictly after `key` when given, lazily: the page stops reading one
    item after it is full (that item only says there is a next page)."""
    ordered = sorted(houses)
    if after is not None:
        if after[0] not in houses:
            raise invalid(FieldError("next", "not a cursor of yours", _NOT_OURS))
        ordered = ordered[ordered.index(after[0]) :]
    page: list[tuple[str, str, T]] = []
    for house in ordered:
        start = after[1] if after is not None and house == after[0] else None
        for key, item in read(house, start):
            if len(page) == limit:
                last_house, last_key, _ = page[-1]
                return [i for _, _, i in page], encode_cursor(last_house, last_key, kind)
            page.append((house, key, item))
    return [i for _, _, i in page], None
