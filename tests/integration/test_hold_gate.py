"""Holds during an on-sale, on AWS's DynamoDB Local: the admission gate and the per-identity
limits, which must hold under concurrency (they travel inside the hold's transaction)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from chalicelib.core.clock import FixedClock
from chalicelib.core.errors import Problem
from chalicelib.core.ids import digest
from chalicelib.inventory.schemas import HoldCommand
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.onsale.model import Admission, WaitingRoom
from chalicelib.onsale.store import DynamoRoomStore
from tests import factories as f
from tests.inventory_fixtures import SIGNER, inventory_service, new_performance

pytestmark = pytest.mark.usefixtures("dynamodb")

OPENS = f.T0 + timedelta(minutes=5)


@pytest.fixture
def service(clock: FixedClock) -> InventoryService:
    return inventory_service(clock, gated=True)


def gated(*performances: str, **limits: int) -> WaitingRoom:
    room = WaitingRoom(
        id=f"room-{uuid.uuid4().hex[:12]}",
        house="ntgent",
        performances=performances,
        opens_at=OPENS,
        closes_at=OPENS + timedelta(hours=2),
        admit_per_minute=60,
        **limits,
    )
    DynamoRoomStore().save_room(room)
    return room


def token(room: WaitingRoom, client: str, email: str | None = None, minutes: int = 15) -> str:
    return SIGNER.admission_token(
        Admission(
            room=room.id,
            ticket=f"ticket-{client}",
            client=digest(f"client:{client}"),
            email=SIGNER.email_digest(email) if email else None,
            issued_at=f.T0,
            expires_at=f.T0 + timedelta(minutes=minutes),
        )
    )


def refused(service: InventoryService, performance: str, client: str, admission: str | None):
    with pytest.raises(Problem) as raised:
        service.hold(performance, HoldCommand(seats=["zaal-a-5"]), f"client:{client}", admission)
    return raised.value.status, raised.value.code


def test_holds_on_a_gated_performance_need_this_clients_valid_admission(service, clock):
    p = new_performance()
    room = gated(p)
    other_room = gated(new_performance())
    good = token(room, "alice")
    assert refused(service, p, "alice", None) == (401, "admission_required")
    assert refused(service, p, "alice", good[:-3] + "abc") == (403, "admission_invalid")
    assert refused(service, p, "alice", "garbage") == (403, "admission_invalid")
    assert refused(service, p, "mallory", good) == (403, "admission_invalid")  # another client
    assert refused(service, p, "alice", token(other_room, "alice")) == (403, "admission_invalid")
    assert refused(service, p, "alice", token(room, "alice", minutes=-1)) == (
        401,
        "admission_expired",
    )
    hold, _, _ = service.hold(p, HoldCommand(seats=["zaal-a-5"]), "client:alice", good)
    assert hold.seats == ("zaal-a-5",)
    assert hold.identity_slots == ((f"c:{digest('client:alice')}", 0),)


def test_no_admission_is_needed_outside_the_rooms_window(service, clock):
    p = new_performance()
    room = gated(p)
    clock.current = OPENS - timedelta(minutes=16)
    service.hold(p, HoldCommand(seats=["zaal-b-1"]), "client:alice")
    assert service.seat_plan(p).waiting_room is None
    clock.current = room.closes_at
    service.hold(p, HoldCommand(seats=["zaal-b-2"]), "client:alice")
    assert service.seat_plan(p).waiting_room is None
    clock.current = OPENS
    assert refused(service, p, "alice", None) == (401, "admission_required")
    assert service.seat_plan(p).waiting_room == room.id
    ungated = new_performance()
    service.hold(
        ungated, HoldCommand(seats=["zaal-b-3"]), "client:alice"
    )  # other performances: as ever


def test_seats_per_identity_hold_under_eight_concurrent_holds(service):
    p = new_performance(max_holds_per_client=10)
    room = gated(p, max_holds_per_identity=5, max_seats_per_identity=6)
    admission = token(room, "alice")
    barrier = threading.Barrier(8)
    won: list[int] = []
    answers: list[str] = []

    def hold(row: str) -> None:
        barrier.wait()
        try:
            held, _, _ = service.hold(
                p, HoldCommand(seats=[f"zaal-{row}-1", f"zaal-{row}-2"]), "client:alice", admission
            )
            won.append(len(held.seats))
        except Problem as problem:
            answers.append(problem.code or "")

    threads = [
        threading.Thread(target=hold, args=(row,))
        for row in ("a", "b", "c", "d", "e", "a", "b", "c")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(won) <= 6
    assert len(won) >= 1
    assert set(answers) <= {"max_seats_per_identity", "identity_busy", "seats_taken"}
    slots = DynamoInventoryStore().identity_slots(p, f"c:{digest('client:alice')}")
    assert sum(s.seats for s in slots.values()) == sum(won)


def test_holds_per_identity_hold_under_eight_concurrent_holds(service):
    p = new_performance(max_holds_per_client=10)
    room = gated(p, max_holds_per_identity=2, max_seats_per_identity=10)
    admission = token(room, "alice")
    barrier = threading.Barrier(8)
    won: list[str] = []

    def hold(seat: str) -> None:
        barrier.wait()
        try:
            held, _, _ = service.hold(p, HoldCommand(seats=[seat]), "client:alice", admission)
            won.append(held.id)
        except Problem as problem:
            assert problem.code in ("max_holds_per_identity", "identity_busy")

    threads = [threading.Thread(target=hold, args=(f"zaal-c-{n}",)) for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= len(won) <= 2


def test_one_email_is_one_identity_across_browsers(service):
    p = new_performance()
    room = gated(p, max_seats_per_identity=3)
    first = token(room, "alice-phone", email="an@example.be")
    second = token(room, "alice-laptop", email="An@Example.be")
    service.hold(p, HoldCommand(seats=["zaal-d-1", "zaal-d-2"]), "client:alice-phone", first)
    with pytest.raises(Problem) as raised:
        service.hold(p, HoldCommand(seats=["zaal-d-3", "zaal-d-4"]), "client:alice-laptop", second)
    assert (raised.value.status, raised.value.code) == (422, "max_seats_per_identity")
    service.hold(p, HoldCommand(seats=["zaal-d-3"]), "client:alice-laptop", second)


def test_a_released_or_sold_hold_no_longer_counts(service):
    p = new_performance()
    room = gated(p, max_holds_per_identity=1, max_seats_per_identity=2)
    admission = token(room, "alice")
    hold, hold_token, _ = service.hold(
        p, HoldCommand(seats=["zaal-e-1"]), "client:alice", admission
    )
    with pytest.raises(Problem) as raised:
        service.hold(p, HoldCommand(seats=["zaal-e-2"]), "client:alice", admission)
    assert raised.value.code == "max_holds_per_identity"
    service.release(hold.id, hold_token)
    second, _, _ = service.hold(
        p, HoldCommand(seats=["zaal-e-2", "zaal-e-3"]), "client:alice", admission
    )
    service.sell(second.id)
    service.hold(p, HoldCommand(seats=["zaal-e-4"]), "client:alice", admission)


class StaleOnce(DynamoInventoryStore):
    """Answers the first read of an identity's slots with an older snapshot: a hold that read
    just before the slots changed under it."""

    def __init__(self, snapshot: dict) -> None:
        super().__init__()
        self.snapshot: dict | None = snapshot

    def identity_slots(self, performance: str, identity: str):  # type: ignore[no-untyped-def]
        if self.snapshot is not None:
            stale, self.snapshot = self.snapshot, None
            return stale
        return super().identity_slots(performance, identity)


def test_a_hold_that_read_stale_slots_is_checked_again(service, clock):
    """The interleaving the transaction's checks exist for: A reads {slot 0: H, 2 seats},
    H is released, B takes slot 0 with 4 seats, then A commits 4 seats in slot 1. Without
    the check that slot 0 is still H's, the identity would hold 8 seats of 6."""
    p = new_performance()
    room = gated(p, max_holds_per_identity=3, max_seats_per_identity=6)
    admission = token(room, "alice")
    identity = f"c:{digest('client:alice')}"
    h, h_token, _ = service.hold(
        p, HoldCommand(seats=["zaal-a-3", "zaal-a-4"]), "client:alice", admission
    )
    seen_by_a = DynamoInventoryStore().identity_slots(p, identity)
    service.release(h.id, h_token)
    service.hold(
        p, HoldCommand(seats=[f"zaal-b-{n}" for n in range(1, 5)]), "client:alice", admission
    )
    a = InventoryService(StaleOnce(seen_by_a), service.catalogue, clock, gate=service.gate)
    with pytest.raises(Problem) as raised:
        a.hold(
            p, HoldCommand(seats=[f"zaal-c-{n}" for n in range(1, 5)]), "client:alice", admission
        )
    assert raised.value.code == "max_seats_per_identity"
    slots = DynamoInventoryStore().identity_slots(p, identity)
    assert sum(s.seats for s in slots.values()) == 4


def test_a_hall_with_only_wheelchair_places_left_is_sold_out_for_the_queue(service, clock):
    from chalicelib.onsale.soldout import SeatsLeft

    p = new_performance()
    seat_map = service.seat_plan(p).seat_map
    access = [s.id for s in seat_map.seats if s.attributes]  # A1 wheelchair, A2 companion
    others = [s.id for s in seat_map.seats if not s.attributes]
    assert access and len(others) == 48
    service.block(p, others[:-1], "sold elsewhere")
    assert not SeatsLeft(service, seconds=0).sold_out((p,))  # one ordinary seat is left
    service.block(p, others[-1:], "sold elsewhere")
    assert SeatsLeft(service, seconds=0).sold_out((p,))
    plan = service.seat_plan(p)
    assert all(plan.states[s].value == "free" for s in access)  # still for those who need them
