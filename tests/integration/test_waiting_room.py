"""The waiting room's store and consumer on AWS's DynamoDB Local: idempotent placing, partial
batch failures, one draw under concurrent drawers."""

from __future__ import annotations

import json
import random
import threading
import uuid
from datetime import timedelta

import pytest
from pynamodb.exceptions import UpdateError

from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock
from chalicelib.onsale import consumer
from chalicelib.onsale.model import PlaceState, WaitingRoom
from chalicelib.onsale.schemas import JoinCommand, arrival_message
from chalicelib.onsale.service import WaitingRoomService
from chalicelib.onsale.store import DynamoRoomStore, RecentRooms
from tests import factories as f
from tests.inventory_fixtures import SIGNER, new_performance
from tests.onsale_fakes import FakeQueue, FixedSoldOut

pytestmark = pytest.mark.usefixtures("dynamodb")

OPENS = f.T0 + timedelta(hours=1)


@pytest.fixture
def world(clock: FixedClock) -> tuple[WaitingRoomService, WaitingRoom, FakeQueue]:
    queue = FakeQueue()
    store = DynamoRoomStore()
    service = WaitingRoomService(
        store,
        RecentRooms(store, clock, seconds=0),
        queue,
        DynamoCatalogueStore(),
        FixedSoldOut(),
        SIGNER,
        clock,
        random.Random(7),
    )
    room = service.configure(
        WaitingRoom(
            id=f"room-{uuid.uuid4().hex[:12]}",
            house="ntgent",
            performances=(new_performance(),),
            opens_at=OPENS,
            closes_at=OPENS + timedelta(hours=3),
            admit_per_minute=60,
        )
    )
    return service, room, queue


def sqs_event(bodies: list[str]) -> dict:
    return {
        "Records": [
            {
                "messageId": f"m-{index}",
                "receiptHandle": f"r-{index}",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:000000000000:podium-waiting-room",
                "awsRegion": "eu-west-1",
            }
            for index, body in enumerate(bodies)
        ]
    }


def joined(service: WaitingRoomService, room: WaitingRoom, queue: FakeQueue, n: int) -> list[str]:
    for index in range(n):
        service.join(room.id, f"client:browser-{index:04d}", JoinCommand())
    return [json.dumps(arrival_message(a)) for a in queue.drain()]


def test_a_duplicate_delivery_creates_one_place(world, clock):
    service, room, queue = world
    clock.current = OPENS + timedelta(seconds=1)
    bodies = joined(service, room, queue, 3)
    first = consumer.handle(sqs_event([*bodies, bodies[0]]), service=service)
    again = consumer.handle(sqs_event(bodies), service=service)  # the whole batch redelivered
    assert first == again == {"batchItemFailures": []}
    clock.current = OPENS + timedelta(seconds=10)
    assert service.draw(room.id) is not None
    tickets = [json.loads(b)["ticket"] for b in bodies]
    positions = [service.position(room.id, t).position.position for t in tickets]
    assert positions == [1, 2, 3]
    assert DynamoRoomStore().next_numbers(room, 1) == 4  # duplicates took no numbers


def test_a_poisoned_message_fails_alone(world, clock):
    service, room, queue = world
    clock.current = OPENS + timedelta(seconds=1)
    bodies = joined(service, room, queue, 2)
    unknown_room = json.dumps({**json.loads(bodies[0]), "room": "no-such-room", "ticket": "x.y"})
    event = sqs_event([bodies[0], "{not json", unknown_room, bodies[1]])
    response = consumer.handle(event, service=service)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-1"}, {"itemIdentifier": "m-2"}]}
    for body in bodies:
        place = service.position(room.id, json.loads(body)["ticket"]).position
        assert place.state is PlaceState.WAITING  # placed, waiting for the draw


def test_pre_opening_arrivals_are_drawn_ahead_of_later_ones(world, clock):
    service, room, queue = world
    early = joined(service, room, queue, 12)
    consumer.handle(sqs_event(early[:10]), service=service)
    consumer.handle(sqs_event(early[10:]), service=service)
    clock.current = OPENS + timedelta(seconds=1)
    late = joined(service, room, queue, 3)
    clock.current = OPENS + timedelta(seconds=6)
    # Arrivals from just after the opening do not show the queue is past it: earlier ones
    # may still be on their way.
    consumer.handle(sqs_event(late), service=service)
    assert DynamoRoomStore().get_room(room.id).drawn_at is None  # type: ignore[union-attr]
    # The first batch with an arrival from after the settle time triggers the draw itself.
    later = joined(service, room, queue, 1)
    consumer.handle(sqs_event(later), service=service)
    drawn = DynamoRoomStore().get_room(room.id)
    assert drawn is not None and drawn.pre_count == 12 and drawn.drawn_at == clock.now()

    def position(body: str) -> int:
        return service.position(room.id, json.loads(body)["ticket"]).position.position

    assert sorted(position(b) for b in early) == list(range(1, 13))
    assert [position(b) for b in late + later] == [13, 14, 15, 16]


def test_the_draw_runs_once_under_two_concurrent_drawers(world, clock):
    service, room, queue = world
    for _ in range(4):
        bodies = joined(service, room, queue, 10)
        consumer.handle(sqs_event(bodies), service=service)
    clock.current = OPENS + timedelta(seconds=10)
    barrier = threading.Barrier(2)
    results = []

    def draw() -> None:
        barrier.wait()
        results.append(service.draw(room.id))

    threads = [threading.Thread(target=draw) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = [r for r in results if r is not None]
    assert len(done) == 1 and done[0].pre_count == 40
    store = DynamoRoomStore()
    places = store.close_and_read_pre_places(room)
    assert sorted(p.position for p in places) == list(range(1, 41))
    assert service.draw(room.id) is None


def test_a_drawer_that_died_is_taken_over_after_its_lease(world, clock):
    service, room, queue = world
    consumer.handle(sqs_event(joined(service, room, queue, 3)), service=service)
    clock.current = OPENS + timedelta(seconds=10)
    store = DynamoRoomStore()
    assert store.begin_draw(room, clock.now())  # took the lease, then "died"
    assert service.draw(room.id) is None
    clock.advance(minutes=3)
    assert service.draw(room.id).pre_count == 3


def test_a_room_of_another_house_is_not_overwritten(world):
    _, room, _ = world

    with pytest.raises(UpdateError):
        DynamoRoomStore().save_room(
            WaitingRoom(
                id=room.id,
                house="campo",
                performances=room.performances,
                opens_at=room.opens_at,
                closes_at=room.closes_at,
                admit_per_minute=1,
            )
        )
    assert DynamoRoomStore().get_room(room.id).house == "ntgent"
