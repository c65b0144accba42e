"""Seat maps for the demo halls, drawn from each hall's layout, capacity and price zones.

`demo_seat_maps(halls)` is pure: the same halls give the same maps, seat for seat, so seeding the
demo twice writes identical items. Every map holds exactly the hall's capacity and uses exactly
its price zones.

- seated: stalls ("zaal") in a fan around the stage, then one balcony per price zone beyond the
  first two, drawn behind the stalls; the best zone sits at the front centre;
- standing: one standing pool for the whole hall;
- mixed: a straight tribune behind a standing floor (the floor is the hall's cheapest zone).

Drawing units are one seat width. The stage edge is the line y = 0 at the top; rows curve
around a point behind the stage, so y grows away from it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from chalicelib.catalogue.model import Hall, HallLayout
from chalicelib.core.i18n import LocalizedText
from chalicelib.inventory.seatmap import GaPool, Seat, SeatAttribute, SeatMap, Section, seat_id

__all__ = ["demo_seat_maps", "seat_map_for", "seat_map_id"]

SEAT_PITCH = 1.0  # centre to centre along a row
ROW_PITCH = 1.6  # a row is deeper than a seat is wide
AISLE = 2.0  # extra room where an aisle crosses a row
STAGE_GAP = 4.0  # from the stage edge to the first row
FOCUS = 30.0  # rows curve around a point this far behind the stage edge
LEVEL_GAP = 5.0  # between the stalls and a balcony drawn behind them
FLOOR_DEPTH = 14.0  # the standing floor between the stage and a tribune
MARGIN = 2.0  # left of the leftmost seat

# Room for a central block between two aisles: narrower rows only have aisles at their ends.
BLOCK_ROW_WIDTH = 16
# Theatres skip I and O on row ends: too easily read as 1 and 0.
ROW_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

STALLS = Section("zaal", {"nl": "Zaal", "fr": "Parterre", "en": "Stalls"})
BALCONIES = (
    Section("balkon", {"nl": "Balkon", "fr": "Balcon", "en": "Balcony"}),
    Section("tweede-balkon", {"nl": "Tweede balkon", "fr": "Second balcon", "en": "Upper balcony"}),
)
# Share of the hall's capacity on each balcony, by number of balconies.
BALCONY_SHARES: dict[int, tuple[float, ...]] = {0: (), 1: (0.3,), 2: (0.25, 0.15)}
TRIBUNE = Section("tribune", {"nl": "Tribune", "fr": "Tribune", "en": "Stands"})
TRIBUNE_SHARE = 0.4  # of a mixed hall's capacity; the rest stands on the floor
STANDING_NAME: LocalizedText = {"nl": "Staanplaatsen", "fr": "Debout", "en": "Standing"}
STANDING_POOL = "staanplaatsen"


def seat_map_id(hall_id: str) -> str:
    """The map id for a hall, short enough to be an id itself (63 characters at most)."""
    return f"{hall_id[:59].rstrip('-')}-map"


def demo_seat_maps(halls: Iterable[Hall]) -> tuple[SeatMap, ...]:
    return tuple(seat_map_for(hall) for hall in halls)


def seat_map_for(hall: Hall) -> SeatMap:
    zones = [zone.id for zone in sorted(hall.price_zones, key=lambda zone: (zone.rank, zone.id))]
    if hall.layout is HallLayout.STANDING:
        if len(zones) != 1:
            raise ValueError(f"hall {hall.id}: a standing hall has one price zone")
        pool = GaPool(STANDING_POOL, STANDING_NAME, hall.capacity, zones[0])
        return SeatMap(seat_map_id(hall.id), hall.id, sections=(), seats=(), pools=(pool,))
    if hall.layout is HallLayout.MIXED:
        return _mixed(hall, zones)
    return _seated(hall, zones)


@dataclass
class _Draft:
    """A seat before it has a zone and its final coordinates."""

    section: str
    row: str
    number: int
    x: float
    y: float
    attributes: set[SeatAttribute] = field(default_factory=set)


def _seated(hall: Hall, zones: list[str]) -> SeatMap:
    stall_zones, balcony_zones = zones[:2], zones[2:]
    if len(balcony_zones) > len(BALCONIES):
        raise ValueError(f"hall {hall.id}: no demo layout for {len(zones)} price zones")
    balcony_sizes = [round(hall.capacity * share) for share in BALCONY_SHARES[len(balcony_zones)]]
    stalls_size = hall.capacity - sum(balcony_sizes)

    stalls = _rows(
        STALLS.id,
        _row_widths(stalls_size, first=max(8, round(math.sqrt(stalls_size) * 0.8)), widen=1),
        start_y=STAGE_GAP,
        curved=True,
        lettered=False,
        side_aisles=True,
    )
    # Wheelchair spaces where the stalls are entered at floor level: the back row ends.
    _wheelchair_spaces(stalls, rows=(1 if hall.capacity < 500 else 2), front=False)
    zoned = _by_distance(stalls, stall_zones)

    sections = [STALLS]
    behind = stalls
    for section, size, zone in zip(BALCONIES, balcony_sizes, balcony_zones, strict=False):
        last_row = [seat for seat in behind if seat.row == behind[-1].row]
        balcony = _rows(
            section.id,
            _row_widths(size, first=len(last_row) + 4, widen=1),
            start_y=max(seat.y for seat in last_row) + LEVEL_GAP,
            curved=True,
            lettered=True,
            side_aisles=False,  # a balcony row ends at the wall...
        )
        _restricted_sides(balcony)  # ...which hides part of the stage from the outermost seats
        zoned += [(seat, zone) for seat in balcony]
        sections.append(section)
        behind = balcony
    return _seat_map(hall, sections, zoned)


def _mixed(hall: Hall, zones: list[str]) -> SeatMap:
    floor_zone, tribune_zones = zones[-1], zones[:-1] or zones
    tribune_size = round(hall.capacity * TRIBUNE_SHARE)
    width = max(10, round(math.sqrt(tribune_size * 2.5)))
    tribune = _rows(
        TRIBUNE.id,
        _row_widths(tribune_size, first=width, widen=0),
        start_y=STAGE_GAP + FLOOR_DEPTH,
        curved=False,
        lettered=True,
        side_aisles=True,
    )
    # The tribune's front row is at floor level, reachable without steps.
    _wheelchair_spaces(tribune, rows=1, front=True)
    floor = GaPool(STANDING_POOL, STANDING_NAME, hall.capacity - tribune_size, floor_zone)
    return _seat_map(hall, [TRIBUNE], _by_distance(tribune, tribune_zones), (floor,))


def _row_widths(total: int, *, first: int, widen: int) -> list[int]:
    """Seats per row, front to back, adding up to `total` exactly."""
    widths: list[int] = []
    while sum(widths) < total:
        widths.append(first + widen * len(widths))
    if sum(widths) - total > widths[-1] // 2 and len(widths) > 1:
        widths.pop()  # rather than a stub back row, widen the rows in front of it
    # Add or take the difference one seat a row from the back, so the front rows keep their shape.
    step, index = (1 if sum(widths) < total else -1), len(widths) - 1
    while sum(widths) != total:
        widths[index] += step
        index = index - 1 if index > 0 else len(widths) - 1
    return widths


def _blocks(width: int) -> list[int]:
    if width < BLOCK_ROW_WIDTH:
        return [width]
    side = width // 4
    return [side, width - 2 * side, side]


def _rows(
    section: str,
    widths: list[int],
    *,
    start_y: float,
    curved: bool,
    lettered: bool,
    side_aisles: bool,
) -> list[_Draft]:
    """Rows of seats numbered from the left; the first row is nearest the stage."""
    if lettered and len(widths) > len(ROW_LETTERS):
        raise ValueError(f"section {section}: too many rows to letter")
    seats: list[_Draft] = []
    for index, width in enumerate(widths):
        label = ROW_LETTERS[index] if lettered else str(index + 1)
        depth = start_y + index * ROW_PITCH
        offsets: list[float] = []
        aisle_seats: set[int] = set()
        position = 0.0
        for block_index, block in enumerate(blocks := _blocks(width)):
            if block_index:
                position += AISLE
            first = len(offsets)
            offsets += [position + SEAT_PITCH * seat for seat in range(block)]
            position = offsets[-1] + SEAT_PITCH
            if block_index > 0 or side_aisles:
                aisle_seats.add(first)
            if block_index < len(blocks) - 1 or side_aisles:
                aisle_seats.add(len(offsets) - 1)
        middle = offsets[-1] / 2
        for number, offset in enumerate(offsets, start=1):
            if curved:
                radius, angle = FOCUS + depth, (offset - middle) / (FOCUS + depth)
                x, y = radius * math.sin(angle), radius * math.cos(angle) - FOCUS
            else:
                x, y = offset - middle, depth
            attributes = {SeatAttribute.AISLE} if number - 1 in aisle_seats else set()
            seats.append(_Draft(section, label, number, x, y, attributes))
    return seats


def _row_ends(seats: list[_Draft]) -> list[list[_Draft]]:
    rows: dict[str, list[_Draft]] = {}
    for seat in seats:
        rows.setdefault(seat.row, []).append(seat)
    return list(rows.values())


def _wheelchair_spaces(seats: list[_Draft], *, rows: int, front: bool) -> None:
    """A wheelchair space at both ends of the front or back rows, a companion seat beside it."""
    all_rows = _row_ends(seats)
    for row in all_rows[:rows] if front else all_rows[-rows:]:
        for space, companion in ((row[0], row[1]), (row[-1], row[-2])):
            space.attributes = {SeatAttribute.WHEELCHAIR}
            companion.attributes = {SeatAttribute.COMPANION}


def _restricted_sides(seats: list[_Draft]) -> None:
    for row in _row_ends(seats):
        row[0].attributes.add(SeatAttribute.RESTRICTED_VIEW)
        row[-1].attributes.add(SeatAttribute.RESTRICTED_VIEW)


def _by_distance(seats: list[_Draft], zones: list[str]) -> list[tuple[_Draft, str]]:
    """Zones in equal parts by distance from the middle of the stage edge: the best zone is
    the front centre, the cheaper ones wrap around it further back and to the sides."""
    ranked = sorted(seats, key=lambda seat: (round(math.hypot(seat.x, seat.y), 6), seat.y, seat.x))
    zone_of: dict[int, str] = {}
    for place, seat in enumerate(ranked):
        zone_of[id(seat)] = zones[place * len(zones) // len(ranked)]
    return [(seat, zone_of[id(seat)]) for seat in seats]


def _seat_map(
    hall: Hall,
    sections: list[Section],
    zoned: list[tuple[_Draft, str]],
    pools: tuple[GaPool, ...] = (),
) -> SeatMap:
    # Shift right so every coordinate is positive; round so the drawing data stays small.
    left = min(seat.x for seat, _ in zoned)
    seats = tuple(
        Seat(
            id=seat_id(seat.section, seat.row, seat.number),
            section=seat.section,
            row=seat.row,
            number=seat.number,
            x=round(seat.x - left + MARGIN, 2),
            y=round(seat.y, 2),
            zone=zone,
            attributes=frozenset(seat.attributes),
        )
        for seat, zone in zoned
    )
    return SeatMap(seat_map_id(hall.id), hall.id, tuple(sections), seats, pools)
