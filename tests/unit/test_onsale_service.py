"""The waiting room's use cases on in-memory fakes: join, place, draw, position, admission."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.clock import FixedClock
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.onsale.model import DRAW_DEADLINE, PlaceState, WaitingRoom
from chalicelib.onsale.schemas import ArrivalMessage, JoinCommand, arrival_message
from chalicelib.onsale.service import WaitingRoomService
from chalicelib.onsale.tokens import Signer
from tests import factories as f
from tests.fakes import FakeCatalogueStore
from tests.onsale_fakes import FakeQueue, FakeRoomStore, FixedSoldOut, UncachedRooms

OPENS = f.T0 + timedelta(hours=1)
SIGNER = Signer(b"unit-test-admission-secret-of-at-least-32-bytes")


def detail(performance_id: str, house: str = "ntgent") -> PerformanceDetail:
    return PerformanceDetail(
        performance=f.performance(performance_id, house=house),
        production=f.production(),
        house=f.house(),
        venue=f.venue(),
        hall=f.hall(),
    )


class World:
    def __init__(self, seed: int = 1) -> None:
        self.clock = FixedClock(f.T0)
        self.store = FakeRoomStore()
        self.queue = FakeQueue()
        catalogue = FakeCatalogueStore()
        catalogue.details = {
            "p-1": detail("p-1"),
            "p-2": detail("p-2"),
            "elsewhere-1": detail("elsewhere-1", house="campo"),
        }
        self.service = WaitingRoomService(
            self.store,
            UncachedRooms(self.store),
            self.queue,
            catalogue,
            FixedSoldOut(),
            SIGNER,
            self.clock,
            random.Random(seed),
        )
        self.room = self.service.configure(
            WaitingRoom(
                id="storm-premiere",
                house="ntgent",
                performances=("p-1", "p-2"),
                opens_at=OPENS,
                closes_at=OPENS + timedelta(hours=4),
                admit_per_minute=60,
            )
        )

    def join(self, client: str, email: str | None = None) -> str:
        return self.service.join(self.room.id, f"client:{client}", JoinCommand(email=email)).ticket

    def consume(self) -> None:
        """What the consumer does with what is in the queue: plan the batch, settle each."""
        arrivals = [
            ArrivalMessage.model_validate(arrival_message(a)).arrival() for a in self.queue.drain()
        ]
        for start in range(0, len(arrivals), 10):
            batch = arrivals[start : start + 10]
            plan = self.service.plan_batch(batch)
            for arrival in batch:
                self.service.settle(plan[arrival.ticket])

    def position(self, ticket: str):  # type: ignore[no-untyped-def]
        return self.service.position(self.room.id, ticket).position


def problem(call, *args) -> Problem:  # type: ignore[no-untyped-def]
    with pytest.raises(Problem) as raised:
        call(*args)
    return raised.value


def opened_and_drawn(world: World) -> None:
    world.clock.current = OPENS + timedelta(seconds=10)
    assert world.service.draw(world.room.id) is not None


def test_join_sends_one_message_and_writes_nothing():
    world = World()
    writes = world.store.writes
    ticket = world.join("browser-0001", "an@example.be")
    assert world.store.writes == writes
    (message,) = world.queue.sent
    assert message.ticket == ticket and message.room == "storm-premiere"
    assert message.email and "example" not in message.email  # a digest, not the address
    assert world.position(ticket).state is PlaceState.QUEUED


def test_before_opening_the_order_is_random_and_everyone_is_ahead_of_later_arrivals():
    orders = []
    for seed in (1, 2):
        world = World(seed)
        early = [world.join(f"early-{n:04d}") for n in range(30)]
        world.consume()
        assert world.position(early[0]).state is PlaceState.BEFORE_OPENING
        world.clock.current = OPENS + timedelta(seconds=1)
        late = [world.join(f"late-{n:04d}") for n in range(10)]
        world.consume()
        opened_and_drawn(world)
        early_positions = [world.position(t).position for t in early]
        late_positions = [world.position(t).position for t in late]
        assert sorted(early_positions) == list(range(1, 31))
        assert late_positions == list(range(31, 41))  # first come, first served
        orders.append(early_positions)
    assert orders[0] != orders[1]  # another seed, another draw: arriving early gains nothing


def test_a_duplicate_delivery_makes_no_second_place():
    world = World()
    world.clock.current = OPENS + timedelta(seconds=1)
    ticket = world.join("browser-0001")
    world.queue.sent *= 3  # SQS delivered it three times
    world.consume()
    world.join("browser-0002")
    world.consume()
    opened_and_drawn(world)
    assert world.position(ticket).position == 1
    assert len(world.store.places) == 2
    assert world.store.counters["storm-premiere"] == 2  # no number was spent on a duplicate


def test_a_pre_opening_straggler_after_the_draw_goes_to_the_back():
    world = World()
    world.clock.current = OPENS - timedelta(seconds=1)
    straggler = world.join("browser-0001")
    held_up = world.queue.drain()  # still in the queue when the draw happens
    world.clock.current = OPENS + timedelta(seconds=2)
    on_time = world.join("browser-0002")
    world.consume()
    opened_and_drawn(world)
    world.queue.sent = held_up
    world.consume()
    assert world.position(on_time).position == 1
    assert world.position(straggler).position == 2


def test_the_draw_happens_once():
    world = World()
    world.join("browser-0001")
    world.consume()
    world.clock.current = OPENS + timedelta(seconds=1)
    assert world.service.draw(world.room.id) is None  # not settled yet
    world.clock.current = OPENS + timedelta(seconds=10)
    first = world.service.draw(world.room.id)
    assert first is not None and first.pre_count == 1
    assert world.service.draw(world.room.id) is None
    assert world.service.draw_due_rooms() == []


def test_the_scheduled_draw_waits_for_the_queue_to_bring_the_early_ones():
    world = World()
    world.join("browser-0001")
    world.consume()
    world.join("browser-0002")  # arrived before the opening, still in the queue
    world.clock.current = OPENS + timedelta(seconds=30)
    assert world.service.draw_due_rooms() == []  # the queue is not empty
    world.consume()
    (draw,) = world.service.draw_due_rooms()
    assert draw.pre_count == 2  # both early arrivals are in the draw


def test_a_lagging_queue_holds_the_draw_up_to_its_deadline():
    world = World()
    world.join("browser-0001")
    world.consume()
    world.join("browser-0002")  # stuck in the queue
    world.clock.current = OPENS + DRAW_DEADLINE - timedelta(seconds=1)
    assert world.service.draw_due_rooms() == []
    world.clock.current = OPENS + DRAW_DEADLINE
    (draw,) = world.service.draw_due_rooms()
    assert draw.pre_count == 1  # the straggler goes to the back when it lands


def test_admission_once_per_place_and_the_same_token_again():
    world = World()
    ticket = world.join("browser-0001", "an@example.be")
    world.consume()
    opened_and_drawn(world)
    with_position = world.position(ticket)
    assert with_position.state is PlaceState.WAITING and with_position.position == 1
    not_yet = problem(world.service.admit, world.room.id, ticket, "client:browser-0001")
    assert (not_yet.status, not_yet.code) == (409, "not_admitted_yet")
    world.clock.advance(seconds=1)
    assert world.position(ticket).state is PlaceState.ADMITTED
    token, admission = world.service.admit(world.room.id, ticket, "client:browser-0001")
    assert admission.expires_at == admission.issued_at + timedelta(minutes=15)
    world.clock.advance(minutes=5)
    again, _ = world.service.admit(world.room.id, ticket, "client:browser-0001")
    assert again == token  # the session is not renewed by asking again
    other = problem(world.service.admit, world.room.id, ticket, "client:browser-0002")
    assert (other.status, other.code) == (409, "admission_other_client")
    read = SIGNER.read_admission(token, world.clock.now())
    assert read.email == SIGNER.email_digest("an@example.be")


def test_an_unclaimed_admission_lapses():
    world = World()
    ticket = world.join("browser-0001")
    world.consume()
    opened_and_drawn(world)
    world.clock.advance(seconds=1, minutes=10)
    assert world.position(ticket).state is PlaceState.EXPIRED
    lapsed = problem(world.service.admit, world.room.id, ticket, "client:browser-0001")
    assert (lapsed.status, lapsed.code) == (422, "admission_lapsed")


def test_unknown_tickets_and_rooms_are_404():
    world = World()
    assert problem(world.service.position, world.room.id, "made-up.ticket").status == 404
    other_room = SIGNER.new_ticket("another-room")
    assert problem(world.service.position, world.room.id, other_room).status == 404
    assert problem(world.service.position, "no-such-room", other_room).status == 404
    assert problem(world.service.join, "no-such-room", "client:x", JoinCommand()).status == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": "not-an-address"}, "email"), ({"name": "An"}, "name"), ([], "body")],
)
def test_a_bad_join_is_a_400_naming_the_field(body, field):
    world = World()
    # As the route reads it: the body into a command (400), before the service sees it.
    bad = problem(
        lambda: world.service.join(world.room.id, "client:browser-0001", parse(JoinCommand, body))
    )
    assert bad.status == 400 and [e.field for e in bad.errors] == [field]
    assert world.queue.sent == []


def test_no_join_after_the_room_closed():
    world = World()
    world.clock.current = world.room.closes_at
    closed = problem(world.service.join, world.room.id, "client:browser-0001", JoinCommand())
    assert (closed.status, closed.code) == (422, "waiting_room_closed")


def test_configure_checks_the_performances_belong_to_the_house():
    world = World()
    room = replace(world.room, id="mixed", performances=("p-1", "elsewhere-1", "nope"))
    bad = problem(world.service.configure, room)
    assert bad.status == 400
    assert [e.field for e in bad.errors] == ["performances[1]", "performances[2]"]
    assert bad.errors[0].detail == bad.errors[1].detail.replace("'nope'", "'elsewhere-1'")
    assert "mixed" not in world.store.rooms
    rate = problem(world.service.configure, replace(world.room, admit_per_minute=0))
    assert [e.field for e in rate.errors] == ["admit_per_minute"]


def test_reconfiguring_keeps_the_draw():
    world = World()
    opened_and_drawn(world)
    drawn_at = world.store.rooms[world.room.id].drawn_at
    world.service.configure(replace(world.room, admit_per_minute=90))
    assert world.store.rooms[world.room.id].drawn_at == drawn_at
