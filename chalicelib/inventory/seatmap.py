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

import csv
import io
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chalicelib.core.errors import FieldError, invalid
from chalicelib.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, LocalizedText, pick
from chalicelib.store.keys import ID_PATTERN


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


_MISSING = object()


def _shown(value: Any) -> str:
    """An offending value for a message, cut short: a message must not echo a whole upload."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Reader:
    """Reads values out of a JSON document, noting every bad one instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[_Issue] = []

    def bad(self, where: str, what: str, expected: str) -> None:
        self.problems.append((where, what, expected))

    def object(self, value: Any, where: str, allowed: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.bad(where, "not an object", "an object with " + ", ".join(allowed))
            return None
        for key in value:
            if key not in allowed:
                prefix = f"{where}." if where else ""
                self.bad(f"{prefix}{key}", "unknown field", "one of " + ", ".join(allowed))
        return value

    def list(self, document: dict[str, Any], key: str) -> list[Any]:
        value = document.get(key, [])
        if not isinstance(value, list):
            self.bad(key, "not a list", "a list")
            return []
        return value

    def id(self, obj: dict[str, Any], key: str, where: str) -> str | None:
        value = obj.get(key, _MISSING)
        if value is _MISSING:
            self.bad(where, "missing", _ID_EXPECTED)
        elif not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            self.bad(where, f"invalid id {_shown(value)}", _ID_EXPECTED)
        else:
            return value
        return None

    def label(self, obj: dict[str, Any], key: str, where: str) -> str | None:
        """A row label as printed; a number is read as its text."""
        value = obj.get(key, _MISSING)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is _MISSING:
            self.bad(where, "missing", "a row label such as 'C' or '12'")
        elif not isinstance(value, str) or not value.strip():
            self.bad(where, f"invalid row {_shown(value)}", "a row label such as 'C' or '12'")
        else:
            return value.strip()
        return None

    def count(self, obj: dict[str, Any], key: str, where: str) -> int | None:
        value = obj.get(key, _MISSING)
        if value is _MISSING:
            self.bad(where, "missing", "a whole number, at least 1")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.bad(where, f"invalid value {_shown(value)}", "a whole number, at least 1")
        else:
            return value
        return None

    def number(self, obj: dict[str, Any], key: str, where: str) -> float | None:
        value = obj.get(key, _MISSING)
        if value is _MISSING:
            self.bad(where, "missing", "a number")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:  # an int too large for a float
                number = math.inf
            if math.isfinite(number):
                return number
        self.bad(where, f"not a number: {_shown(value)}", "a number")
        return None

    def text(self, obj: dict[str, Any], key: str, where: str) -> dict[str, str] | None:
        expected = "an object with a Dutch text: {nl, fr, en}"
        value = obj.get(key, _MISSING)
        if value is _MISSING:
            self.bad(where, "missing", expected)
            return None
        if not isinstance(value, dict) or not isinstance(value.get("nl"), str):
            self.bad(where, "needs at least a Dutch text", expected)
            return None
        good = True
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.bad(
                    f"{where}.{lang}", "unsupported language", "one of " + ", ".join(LANGUAGES)
                )
                good = False
            elif not isinstance(text, str) or not text.strip():
                self.bad(f"{where}.{lang}", "empty or not a text", "a non-empty text")
                good = False
        return dict(value) if good else None

    def zone(self, zone: str | None, where: str, zone_ids: set[str] | None) -> None:
        if zone is not None and zone_ids is not None:
            problem = _unknown_zone(where, zone, zone_ids)
            if problem:
                self.problems.append(problem)

    def attributes(self, obj: dict[str, Any], where: str) -> frozenset[SeatAttribute] | None:
        expected = "a list of " + ", ".join(attribute.value for attribute in SeatAttribute)
        value = obj.get("attributes", [])
        if not isinstance(value, list):
            self.bad(where, "not a list", expected)
            return None
        known = {attribute.value for attribute in SeatAttribute}
        unknown = [item for item in value if not isinstance(item, str) or item not in known]
        if unknown:
            self.bad(where, f"unknown attributes {_shown(unknown)}", expected)
            return None
        return frozenset(SeatAttribute(item) for item in value)


_MAP_FIELDS = ("id", "hall", "sections", "seats", "pools")
_SECTION_FIELDS = ("id", "name")
_SEAT_FIELDS = ("id", "section", "row", "number", "x", "y", "zone", "attributes")
_POOL_FIELDS = ("id", "name", "capacity", "zone")


def _read(document: Any, zone_ids: set[str] | None) -> tuple[SeatMap | None, list[_Issue]]:
    """The map, or every problem found. Items with a bad value are left out of the later
    checks, so one mistake is not reported again as a follow-on one."""
    reader = _Reader()
    doc = reader.object(document, "", _MAP_FIELDS)
    if doc is None:
        return None, reader.problems
    map_id = reader.id(doc, "id", "id")
    hall = reader.id(doc, "hall", "hall")

    sections: dict[int, Section] = {}
    section_ids: dict[int, str] = {}
    for index, item in enumerate(reader.list(doc, "sections")):
        where = f"sections[{index}]"
        obj = reader.object(item, where, _SECTION_FIELDS)
        if obj is None:
            continue
        section_id = reader.id(obj, "id", f"{where}.id")
        name = reader.text(obj, "name", f"{where}.name")
        if section_id is not None:
            section_ids[index] = section_id  # known even with a bad name: seats may use it
            if name is not None:
                sections[index] = Section(section_id, name)

    seats: dict[int, Seat] = {}
    for index, item in enumerate(reader.list(doc, "seats")):
        where = f"seats[{index}]"
        obj = reader.object(item, where, _SEAT_FIELDS)
        if obj is None:
            continue
        section = reader.id(obj, "section", f"{where}.section")
        row = reader.label(obj, "row", f"{where}.row")
        number = reader.count(obj, "number", f"{where}.number")
        x = reader.number(obj, "x", f"{where}.x")
        y = reader.number(obj, "y", f"{where}.y")
        zone = reader.id(obj, "zone", f"{where}.zone")
        attributes = reader.attributes(obj, f"{where}.attributes")
        reader.zone(zone, f"{where}.zone", zone_ids)
        ident: str | None = None
        if "id" in obj:
            ident = reader.id(obj, "id", f"{where}.id")
        elif section is not None and row is not None and number is not None:
            ident = seat_id(section, row, number)
        values = (ident, section, row, number, x, y, zone, attributes)
        if all(value is not None for value in values):
            seats[index] = Seat(*values)  # type: ignore[arg-type]  # all checked just above
        elif section is not None and section not in section_ids.values():
            # A seat left out of the checks below still gets its section checked.
            reader.problems.append(_unknown_section(f"{where}.section", section))

    pools: dict[int, GaPool] = {}
    for index, item in enumerate(reader.list(doc, "pools")):
        where = f"pools[{index}]"
        obj = reader.object(item, where, _POOL_FIELDS)
        if obj is None:
            continue
        pool_id = reader.id(obj, "id", f"{where}.id")
        name = reader.text(obj, "name", f"{where}.name")
        capacity = reader.count(obj, "capacity", f"{where}.capacity")
        zone = reader.id(obj, "zone", f"{where}.zone")
        reader.zone(zone, f"{where}.zone", zone_ids)
        if pool_id is not None and name is not None and capacity is not None and zone is not None:
            pools[index] = GaPool(pool_id, name, capacity, zone)

    problems = reader.problems + _structure_problems(map_id, section_ids, seats, pools)
    if not any(doc.get(key) for key in ("seats", "pools")):
        problems.append(_EMPTY)
    if problems or map_id is None or hall is None:
        return None, problems
    seat_map = SeatMap(
        map_id, hall, tuple(sections.values()), tuple(seats.values()), tuple(pools.values())
    )
    return seat_map, []


def from_json(document: Any, *, zone_ids: set[str] | None = None) -> SeatMap:
    """A map from the JSON import format. With `zone_ids`, every zone must be one of them.
    Raises an invalid-input Problem naming every bad value ("seats[3].zone")."""
    seat_map, problems = _read(document, zone_ids)
    if seat_map is None:
        raise invalid(*(FieldError(f or "body", what, exp, "body") for f, what, exp in problems))
    return seat_map


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
            # A short line leaves its last columns out; `_read` reports them as missing.
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
    document = {
        "id": map_id,
        "hall": hall,
        "sections": [
            {"id": section, "name": dict(names.get(section) or _capitalised(section))}
            for section in section_ids
        ],
        "seats": seats,
    }
    seat_map, problems = _read(document, zone_ids)
    if seat_map is not None and not errors:
        return seat_map
    for where, what, expected in problems:
        errors.append(_csv_error(where, what, expected, lines, section_ids, section_lines))
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
    where: str,
    what: str,
    expected: str,
    lines: list[int],
    section_ids: list[str],
    section_lines: dict[str, int],
) -> FieldError:
    """A problem found in the equivalent JSON document, placed on its CSV line and column."""
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
