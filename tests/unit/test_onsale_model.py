"""The waiting room's rules with exact numbers: the admission clock, positions, the draw."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.onsale.model import (
    DRAW_DEADLINE,
    DRAW_SETTLE,
    Phase,
    Place,
    PlaceState,
    WaitingRoom,
    admit_at,
    admitted_upto,
    lapses_at,
    position_at,
    rank,
)
from tests.factories import T0

US = timedelta(microseconds=1)


def room(**changes: object) -> WaitingRoom:
    base = WaitingRoom(
        id="lier-seizoen",
        house="ntgent",
        performances=("p-1",),
        opens_at=T0,
        closes_at=T0 + timedelta(hours=6),
        admit_per_minute=120,
    )
    return replace(base, **changes)


def place(ticket: str = "t", phase: Phase = Phase.POST, **changes: object) -> Place:
    base = Place(
        room="lier-seizoen",
        house="ntgent",
        ticket=ticket,
        client="c",
        email=None,
        arrived_at=T0,
        phase=phase,
    )
    return replace(base, **changes)


def test_nothing_is_admitted_before_the_draw():
    undrawn = room()
    assert admitted_upto(undrawn, T0 + timedelta(hours=1)) == 0
    drawn = room(drawn_at=T0)
    assert admitted_upto(drawn, T0) == 0
    assert admitted_upto(drawn, T0 - timedelta(seconds=5)) == 0


def test_admitted_upto_is_seconds_since_the_draw_times_the_rate():
    drawn = room(drawn_at=T0, admit_per_minute=120)  # two a second
    assert admitted_upto(drawn, T0 + timedelta(seconds=0.5)) == 1
    assert admitted_upto(drawn, T0 + timedelta(seconds=0.5) - US) == 0
    assert admitted_upto(drawn, T0 + timedelta(seconds=30)) == 60
    assert admitted_upto(drawn, T0 + timedelta(minutes=10)) == 1200


def test_admit_at_and_lapse_with_a_rate_that_does_not_divide_a_minute():
    drawn = room(drawn_at=T0, admit_per_minute=7, claim_minutes=10)
    # 3 x 60 / 7 = 25.7142857... s, rounded up to the microsecond
    assert admit_at(drawn, 3) == T0 + timedelta(microseconds=25_714_286)
    assert admit_at(drawn, 7) == T0 + timedelta(seconds=60)
    assert lapses_at(drawn, 7) == T0 + timedelta(minutes=11)
    for position in range(1, 200):
        at = admit_at(drawn, position)
        assert admitted_upto(drawn, at) == position  # the two rules agree at every boundary
        assert admitted_upto(drawn, at - US) == position - 1


def test_position_waiting_admitted_then_expired():
    drawn = room(drawn_at=T0, admit_per_minute=60, claim_minutes=10, pre_count=100)
    waiting = place(seq=20)  # position 120: admitted at T0 + 120 s
    at_start = position_at(drawn, waiting, T0 + timedelta(seconds=30))
    assert at_start.state is PlaceState.WAITING
    assert at_start.position == 120
    assert at_start.ahead == 89  # 30 already admitted, 89 between them and us
    assert at_start.estimated_wait_seconds == 90
    assert at_start.admit_at == T0 + timedelta(seconds=120)
    assert at_start.poll_after_seconds == 30  # far away: rarely
    near = position_at(drawn, waiting, T0 + timedelta(seconds=110))
    assert near.poll_after_seconds == 5  # half the remaining 10 s
    due = position_at(drawn, waiting, T0 + timedelta(seconds=119))
    assert due.poll_after_seconds == 1  # never past the turn
    admitted = position_at(drawn, waiting, T0 + timedelta(seconds=120))
    assert (admitted.state, admitted.ahead, admitted.estimated_wait_seconds) == (
        PlaceState.ADMITTED,
        0,
        0,
    )
    assert admitted.poll_after_seconds is None  # nothing left to poll for
    last = position_at(drawn, waiting, T0 + timedelta(seconds=120, minutes=10) - US)
    assert last.state is PlaceState.ADMITTED
    lapsed = position_at(drawn, waiting, T0 + timedelta(seconds=120, minutes=10))
    assert lapsed.state is PlaceState.EXPIRED


def test_an_abandoned_place_does_not_hold_up_the_next():
    drawn = room(drawn_at=T0, admit_per_minute=60, claim_minutes=1)
    first, second = place("a", seq=1), place("b", seq=2)
    at = T0 + timedelta(minutes=5)
    # Nobody claimed position 1; position 2 was admitted on time all the same.
    assert position_at(drawn, first, at).state is PlaceState.EXPIRED
    assert position_at(drawn, second, T0 + timedelta(seconds=2)).state is PlaceState.ADMITTED


def test_positions_before_the_draw_are_unknown():
    undrawn = room()
    early = place(phase=Phase.PRE, key=5)
    a_minute_before = position_at(undrawn, early, T0 - timedelta(minutes=1))
    assert a_minute_before.state is PlaceState.BEFORE_OPENING
    assert a_minute_before.poll_after_seconds == 30
    just_before = position_at(undrawn, early, T0 - timedelta(seconds=1))
    assert just_before.poll_after_seconds == 6  # the draw comes 5 s after the opening
    after = position_at(undrawn, place(seq=3), T0 + timedelta(seconds=2))
    assert (after.state, after.position) == (PlaceState.WAITING, None)
    assert position_at(undrawn, None, T0).state is PlaceState.QUEUED


def test_the_longer_an_arrival_is_queued_the_less_often_it_asks():
    undrawn = room()
    assert position_at(undrawn, None, T0, joined_at=T0).poll_after_seconds == 2
    assert position_at(undrawn, None, T0, T0 - timedelta(seconds=20)).poll_after_seconds == 10
    assert position_at(undrawn, None, T0, T0 - timedelta(minutes=5)).poll_after_seconds == 30


def test_a_post_place_comes_after_every_pre_place():
    drawn = room(drawn_at=T0, pre_count=500)
    assert place(seq=1).position_in(drawn) == 501
    assert place(phase=Phase.PRE, key=1, position=500).position_in(drawn) == 500


def test_the_draw_ranks_by_random_key_and_two_drawers_agree():
    rng = random.Random(1)
    pre = [place(f"t{n}", Phase.PRE, key=rng.getrandbits(64)) for n in range(50)]
    ranked = rank(pre)
    assert [position for _, position in ranked] == list(range(1, 51))
    keys = [p.key for p, _ in ranked]
    assert keys == sorted(keys)
    assert rank(reversed(pre)) == ranked  # the order of reading does not matter


def test_phase_depends_on_the_opening_and_the_draw():
    undrawn = room()
    assert undrawn.phase_of(T0 - US) is Phase.PRE
    assert undrawn.phase_of(T0) is Phase.POST
    assert room(drawn_at=T0).phase_of(T0 - timedelta(minutes=5)) is Phase.POST  # a straggler


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"admit_per_minute": 0}, "admit_per_minute"),
        ({"admit_per_minute": -3}, "admit_per_minute"),
        ({"closes_at": T0}, "closes_at"),
        ({"performances": ()}, "performances"),
        ({"performances": ("p-1", "p-1")}, "performances"),
        ({"id": "Not An Id"}, "id"),
        ({"session_minutes": 0}, "session_minutes"),
        ({"max_seats_per_identity": True}, "max_seats_per_identity"),
    ],
)
def test_a_bad_configuration_names_its_field(changes, field):
    assert [e.field for e in room(**changes).problems()] == [field]
    assert room().problems() == []


def test_the_gate_opens_a_margin_before_the_opening_and_ends_at_closing():
    r = room()
    assert not r.gates_at(T0 - timedelta(minutes=15) - US)
    assert r.gates_at(T0 - timedelta(minutes=15))
    assert r.gates_at(r.closes_at - US)
    assert not r.gates_at(r.closes_at)


def test_the_draw_waits_for_the_queue_to_be_past_the_opening_or_for_its_deadline():
    undrawn = room()
    settled = T0 + DRAW_SETTLE
    assert not undrawn.draw_due(settled - US, queue_past_opening=True)
    assert undrawn.draw_due(settled, queue_past_opening=True)
    assert not undrawn.draw_due(T0 + DRAW_DEADLINE - US, queue_past_opening=False)
    assert undrawn.draw_due(T0 + DRAW_DEADLINE, queue_past_opening=False)
    assert not room(drawn_at=settled).draw_due(T0 + DRAW_DEADLINE, queue_past_opening=True)
    assert not undrawn.past_opening(settled - US) and undrawn.past_opening(settled)
