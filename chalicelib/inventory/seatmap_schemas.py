"""A seat map as JSON: what staff send (`SeatMapDocument`, a PUT of a hall's seat map, or its
CSV read into one) and what the store keeps (`StoredSeatMap`: id and hall named). The one place
the document's shape is checked; the API document describes the upload from these classes.

What one item says about itself is pydantic's to check; what the items say about each other
(a duplicate seat, a seat in an unknown section) and the hall's price zones are the reader's
(chalicelib/inventory/seatmap.py `read_document`), which reports them all at once with these.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field, Strict, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.core.edge import Body, Id, Whole, expect
from chalicelib.inventory.seatmap import SeatAttribute

TEXT_EXPECTED = "an object with a Dutch text: {nl, fr, en}"
_NON_BLANK = r"\S"  # a name of spaces only is no name; the text is kept as written


def _shown(value: Any) -> str:
    """An offending value for a message, cut short: a message must not echo a whole upload."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class MapText(Body):
    """an object with a Dutch text: {nl, fr, en}"""

    nl: Annotated[str, expect("a non-empty text", pattern=_NON_BLANK)]
    fr: Annotated[str | None, expect("a non-empty text", pattern=_NON_BLANK)] = None
    en: Annotated[str | None, expect("a non-empty text", pattern=_NON_BLANK)] = None

    @model_validator(mode="before")
    @classmethod
    def _dutch_first(cls, value: Any) -> Any:
        # Without Dutch the name as a whole is wrong, not one language of it.
        if not isinstance(value, dict) or not isinstance(value.get("nl"), str):
            raise PydanticCustomError(
                "text", "needs at least a Dutch text", {"expected": TEXT_EXPECTED}
            )
        return value

    def as_dict(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


def _row(value: Any) -> Any:
    """A row label as printed; a number is read as its text ("12")."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("row", "invalid row {row}", {"row": _shown(value)})
    return value.strip()


ATTRIBUTES_EXPECTED = "a list of " + ", ".join(attribute.value for attribute in SeatAttribute)


def _attributes(value: Any) -> Any:
    """The list as a whole is named when one attribute is unknown, as the CSV column is."""
    if not isinstance(value, list | tuple | set | frozenset):
        raise PydanticCustomError("attributes", "not a list")
    known = {attribute.value for attribute in SeatAttribute}
    unknown = [item for item in value if not isinstance(item, str) or item not in known]
    if unknown:
        raise PydanticCustomError(
            "attributes", "unknown attributes {which}", {"which": _shown(unknown)}
        )
    return value


Row = Annotated[str, BeforeValidator(_row), Field(description="a row label such as 'C' or '12'")]
# Drawing coordinates: JSON numbers only ("1.5" is text, true is no number), and finite.
Coordinate = Annotated[float, Strict(), Field(allow_inf_nan=False, description="a number")]
Attributes = Annotated[
    frozenset[SeatAttribute], BeforeValidator(_attributes), Field(description=ATTRIBUTES_EXPECTED)
]
Count = Annotated[Whole, expect("a whole number, at least 1", ge=1)]


class SectionIn(Body):
    """a section: {"id", "name"}"""

    id: Id
    name: MapText


class SeatIn(Body):
    """a seat: {"section", "row", "number", "x", "y", "zone", "attributes"?, "id"?}"""

    id: Id | None = None  # left out: derived from section, row and number ("balkon-c-12")
    section: Id
    row: Row
    number: Count
    x: Coordinate
    y: Coordinate
    zone: Id
    attributes: Attributes = frozenset()


class PoolIn(Body):
    """a standing or free-seating area: {"id", "name", "capacity", "zone"}"""

    id: Id
    name: MapText
    capacity: Count
    zone: Id


_EXAMPLE: dict[str, Any] = {
    "sections": [{"id": "balkon", "name": {"nl": "Balkon", "fr": "Balcon", "en": "Balcony"}}],
    "seats": [
        {
            "section": "balkon",
            "row": "C",
            "number": 12,
            "x": 31.5,
            "y": 40.2,
            "zone": "zone-3",
            "attributes": ["aisle"],
        }
    ],
    "pools": [
        {
            "id": "staanplaatsen",
            "name": {"nl": "Staanplaatsen", "fr": "Debout", "en": "Standing"},
            "capacity": 250,
            "zone": "staanplaats",
        }
    ],
}


class SeatMapDocument(Body):
    """a seat map"""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    id: Annotated[Id | None, Field(description="ignored on upload: a new map gets a new id")] = None
    hall: Annotated[Id | None, Field(description="the hall's id, if given")] = None
    sections: tuple[SectionIn, ...] = ()
    seats: tuple[SeatIn, ...] = ()
    pools: tuple[PoolIn, ...] = ()


class StoredSeatMap(SeatMapDocument):
    """a seat map"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": "ntgent-schouwburg-grote-zaal-map", "hall": "ntgent-schouwburg-grote-zaal"}
                | _EXAMPLE
            ]
        }
    )

    id: Id  # required once stored
    hall: Id
