"""Staff lists page by page on AWS's DynamoDB Local: house by house, each house's partition
read from just after the cursor, every object exactly once and in order across a cluster
admin's houses, filters applied page by page, a cursor of another house refused. Performances
come by start time from the staff-only gsi3 (drafts, cancelled and past ones too), which the
public catalogue never reads."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.catalogue.model import CatalogueSet, Performance, PerformanceStatus, Timeline
from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.core.errors import Problem
from chalicelib.core.paging import decode_cursor, encode_cursor
from chalicelib.programme.service import ProgrammeService
from tests import factories as f

pytestmark = pytest.mark.usefixtures("dynamodb")


def starts(n: int) -> datetime:
    """Start times out of id order, some before the clock's now (T0): -3 to +3 days."""
    return f.T0 + timedelta(days=(5 * n) % 7 - 3)


@pytest.fixture
def programme() -> dict[str, list[Performance]]:
    """Three houses of their own (the table is shared by the session): 7, 0 and 5
    performances, every third one a draft, the fifth cancelled, two productions taking turns;
    each house's performances in start-time order."""
    tag = uuid.uuid4().hex[:8]
    counts = {f"pg-{tag}-a": 7, f"pg-{tag}-b": 0, f"pg-{tag}-c": 5}
    performances = []
    productions = []
    for house, count in counts.items():
        productions.append(f.production(id=f"{house}-stuk", house=house))
        productions.append(f.production(id=f"{house}-ander", house=house))
        for n in range(count):
            status = PerformanceStatus.DRAFT if n % 3 == 0 else PerformanceStatus.ON_SALE
            status = PerformanceStatus.CANCELLED if n == 4 else status
            performance = f.performance(f"{house}-pf-{n:02d}", starts_at=starts(n))
            production = f"{house}-{'stuk' if n % 2 else 'ander'}"
            performances.append(
                # A cluster of their own: the seed's tests read the demo clusters' catalogue.
                replace(
                    performance,
                    house=house,
                    cluster=f"pg-{tag}",
                    status=status,
                    production=production,
                )
            )
    DynamoCatalogueStore().save_all(
        CatalogueSet(performances=tuple(performances), productions=tuple(productions))
    )
    return {
        house: sorted((p for p in performances if p.house == house), key=lambda p: p.starts_at)
        for house in counts
    }


@pytest.fixture
def houses(programme) -> dict[str, list[str]]:
    return {house: [p.id for p in found] for house, found in programme.items()}


@pytest.fixture
def service() -> ProgrammeService:
    return ProgrammeService(DynamoCatalogueStore(), None, None, FixedClock(f.T0))  # type: ignore[arg-type]


def every_page(
    service: ProgrammeService,
    houses: frozenset[str],
    kind: str,
    limit: int,
    starts: tuple[datetime | None, datetime | None] = (None, None),
    **filters: str,
) -> list[list[Any]]:
    pages, after = [], None
    while True:
        found, cursor = service.listing(houses, kind, dict(filters), limit, after, starts)
        pages.append([o.id for o in found])
        if cursor is None:
            return pages
        after = decode_cursor(cursor, kind)


def flat(pages: list[list[Any]]) -> list[Any]:
    return [ident for page in pages for ident in page]


@pytest.mark.parametrize("limit", [1, 3, 6, 12, 50])
def test_pages_cover_every_performance_once_by_start_time_across_a_cluster_admins_houses(
    service, houses, limit
):
    mine = frozenset(houses)
    expected = [ident for house in sorted(houses) for ident in houses[house]]  # by start time
    assert expected != sorted(expected)  # start times are not in id order
    pages = every_page(service, mine, "performances", limit)
    assert flat(pages) == expected
    assert all(len(page) == limit for page in pages[:-1]) and 0 < len(pages[-1]) <= limit
    assert len(pages) == -(-len(expected) // limit)  # no empty last page


def test_filters_keep_working_page_by_page(service, houses):
    mine = frozenset(houses)
    drafts = every_page(service, mine, "performances", 2, status="draft")
    expected = [i for h in sorted(houses) for i in houses[h] if int(i[-2:]) % 3 == 0]
    assert flat(drafts) == expected and len(expected) == 5  # 0, 3, 6 of a; 0, 3 of c
    one_house = sorted(houses)[2]
    only = every_page(service, mine, "performances", 2, house=one_house)
    assert flat(only) == houses[one_house]
    a = sorted(houses)[0]
    stuk = every_page(service, mine, "performances", 1, production=f"{a}-stuk")
    assert flat(stuk) == [i for i in houses[a] if int(i[-2:]) % 2] and len(stuk) == 3
    cancelled = every_page(service, mine, "performances", 1, status="cancelled")
    assert flat(cancelled) == [f"{h}-pf-04" for h in sorted(houses) if h != sorted(houses)[1]]
    productions = every_page(service, mine, "productions", 1)
    assert flat(productions) == [
        f"{house}-{name}" for house in sorted(houses) for name in ("ander", "stuk")
    ]


def test_from_and_to_bound_the_start_times_across_pages(service, programme):
    mine = frozenset(programme)

    def between(low: datetime | None, high: datetime | None) -> list[str]:
        return [
            p.id
            for house in sorted(programme)
            for p in programme[house]
            if (low is None or p.starts_at >= low) and (high is None or p.starts_at <= high)
        ]

    upcoming = (f.T0, None)  # from now: past ones left out, drafts kept
    assert flat(every_page(service, mine, "performances", 2, upcoming)) == between(*upcoming)
    assert 0 < len(between(*upcoming)) < sum(map(len, programme.values()))
    window = (f.T0 - timedelta(days=2), f.T0 + timedelta(days=1))  # both bounds inclusive
    pages = every_page(service, mine, "performances", 1, window)
    assert flat(pages) == between(*window) and len(pages) == len(between(*window)) == 6
    day = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 1 December in Brussels
    brussels_day = (day, day + timedelta(days=1, microseconds=-1))
    assert flat(every_page(service, mine, "performances", 3, brussels_day)) == between(f.T0, f.T0)
    past = (None, f.T0 - timedelta(seconds=1))
    past_drafts = every_page(service, mine, "performances", 1, past, status="draft")
    assert flat(past_drafts) == [i for i in between(*past) if int(i[-2:]) % 3 == 0] != []
    selling = every_page(service, mine, "performances", 1, upcoming, status="on_sale")
    assert (
        flat(selling)
        == [
            p.id
            for house in sorted(programme)
            for p in programme[house]
            if p.starts_at >= f.T0 and p.status is PerformanceStatus.ON_SALE
        ]
        != []
    )


def test_a_moved_performance_moves_in_the_list_and_drafts_stay_out_of_the_public_catalogue(
    service, programme
):
    store = DynamoCatalogueStore()
    house = sorted(programme)[2]
    first, *others = programme[house]
    assert first.status is PerformanceStatus.DRAFT  # pf-00, three days ago
    later = timedelta(days=12)
    moved = replace(first, starts_at=first.starts_at + later, ends_at=first.ends_at + later)
    store.save_all(CatalogueSet(performances=(moved,)))
    listed = flat(every_page(service, frozenset({house}), "performances", 2))
    assert listed == [p.id for p in others] + [moved.id]  # once, at its new time
    public = [p.id for p in store.timeline(Timeline("house", house), "", "~")]
    assert public == [p.id for p in others if p.status is not PerformanceStatus.DRAFT]
    assert moved.id not in public and store.find_performance(moved.id) is None
    assert len(public) < len(listed)


def test_a_cursor_of_another_house_is_refused(service, houses):
    a, b, c = sorted(houses)
    theirs = (c, f"2026-12-01T09:00:00Z#{houses[c][0]}")
    with pytest.raises(Problem) as refused:
        service.listing(frozenset({a, b}), "performances", {}, 2, theirs)
    assert refused.value.status == 400 and refused.value.errors[0].field == "next"
    assert decode_cursor(encode_cursor(a, "x-1", "productions"), "performances") is None
    assert decode_cursor(encode_cursor(a, "x-1", "performances"), "performances") is None
    dated = encode_cursor(a, "2026-12-01T09:00:00Z#x-1", "performances")
    assert decode_cursor(dated, "performances") == (a, "2026-12-01T09:00:00Z#x-1")
    assert decode_cursor(dated, "productions") is None
