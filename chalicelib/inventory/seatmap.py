"""A hall's seat map: sections, rows and seats with coordinates, zones and attributes, plus
general-admission pools. Pure domain: no AWS, no HTTP.

A map is immutable once published under its id; a changed hall gets a new map id, so a
performance on sale never sees its seats move.

JSON import format (what `to_json` writes and `from_json` reads)::

    {
      "id": "ntgent-schouwburg-grote-zaal-map",
      "hall": "ntgent-schouwburg-grote-zaal",
      "sections": [{"id": "balkon", "name": {"nl": "Balkon", "fr": "Balcon", "en": "Balcony"}}],
      "seats": [
        {"id": "balkon-c-12", "section": "balkon", "row": "C", "number": 12,
         "x": 31.5, "y": 40.2, "zone": "zone-3", "attributes": ["aisle"]}
      ],
      "pools": [
        {"id": "staanplaatsen", "name": {"nl": "Staanplaatsen", "fr": "Debout", "en": "Standing"},
         "capacity": 250, "zone": "staanplaats"}
      ]
    }

- ids (map, hall, sections, seats, pools, zones) are lowercase: `chalicelib.store.keys.ID_PATTERN`;
- a seat's "id" may be left out: it is derived from section, row and number ("balkon-c-12");
- "attributes" is optional, values from `SeatAttribute`; "sections", "seats" and "pools" may be
  left out when empty, but a map needs at least one seat or pool;
- names need Dutch ("nl"); French and English are optional (Dutch is the fallback);
- x grows to the right and y away from the stage: the stage is at the top of the drawing.

CSV import format (`from_csv`), one seat a line; attributes separated by "|", may be empty::

    section,row,seat,x,y,zone,attributes
    zaal,1,1,10.0,3.0,zone-1,aisle|wheelchair

Semicolons as separator and decimal commas (a Belgian spreadsheet's export) are accepted too.
Import errors are reported all at once, as a `Problem` with one `FieldError` per bad value.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeGuard

from chalicelib.core.errors import FieldError, invalid
from chalicelib.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, LocalizedText, pick
from chalicelib.store.keys import ID_PATTERN

if TYPE_CHECKING:
    from chalicelib.inventory.seatmap_schemas import PoolIn, SeatIn, SeatMapDocument, SectionIn


class SeatAttribute(StrEnum):
    WHEELCHAIR = "wheelchair"  # a wheelchair space
    COMPANION = "companion"  # next to a wheelchair space, for a companion
    RESTRICTED_VIEW = "restricted_view"
    AISLE = "aisle"


@dataclass(frozen=True)
class Section:
    id: str
    name: LocalizedText  # "Balkon" / "Balcon" / "Balcony"


@dataclass(frozen=True)
class Seat:
    id: str  # unique in the map, e.g. "balkon-c-12"
    section: str
    row: str  # as printed on the row end: "C", "12"
    number: int  # as printed on the seat
    x: float  # drawing coordinates; the stage is at the top (small y)
    y: float
    zone: str  # price zone id of the hall
    attributes: frozenset[SeatAttribute] = frozenset()


@dataclass(frozen=True)
class GaPool:
    """Unnumbered places: standing room, or a free-seating area."""

    id: str
    name: LocalizedText
    capacity: int
    zone: str


@dataclass(frozen=True)
class SeatMap:
    id: str
    hall: str
    sections: tuple[Section, ...]
    seats: tuple[Seat, ...]
    pools: tuple[GaPool, ...] = ()
    _by_id: dict[str, Seat] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = _structure_problems(
            self.id,
            dict(enumerate(section.id for section in self.sections)),
            dict(enumerate(self.seats)),
            dict(enumerate(self.pools)),
        )
        if not self.seats and not self.pools:
            problems.append(_EMPTY)
        if problems:
            details = "; ".join(f"{where}: {what}" for where, what, _ in problems)
            raise ValueError(f"seat map {self.id!r}: {details}")
        object.__setattr__(self, "_by_id", {seat.id: seat for seat in self.seats})

    def seat(self, seat_id: str) -> Seat | None:
        return self._by_id.get(seat_id)

    def pool(self, pool_id: str) -> GaPool | None:
        return next((pool for pool in self.pools if pool.id == pool_id), None)

    def known_seat(self, seat_id: str) -> Seat:
        """A seat the caller has already checked is on this map."""
        found = self.seat(seat_id)
        if found is None:
            raise KeyError(seat_id)
        return found

    def known_pool(self, pool_id: str) -> GaPool:
        """A standing pool the caller has already checked is on this map."""
        found = self.pool(pool_id)
        if found is None:
            raise KeyError(pool_id)
        return found

    @property
    def capacity(self) -> int:
        return len(self.seats) + sum(pool.capacity for pool in self.pools)


# --- rules ----------------------------------------------------------------------------------

_ID_EXPECTED = "a lowercase id: letters, digits and '-', at most 63 characters"

# (field, what is wrong, what was expected); fields name the JSON import format's places.
_Issue = tuple[str, str, str]

_EMPTY: _Issue = ("seats", "a seat map needs at least one seat or pool", "1 or more")


def _structure_problems(
    map_id: str | None,
    section_ids: Mapping[int, str],
    seats: Mapping[int, Seat],
    pools: Mapping[int, GaPool],
) -> list[_Issue]:
    """What makes a map unusable whatever its hall. Takes index → item so that an import with
    some unreadable items can still report these problems at the right places."""
    problems: list[_Issue] = []
    if map_id is not None and not ID_PATTERN.fullmatch(map_id):
        problems.append(("id", f"invalid map id {map_id!r}", _ID_EXPECTED))

    known_sections: set[str] = set()
    for index, section_id in section_ids.items():
        if section_id in known_sections:
            problems.append(
                (f"sections[{index}].id", f"duplicate section {section_id!r}", "a unique id")
            )
        known_sections.add(section_id)

    seat_ids: set[str] = set()
    places: set[tuple[str, str, int]] = set()
    for index, seat in seats.items():
        where = f"seats[{index}]"
        duplicate_id = seat.id in seat_ids
        if not ID_PATTERN.fullmatch(seat.id):
            problems.append((f"{where}.id", f"invalid seat id {seat.id!r}", _ID_EXPECTED))
        elif duplicate_id:
            problems.append((f"{where}.id", f"duplicate seat id {seat.id!r}", "a unique id"))
        seat_ids.add(seat.id)
        if seat.section not in known_sections:
            problems.append(_unknown_section(f"{where}.section", seat.section))
        place = (seat.section, seat.row, seat.number)
        # A duplicate place usually derives a duplicate id too; one report per seat is enough.
        if place in places and not duplicate_id:
            problems.append(
                (
                    f"{where}.number",
                    f"duplicate seat: section {seat.section} row {seat.row} seat {seat.number}",
                    "one seat per section, row and number",
                )
            )
        places.add(place)

    pool_ids: set[str] = set()
    for index, pool in pools.items():
        where = f"pools[{index}]"
        if not ID_PATTERN.fullmatch(pool.id):
            problems.append((f"{where}.id", f"invalid pool id {pool.id!r}", _ID_EXPECTED))
        elif pool.id in pool_ids or pool.id in seat_ids:
            problems.append(
                (f"{where}.id", f"duplicate id {pool.id!r}", "unique among seats and pools")
            )
        pool_ids.add(pool.id)
        if pool.capacity <= 0:
            problems.append(
                (f"{where}.capacity", f"capacity {pool.capacity} is not positive", "at least 1")
            )
    return problems


def _unknown_section(where: str, section: str) -> _Issue:
    return (where, f"unknown section {section!r}", "a section of the map")


def _unknown_zone(where: str, zone: str, zone_ids: set[str]) -> _Issue | None:
    if zone in zone_ids:
        return None
    expected = "one of " + ", ".join(sorted(zone_ids)) if zone_ids else "a price zone of the hall"
    return (where, f"unknown price zone {zone!r}", expected)


def validate(seat_map: SeatMap, zone_ids: set[str]) -> list[str]:
    """What is wrong with the map for a hall with these price zones; empty when it fits.
    The structure needs no check here: a SeatMap cannot be built without a sound one."""
    places = [(f"seats[{i}].zone", seat.zone) for i, seat in enumerate(seat_map.seats)]
    places += [(f"pools[{i}].zone", pool.zone) for i, pool in enumerate(seat_map.pools)]
    problems = (_unknown_zone(where, zone, zone_ids) for where, zone in places)
    return [f"{where}: {what}" for where, what, _ in filter(None, problems)]


# --- labels ---------------------------------------------------------------------------------

_ROW_AND_SEAT: dict[str, tuple[str, str]] = {
    "nl": ("rij", "stoel"),
    "fr": ("rang", "place"),
    "en": ("row", "seat"),
}


def seat_label(seat_map: SeatMap, seat: Seat, lang: str) -> str:
    """What a person reads on a ticket: "Balkon rij C stoel 12", "Balcony row C seat 12"."""
    row_word, seat_word = _ROW_AND_SEAT.get(lang, _ROW_AND_SEAT[DEFAULT_LANGUAGE])
    section = next((s for s in seat_map.sections if s.id == seat.section), None)
    name = pick(section.name, lang) if section else seat.section
    return f"{name} {row_word} {seat.row} {seat_word} {seat.number}"


def seat_id(section: str, row: str, number: int) -> str:
    """The id an imported seat gets when it has none: "balkon-c-12"."""
    text = unicodedata.normalize("NFKD", f"{section}-{row}-{number}".casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# --- JSON -----------------------------------------------------------------------------------


def _text_to_json(text: LocalizedText) -> dict[str, str]:
    return {lang: text[lang] for lang in LANGUAGES if lang in text} | dict(text)


def seat_to_json(seat: Seat) -> dict[str, Any]:
    return {
        "id": seat.id,
        "section": seat.section,
        "row": seat.row,
        "number": seat.number,
        "x": seat.x,
        "y": seat.y,
        "zone": seat.zone,
        "attributes": sorted(attribute.value for attribute in seat.attributes),
    }


def to_json(seat_map: SeatMap) -> dict[str, Any]:
    return {
        "id": seat_map.id,
        "hall": seat_map.hall,
        "sections": [
            {"id": section.id, "name": _text_to_json(section.name)} for section in seat_map.sections
        ],
        "seats": [seat_to_json(seat) for seat in seat_map.seats],
        "pools": [
            {
                "id": pool.id,
                "name": _text_to_json(pool.name),
                "capacity": pool.capacity,
                "zone": pool.zone,
            }
            for pool in seat_map.pools
        ],
    }


def read_document(
    data: Any, zone_ids: set[str] | None = None, *, stored: bool = False
) -> SeatMapDocument:
    """A seat map document (`stored`: with its id and hall, as the store keeps it), or an
    invalid-input Problem naming every bad value at once ("seats[3].zone"): each item's own
    values, the items' structure, and with `zone_ids` every zone outside them."""
    document, problems = _checked(data, zone_ids, stored=stored)
    if document is None or problems:
        raise invalid(*problems)
    return document


def _checked(
    data: Any, zone_ids: set[str] | None, *, stored: bool
) -> tuple[SeatMapDocument | None, list[FieldError]]:
    """The document and what is wrong with it. Items with a bad value are left out of the
    structure checks, so one mistake is not reported again as a follow-on one; their section
    and zone are still checked when those are sound."""
    from pydantic import ValidationError

    from chalicelib.core.edge import field_errors
    from chalicelib.inventory.seatmap_schemas import SeatMapDocument, StoredSeatMap

    model = StoredSeatMap if stored else SeatMapDocument
    document: SeatMapDocument | None = None
    try:
        document = model.model_validate(data)
    except ValidationError as error:
        problems = field_errors(model, error, "body")
    else:
        problems = []
    if not isinstance(data, dict):
        return None, problems
    raw = {key: data.get(key) for key in ("sections", "seats", "pools")}
    lists = {key: value if isinstance(value, list) else [] for key, value in raw.items()}
    if document is not None:  # each item read once: a stored map is read on every cold start
        seats = {index: _seat(seat) for index, seat in enumerate(document.seats)}
        pools = {index: _pool(pool) for index, pool in enumerate(document.pools)}
    else:
        seats, pools = _sound_items(lists)
    section_ids = {
        index: item["id"]
        for index, item in enumerate(lists["sections"])
        if isinstance(item, dict) and _is_id(item.get("id"))
    }  # known even with a bad name: its seats are in a known section
    issues = _structure_problems(None, section_ids, seats, pools)
    for index, item in enumerate(lists["seats"]):
        section = item.get("section") if isinstance(item, dict) else None
        if index not in seats and _is_id(section) and section not in section_ids.values():
            issues.append(_unknown_section(f"seats[{index}].section", section))
    if zone_ids is not None:
        for key in ("seats", "pools"):
            for index, item in enumerate(lists[key]):
                zone = item.get("zone") if isinstance(item, dict) else None
                if _is_id(zone) and (
                    found := _unknown_zone(f"{key}[{index}].zone", zone, zone_ids)
                ):
                    issues.append(found)
    if not lists["seats"] and not lists["pools"]:
        issues.append(_EMPTY)
    problems += [FieldError(where, what, expected, "body") for where, what, expected in issues]
    return document, problems


def _is_id(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def _sound_items(lists: dict[str, list[Any]]) -> tuple[dict[int, Seat], dict[int, GaPool]]:
    """index → item, of the seats and pools sound on their own."""
    from pydantic import ValidationError

    from chalicelib.inventory.seatmap_schemas import PoolIn, SeatIn

    seats: dict[int, Seat] = {}
    pools: dict[int, GaPool] = {}
    for index, item in enumerate(lists["seats"]):
        with contextlib.suppress(ValidationError):
            seats[index] = _seat(SeatIn.model_validate(item))
    for index, item in enumerate(lists["pools"]):
        with contextlib.suppress(ValidationError):
            pools[index] = _pool(PoolIn.model_validate(item))
    return seats, pools


def _section(item: SectionIn) -> Section:
    return Section(item.id, item.name.as_dict())


def _seat(item: SeatIn) -> Seat:
    ident = item.id or seat_id(item.section, item.row, item.number)
    return Seat(
        ident, item.section, item.row, item.number, item.x, item.y, item.zone, item.attributes
    )


def _pool(item: PoolIn) -> GaPool:
    return GaPool(item.id, item.name.as_dict(), item.capacity, item.zone)


def seat_map_of(document: SeatMapDocument, *, map_id: str, hall: str) -> SeatMap:
    """The map a sound document describes, under `map_id` for `hall` (a published map never
    changes: a new upload is a new map)."""
    return SeatMap(
        map_id,
        hall,
        tuple(_section(section) for section in document.sections),
        tuple(_seat(seat) for seat in document.seats),
        tuple(_pool(pool) for pool in document.pools),
    )


def from_json(document: Any, *, zone_ids: set[str] | None = None) -> SeatMap:
    """A map from the JSON format, with its id and hall (`to_json`'s, as the store keeps it).
    With `zone_ids`, every zone must be one of them. Raises an invalid-input Problem naming
    every bad value ("seats[3].zone")."""
    stored = read_document(document, zone_ids, stored=True)
    assert stored.id is not None and stored.hall is not None  # a stored map names both
    return seat_map_of(stored, map_id=stored.id, hall=stored.hall)


# --- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS: tuple[str, ...] = ("section", "row", "seat", "x", "y", "zone", "attributes")
# JSON seat field → CSV column, where they differ; a derived id comes from the seat column.
_CSV_COLUMN = {"number": "seat", "id": "seat"}


def _csv_value(text: str, convert: type[int] | type[float]) -> int | float | str:
    # Decimal commas are accepted: a Belgian spreadsheet writes them.
    try:
        return convert(text.strip().replace(",", ".") if convert is float else text.strip())
    except ValueError:
        return text


def from_csv(
    text: str,
    *,
    map_id: str,
    hall: str,
    section_names: dict[str, LocalizedText] | None = None,
    zone_ids: set[str] | None = None,
) -> SeatMap:
    """A map from the simple CSV format, one seat a line (see the module docstring). Sections
    are the distinct section ids, named from `section_names` or the id capitalised. Raises an
    invalid-input Problem naming every bad value as "line 7: x"."""
    document = read_csv(
        text, map_id=map_id, hall=hall, section_names=section_names, zone_ids=zone_ids
    )
    return seat_map_of(document, map_id=map_id, hall=hall)


def read_csv(
    text: str,
    *,
    map_id: str | None = None,
    hall: str | None = None,
    section_names: dict[str, LocalizedText] | None = None,
    zone_ids: set[str] | None = None,
) -> SeatMapDocument:
    """The CSV format read into the JSON format's document, checked as that is; every bad
    value is named by its line and column ("line 7: x"), all at once."""
    text = text.removeprefix("\ufeff")  # the byte-order mark a spreadsheet may write
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        header_errors = _header_errors(header)
        if header_errors:
            raise invalid(*header_errors)
        errors: list[FieldError] = []
        seats: list[dict[str, Any]] = []
        lines: list[int] = []  # the line each seat came from
        section_lines: dict[str, int] = {}  # each section's first line
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue  # blank lines, often at the end
            if len(values) > len(header):
                expected = f"{len(header)} values"
                errors.append(FieldError(f"line {line}", "too many values", expected, "body"))
                continue
            # A short line leaves its last columns out; the document reports them missing.
            seat = _csv_seat(dict(zip(header, values, strict=False)))
            section_lines.setdefault(seat.get("section", ""), line)
            seats.append(seat)
            lines.append(line)
    except csv.Error as error:
        raise invalid(
            FieldError(f"line {reader.line_num}", str(error), "valid CSV", "body")
        ) from None

    names = section_names or {}
    section_ids = [section for section in section_lines if section]
    data: dict[str, Any] = {
        "sections": [
            {"id": section, "name": dict(names.get(section) or _capitalised(section))}
            for section in section_ids
        ],
        "seats": seats,
    }
    data |= {"id": map_id} if map_id is not None else {}
    data |= {"hall": hall} if hall is not None else {}
    document, problems = _checked(data, zone_ids, stored=False)
    if document is not None and not problems and not errors:
        return document
    errors += [_csv_error(problem, lines, section_ids, section_lines) for problem in problems]
    # A bad section id is reported for its section and for its first seat: say it once.
    raise invalid(*sorted(dict.fromkeys(errors), key=_line_number))


def _header_errors(header: list[str]) -> list[FieldError]:
    expected = ",".join(CSV_COLUMNS)
    errors = [
        FieldError(f"line 1: {column}", "missing column", expected, "body")
        for column in CSV_COLUMNS
        if column not in header
    ]
    for position, column in enumerate(header):
        if column not in CSV_COLUMNS:
            errors.append(FieldError(f"line 1: {column}", "unknown column", expected, "body"))
        elif column in header[:position]:
            errors.append(FieldError(f"line 1: {column}", "duplicate column", expected, "body"))
    return errors


def _csv_seat(raw: dict[str, str]) -> dict[str, Any]:
    """One CSV line as a seat of the JSON format; a value that does not convert stays text,
    so that `_read` reports it with the rest."""
    seat: dict[str, Any] = {}
    for column, value in raw.items():
        if column == "attributes":
            seat["attributes"] = [item.strip() for item in value.split("|") if item.strip()]
        elif column == "seat":
            seat["number"] = _csv_value(value, int)
        elif column in ("x", "y"):
            seat[column] = _csv_value(value, float)
        else:
            seat[column] = value.strip()
    return seat


def _capitalised(section_id: str) -> dict[str, str]:
    name = section_id.replace("-", " ").capitalize()
    return {lang: name for lang in LANGUAGES}


_SEAT_PLACE = re.compile(r"^seats\[(\d+)\](?:\.(\w+))?$")
_SECTION_PLACE = re.compile(r"^sections\[(\d+)\]")


def _csv_error(
    problem: FieldError,
    lines: list[int],
    section_ids: list[str],
    section_lines: dict[str, int],
) -> FieldError:
    """A problem found in the equivalent JSON document, placed on its CSV line and column."""
    where, what, expected = problem.field, problem.detail, problem.expected
    if match := _SEAT_PLACE.match(where):
        line, key = lines[int(match[1])], match[2]
        column = _CSV_COLUMN.get(key, key) if key else None
        return FieldError(
            f"line {line}: {column}" if column else f"line {line}", what, expected, "body"
        )
    if match := _SECTION_PLACE.match(where):
        line = section_lines[section_ids[int(match[1])]]
        return FieldError(f"line {line}: section", what, expected, "body")
    if where == "id":
        return FieldError("map_id", what, expected, "query")
    if where == "hall":
        return FieldError("hall", what, expected, "query")
    return FieldError("body", what, expected, "body")


def _line_number(error: FieldError) -> int:
    match = re.match(r"^line (\d+)", error.field)
    return int(match[1]) if match else 0
