"""Staff lists page by page on AWS's DynamoDB Local: house by house, each house's partition
read from just after the cursor, every object exactly once and in order across a cluster
admin's houses, filters applied page by page, a cursor of another house refused."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.catalogue.model import CatalogueSet, PerformanceStatus
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.core.errors import Problem
from chalicelib.core.paging import decode_cursor, encode_cursor
from chalicelib.programme.service import ProgrammeService
from tests import factories as f

pytestmark = pytest.mark.usefixtures("dynamodb")


@pytest.fixture
def houses() -> dict[str, list[str]]:
    """Three houses of their own (the table is shared by the session): 7, 0 and 5
    performances, every third one a draft; the ids per house."""
    tag = uuid.uuid4().hex[:8]
    counts = {f"pg-{tag}-a": 7, f"pg-{tag}-b": 0, f"pg-{tag}-c": 5}
    performances = []
    productions = []
    for house, count in counts.items():
        productions.append(f.production(id=f"{house}-stuk", house=house))
        for n in range(count):
            performance = f.performance(f"{house}-pf-{n:02d}", starts_at=f.T0 + timedelta(days=n))
            status = PerformanceStatus.DRAFT if n % 3 == 0 else PerformanceStatus.ON_SALE
            performances.append(replace(performance, house=house, status=status))
    DynamoCatalogueStore().save_all(
        CatalogueSet(performances=tuple(performances), productions=tuple(productions))
    )
    return {house: [p.id for p in performances if p.house == house] for house in counts}


@pytest.fixture
def service() -> ProgrammeService:
    return ProgrammeService(DynamoCatalogueStore(), None, None, FixedClock(f.T0))  # type: ignore[arg-type]


def every_page(
    service: ProgrammeService, houses: frozenset[str], kind: str, limit: int, **filters: str
) -> list[list[Any]]:
    pages, after = [], None
    while True:
        found, cursor = service.listing(houses, kind, dict(filters), limit, after)
        pages.append([o.id for o in found])
        if cursor is None:
            return pages
        after = decode_cursor(cursor, kind)


@pytest.mark.parametrize("limit", [1, 3, 6, 12, 50])
def test_pages_cover_every_performance_once_in_order_across_a_cluster_admins_houses(
    service, houses, limit
):
    mine = frozenset(houses)
    expected = [ident for house in sorted(houses) for ident in sorted(houses[house])]
    pages = every_page(service, mine, "performances", limit)
    assert [ident for page in pages for ident in page] == expected
    assert all(len(page) == limit for page in pages[:-1]) and 0 < len(pages[-1]) <= limit
    assert len(pages) == -(-len(expected) // limit)  # no empty last page


def test_filters_keep_working_page_by_page(service, houses):
    mine = frozenset(houses)
    drafts = every_page(service, mine, "performances", 2, status="draft")
    expected = sorted(i for ids in houses.values() for i in ids if int(i[-2:]) % 3 == 0)
    assert [ident for page in drafts for ident in page] == expected  # 0, 3, 6 of a; 0, 3 of c
    one_house = sorted(houses)[2]
    only = every_page(service, mine, "performances", 2, house=one_house)
    assert [ident for page in only for ident in page] == sorted(houses[one_house])
    productions = every_page(service, mine, "productions", 1)
    assert [ident for page in productions for ident in page] == [
        f"{house}-stuk" for house in sorted(houses)
    ]


def test_a_cursor_of_another_house_is_refused(service, houses):
    a, b, c = sorted(houses)
    theirs = (c, houses[c][0])
    with pytest.raises(Problem) as refused:
        service.listing(frozenset({a, b}), "performances", {}, 2, theirs)
    assert refused.value.status == 400 and refused.value.errors[0].field == "next"
    assert decode_cursor(encode_cursor(a, "x-1", "productions"), "performances") is None
