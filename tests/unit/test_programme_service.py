"""The programme service's rules without DynamoDB, on the in-memory fakes of its ports
(tests/fakes_programme.py): writes only in the caller's houses (another house's object is not
found: 404; naming another house: 403), a tariff prices the hall's zones, what is in use is not
deleted, a cancellation refunds once, blocked seats all or none, lists a page at a time.

Negative controls: the isolation and paging tests also run against a deliberately broken store
(`strict` xfail): they must fail there, which shows they catch that breakage."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.catalogue.model import PerformanceStatus
from chalicelib.catalogue.service import CatalogueService
from chalicelib.core.clock import FixedClock
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.core.paging import encode_cursor
from chalicelib.inventory.model import SeatState
from chalicelib.inventory.seatmap_schemas import SeatMapDocument
from chalicelib.programme.schemas import (
    BlockCommand,
    HallCommand,
    HallsQuery,
    PerformanceCommand,
    PerformancesQuery,
    ProductionCommand,
    ProductionsQuery,
    ReleaseCommand,
    VenueCommand,
)
from chalicelib.programme.service import ProgrammeService
from tests import factories as f
from tests.fakes_programme import FakeProgrammeStore, FakeRefunds, FakeSeatStore
from tests.inventory_fixtures import studio_map

A, B = "ntgent", "campo"
MINE = frozenset({A})
BOTH = frozenset({A, B})

BROKEN_HOUSES = pytest.param(
    True,
    marks=pytest.mark.xfail(
        strict=True, reason="negative control: a store that ignores the house must be caught"
    ),
    id="store-ignoring-houses",
)


class World:
    """Two houses of one cluster, each with a venue, a hall, a production and a performance
    on sale; house A's hall has a seat map (5 rows of 10)."""

    def __init__(self, *, ignore_houses: bool = False, ignore_after: bool = False) -> None:
        self.clock = FixedClock(f.T0)
        self.store = FakeProgrammeStore(ignore_houses=ignore_houses, ignore_after=ignore_after)
        self.seats = FakeSeatStore()
        self.refunds = FakeRefunds()
        for house in (A, B):
            seat_map = studio_map(f"{house}-zaal-map", f"{house}-zaal") if house == A else None
            if seat_map is not None:
                self.seats.seat_maps[seat_map.id] = seat_map
            self.store.save_all(
                _set(
                    houses=(f.house(house),),
                    venues=(f.venue(f"{house}-schouwburg", house),),
                    halls=(
                        f.hall(
                            f"{house}-zaal",
                            house,
                            venue=f"{house}-schouwburg",
                            seat_map=seat_map.id if seat_map else None,
                        ),
                    ),
                    productions=(f.production(f"{house}-storm", house),),
                    performances=(self.performance(house, f"{house}-pf-1"),),
                )
            )
        self.store.saves.clear()
        catalogue = CatalogueService(self.store, self.clock)  # type: ignore[arg-type]
        self.service = ProgrammeService(
            self.store,  # the fakes meet the service's Protocols: no ignore needed
            catalogue,
            self.seats,
            self.clock,
            self.refunds,
        )

    @staticmethod
    def performance(house: str, ident: str, days: int = 3, **changes: Any) -> Any:
        return f.performance(
            ident,
            starts_at=f.T0 + timedelta(days=days),
            house=house,
            production=f"{house}-storm",
            hall=f"{house}-zaal",
            venue=f"{house}-schouwburg",
            **changes,
        )


def _set(**objects: Any) -> Any:
    from chalicelib.catalogue.model import CatalogueSet

    return CatalogueSet(**objects)


def problem(call: Any, *args: Any) -> Problem:
    with pytest.raises(Problem) as caught:
        call(*args)
    return caught.value


def production_command(**changes: Any) -> ProductionCommand:
    body = {"title": {"nl": "Het proces"}, "genre": "theatre", "duration_minutes": 95}
    return parse(ProductionCommand, body | changes)


def performance_command(house: str = A, **changes: Any) -> PerformanceCommand:
    body = {
        "production": f"{house}-storm",
        "hall": f"{house}-zaal",
        "starts_at": "2026-12-20T19:30:00Z",
        "ends_at": "2026-12-20T21:30:00Z",
        "tariffs": [{"id": "standaard", "name": {"nl": "Standaard"}, "prices": {"zone-1": 2400}}],
    }
    return parse(PerformanceCommand, body | changes)


# --- the caller's houses only --------------------------------------------------------------


def test_a_write_goes_to_the_callers_house_and_naming_another_is_refused() -> None:
    world = World()
    created = world.service.create_production(MINE, production_command())
    assert created.house == A and created.id.startswith("het-proces-")
    assert world.store.productions[created.id] == created
    refused = problem(world.service.create_production, MINE, production_command(house=B))
    assert (refused.status, refused.code) == (403, "role_required")
    unsure = problem(world.service.create_production, BOTH, production_command())
    assert (unsure.status, [e.field for e in unsure.errors]) == (400, ["house"])
    assert world.service.create_production(BOTH, production_command(house=B)).house == B
    # an object never moves house
    moved = problem(world.service.replace_production, BOTH, created.id, production_command(house=B))
    assert [e.field for e in moved.errors] == ["house"]


@pytest.mark.parametrize("broken", [False, BROKEN_HOUSES])
def test_another_houses_objects_are_not_found_for_reading_replacing_or_deleting(
    broken: bool,
) -> None:
    world = World(ignore_houses=broken)
    svc = world.service
    theirs = {
        "production": (svc.production, f"{B}-storm"),
        "performance": (svc.performance, f"{B}-pf-1"),
        "venue": (svc.venue, f"{B}-schouwburg"),
        "hall": (svc.hall, f"{B}-zaal"),
    }
    for kind, (read, ident) in theirs.items():
        assert problem(read, MINE, ident).status == 404, kind
    writes: list[tuple[Any, ...]] = [
        (svc.replace_production, f"{B}-storm", production_command()),
        (svc.replace_performance, f"{B}-pf-1", performance_command(B)),
        (svc.save_venue, parse(VenueCommand, {"name": "X", "address": "Y", "city": "Z"}), None),
        (svc.delete_production, f"{B}-storm"),
        (svc.delete_venue, f"{B}-schouwburg"),
        (svc.delete_hall, f"{B}-zaal"),
        (svc.put_on_sale, f"{B}-pf-1"),
        (svc.cancel, f"{B}-pf-1", "ziek"),
        (svc.block, f"{B}-pf-1", parse(BlockCommand, {"seats": ["zaal-a-1"], "reason": "x"})),
        (svc.seat_plan, f"{B}-pf-1"),
    ]
    for call, *args in writes:
        if call == svc.save_venue:
            args = [args[0], f"{B}-schouwburg"]
        refused = problem(call, MINE, *args)
        assert (refused.status, refused.code) == (404, "not_found"), call
    assert world.store.saves == [] and world.refunds.calls == []  # nothing written
    # a performance of A may not use B's production or hall: named as a bad value (400)
    bad = problem(
        svc.create_performance,
        MINE,
        performance_command(production=f"{B}-storm", hall=f"{B}-zaal"),
    )
    assert (bad.status, {e.field for e in bad.errors}) == (400, {"production", "hall"})
    assert B not in str(bad.to_dict("en"))  # nothing said about the other house


def test_replacing_a_production_carries_its_title_to_its_performances() -> None:
    world = World()
    replaced = world.service.replace_production(
        MINE, f"{A}-storm", production_command(title={"nl": "De orkaan"}, genre="dance")
    )
    assert replaced.id == f"{A}-storm" and replaced.title == {"nl": "De orkaan"}
    performance = world.store.performances[f"{A}-pf-1"]
    assert performance.title == {"nl": "De orkaan"} and performance.genre.value == "dance"
    assert world.store.performances[f"{B}-pf-1"].title != replaced.title  # another house's


# --- a tariff prices the hall's zones ------------------------------------------------------


def test_a_tariff_must_price_the_halls_zones_and_nothing_is_written_otherwise() -> None:
    world = World()
    tariffs = [{"id": "standaard", "name": {"nl": "S"}, "prices": {"zone-1": 900, "balkon-9": 1}}]
    refused = problem(world.service.create_performance, MINE, performance_command(tariffs=tariffs))
    assert [e.field for e in refused.errors] == ["tariffs[0].prices.balkon-9"]
    assert world.store.saves == []
    # the control: the same tariff without the unknown zone is accepted
    tariffs[0]["prices"] = {"zone-1": 900, "zone-2": 700}
    detail = world.service.create_performance(MINE, performance_command(tariffs=tariffs))
    assert detail.performance.status is PerformanceStatus.DRAFT and detail.hall.id == f"{A}-zaal"
    assert len(world.store.saves) == 1


def test_a_hall_keeps_the_zones_its_map_or_its_performances_use() -> None:
    world = World()
    zones = [{"id": "zone-1", "name": {"nl": "Rang 1"}, "rank": 1, "color": "#6b2bd9"}]
    command = parse(
        HallCommand, {"venue": f"{A}-schouwburg", "name": "Grote zaal", "price_zones": zones}
    )
    refused = problem(world.service.save_hall, MINE, command, f"{A}-zaal")
    assert {e.field for e in refused.errors} == {"price_zones"}
    assert "zone-2" in refused.errors[0].detail and world.store.saves == []


# --- what is in use is not deleted ---------------------------------------------------------


def test_a_hall_in_use_a_venue_with_halls_and_a_production_with_performances_stay() -> None:
    world = World()
    svc = world.service
    cases = {
        "hall_in_use": (svc.delete_hall, f"{A}-zaal"),
        "venue_has_halls": (svc.delete_venue, f"{A}-schouwburg"),
        "production_has_performances": (svc.delete_production, f"{A}-storm"),
    }
    for code, (call, ident) in cases.items():
        refused = problem(call, MINE, ident)
        assert (refused.status, refused.code) == (409, code)
    assert f"{A}-zaal" in world.store.halls and f"{A}-storm" in world.store.productions
    # the control: once nothing refers to them, each goes
    del world.store.performances[f"{A}-pf-1"]
    svc.delete_production(MINE, f"{A}-storm")
    svc.delete_hall(MINE, f"{A}-zaal")
    svc.delete_venue(MINE, f"{A}-schouwburg")
    assert f"{A}-schouwburg" not in world.store.venues and f"{B}-zaal" in world.store.halls


def test_a_seat_map_changes_only_while_no_performance_of_the_hall_is_selling() -> None:
    world = World()
    document = parse(
        SeatMapDocument,
        {
            "sections": [{"id": "zaal", "name": {"nl": "Zaal"}}],
            "seats": [
                {"section": "zaal", "row": "1", "number": n, "x": n, "y": 1.0, "zone": "zone-1"}
                for n in (1, 2)
            ],
        },
    )
    refused = problem(world.service.import_seat_map, MINE, f"{A}-zaal", document)
    assert (refused.status, refused.code) == (409, "hall_in_use")
    assert len(world.seats.seat_maps) == 1  # nothing written
    draft = replace(world.store.performances[f"{A}-pf-1"], status=PerformanceStatus.DRAFT)
    world.store.performances[draft.id] = draft
    hall, seat_map = world.service.import_seat_map(MINE, f"{A}-zaal", document)
    assert (hall.seat_map, hall.capacity) == (seat_map.id, 2) and seat_map.id != f"{A}-zaal-map"
    other = parse(SeatMapDocument, document.model_dump(exclude_none=True) | {"hall": "elders"})
    assert problem(world.service.import_seat_map, MINE, f"{A}-zaal", other).errors[0].field == (
        "hall"
    )


# --- cancellation --------------------------------------------------------------------------


def test_a_cancellation_sets_the_status_once_and_refunds_each_buyer_once() -> None:
    world = World()
    world.refunds.paid[(A, f"{A}-pf-1")] = ["o-1", "o-2"]
    detail, refunds = world.service.cancel(MINE, f"{A}-pf-1", "ziekte")
    assert detail.performance.status is PerformanceStatus.CANCELLED
    assert (refunds["queued"], refunds["done"]) == (2, True)
    _, again = world.service.cancel(MINE, f"{A}-pf-1", "ziekte")
    assert (again["queued"], again["refunded"]) == (0, 2)  # nobody refunded twice
    assert len(world.store.saves) == 1  # the status written once
    assert world.refunds.calls == [(A, f"{A}-pf-1", "ziekte")] * 2
    progress = world.service.refund_progress(world.service.performance(MINE, f"{A}-pf-1"))
    assert progress is not None and "queued" not in progress and progress["done"]
    refused = problem(world.service.put_on_sale, MINE, f"{A}-pf-1")
    assert (refused.status, refused.code) == (422, "performance_cancelled")
    refused = problem(world.service.replace_performance, MINE, f"{A}-pf-1", performance_command())
    assert refused.code == "performance_cancelled"


def test_a_performance_not_cancelled_has_no_refund_progress() -> None:
    world = World()
    assert world.service.refund_progress(world.service.performance(MINE, f"{A}-pf-1")) is None


# --- blocked seats -------------------------------------------------------------------------


def test_blocked_seats_all_or_none_and_back_on_sale() -> None:
    world = World()
    svc, performance = world.service, f"{A}-pf-1"
    svc.block(MINE, performance, parse(BlockCommand, {"seats": ["zaal-a-5"], "reason": "pers"}))
    both = parse(BlockCommand, {"seats": ["zaal-a-4", "zaal-a-5"], "reason": "camera"})
    refused = problem(svc.block, MINE, performance, both)
    assert refused.status == 409 and ("ntgent-pf-1", "zaal-a-4") not in world.seats.claims
    plan = svc.seat_plan(MINE, performance)
    assert plan.plan.states["zaal-a-5"] is SeatState.BLOCKED
    unknown = problem(
        svc.block, MINE, performance, parse(BlockCommand, {"seats": ["zaal-z-1"], "reason": "x"})
    )
    assert unknown.status == 400
    svc.unblock(MINE, performance, ReleaseCommand(seats=("zaal-a-5",)))
    assert svc.seat_plan(MINE, performance).plan.states["zaal-a-5"] is SeatState.FREE
    cancelled = replace(world.store.performances[performance], status=PerformanceStatus.CANCELLED)
    world.store.performances[performance] = cancelled
    refused = problem(svc.block, MINE, performance, both)
    assert (refused.status, refused.code) == (422, "performance_cancelled")
    assert svc.seat_plan(MINE, performance).plan.states["zaal-a-4"] is SeatState.FREE


# --- lists, a page at a time ---------------------------------------------------------------


def _every_page(world: World, houses: frozenset[str], make: Any, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    while len(pages) < 20:  # a store that starts over would page for ever
        query = make(limit=limit, next=cursor)
        found, cursor = world.service._page(houses, query)
        pages.append([o.id for o in found])
        if cursor is None:
            return pages
    raise AssertionError(f"no last page after {len(pages)}: {pages[:3]}…")


def _more_productions(world: World) -> None:
    for house in (A, B):
        for n in range(4):
            world.store.productions[f"{house}-x{n}"] = f.production(f"{house}-x{n}", house)


@pytest.mark.parametrize("broken", [False, BROKEN_HOUSES])
def test_a_list_holds_only_the_callers_houses(broken: bool) -> None:
    world = World(ignore_houses=broken)
    _more_productions(world)
    found, _ = world.service.productions_page(MINE, ProductionsQuery(limit=100))
    assert {p.house for p in found} == {A}
    refused = problem(
        world.service.productions_page, MINE, ProductionsQuery.model_validate({"house": B})
    )
    assert (refused.status, refused.code) == (403, "role_required")
    theirs = encode_cursor(B, f"{B}-x1", "productions")
    refused = problem(world.service.productions_page, MINE, ProductionsQuery(next=theirs))
    assert [e.field for e in refused.errors] == ["next"]
    # the broken store is caught here: its `own_*` lie, and so does the next read
    assert world.service.production(MINE, f"{A}-x0").house == A
    assert problem(world.service.production, MINE, f"{B}-x0").status == 404


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 10, 50])
def test_pages_cover_every_object_once_house_by_house(limit: int) -> None:
    world = World()
    _more_productions(world)
    pages = _every_page(world, BOTH, ProductionsQuery, limit)
    flat = [ident for page in pages for ident in page]
    assert flat == sorted(world.store.productions) and len(flat) == 10  # A's by id, then B's
    assert all(len(page) == limit for page in pages[:-1]) and 0 < len(pages[-1]) <= limit


@pytest.mark.xfail(strict=True, reason="negative control: pages that start over must be caught")
def test_pages_catch_a_store_that_starts_over() -> None:
    world = World(ignore_after=True)
    _more_productions(world)
    pages = _every_page(world, BOTH, ProductionsQuery, 3)
    assert [i for page in pages for i in page] == sorted(world.store.productions)


def test_performances_come_by_start_time_within_from_and_to_and_filters() -> None:
    world = World()
    for n, days in enumerate((9, 1, 5, -2)):
        performance = World.performance(A, f"{A}-pf-x{n}", days, status=PerformanceStatus.DRAFT)
        world.store.performances[performance.id] = performance
    found, _ = world.service.performances_page(MINE, PerformancesQuery(limit=100))
    starts = [p.starts_at for p in found]
    assert starts == sorted(starts) and len(found) == 5  # drafts and past ones too
    window = PerformancesQuery.model_validate(
        {"from": f.T0.isoformat(), "to": (f.T0 + timedelta(days=5)).isoformat()}
    )
    found, _ = world.service.performances_page(MINE, window)
    assert [p.id for p in found] == [f"{A}-pf-x1", f"{A}-pf-1", f"{A}-pf-x2"]
    drafts, _ = world.service.performances_page(
        MINE, PerformancesQuery(status=PerformanceStatus.DRAFT)
    )
    assert {p.status for p in drafts} == {PerformanceStatus.DRAFT} and len(drafts) == 4
    halls, _ = world.service.halls_page(BOTH, HallsQuery(venue=f"{B}-schouwburg"))
    assert [h.id for h in halls] == [f"{B}-zaal"]
