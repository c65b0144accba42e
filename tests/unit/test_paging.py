"""Pages of staff lists house by house (chalicelib/core/paging.py): limit and cursor checked,
a page reads one item past its end and no more, a cursor only for the caller's houses and for
the list that issued it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib.core.errors import FieldError, Problem
from chalicelib.core.paging import decode_cursor, encode_cursor, page_by_house, parse_page

ITEMS = {"a": ["a-1", "a-2", "a-3"], "b": [], "c": ["c-1", "c-2"]}


class Partitions:
    """Each house's ids in key order, counting what a page pulled."""

    def __init__(self) -> None:
        self.pulled = 0

    def read(self, house: str, after: str | None) -> Iterator[tuple[str, str]]:
        for ident in ITEMS[house]:
            if after is None or ident > after:
                self.pulled += 1
                yield ident, ident


@pytest.mark.parametrize(
    ("raw", "ok"), [("1", True), ("100", True), ("0", False), ("101", False), ("ten", False)]
)
def test_limit_is_one_to_a_hundred(raw, ok):
    errors: list[FieldError] = []
    limit, _ = parse_page({"limit": raw}, errors, "halls", 50)
    assert (limit == int(raw)) if ok else [e.field for e in errors] == ["limit"]
    assert parse_page({}, [], "halls", 50) == (50, None)


def test_a_cursor_is_accepted_only_by_the_list_that_issued_it():
    cursor = encode_cursor("ntgent", "zaal-1", "halls")
    assert decode_cursor(cursor, "halls") == ("ntgent", "zaal-1")
    errors: list[FieldError] = []
    parse_page({"next": cursor}, errors, "venues", 50)
    assert [e.field for e in errors] == ["next"]
    assert decode_cursor("garbage!", "halls") is None
    assert decode_cursor(encode_cursor("ntgent", "Not An Id", "halls"), "halls") is None


def test_pages_go_house_by_house_and_read_one_item_past_the_page():
    partitions = Partitions()
    page, cursor = page_by_house({"a", "b", "c"}, None, 2, partitions.read, "halls")
    assert page == ["a-1", "a-2"] and partitions.pulled == 3
    seen = list(page)
    while cursor is not None:
        page, cursor = page_by_house(
            {"a", "b", "c"}, decode_cursor(cursor, "halls"), 2, partitions.read, "halls"
        )
        seen += page
    assert seen == ["a-1", "a-2", "a-3", "c-1", "c-2"]


def test_a_cursor_naming_another_house_is_refused():
    with pytest.raises(Problem) as refused:
        page_by_house({"a"}, ("c", "c-1"), 2, Partitions().read, "halls")
    assert refused.value.status == 400 and refused.value.errors[0].field == "next"
