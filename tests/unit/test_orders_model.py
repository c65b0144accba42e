from datetime import timedelta

import pytest

from chalicelib.catalogue.model import Tariff, TariffConditions
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.inventory.model import GaAllocation, Hold
from chalicelib.orders.model import (
    Consents,
    Customer,
    Order,
    OrderStatus,
    price_lines,
    vat_included,
)
from chalicelib.orders.schemas import OrderCommand
from tests.factories import T0, performance
from tests.inventory_fixtures import ZONES, studio_map

SEAT_MAP = studio_map("m", "studio-6", pool_capacity=6)
TARIFFS = (
    Tariff("standaard", {"nl": "Standaard", "en": "Standard"}, {"zone-1": 2800, "zone-2": 2200}),
    Tariff(
        "min26",
        {"nl": "-26", "en": "Under 26"},
        {"zone-1": 1400, "zone-2": 1100},
        TariffConditions(max_per_order=1, proof_required=True, max_age=25),
    ),
    Tariff("gratis", {"nl": "Genodigde"}, {"zone-1": 0, "zone-2": 0}),
)
PERFORMANCE = performance(tariffs=TARIFFS)


def hold(seats=("zaal-a-5", "zaal-c-3"), ga=()) -> Hold:
    return Hold(
        id="h-1",
        performance=PERFORMANCE.id,
        house="ntgent",
        client="c",
        seats=seats,
        ga=ga,
        client_slot=0,
        created_at=T0,
        held_until=T0 + timedelta(minutes=15),
        token_digest="x",
    )


def body(**changes):
    base = {
        "hold_id": "h-1",
        "hold_token": "secret",
        "lines": [
            {"seat": "zaal-a-5", "tariff": "standaard"},
            {"seat": "zaal-c-3", "tariff": "min26"},
        ],
        "customer": {"name": "  An   Peeters ", "email": "An@Example.BE", "language": "en"},
        "consents": {"newsletter_house": True},
    }
    base.update(changes)
    return base


def parse_order_request(request_body) -> OrderCommand:
    return parse(OrderCommand, request_body)


def priced(request_body, the_hold=None, fee=100):
    request = parse_order_request(request_body)
    lang = request.customer.language
    return price_lines(request.places, lang, the_hold or hold(), SEAT_MAP, PERFORMANCE, ZONES, fee)


def test_vat_inside_gross_prices_rounds_half_up():
    assert vat_included(2800, 6) == 158  # 2800 * 6 / 106 = 158.49
    assert vat_included(100, 21) == 17  # 17.36
    assert vat_included(106, 6) == 6
    assert vat_included(0, 6) == 0


def test_a_request_is_parsed_and_normalised():
    request = parse_order_request(body())
    assert request.buyer() == Customer(name="An Peeters", email="an@example.be", language="en")
    assert request.opt_ins() == Consents(newsletter_house=True, newsletter_cluster=False)
    assert request.places == (("zaal-a-5", "standaard"), ("zaal-c-3", "min26"))


def test_lines_are_priced_per_zone_with_the_house_fee_and_labels_in_the_buyer_language():
    lines = priced(body())
    assert [(x.place, x.zone, x.price_cents, x.fee_cents) for x in lines] == [
        ("zaal-a-5", "zone-1", 2800, 100),
        ("zaal-c-3", "zone-2", 1100, 100),
    ]
    assert lines[0].label == "Hall row A seat 5" and lines[1].tariff_name == "Under 26"
    order = Order(
        id="o-1",
        house="ntgent",
        performance=PERFORMANCE.id,
        hold="h-1",
        lines=lines,
        customer=Customer("An", "an@example.be", "en"),
        consents=Consents(),
        status=OrderStatus.AWAITING_PAYMENT,
        created_at=T0,
        pay_before=T0,
        token_digest="x",
    )
    assert order.total_cents == 2800 + 1100 + 200
    assert order.vat_cents == vat_included(3900, 6) + vat_included(200, 21)


def test_free_tickets_carry_no_fee_and_standing_places_are_priced_by_pool_zone():
    ga_hold = hold(seats=(), ga=(GaAllocation("staan", 0, 2),))
    lines = priced(
        body(
            lines=[{"pool": "staan", "tariff": "standaard"}, {"pool": "staan", "tariff": "gratis"}]
        ),
        ga_hold,
    )
    assert [(x.place, x.price_cents, x.fee_cents) for x in lines] == [
        ("ga:staan", 2200, 100),
        ("ga:staan", 0, 0),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"seat": "zaal-a-5"}]}, "lines[0].tariff"),
        ({"lines": [{"tariff": "standaard"}]}, "lines[0]"),
        ({"lines": [{"seat": "zaal-a-5", "pool": "staan", "tariff": "standaard"}]}, "lines[0]"),
        ({"lines": [{"seat": "zaal-a-5", "tariff": "standaard", "x": 1}]}, "lines[0].x"),
        ({"customer": {"name": "An", "email": "not-an-email"}}, "customer.email"),
        ({"customer": {"name": "", "email": "an@example.be"}}, "customer.name"),
        (
            {"customer": {"name": "An", "email": "an@example.be", "language": "de"}},
            "customer.language",
        ),
        (
            {"customer": {"name": "An", "email": "an@example.be", "phone": "call me"}},
            "customer.phone",
        ),
        ({"consents": {"newsletter_house": "yes"}}, "consents.newsletter_house"),
        ({"consents": {"spam": True}}, "consents.spam"),
        ({"hold_token": ""}, "hold_token"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_requests_name_the_field(changes, field):
    with pytest.raises(Problem) as raised:
        parse_order_request(body(**changes))
    assert raised.value.status == 400
    assert field in [error.field for error in raised.value.errors]


def test_lines_must_match_the_hold_exactly():
    with pytest.raises(Problem) as raised:
        priced(body(lines=[{"seat": "zaal-a-5", "tariff": "standaard"}]))
    assert raised.value.errors[0].field == "lines"
    with pytest.raises(Problem):
        priced(
            body(
                lines=[
                    {"seat": "zaal-a-5", "tariff": "standaard"},
                    {"seat": "zaal-a-6", "tariff": "standaard"},
                ]
            )
        )


def test_unknown_tariff_and_tariff_limits():
    with pytest.raises(Problem) as raised:
        priced(
            body(
                lines=[
                    {"seat": "zaal-a-5", "tariff": "vip"},
                    {"seat": "zaal-c-3", "tariff": "standaard"},
                ]
            )
        )
    assert raised.value.errors[0].field == "lines[0].tariff"
    with pytest.raises(Problem) as limited:
        priced(
            body(
                lines=[
                    {"seat": "zaal-a-5", "tariff": "min26"},
                    {"seat": "zaal-c-3", "tariff": "min26"},
                ]
            )
        )
    assert limited.value.status == 422 and limited.value.extra["limit"] == "max_per_order"
