"""Seat maps: structure rules, labels, JSON and CSV import, and the generated demo maps."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from chalicelib.catalogue.model import Hall, HallLayout
from chalicelib.core.errors import Problem
from chalicelib.inventory.seatmap import (
    GaPool,
    Seat,
    SeatAttribute,
    SeatMap,
    Section,
    from_csv,
    from_json,
    seat_label,
    to_json,
    validate,
)
from chalicelib.store.keys import is_valid_id
from local.demo.data import build_demo
from local.demo.seatmaps import demo_seat_maps

TODAY = date(2026, 11, 28)
HALLS: tuple[Hall, ...] = build_demo(TODAY).halls
MAPS: tuple[SeatMap, ...] = demo_seat_maps(HALLS)
PAIRS = list(zip(HALLS, MAPS, strict=True))
LARGE_THEATRE = "ntgent-schouwburg-grote-zaal"

BALKON = Section("balkon", {"nl": "Balkon", "fr": "Balcon", "en": "Balcony"})


def _map(hall_id: str) -> SeatMap:
    return next(seat_map for seat_map in MAPS if seat_map.hall == hall_id)


def _fields(problem: Problem) -> set[str]:
    return {error.field for error in problem.errors}


# --- demo maps ------------------------------------------------------------------------------


def test_every_demo_hall_gets_a_map_with_a_valid_id():
    assert [seat_map.hall for seat_map in MAPS] == [hall.id for hall in HALLS]
    for hall, seat_map in PAIRS:
        assert seat_map.id == f"{hall.id}-map"
        assert is_valid_id(seat_map.id)


@pytest.mark.parametrize(("hall", "seat_map"), PAIRS, ids=[hall.id for hall in HALLS])
def test_demo_map_holds_the_capacity_and_exactly_the_hall_zones(hall: Hall, seat_map: SeatMap):
    assert seat_map.capacity == hall.capacity
    zones = {zone.id for zone in hall.price_zones}
    used = {seat.zone for seat in seat_map.seats} | {pool.zone for pool in seat_map.pools}
    assert used == zones
    assert validate(seat_map, zones) == []


@pytest.mark.parametrize(("hall", "seat_map"), PAIRS, ids=[hall.id for hall in HALLS])
def test_demo_map_follows_the_hall_layout(hall: Hall, seat_map: SeatMap):
    if hall.layout is HallLayout.STANDING:
        assert not seat_map.seats
        assert [(pool.id, pool.capacity) for pool in seat_map.pools] == [
            ("staanplaatsen", hall.capacity)
        ]
        assert seat_map.pools[0].name == {"nl": "Staanplaatsen", "fr": "Debout", "en": "Standing"}
    elif hall.layout is HallLayout.MIXED:
        assert seat_map.seats and len(seat_map.pools) == 1
        ranks = {zone.id: zone.rank for zone in hall.price_zones}
        # the floor is the cheaper option in the demo's mixed halls
        assert ranks[seat_map.pools[0].zone] == max(ranks.values())
    else:
        assert seat_map.seats and not seat_map.pools


@pytest.mark.parametrize(("hall", "seat_map"), PAIRS, ids=[hall.id for hall in HALLS])
def test_demo_map_draws_the_stage_at_the_top(hall: Hall, seat_map: SeatMap):
    for seat in seat_map.seats:
        assert seat.x > 0 and seat.y > 0
    stalls = [seat.y for seat in seat_map.seats if seat.section == "zaal"]
    balcony = [seat.y for seat in seat_map.seats if seat.section == "balkon"]
    if balcony:
        assert min(balcony) > max(stalls)  # drawn behind the stalls


@pytest.mark.parametrize(
    ("hall", "seat_map"),
    [(hall, seat_map) for hall, seat_map in PAIRS if seat_map.seats],
    ids=[hall.id for hall, seat_map in PAIRS if seat_map.seats],
)
def test_demo_map_puts_the_best_zone_in_front_and_every_seat_is_reachable(
    hall: Hall, seat_map: SeatMap
):
    rank = {zone.id: zone.rank for zone in hall.price_zones}
    best = min(rank, key=rank.__getitem__)
    middle = sum(seat.x for seat in seat_map.seats) / len(seat_map.seats)
    front_centre = min(seat_map.seats, key=lambda seat: (seat.y, abs(seat.x - middle)))
    assert front_centre.zone == best
    # Further back is never dearer: the mean depth grows with the zone's rank.
    depth = {
        zone: sum(seat.y for seat in seat_map.seats if seat.zone == zone)
        / sum(1 for seat in seat_map.seats if seat.zone == zone)
        for zone in {seat.zone for seat in seat_map.seats}
    }
    ordered = sorted(depth, key=rank.__getitem__)
    assert [depth[zone] for zone in ordered] == sorted(depth.values())
    assert any(SeatAttribute.AISLE in seat.attributes for seat in seat_map.seats)


@pytest.mark.parametrize(
    "seat_map", [seat_map for seat_map in MAPS if seat_map.seats], ids=lambda seat_map: seat_map.id
)
def test_every_wheelchair_space_has_a_companion_seat_beside_it(seat_map: SeatMap):
    spaces = [seat for seat in seat_map.seats if SeatAttribute.WHEELCHAIR in seat.attributes]
    assert spaces
    places = {(seat.section, seat.row, seat.number): seat for seat in seat_map.seats}
    for space in spaces:
        beside = [places.get((space.section, space.row, space.number + d)) for d in (-1, 1)]
        assert any(seat and SeatAttribute.COMPANION in seat.attributes for seat in beside)


def test_large_theatre_has_stalls_balcony_wheelchairs_and_restricted_balcony_sides():
    seat_map = _map(LARGE_THEATRE)
    assert [section.id for section in seat_map.sections] == ["zaal", "balkon"]
    assert seat_map.sections[0].name == {"nl": "Zaal", "fr": "Parterre", "en": "Stalls"}
    assert seat_map.sections[1].name == {"nl": "Balkon", "fr": "Balcon", "en": "Balcony"}
    wheelchairs = [s for s in seat_map.seats if SeatAttribute.WHEELCHAIR in s.attributes]
    companions = [s for s in seat_map.seats if SeatAttribute.COMPANION in s.attributes]
    assert len(wheelchairs) >= 2 and len(companions) == len(wheelchairs)
    restricted = [s for s in seat_map.seats if SeatAttribute.RESTRICTED_VIEW in s.attributes]
    assert restricted and all(seat.section == "balkon" for seat in restricted)
    balcony = [seat for seat in seat_map.seats if seat.section == "balkon"]
    for seat in restricted:
        row = [other.number for other in balcony if other.row == seat.row]
        assert seat.number in (min(row), max(row))  # the extreme sides only
    # the balcony is the hall's third zone
    assert {seat.zone for seat in seat_map.seats if seat.section == "balkon"} == {"zone-3"}


def test_labels_read_naturally_in_three_languages():
    seat_map = _map(LARGE_THEATRE)
    balcony_seat = seat_map.seat("balkon-c-12")
    stalls_seat = seat_map.seat("zaal-3-5")
    assert balcony_seat is not None and stalls_seat is not None
    assert seat_label(seat_map, balcony_seat, "nl") == "Balkon rij C stoel 12"
    assert seat_label(seat_map, balcony_seat, "fr") == "Balcon rang C place 12"
    assert seat_label(seat_map, balcony_seat, "en") == "Balcony row C seat 12"
    assert seat_label(seat_map, stalls_seat, "fr") == "Parterre rang 3 place 5"
    assert seat_label(seat_map, stalls_seat, "en") == "Stalls row 3 seat 5"
    assert seat_label(seat_map, stalls_seat, "de") == "Zaal rij 3 stoel 5"  # Dutch fallback


@pytest.mark.parametrize("seat_map", MAPS, ids=lambda seat_map: seat_map.id)
def test_json_round_trip_for_every_demo_map(seat_map: SeatMap):
    document = to_json(seat_map)
    assert from_json(document) == seat_map
    assert from_json(json.loads(json.dumps(document))) == seat_map


def test_demo_maps_are_deterministic():
    again = demo_seat_maps(build_demo(date(2027, 3, 1)).halls)
    assert again == MAPS
    assert [to_json(seat_map) for seat_map in again] == [to_json(seat_map) for seat_map in MAPS]


def test_a_long_hall_id_still_gives_a_valid_map_id():
    hall = replace(HALLS[0], id="h" * 63)
    (seat_map,) = demo_seat_maps([hall])
    assert is_valid_id(seat_map.id) and seat_map.id.endswith("-map")


# --- structure ------------------------------------------------------------------------------


def _seat(number: int = 1, **changes) -> Seat:
    seat = Seat(f"balkon-a-{number}", "balkon", "A", number, float(number), 10.0, "zone-1")
    return replace(seat, **changes)


@pytest.mark.parametrize(
    ("seats", "pools", "message"),
    [
        ((_seat(1), _seat(2, id="balkon-a-1")), (), "duplicate seat id"),
        ((_seat(1, id="Balkon A 1"),), (), "invalid seat id"),
        ((_seat(1, section="zaal"),), (), "unknown section"),
        ((_seat(1), _seat(1, id="other")), (), "duplicate seat: section balkon row A seat 1"),
        ((_seat(1),), (GaPool("balkon-a-1", {"nl": "Vrij"}, 10, "zone-1"),), "duplicate id"),
        ((), (GaPool("vrij", {"nl": "Vrij"}, 0, "zone-1"),), "not positive"),
        ((), (), "at least one seat or pool"),
    ],
)
def test_seat_map_refuses_a_broken_structure(seats, pools, message):
    with pytest.raises(ValueError, match=message):
        SeatMap("m", "h", (BALKON,), seats, pools)


def test_validate_names_seats_and_pools_outside_the_hall_zones():
    seat_map = SeatMap(
        "m",
        "h",
        (BALKON,),
        (_seat(1), _seat(2, zone="zone-9")),
        (GaPool("vrij", {"nl": "Vrij"}, 5, "zone-8"),),
    )
    assert validate(seat_map, {"zone-1"}) == [
        "seats[1].zone: unknown price zone 'zone-9'",
        "pools[0].zone: unknown price zone 'zone-8'",
    ]
    assert validate(seat_map, {"zone-1", "zone-8", "zone-9"}) == []


# --- JSON import ----------------------------------------------------------------------------


def test_from_json_derives_missing_seat_ids_and_reads_defaults():
    seat_map = from_json(
        {
            "id": "m",
            "hall": "h",
            "sections": [{"id": "balkon", "name": {"nl": "Balkon"}}],
            "seats": [{"section": "balkon", "row": "C", "number": 12, "x": 1, "y": 2, "zone": "z"}],
        }
    )
    (seat,) = seat_map.seats
    assert seat.id == "balkon-c-12" and seat.x == 1.0 and seat.attributes == frozenset()
    assert seat_map.pools == ()
    assert seat_label(seat_map, seat, "en") == "Balkon row C seat 12"  # Dutch name fallback


def test_from_json_reports_every_bad_value_at_once():
    document = {
        "id": "Map 1",
        "hall": "h",
        "colour": "red",
        "sections": [{"id": "balkon", "name": {"fr": "Balcon"}}],
        "seats": [
            {"section": "balkon", "row": "A", "number": 1, "x": "left", "y": 1, "zone": "z"},
            {"section": "zaal", "row": "A", "number": 0, "x": 1, "y": 1, "zone": "zz"},
            {"section": "balkon", "row": "", "number": 2, "x": 1, "y": None, "zone": "z"},
            {
                "section": "balkon",
                "row": "B",
                "number": 1,
                "x": 1,
                "y": 1,
                "zone": "z",
                "attributes": ["wheelchair", "vip"],
            },
            "not a seat",
        ],
        "pools": [{"id": "vrij", "name": {"nl": "Vrij"}, "capacity": -5, "zone": "z"}],
    }
    with pytest.raises(Problem) as caught:
        from_json(document, zone_ids={"z"})
    problem = caught.value
    assert problem.kind == "invalid-input" and problem.status == 400
    assert _fields(problem) == {
        "id",
        "colour",
        "sections[0].name",
        "seats[0].x",
        "seats[1].section",
        "seats[1].number",
        "seats[1].zone",
        "seats[2].row",
        "seats[2].y",
        "seats[3].attributes",
        "seats[4]",
        "pools[0].capacity",
    }
    assert all(error.location == "body" for error in problem.errors)
    rendered = {error["field"]: error for error in problem.to_dict("en")["errors"]}
    assert rendered["seats[1].zone"] == {
        "field": "seats[1].zone",
        "in": "body",
        "detail": "unknown price zone 'zz'",
        "expected": "one of z",
    }


def test_from_json_reports_structure_problems_with_their_place():
    seat = {"section": "balkon", "row": "A", "number": 1, "x": 1, "y": 1, "zone": "z"}
    document = {
        "id": "m",
        "hall": "h",
        "sections": [{"id": "balkon", "name": {"nl": "Balkon"}}],
        "seats": [seat, {**seat, "x": 2}, {**seat, "id": "vrij", "number": 2}],
        "pools": [{"id": "vrij", "name": {"nl": "Vrij"}, "capacity": 5, "zone": "z"}],
    }
    with pytest.raises(Problem) as caught:
        from_json(document)
    assert _fields(caught.value) == {"seats[1].id", "pools[0].id"}


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        "map",
        {},
        {"id": "m", "hall": "h", "seats": "all"},
        {"id": "m", "hall": "h", "seats": [None, 3]},
        {"id": "m", "hall": "h", "sections": [{"id": 7, "name": []}], "seats": [{}]},
        {"id": 1, "hall": ["h"], "pools": [{"id": "p", "name": "Vrij", "capacity": "5"}]},
        {"id": "m", "hall": "h", "seats": [{"x": 10**400, "y": float("nan"), "attributes": 1}]},
    ],
)
def test_from_json_answers_garbage_with_a_problem_not_a_crash(document):
    with pytest.raises(Problem) as caught:
        from_json(document)
    assert caught.value.errors


# --- CSV import -----------------------------------------------------------------------------

EXAMPLE_CSV = """\
section,row,seat,x,y,zone,attributes
zaal,1,1,2.0,4.0,zone-1,wheelchair
zaal,1,2,3.0,4.0,zone-1,companion
zaal,1,3,4.0,4.0,zone-1,aisle
balkon,A,1,2.0,20.0,zone-2,restricted_view|aisle
balkon,A,2,3.0,20.0,zone-2,

"""


def test_from_csv_reads_the_simple_format():
    seat_map = from_csv(
        EXAMPLE_CSV, map_id="studio-map", hall="studio", section_names={"balkon": BALKON.name}
    )
    assert seat_map.id == "studio-map" and seat_map.hall == "studio"
    assert seat_map.sections == (
        Section("zaal", {"nl": "Zaal", "fr": "Zaal", "en": "Zaal"}),
        BALKON,
    )
    assert [seat.id for seat in seat_map.seats] == [
        "zaal-1-1",
        "zaal-1-2",
        "zaal-1-3",
        "balkon-a-1",
        "balkon-a-2",
    ]
    assert seat_map.seat("balkon-a-1") == Seat(
        "balkon-a-1",
        "balkon",
        "A",
        1,
        2.0,
        20.0,
        "zone-2",
        frozenset({SeatAttribute.RESTRICTED_VIEW, SeatAttribute.AISLE}),
    )
    assert seat_map.capacity == 5
    assert validate(seat_map, {"zone-1", "zone-2"}) == []
    assert from_json(to_json(seat_map)) == seat_map


def test_from_csv_reads_a_belgian_spreadsheet_export():
    text = "\ufeffSection;Row;Seat;X;Y;Zone;Attributes\r\nzaal;1;1;2,5;4;zone-1;\r\n"
    (seat,) = from_csv(text, map_id="m", hall="h").seats
    assert (seat.id, seat.x, seat.y) == ("zaal-1-1", 2.5, 4.0)


def test_from_csv_reports_every_bad_line_with_its_column():
    text = EXAMPLE_CSV + (
        "zaal,2,1,2.0,5.6,zone-7,\n"  # line 8: unknown zone
        "zaal,2,2,left,5.6,zone-1,\n"  # line 9: bad x
        "zaal,1,2,9.0,9.0,zone-1,\n"  # line 10: the same seat as line 3
        "zaal,2,3,4.0,5.6,zone-1,vip\n"  # line 11: unknown attribute
        "zaal,2,4,4.0\n"  # line 12: too short
        "zaal,2,5,4.0,5.6,zone-1,,extra\n"  # line 13: too long
    )
    with pytest.raises(Problem) as caught:
        from_csv(text, map_id="m", hall="h", zone_ids={"zone-1", "zone-2"})
    problem = caught.value
    assert problem.kind == "invalid-input"
    assert [error.field for error in problem.errors] == [
        "line 8: zone",
        "line 9: x",
        "line 10: seat",
        "line 11: attributes",
        "line 12: y",
        "line 12: zone",
        "line 13",
    ]
    details = {error.field: error.detail for error in problem.errors}
    assert details["line 8: zone"] == "unknown price zone 'zone-7'"
    assert "duplicate" in details["line 10: seat"]


def test_from_csv_reports_missing_and_unknown_columns():
    text = "section,row,seat,x,zone,attributes,price\nzaal,1,1,2.0,zone-1,\n"
    with pytest.raises(Problem) as caught:
        from_csv(text, map_id="m", hall="h")
    assert _fields(caught.value) == {"line 1: y", "line 1: price"}
    assert caught.value.errors[0].detail == "missing column"


def test_from_csv_reports_a_bad_section_id_and_map_id_once():
    text = "section,row,seat,x,y,zone,attributes\nBalkon,A,1,1,1,zone-1,\nBalkon,A,2,2,1,zone-1,\n"
    with pytest.raises(Problem) as caught:
        from_csv(text, map_id="Map", hall="h")
    fields = [error.field for error in caught.value.errors]
    assert fields.count("line 2: section") == 1 and "line 3: section" in fields
    assert "map_id" in fields


def test_from_csv_without_seats_is_refused():
    with pytest.raises(Problem) as caught:
        from_csv("section,row,seat,x,y,zone,attributes\n", map_id="m", hall="h")
    assert _fields(caught.value) == {"body"}
    with pytest.raises(Problem):
        from_csv("", map_id="m", hall="h")
