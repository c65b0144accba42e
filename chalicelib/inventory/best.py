"""Best-available seating: the seats a box-office clerk would pick for a party of `quantity`.

Pure domain: no AWS, no HTTP. The caller decides what is unavailable (held, sold, blocked) and
validates order limits; this module only chooses.

What the clerk expects, in order:
1. the best price zone that still has enough free seats (or the zone the customer asked for);
2. the whole party next to each other in one row, chosen by: leaving no new single seat that
   nobody will buy, then the row nearest the stage, then the middle of the row;
3. if no row has room, as few blocks as possible, in the same or nearest rows, still avoiding
   new single seats.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

from chalicelib.inventory.seatmap import Seat, SeatAttribute, SeatMap

# Sold deliberately to the people who need them; a best-available pick must never use them.
_NEVER_AUTOMATIC = frozenset({SeatAttribute.WHEELCHAIR, SeatAttribute.COMPANION})


def offered_automatically(seat: Seat) -> bool:
    """Whether best available may offer this seat to anyone."""
    return not (seat.attributes & _NEVER_AUTOMATIC)


# Coordinates are drawing floats: rounding keeps float noise from deciding over the id tie-break.
_DIGITS = 6


@dataclass(frozen=True)
class _Row:
    seats: tuple[Seat, ...]  # sorted by number
    free: tuple[bool, ...]  # free for best-available, whatever the zone: orphans are physical
    linked: tuple[bool, ...]  # linked[i]: seats i and i+1 are neighbours (no gap in numbering)
    x_prefix: tuple[float, ...]  # running sums of x, for a block's mean x in O(1)
    y: float  # the row's mean y: smaller is closer to the stage
    centre_x: float  # the row's mean x, over all its seats (free or not)

    def mean_x(self, start: int, end: int) -> float:
        return (self.x_prefix[end + 1] - self.x_prefix[start]) / (end - start + 1)

    def free_neighbour(self, i: int, j: int) -> bool:
        """Whether position j exists, is next to i and is free."""
        return 0 <= j < len(self.seats) and self.linked[min(i, j)] and self.free[j]


# A block of neighbouring seats: (row index, first position, last position), positions inclusive.
_Block = tuple[int, int, int]


def best_available(
    seat_map: SeatMap,
    unavailable: set[str] | frozenset[str],
    quantity: int,
    zone_ranks: dict[str, int],
    zone: str | None = None,
) -> list[str] | None:
    """The seat ids to offer for `quantity` people, or None when it cannot be done.

    With `zone` None the zones of `zone_ranks` are tried best rank first and the first one with
    enough free seats is used, even if it must split the party: a better zone beats sitting
    together in a worse one. Zones without a rank are not offered automatically.
    """
    if quantity < 1:
        return None
    rows = _rows(seat_map, unavailable)
    if zone is not None:
        candidates = [zone]
    else:
        candidates = sorted(zone_ranks, key=lambda zone_id: (zone_ranks[zone_id], zone_id))
    for zone_id in candidates:
        runs = _runs(rows, zone_id)
        if sum(end - start + 1 for _, start, end in runs) < quantity:
            continue
        blocks = _best_block(rows, runs, quantity) or _best_split(rows, runs, quantity)
        return [
            rows[r].seats[i].id for r, start, end in sorted(blocks) for i in range(start, end + 1)
        ]
    return None


def _rows(seat_map: SeatMap, unavailable: set[str] | frozenset[str]) -> list[_Row]:
    by_row: dict[tuple[str, str], list[Seat]] = defaultdict(list)
    for seat in seat_map.seats:
        by_row[(seat.section, seat.row)].append(seat)
    rows = []
    for key in sorted(by_row):
        seats = tuple(sorted(by_row[key], key=lambda seat: (seat.number, seat.id)))
        x_prefix = [0.0]
        for seat in seats:
            x_prefix.append(x_prefix[-1] + seat.x)
        rows.append(
            _Row(
                seats=seats,
                free=tuple(
                    seat.id not in unavailable and offered_automatically(seat) for seat in seats
                ),
                linked=tuple(b.number - a.number == 1 for a, b in pairwise(seats)),
                x_prefix=tuple(x_prefix),
                y=round(sum(seat.y for seat in seats) / len(seats), _DIGITS),
                centre_x=round(x_prefix[-1] / len(seats), _DIGITS),
            )
        )
    # Row indices double as a deterministic tie-break, so order them stage first.
    rows.sort(key=lambda row: (row.y, row.seats[0].section, row.seats[0].row))
    return rows


def _runs(rows: Sequence[_Row], zone: str) -> list[_Block]:
    """Maximal blocks of free neighbouring seats in `zone`."""
    runs = []
    for r, row in enumerate(rows):
        start = None
        for i, seat in enumerate(row.seats):
            usable = row.free[i] and seat.zone == zone
            if start is not None and not (usable and row.linked[i - 1]):
                runs.append((r, start, i - 1))
                start = None
            if usable and start is None:
                start = i
        if start is not None:
            runs.append((r, start, len(row.seats) - 1))
    return runs


_Taken = set[tuple[int, int]] | frozenset[tuple[int, int]]  # (row, position) already picked
_NOTHING_TAKEN: _Taken = frozenset()


def _stranded_by(rows: Sequence[_Row], block: _Block, taken: _Taken) -> set[tuple[int, int]]:
    """Free seats next to `block` that would be left with no free neighbour in their row once
    `block` and `taken` are gone: an orphan nobody will buy. It was not one before, since the
    block it touches was free."""
    r, start, end = block
    row = rows[r]

    def still_free(i: int, j: int) -> bool:  # j is a neighbour of i that stays on sale
        return row.free_neighbour(i, j) and not start <= j <= end and (r, j) not in taken

    return {
        (r, seat)
        for edge, seat in ((start, start - 1), (end, end + 1))
        if still_free(edge, seat) and not still_free(seat, 2 * seat - edge)
    }


def _new_orphans(rows: Sequence[_Row], blocks: Sequence[_Block]) -> int:
    taken = {(r, i) for r, start, end in blocks for i in range(start, end + 1)}
    return len(set().union(*(_stranded_by(rows, block, taken) for block in blocks)))


def _ids(rows: Sequence[_Row], blocks: Iterable[_Block]) -> tuple[str, ...]:
    return tuple(
        sorted(rows[r].seats[i].id for r, start, end in blocks for i in range(start, end + 1))
    )


def _best_block(rows: Sequence[_Row], runs: Sequence[_Block], quantity: int) -> list[_Block]:
    """The best `quantity` neighbouring seats in one row, or [] when no run is long enough."""
    best: tuple[tuple[int, float, float], _Block] | None = None
    for r, first, last in runs:
        row = rows[r]
        for start in range(first, last - quantity + 2):
            block = (r, start, start + quantity - 1)
            key = (
                len(_stranded_by(rows, block, _NOTHING_TAKEN)),
                row.y,
                _distance(row.mean_x(start, block[2]), row.centre_x),
            )
            # Seat ids only break exact ties; building them for every window is the slow part.
            if (
                best is None
                or key < best[0]
                or (key == best[0] and _ids(rows, [block]) < _ids(rows, [best[1]]))
            ):
                best = (key, block)
    return [best[1]] if best else []


def _best_split(rows: Sequence[_Row], runs: Sequence[_Block], quantity: int) -> list[_Block]:
    """The party in as few blocks as possible, close together, when no run holds them all.

    Greedy and polynomial: around each row in turn ("anchor"), gather runs row by row outward
    until they can seat the party in the minimum number of blocks, then pick from that pool,
    nearest rows first. The best of these per-anchor answers wins.
    """
    lengths = sorted((end - start + 1 for _, start, end in runs), reverse=True)
    fewest = next(k for k in range(1, len(lengths) + 1) if sum(lengths[:k]) >= quantity)
    runs_by_row: dict[int, list[_Block]] = defaultdict(list)
    for run in runs:
        runs_by_row[run[0]].append(run)
    # A run with no free seat beside it can be taken whole without stranding anyone: this
    # spares most candidates the orphan check.
    walled = {
        (r, start, end): not rows[r].free_neighbour(start, start - 1)
        and not rows[r].free_neighbour(end, end + 1)
        for r, start, end in runs
    }

    best: tuple[tuple[object, ...], list[_Block]] | None = None
    for anchor in sorted(runs_by_row):
        anchor_y = rows[anchor].y
        pool: list[tuple[float, _Block]] = []  # (row distance from the anchor, run)
        longest: list[int] = []  # min-heap of the `fewest` longest lengths in the pool
        for r in sorted(runs_by_row, key=lambda r: (_distance(rows[r].y, anchor_y), r)):
            distance = _distance(rows[r].y, anchor_y)
            for run in runs_by_row[r]:
                pool.append((distance, run))
                heapq.heappush(longest, run[2] - run[1] + 1)
                if len(longest) > fewest:
                    heapq.heappop(longest)
            if sum(longest) >= quantity:
                break
        blocks = _pick(rows, pool, quantity, fewest, rows[anchor].centre_x, walled)
        key = _split_key(rows, blocks, quantity)
        if best is None or key < best[0]:
            best = (key, blocks)
    assert best is not None  # the zone has at least `quantity` free seats, so some run exists
    return best[1]


def _pick(
    rows: Sequence[_Row],
    pool: Sequence[tuple[float, _Block]],
    quantity: int,
    fewest: int,
    centre_x: float,
    walled_runs: dict[_Block, bool],
) -> list[_Block]:
    """Take runs from `pool` (ordered by row distance) without needing more than `fewest`
    blocks: each pick avoids new orphans if it can, then takes the nearest row, then the run
    nearest the party so far (the anchor row's centre for the first pick)."""

    lengths = [end - start + 1 for _, (_, start, end) in pool]
    walled = [walled_runs[run] for _, run in pool]
    by_length = sorted(range(len(pool)), key=lambda i: (-lengths[i], i))
    picked: list[_Block] = []
    taken: set[tuple[int, int]] = set()
    used: set[int] = set()
    remaining, blocks_left, target = quantity, fewest, centre_x
    while remaining > 0:
        # After this pick the longest blocks_left - 1 unused runs must still cover the rest.
        # A run that is itself among those longest is always a safe pick.
        longest = list(islice((i for i in by_length if i not in used), blocks_left - 1))
        reserve = sum(lengths[i] for i in longest)
        best: tuple[tuple[bool, float, int, float, int], _Block] | None = None
        for i, (distance, run) in enumerate(pool):
            if best is not None and not best[0][0] and distance > best[0][1]:
                break  # the pool is ordered by distance: nothing further on can do better
            if i in used:
                continue
            take = min(lengths[i], remaining)
            if i not in longest and take + reserve < remaining:
                continue
            whole = take == lengths[i]
            block = run if whole else _place(rows, run, take, taken, target)
            # The biggest piece first, so the smaller ones gather around it.
            key = (
                not (whole and walled[i]) and bool(_stranded_by(rows, block, taken)),
                distance,
                -take,
                _distance(rows[block[0]].mean_x(block[1], block[2]), target),
                i,
            )
            if best is None or key < best[0]:
                best = (key, block)
        assert best is not None  # the longest unused run is always a feasible pick
        r, start, end = block = best[1]
        used.add(best[0][-1])
        picked.append(block)
        taken.update((r, i) for i in range(start, end + 1))
        remaining -= end - start + 1
        blocks_left -= 1
        target = _mean_x(rows, picked)
    return picked


def _mean_x(rows: Sequence[_Row], blocks: Sequence[_Block]) -> float:
    seats = sum(end - start + 1 for _, start, end in blocks)
    return sum(rows[r].mean_x(start, end) * (end - start + 1) for r, start, end in blocks) / seats


def _place(rows: Sequence[_Row], run: _Block, take: int, taken: _Taken, target: float) -> _Block:
    """Where in `run` to take `take` seats: no new orphan, then closest to `target` x."""
    r, first, last = run
    if take == last - first + 1:
        return run
    row = rows[r]
    windows = [(r, start, start + take - 1) for start in range(first, last - take + 2)]
    return min(
        windows,
        key=lambda block: (
            len(_stranded_by(rows, block, taken)),
            _distance(row.mean_x(block[1], block[2]), target),
            _ids(rows, [block]),
        ),
    )


def _split_key(rows: Sequence[_Row], blocks: Sequence[_Block], quantity: int) -> tuple[object, ...]:
    """Fewest blocks, no new orphans, rows close together, blocks above one another, near the
    stage, near the centre; seat ids for a deterministic last word."""
    ys = [rows[r].y for r, _, _ in blocks]
    xs = [rows[r].mean_x(start, end) for r, start, end in blocks]
    sizes = [end - start + 1 for _, start, end in blocks]
    off_centre = sum(
        size * abs(x - rows[r].centre_x)
        for size, x, (r, _, _) in zip(sizes, xs, blocks, strict=True)
    )
    return (
        len(blocks),
        _new_orphans(rows, blocks),
        _distance(max(ys), min(ys)),
        _distance(max(xs), min(xs)),
        round(sum(size * y for size, y in zip(sizes, ys, strict=True)) / quantity, _DIGITS),
        round(off_centre / quantity, _DIGITS),
        _ids(rows, blocks),
    )


def _distance(a: float, b: float) -> float:
    return round(abs(a - b), _DIGITS)
