from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.catalogue.model import (
    PerformanceStatus,
    SalesState,
    Tariff,
    availability,
    availability_level,
    matches_text,
    search_text,
)
from tests.factories import T0, hall, performance, production


def test_sales_state_follows_status_window_and_clock():
    p = performance(starts_at=T0 + timedelta(days=3), sales_opens_at=T0 - timedelta(days=1))
    assert p.sales_state(T0) is SalesState.ON_SALE
    assert p.sales_state(T0 - timedelta(days=2)) is SalesState.NOT_YET_ON_SALE
    assert p.sales_state(p.sales_closes_at) is SalesState.SALES_CLOSED
    assert replace(p, status=PerformanceStatus.SOLD_OUT).sales_state(T0) is SalesState.SOLD_OUT
    cancelled = replace(p, status=PerformanceStatus.CANCELLED)
    assert cancelled.sales_state(T0) is SalesState.CANCELLED
    draft = replace(p, status=PerformanceStatus.DRAFT)
    assert draft.sales_state(T0) is SalesState.NOT_YET_ON_SALE
    assert not draft.is_public


def test_performance_rejects_impossible_times():
    with pytest.raises(ValueError, match="ends before"):
        performance(ends_at=T0)
    with pytest.raises(ValueError, match="sales window"):
        performance(sales_opens_at=T0 + timedelta(days=10))
    with pytest.raises(ValueError, match="sales close after"):
        p = performance()
        replace(p, sales_closes_at=p.ends_at + timedelta(minutes=1))


def test_tariff_prices_are_non_negative_integer_cents():
    with pytest.raises(ValueError):
        Tariff(id="x", name={"nl": "X"}, prices={"zone-1": -1})
    with pytest.raises(ValueError):
        Tariff(id="x", name={"nl": "X"}, prices={"zone-1": 12.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        Tariff(id="x", name={"nl": "X"}, prices={})


def test_tariffs_must_price_zones_of_the_performance_hall():
    p = performance()
    p.check_against(hall(), production())
    odd = replace(p, tariffs=(Tariff(id="s", name={"nl": "S"}, prices={"balkon": 1000}),))
    with pytest.raises(ValueError, match="unknown price zones"):
        odd.check_against(hall(), production())
    with pytest.raises(ValueError, match="not this house's hall"):
        p.check_against(hall(house="campo"), production())
    with pytest.raises(ValueError, match="production"):
        p.check_against(hall(), production(house="campo"))


def test_text_search_ignores_case_and_accents_in_any_language():
    text = search_text({"nl": "Boléro", "fr": "Le Boléro de Ravel", "en": "Bolero"})
    assert matches_text(text, "bolero")
    assert matches_text(text, "RAVEL bolero")
    assert not matches_text(text, "ravel tango")


def test_availability_summary_reflects_sales_state():
    p = performance()
    assert availability(p, hall(), T0).level == "available"
    sold_out = replace(p, status=PerformanceStatus.SOLD_OUT)
    assert availability(sold_out, hall(), T0).level == "sold_out"
    assert availability(p, hall(), p.ends_at).level == "unavailable"
    assert availability(p, hall(), T0).capacity == 700


@pytest.mark.parametrize(
    ("free", "capacity", "level"),
    [
        (0, 50, "sold_out"),
        (-2, 50, "sold_out"),  # a count that raced below zero is still sold out
        (1, 50, "limited"),
        (5, 50, "limited"),  # exactly 10 % left
        (6, 50, "available"),  # just over 10 %
        (50, 50, "available"),
        (1, 9, "available"),  # under ten places, 10 % is less than one: never limited
        (1, 10, "limited"),
        (2, 10, "available"),
        (70, 700, "limited"),
        (71, 700, "available"),
    ],
)
def test_availability_level_edges(free, capacity, level):
    assert availability_level(free, capacity) == level


def test_the_from_price_is_one_anyone_can_pay():
    from chalicelib.catalogue.model import TariffConditions
    from chalicelib.catalogue.schemas import PerformanceSummary

    p = performance(
        tariffs=(
            Tariff("standaard", {"nl": "Standaard"}, {"zone-1": 2800, "zone-2": 2200}),
            Tariff(
                "kansentarief",
                {"nl": "Kansentarief"},
                {"zone-1": 560, "zone-2": 440},
                TariffConditions(proof_required=True),
            ),
            Tariff("genodigde", {"nl": "Genodigde"}, {"zone-1": 0, "zone-2": 0}),
        )
    )
    assert PerformanceSummary.of(p, "nl", T0).price_from_cents == 2200


def test_a_listing_carries_the_image_in_the_language_asked():
    from chalicelib.catalogue.model import Image
    from chalicelib.catalogue.schemas import PerformanceSummary
    from chalicelib.core.edge import render

    image = Image(url="/img/storm.jpg", alt={"nl": "Storm op zee", "en": "Storm at sea"})
    summary = render(PerformanceSummary.of(replace(performance(), image=image), "en", T0))
    assert summary["image"] == {"url": "/img/storm.jpg", "alt": "Storm at sea"}
    assert render(PerformanceSummary.of(performance(), "nl", T0))["image"] is None
