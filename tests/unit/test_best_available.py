import random
from collections import defaultdict
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.inventory.best import best_available
from chalicelib.inventory.seatmap import Seat, SeatAttribute, SeatMap, Section

RANKS = {"premium": 1, "standard": 2}
NOT_AUTOMATIC = {SeatAttribute.WHEELCHAIR, SeatAttribute.COMPANION}


def block(
    rows: str,
    numbers: Iterable[int] | int,
    *,
    section: str = "parterre",
    zone: str = "premium",
    y0: float = 0.0,
    attributes: dict[str, frozenset[SeatAttribute]] | None = None,
) -> list[Seat]:
    """A rectangle of seats, ids like "parterre-b-7"; each row 10 units behind the one before.

    `numbers` is a seat count (1..n) or the printed numbers, so a missing number makes an aisle.
    """
    printed = list(range(1, numbers + 1)) if isinstance(numbers, int) else list(numbers)
    seats = []
    for r, row in enumerate(rows):
        for number in printed:
            seat_id = f"{section}-{row.lower()}-{number}"
            seats.append(
                Seat(
                    id=seat_id,
                    section=section,
                    row=row,
                    number=number,
                    x=10.0 * number,
                    y=y0 + 10.0 * r,
                    zone=zone,
                    attributes=(attributes or {}).get(seat_id, frozenset()),
                )
            )
    return seats


def seat_map(*groups: list[Seat]) -> SeatMap:
    seats = tuple(seat for group in groups for seat in group)
    sections = tuple(Section(id=s, name={"nl": s}) for s in sorted({x.section for x in seats}))
    return SeatMap(id="map-1", hall="hall-1", sections=sections, seats=seats)


def ids(row: str, numbers: Iterable[int], section: str = "parterre") -> list[str]:
    return [f"{section}-{row.lower()}-{n}" for n in numbers]


def test_contiguous_block_in_the_best_row_centre():
    hall = seat_map(block("ABC", 10))
    assert best_available(hall, set(), 4, RANKS) == ids("A", range(4, 8))
    assert best_available(hall, set(), 1, RANKS) == ids("A", [5])  # tie at 5/6: lowest id


def test_taken_seats_are_skipped():
    hall = seat_map(block("AB", 11))
    taken = set(ids("A", [6, 7]))
    # A4-5 leaves A1-3 together and is nearer the centre than A8-9.
    assert best_available(hall, taken, 2, RANKS) == ids("A", [4, 5])
    full_a = set(ids("A", range(1, 12)))
    assert best_available(hall, full_a, 3, RANKS) == ids("B", [5, 6, 7])


def test_zone_given_versus_best_zone():
    hall = seat_map(block("AB", 8), block("CD", 8, zone="standard", y0=20))
    assert best_available(hall, set(), 2, RANKS) == ids("A", [4, 5])
    assert best_available(hall, set(), 2, RANKS, zone="standard") == ids("C", [4, 5])
    assert best_available(hall, set(), 2, RANKS, zone="premium") == ids("A", [4, 5])


def test_falls_back_to_the_next_zone_when_the_best_cannot_seat_everyone():
    hall = seat_map(block("A", 6), block("B", 6, zone="standard", y0=10))
    taken = set(ids("A", [1, 2, 4]))  # three premium seats left, not together
    # B2-5 would strand B1 and B6; B1-4 and B3-6 tie, the lower ids win.
    assert best_available(hall, taken, 4, RANKS) == ids("B", [1, 2, 3, 4])
    # Enough premium seats, even apart: the better zone wins over sitting together.
    assert sorted(best_available(hall, taken, 3, RANKS) or []) == ids("A", [3, 5, 6])
    # The zone the customer asked for has no room: no silent switch to another zone.
    assert best_available(hall, taken, 4, RANKS, zone="premium") is None


def test_no_orphan_when_an_alternative_exists():
    # Row A has five free seats: any four leave one seat alone. Row B has exactly four.
    hall = seat_map(block("A", 5), block("B", 8, y0=10))
    taken = set(ids("B", [5, 6, 7, 8]))
    assert best_available(hall, taken, 4, RANKS) == ids("B", [1, 2, 3, 4])
    # Without an alternative the orphan is accepted rather than refusing the sale.
    only_a = seat_map(block("A", 5))
    assert best_available(only_a, set(), 4, RANKS) == ids("A", [1, 2, 3, 4])


def test_orphan_counts_the_row_end_and_a_gap_between_taken_seats():
    hall = seat_map(block("A", 7), block("B", 7, y0=10))
    taken = set(ids("A", [1, 6, 7]))  # A2-5 free
    # A2-4 would strand A5 before the taken A6; A3-5 would strand A2; B is clean.
    assert best_available(hall, taken, 3, RANKS) == ids("B", [3, 4, 5])


def test_split_when_no_row_has_room_prefers_neighbouring_rows():
    hall = seat_map(block("ABCDE", 6))
    free = {"A": [1, 2], "D": [1, 2], "E": [1, 2]}
    taken = {s.id for s in hall.seats if s.number not in free.get(s.row, [])}
    result = best_available(hall, taken, 4, RANKS)
    # A is nearest the stage, but D and E sit one behind the other.
    assert result == ids("D", [1, 2]) + ids("E", [1, 2])


def test_split_accepts_an_orphan_it_cannot_avoid():
    hall = seat_map(block("ABC", 7))
    taken = set(ids("A", [4])) | set(ids("B", [1, 2, 4, 5, 6, 7])) | set(ids("C", range(1, 8)))
    # Free: A1-3, A5-7, B3. Five people fit in two blocks only by splitting one run of A,
    # which strands a seat whichever way; so accept it and keep the party close together.
    assert best_available(hall, taken, 5, RANKS) == ids("A", [1, 2, 3, 5, 6])


def test_split_avoids_orphan_by_using_another_row():
    hall = seat_map(block("AB", 6))
    # A: 1-2 free, 3 taken, 4-6 free. B: 1-2 free. Four people, no run of four.
    taken = set(ids("A", [3])) | set(ids("B", [3, 4, 5, 6]))
    result = best_available(hall, taken, 4, RANKS)
    # A1-2 + A4-5 (or A5-6) strands a seat; A4-6 + one of B1-2 strands the other;
    # A1-2 + B1-2 leaves everything sellable.
    assert result == ids("A", [1, 2]) + ids("B", [1, 2])


def test_aisle_gaps_break_adjacency():
    # Row A has an aisle where number 4 would be; row B is a continuous row further back.
    hall = seat_map(block("A", [1, 2, 3, 5, 6, 7]), block("B", 8, y0=10))
    assert best_available(hall, set(), 4, RANKS) == ids("B", [3, 4, 5, 6])
    only_a = seat_map(block("A", [1, 2, 3, 5, 6, 7]))
    result = best_available(only_a, set(), 4, RANKS)
    assert result is not None and len(_groups(only_a, result)) == 2


def test_wheelchair_and_companion_seats_are_never_chosen():
    special = {
        "parterre-a-3": frozenset({SeatAttribute.WHEELCHAIR}),
        "parterre-a-4": frozenset({SeatAttribute.COMPANION}),
    }
    hall = seat_map(block("AB", 6, attributes=special))
    assert best_available(hall, set(), 2, RANKS) == ids("A", [1, 2])  # ties A5-6: lower ids
    assert best_available(hall, set(), 4, RANKS) == ids("B", [1, 2, 3, 4])
    only_special = set(ids("A", [1, 2, 5, 6])) | set(ids("B", range(1, 7)))
    assert best_available(hall, only_special, 1, RANKS) is None


def test_none_when_impossible():
    hall = seat_map(block("A", 4))
    assert best_available(hall, set(), 0, RANKS) is None
    assert best_available(hall, set(), -1, RANKS) is None
    assert best_available(hall, set(), 5, RANKS) is None
    assert best_available(hall, set(ids("A", [1])), 4, RANKS) is None
    assert best_available(hall, set(), 1, RANKS, zone="standard") is None
    assert best_available(hall, set(), 1, {}) is None  # no ranked zone to offer


def test_deterministic_whatever_the_seat_order():
    seats = block("ABCD", 9) + block("EF", 9, zone="standard", y0=40)
    taken = set(ids("A", [2, 5, 8])) | set(ids("B", [4, 5])) | set(ids("C", [1, 9]))
    expected = best_available(seat_map(seats), taken, 3, RANKS)
    shuffled = list(seats)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert best_available(seat_map(shuffled), frozenset(taken), 3, RANKS) == expected


def test_large_map_returns_a_result():
    rng = random.Random(2026)
    seats = []
    for s, section in enumerate(("parterre", "balkon")):
        rows = "ABCDEFGHIJKLMNOPQRST"
        seats += block(rows, 25, section=section, zone="premium", y0=400.0 * s)
        seats += [
            Seat(
                id=f"{section}-{row.lower()}-{n}",
                section=section,
                row=row,
                number=n,
                x=10.0 * n,
                y=400.0 * s + 10.0 * r,
                zone="standard",
            )
            for r, row in enumerate(rows)
            for n in range(26, 51)
        ]
    hall = seat_map(seats)
    assert len(hall.seats) == 2000
    for share_taken in (0.1, 0.6, 0.9):
        taken = {seat.id for seat in hall.seats if rng.random() < share_taken}
        for quantity in (1, 4, 10):
            assert best_available(hall, taken, quantity, RANKS) is not None


# --- properties -----------------------------------------------------------------------------


@st.composite
def halls(draw: st.DrawFn) -> tuple[SeatMap, frozenset[str]]:
    seats = []
    for r in range(draw(st.integers(1, 5))):
        section = draw(st.sampled_from(["parterre", "balkon"]))
        row = f"r{r}"
        number = 0
        for _ in range(draw(st.integers(1, 12))):
            number += draw(st.sampled_from([1, 1, 1, 1, 2]))  # sometimes an aisle
            attribute = draw(st.sampled_from([None, None, None, None, *SeatAttribute]))
            seats.append(
                Seat(
                    id=f"{section}-{row}-{number}",
                    section=section,
                    row=row,
                    number=number,
                    x=10.0 * number,
                    y=10.0 * r,
                    zone=draw(st.sampled_from(["premium", "standard"])),
                    attributes=frozenset({attribute}) if attribute else frozenset(),
                )
            )
    taken = draw(st.sets(st.sampled_from([seat.id for seat in seats])))
    return seat_map(seats), frozenset(taken)


def _usable(seat: Seat, taken: frozenset[str]) -> bool:
    return seat.id not in taken and not (seat.attributes & NOT_AUTOMATIC)


def _rows(hall: SeatMap) -> list[list[Seat]]:
    by_row: dict[tuple[str, str], list[Seat]] = defaultdict(list)
    for seat in hall.seats:
        by_row[(seat.section, seat.row)].append(seat)
    return [sorted(row, key=lambda seat: seat.number) for row in by_row.values()]


def _zone_runs(hall: SeatMap, taken: frozenset[str], zone: str) -> list[int]:
    lengths = []
    for row in _rows(hall):
        run, previous = 0, None
        for seat in row:
            ok = _usable(seat, taken) and seat.zone == zone
            linked = previous is not None and seat.number == previous + 1
            if run and not (ok and linked):
                lengths.append(run)
                run = 0
            if ok:
                run += 1
            previous = seat.number
        if run:
            lengths.append(run)
    return lengths


def _groups(hall: SeatMap, chosen: Iterable[str]) -> list[list[int]]:
    """The chosen seats as maximal runs of neighbouring seats."""
    by_row: dict[tuple[str, str], list[int]] = defaultdict(list)
    for seat_id in chosen:
        seat = hall.seat(seat_id)
        assert seat is not None
        by_row[(seat.section, seat.row)].append(seat.number)
    groups: list[list[int]] = []
    for numbers in by_row.values():
        numbers.sort()
        groups.append([numbers[0]])
        for number in numbers[1:]:
            if number == groups[-1][-1] + 1:
                groups[-1].append(number)
            else:
                groups.append([number])
    return groups


def _new_orphans(hall: SeatMap, taken: frozenset[str], chosen: set[str]) -> int:
    count = 0
    for row in _rows(hall):
        for i, seat in enumerate(row):
            if seat.id in chosen or not _usable(seat, taken):
                continue
            neighbours = [
                other
                for other in row[max(i - 1, 0) : i + 2]
                if abs(other.number - seat.number) == 1 and _usable(other, taken)
            ]
            if neighbours and all(other.id in chosen for other in neighbours):
                count += 1
    return count


def _orphan_free_window_exists(
    hall: SeatMap, taken: frozenset[str], zone: str, quantity: int
) -> bool:
    for row in _rows(hall):
        for i in range(len(row) - quantity + 1):
            window = row[i : i + quantity]
            if (
                all(_usable(seat, taken) and seat.zone == zone for seat in window)
                and window[-1].number - window[0].number == quantity - 1
                and not _new_orphans(hall, taken, {seat.id for seat in window})
            ):
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    halls(),
    st.integers(1, 8),
    st.sampled_from([None, "premium", "standard"]),
    st.sampled_from([RANKS, {"premium": 2, "standard": 1}]),
)
def test_properties(
    hall_and_taken: tuple[SeatMap, frozenset[str]],
    quantity: int,
    zone: str | None,
    ranks: dict[str, int],
):
    hall, taken = hall_and_taken
    result = best_available(hall, taken, quantity, ranks, zone=zone)

    order = [zone] if zone else sorted(ranks, key=ranks.__getitem__)
    served = next((z for z in order if sum(_zone_runs(hall, taken, z)) >= quantity), None)
    if served is None:
        assert result is None
        return
    assert result is not None
    assert len(result) == quantity == len(set(result))
    seats = [hall.seat(seat_id) for seat_id in result]
    assert all(seat is not None and _usable(seat, taken) for seat in seats)
    assert all(seat is not None and seat.zone == served for seat in seats)

    runs = sorted(_zone_runs(hall, taken, served), reverse=True)
    fewest = next(k for k in range(1, len(runs) + 1) if sum(runs[:k]) >= quantity)
    groups = _groups(hall, result)
    if runs[0] >= quantity:  # some row has room: the party sits together
        assert len(groups) == 1
    assert len(groups) == fewest
    if _orphan_free_window_exists(hall, taken, served, quantity):
        assert _new_orphans(hall, taken, set(result)) == 0
    assert best_available(hall, taken, quantity, ranks, zone=zone) == result
