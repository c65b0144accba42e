"""Programme bodies as staff send them: read into the schemas' commands (and from them the
catalogue's objects), or every bad value named at once (400 invalid_input, one field each)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.admin.model import Action
from chalicelib.catalogue.model import Genre, PerformanceStatus
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.programme.schemas import (
    BlockCommand,
    HallCommand,
    PerformanceCommand,
    ProductionCommand,
    VenueCommand,
)
from chalicelib.programme.service import house_of_write, slug


def parse_production(body):
    return parse(ProductionCommand, body)


def parse_performance(body):
    return parse(PerformanceCommand, body)


def parse_block(body):
    return parse(BlockCommand, body)


def parse_hall(body):
    return parse(HallCommand, body)


def parse_venue(body):
    return parse(VenueCommand, body)


PRODUCTION = {
    "title": {"nl": "Het proces", "fr": "Le procès"},
    "genre": "theatre",
    "duration_minutes": 95,
}
PERFORMANCE = {
    "production": "het-proces",
    "hall": "grote-zaal",
    "starts_at": "2027-03-01T19:30:00Z",
    "ends_at": "2027-03-01T21:30:00+00:00",
    "tariffs": [{"id": "standaard", "name": {"nl": "Standaard"}, "prices": {"zone-1": 2400}}],
}


def fields_of(body, parse) -> set[str]:
    with pytest.raises(Problem) as caught:
        parse(body)
    assert (caught.value.status, caught.value.code) == (400, "invalid_input")
    return {error.field for error in caught.value.errors}


def test_a_production_with_the_least_it_needs():
    command = parse_production(PRODUCTION)
    fields = command.production("het-proces", "ntgent")
    assert fields.title == {"nl": "Het proces", "fr": "Le procès"} and fields.genre is Genre.THEATRE
    assert fields.description == {} and fields.images == () and command.house is None


def test_images_take_the_title_as_alt_text_unless_given():
    fields = parse_production(
        {
            **PRODUCTION,
            "images": ["https://x.be/a.jpg", {"url": "https://x.be/b.jpg", "alt": {"nl": "B"}}],
        }
    ).production("het-proces", "ntgent")
    assert [(i.url, dict(i.alt)) for i in fields.images] == [
        ("https://x.be/a.jpg", PRODUCTION["title"]),
        ("https://x.be/b.jpg", {"nl": "B"}),
    ]


def test_every_bad_production_field_is_named():
    body = {
        "title": {"fr": "Sans néerlandais", "de": "Deutsch"},
        "description": {"nl": "  "},
        "genre": "jazz",
        "languages": "nl",
        "duration_minutes": 0,
        "age_advice": 12.5,
        "images": [{"url": "javascript:alert(1)"}],
        "colour": "red",
        "house": "Not An Id",
    }
    assert fields_of(body, parse_production) == {
        "title.nl",
        "title.de",
        "description.nl",
        "genre",
        "languages",
        "duration_minutes",
        "age_advice",
        "images[0].url",
        "colour",
        "house",
    }
    assert fields_of([], parse_production) >= {"body"}
    assert fields_of({**PRODUCTION, "title": {"nl": "x" * 5001}}, parse_production) == {"title.nl"}


def test_a_performance_defaults_to_a_draft_whose_sales_close_when_it_starts():
    fields = parse_performance(PERFORMANCE)
    assert fields.performance_status is PerformanceStatus.DRAFT
    assert fields.ends_at == datetime(2027, 3, 1, 21, 30, tzinfo=UTC)
    assert fields.sales_opens_at is None and fields.sales_closes_at is None
    assert fields.tariffs[0].tariff().prices == {"zone-1": 2400} and fields.rules == {}


def test_the_times_of_a_performance_must_follow_each_other():
    assert fields_of({**PERFORMANCE, "ends_at": PERFORMANCE["starts_at"]}, parse_performance) == {
        "ends_at"
    }
    assert fields_of({**PERFORMANCE, "starts_at": "2027-03-01T19:30:00"}, parse_performance) == {
        "starts_at"  # no time zone
    }
    late = {**PERFORMANCE, "sales_closes_at": "2027-03-01T23:00:00Z"}
    assert fields_of(late, parse_performance) == {"sales_closes_at"}
    backwards = {**PERFORMANCE, "sales_opens_at": "2027-03-02T10:00:00Z"}
    assert fields_of(backwards, parse_performance) == {"sales_closes_at"}


def test_tariffs_and_status_are_checked_one_by_one():
    body = {
        **PERFORMANCE,
        "status": "cancelled",  # a cancellation has its own route
        "hold_minutes": 0,
        "tariffs": [
            {"id": "standaard", "name": {"nl": "Standaard"}, "prices": {"zone-1": -1}},
            {"id": "standaard", "name": {"en": "Student"}, "prices": {}},
            {
                "id": "kind",
                "name": {"nl": "Kind"},
                "prices": {"zone-1": 800},
                "conditions": {"min_age": 12, "max_age": 6, "proof_required": "yes"},
            },
        ],
    }
    assert fields_of(body, parse_performance) == {
        "status",
        "hold_minutes",
        "tariffs[0].prices.zone-1",
        "tariffs[1].id",
        "tariffs[1].name.nl",
        "tariffs[1].prices",
        "tariffs[2].conditions.max_age",
        "tariffs[2].conditions.proof_required",
    }
    assert fields_of({**PERFORMANCE, "tariffs": []}, parse_performance) == {"tariffs"}
    assert fields_of({"extra": 1}, parse_performance) >= {"extra", "production", "hall"}


def test_blocking_needs_seats_and_a_reason():
    assert parse_block({"seats": ["zaal-1-1"], "reason": " pers "}).reason == "pers"
    assert fields_of({"seats": [], "reason": "pers"}, parse_block) == {"seats"}
    assert fields_of({"seats": ["a", "a"]}, parse_block) == {"seats", "reason"}


def test_the_house_of_a_write_comes_from_the_token():
    assert house_of_write(frozenset({"ntgent"}), None) == "ntgent"
    assert house_of_write(frozenset({"ntgent", "campo"}), "campo") == "campo"
    with pytest.raises(Problem) as caught:
        house_of_write(frozenset({"ntgent"}), "campo")
    assert (caught.value.status, caught.value.code) == (403, "role_required")
    assert Action.PROGRAMME.value in str(caught.value.detail)
    with pytest.raises(Problem) as caught:
        house_of_write(frozenset({"ntgent", "campo"}), None)
    assert caught.value.errors[0].field == "house"
    with pytest.raises(Problem) as caught:
        house_of_write(frozenset({"ntgent", "campo"}), "campo", existing="ntgent")
    assert caught.value.errors[0].field == "house"  # an object does not move house


def test_production_ids_read_like_their_title():
    assert slug("Boléro — Ravel & co!") == "bolero-ravel-co"


def test_a_hall_needs_a_venue_and_sound_price_zones():
    zone = {"id": "zone-1", "name": {"nl": "Zone 1"}, "rank": 1, "color": "#112233"}
    hall = parse_hall({"venue": "vleugel", "name": "Studio", "price_zones": [zone]})
    assert hall.capacity is None and hall.layout.value == "seated"
    assert hall.zones()[0].name == {"nl": "Zone 1"}
    bad = {
        "name": " ",
        "layout": "arena",
        "capacity": -1,
        "price_zones": [zone, {**zone, "color": "red", "rank": 0}],
    }
    assert fields_of(bad, parse_hall) == {
        "venue",
        "name",
        "layout",
        "capacity",
        "price_zones[1].id",
        "price_zones[1].rank",
        "price_zones[1].color",
    }
    assert fields_of({"name": "Zolder", "city": "Gent"}, parse_venue) == {"address"}


def test_values_of_the_wrong_json_type_are_named_not_crashed_on():
    """Found by Schemathesis: an object where a string was expected is a 400, not a 500."""
    assert "genre" in fields_of({**PRODUCTION, "genre": {}}, parse_production)
    assert "status" in fields_of({**PERFORMANCE, "status": []}, parse_performance)
    assert "layout" in fields_of({"layout": {"a": 1}}, parse_hall)


def test_every_example_in_the_schemas_is_a_valid_instance_of_its_model():
    """The API document shows these examples: each must be what its model reads or answers."""
    import inspect

    from pydantic import BaseModel

    from chalicelib.inventory import seatmap_schemas
    from chalicelib.programme import schemas

    checked = 0
    for module in (schemas, seatmap_schemas):
        for model in vars(module).values():
            if not (inspect.isclass(model) and issubclass(model, BaseModel)):
                continue
            for example in (model.model_config.get("json_schema_extra") or {}).get("examples", []):
                assert model.model_validate(example), model.__name__
                checked += 1
    assert checked >= 20
