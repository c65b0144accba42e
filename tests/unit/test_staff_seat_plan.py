"""The staff seat plan and the release rule without AWS: which seats a release gives back and
which it refuses, expiry in every read, each seat's real state beside the public one (which
still hides held from sold), and the standing pools' held, sold and free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.clock import FixedClock
from chalicelib.core.errors import Problem
from chalicelib.inventory.model import SeatClaim, SeatState, ShardState, live_claims, to_unblock
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.views import seat_plan_view, staff_seat_plan_view
from tests import factories as f
from tests.inventory_fixtures import ZONES, studio_map

NOW = f.T0
LATER = NOW + timedelta(minutes=10)
EARLIER = NOW - timedelta(minutes=1)

CLAIMS = {
    "zaal-a-1": SeatClaim("zaal-a-1", SeatState.BLOCKED, reason="rolstoel", blocked_at=EARLIER),
    "zaal-a-2": SeatClaim("zaal-a-2", SeatState.HELD, hold="h-live", held_until=LATER),
    "zaal-a-3": SeatClaim("zaal-a-3", SeatState.HELD, hold="h-gone", held_until=NOW),
    "zaal-a-4": SeatClaim("zaal-a-4", SeatState.SOLD, hold="h-sold"),
    "zaal-a-5": SeatClaim("zaal-a-5", SeatState.HELD, hold="h-paying", held_until=LATER),
    "zaal-a-6": SeatClaim("zaal-a-6", SeatState.BLOCKED, reason="oud"),  # before blocked_at
}


def test_a_release_gives_back_blocked_seats_refuses_taken_ones_and_skips_free_ones():
    seats = ["zaal-a-1", "zaal-a-2", "zaal-a-3", "zaal-a-4", "zaal-a-9"]
    assert to_unblock(seats, CLAIMS, NOW) == (("zaal-a-1",), ("zaal-a-2", "zaal-a-4"))
    # the held seat's hold runs out: it is free, neither given back nor refused
    assert to_unblock(["zaal-a-2"], CLAIMS, LATER) == ((), ())
    assert to_unblock(["zaal-a-9", "zaal-a-3"], CLAIMS, NOW) == ((), ())


def test_expired_holds_are_not_live_claims():
    assert set(live_claims(CLAIMS, NOW)) == set(CLAIMS) - {"zaal-a-3"}
    assert set(live_claims(CLAIMS, LATER)) == {"zaal-a-1", "zaal-a-4", "zaal-a-6"}


def test_a_shards_held_places_leave_out_sold_and_expired_ones():
    shard = ShardState(0, capacity=100, taken=30, expired=5, sold=10)
    assert (shard.held, shard.sold, shard.free) == (15, 10, 75)
    assert shard.held + shard.sold + shard.free == shard.capacity


@dataclass
class FakeStore:
    seat_map: SeatMap
    claims: dict[str, SeatClaim]
    shards: list[ShardState]
    orders: dict[str, str] = field(default_factory=dict)
    asked: list[list[str]] = field(default_factory=list)

    def get_seat_map(self, house: str, seat_map_id: str) -> SeatMap | None:
        return self.seat_map

    def seat_claims(self, performance: str, sections: list[str]) -> dict[str, SeatClaim]:
        return dict(self.claims)

    def ga_shards(self, performance: str, pool: str, capacities: list[int], now: datetime):
        return list(self.shards)

    def orders_of_holds(self, hold_ids: list[str]) -> dict[str, str]:
        self.asked.append(list(hold_ids))
        return {h: o for h, o in self.orders.items() if h in hold_ids}

    def unblock_seats(self, performance: str, section_of: dict[str, str]) -> None:
        for seat in section_of:
            assert self.claims[seat].state is SeatState.BLOCKED
            del self.claims[seat]


class Only:
    def __init__(self, detail: PerformanceDetail) -> None:
        self.detail = detail

    def find_performance(self, performance_id: str) -> PerformanceDetail | None:
        return self.detail if performance_id == self.detail.performance.id else None


def world(clock: FixedClock) -> tuple[InventoryService, FakeStore]:
    seat_map = studio_map("studio-map", "studio", pool_capacity=20)
    hall = f.hall(id="studio", capacity=seat_map.capacity, price_zones=ZONES, seat_map="studio-map")
    detail = PerformanceDetail(
        performance=f.performance("p-1"),
        production=f.production(),
        house=f.house(),
        venue=f.venue(),
        hall=hall,
    )
    store = FakeStore(
        seat_map,
        dict(CLAIMS),
        [ShardState(0, capacity=20, taken=9, expired=2, sold=4)],
        orders={"h-sold": "o-sold", "h-paying": "o-paying"},
    )
    service = InventoryService(store, Only(detail), clock)  # type: ignore[arg-type]
    return service, store


def seats_of(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {seat["id"]: seat for seat in view["seats"]}


def test_staff_see_who_has_each_seat_where_the_public_sees_only_unavailable():
    service, store = world(FixedClock(NOW))
    staff = staff_seat_plan_view(service.staff_seat_plan("p-1"), "nl")
    public = seat_plan_view(service.seat_plan("p-1"), "nl")
    seats, shown = seats_of(staff), seats_of(public)
    assert seats["zaal-a-1"] == shown["zaal-a-1"] | {
        "reason": "rolstoel",
        "blocked_at": "2026-12-01T08:59:00Z",
    }
    assert {k: seats["zaal-a-2"][k] for k in ("state", "hold", "order", "paying")} == {
        "state": "held",
        "hold": "h-live",
        "order": None,
        "paying": False,
    }
    assert seats["zaal-a-2"]["held_until"] == "2026-12-01T09:10:00Z"
    assert seats["zaal-a-3"]["state"] == "free" and "hold" not in seats["zaal-a-3"]  # expired
    assert (seats["zaal-a-4"]["state"], seats["zaal-a-4"]["order"]) == ("sold", "o-sold")
    assert (seats["zaal-a-5"]["paying"], seats["zaal-a-5"]["order"]) == (True, "o-paying")
    assert seats["zaal-a-6"]["blocked_at"] is None  # blocked before the time was recorded
    # the public still cannot tell held from sold, and sees no hold, order or reason
    assert {shown[s]["state"] for s in ("zaal-a-2", "zaal-a-4", "zaal-a-5")} == {"unavailable"}
    assert not any({"hold", "order", "reason"} & set(seat) for seat in shown.values())
    assert store.asked == [["h-live", "h-paying", "h-sold"]]  # only live holds are looked up
    assert staff["pools"][0] | public["pools"][0] == staff["pools"][0]  # the same, and more
    assert {k: staff["pools"][0][k] for k in ("held", "sold", "free")} == {
        "held": 3,
        "sold": 4,
        "free": 13,
    }
    assert staff["summary"] == public["summary"] | {
        "held_seats": 2,
        "sold_seats": 1,
        "blocked_seats": 2,
    }
    assert [b["seat"] for b in staff["blocked"]] == ["zaal-a-1", "zaal-a-6"]
    assert staff["blocked"][0]["label"] == seats["zaal-a-1"]["label"]


def test_a_release_writes_only_blocked_seats_and_refuses_before_writing():
    service, store = world(FixedClock(NOW))
    with pytest.raises(Problem) as refused:
        service.unblock("p-1", ["zaal-a-1", "zaal-a-4"])
    assert refused.value.status == 409 and refused.value.extra["unavailable"] == ["zaal-a-4"]
    assert "zaal-a-1" in store.claims  # nothing written
    service.unblock("p-1", ["zaal-a-1", "zaal-a-3", "zaal-a-9"])
    assert "zaal-a-1" not in store.claims and "zaal-a-3" in store.claims  # expired left alone


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"seats": [f"zaal-a-{n}" for n in range(101)]}, {"seats"}),  # more than one transaction
        ({"seats": []}, {"seats"}),
        ({"seats": ["zaal-a-1", "zaal-a-1"]}, {"seats"}),
        ({"seats": ["Zaal A1"]}, {"seats"}),
        ({"seats": ["zaal-a-1"], "reason": "x"}, {"reason"}),
        ([], {"body"}),  # not an object at all: that is the one thing to say
    ],
)
def test_a_release_body_is_checked_whole_and_each_bad_field_named(body, fields):
    from chalicelib.core.edge import parse
    from chalicelib.programme.schemas import ReleaseCommand

    with pytest.raises(Problem) as refused:
        parse(ReleaseCommand, body)
    assert refused.value.status == 400 and {e.field for e in refused.value.errors} == fields


def test_a_release_of_a_full_transaction_is_accepted():
    from chalicelib.core.edge import parse
    from chalicelib.programme.schemas import ReleaseCommand

    seats = [f"zaal-a-{n}" for n in range(100)]
    assert parse(ReleaseCommand, {"seats": seats}).seats == tuple(seats)


def test_the_staff_plan_names_the_waiting_room_the_public_plan_names():
    class Gate:
        def room(self, performance: str, now: datetime) -> str | None:
            return "room-gent-1"

    service, _ = world(FixedClock(NOW))
    service.gate = Gate()  # type: ignore[assignment]
    staff = staff_seat_plan_view(service.staff_seat_plan("p-1"), "nl")
    assert staff["waiting_room"] == seat_plan_view(service.seat_plan("p-1"), "nl")["waiting_room"]
    assert staff["waiting_room"] == "room-gent-1"
