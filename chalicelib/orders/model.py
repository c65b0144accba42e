"""Orders and pricing: the rules, without AWS or HTTP.

Prices are what the buyer pays, VAT included (Belgian law shows consumers gross prices); the
VAT inside them is computed and shown, never added. Money is integer euro cents.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.catalogue.model import Performance, PriceZone, Tariff
from chalicelib.core.errors import FieldError, invalid, unknown_parameters
from chalicelib.core.i18n import LANGUAGES, pick
from chalicelib.inventory.model import Hold
from chalicelib.inventory.seatmap import SeatMap, seat_label
from chalicelib.orders.problems import max_per_order

TICKET_VAT_PERCENT = 6  # Belgian reduced rate for admission to cultural events
FEE_VAT_PERCENT = 21  # a service fee is a service: standard rate
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,20}$")


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"  # money in, tickets not yet issued
    COMPLETED = "completed"  # tickets issued and mailed
    CANCELLED = "cancelled"  # no money taken (declined, expired, abandoned)
    REFUNDED = "refunded"  # money taken and given back (e.g. seats lost after expiry)

    @property
    def final(self) -> bool:
        return self in (OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REFUNDED)


@dataclass(frozen=True)
class Customer:
    name: str
    email: str
    language: str
    phone: str | None = None


@dataclass(frozen=True)
class Consents:
    """Newsletter consents are opt-in: absent means no."""

    newsletter_house: bool = False
    newsletter_cluster: bool = False


@dataclass(frozen=True)
class OrderLine:
    place: str  # a seat id, or "ga:<pool>" for a standing place
    label: str  # "Balkon rij C stoel 12", in the buyer's language
    zone: str
    tariff: str
    tariff_name: str
    price_cents: int  # VAT included
    fee_cents: int  # service fee, VAT included

    @property
    def total_cents(self) -> int:
        return self.price_cents + self.fee_cents


def vat_included(gross_cents: int, percent: int) -> int:
    """The VAT inside a gross amount, rounded half up to the cent."""
    return (gross_cents * percent * 2 + (100 + percent)) // ((100 + percent) * 2)


@dataclass(frozen=True)
class StatusChange:
    """One step of an order's life, for staff: when, to what, by whom (None: the system)."""

    at: datetime
    status: str
    by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Exchange:
    """Some of an order's tickets moved to another order (another performance): their money
    went with them, less what was refunded (a cheaper exchange)."""

    order: str  # the new order
    tickets: tuple[str, ...]  # this order's tickets that moved
    moved_cents: int  # what they had cost here (price and fee)
    refund_cents: int  # given back on this order's payment
    at: datetime
    by: str


@dataclass(frozen=True)
class Order:
    id: str
    house: str
    performance: str
    hold: str
    lines: tuple[OrderLine, ...]
    customer: Customer
    consents: Consents
    status: OrderStatus
    created_at: datetime
    pay_before: datetime  # the hold's extended expiry: the payment must land before it
    token_digest: str
    payment_session: str | None = None
    payment_url: str | None = None
    payment_intent: str | None = None
    tickets: tuple[str, ...] = ()
    refunded_cents: int = 0
    mailed: bool = False
    channel: str = "web"  # web | box_office
    payment_method: str | None = None  # None (Stripe, on the web) | cash | card_terminal | comp
    sold_by: str | None = None  # the staff member at the desk
    comp_reason: str | None = None  # why complimentary tickets were given
    cancelled_at: datetime | None = None  # cancelled by staff (tickets void, seats released)
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    cancel_refund_cents: int | None = None  # what a staff cancel refunds, fixed on its first try
    cancel_refund_total: int | None = None  # refunded_cents once that cancel is done
    exchanged_from: str | None = None  # this order replaces that one (another performance)
    exchanged_to: str | None = None  # this order was replaced: its money went to that one
    history: tuple[StatusChange, ...] = ()
    exchanges: tuple[Exchange, ...] = ()  # its tickets that moved to other orders
    replaces: tuple[str, ...] = ()  # (an exchange's new order) the tickets of exchanged_from
    exchange_paid_cents: int = 0  # (an exchange's new order) the difference paid at the desk

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    @property
    def moved_tickets(self) -> frozenset[str]:
        return frozenset(t for e in self.exchanges for t in e.tickets)

    @property
    def kept_lines(self) -> tuple[OrderLine, ...]:
        """Its lines whose tickets did not move to another order (line n is ticket n)."""
        moved = self.moved_tickets
        return tuple(
            line
            for index, line in enumerate(self.lines)
            if index >= len(self.tickets) or self.tickets[index] not in moved
        )

    @property
    def moved_cents(self) -> int:
        return sum(e.moved_cents for e in self.exchanges)

    @property
    def own_refunded_cents(self) -> int:
        """Refunded for this order's own tickets: not the price differences of exchanges."""
        return self.refunded_cents - sum(e.refund_cents for e in self.exchanges)

    @property
    def held_cents(self) -> int:
        """What the house holds for the tickets still this order's: paid, less the value of
        the tickets that moved (it went with them), less what was refunded for the rest."""
        return self.total_cents - self.moved_cents - self.own_refunded_cents

    @property
    def vat_cents(self) -> int:
        tickets = sum(line.price_cents for line in self.lines)
        fees = sum(line.fee_cents for line in self.lines)
        return vat_included(tickets, TICKET_VAT_PERCENT) + vat_included(fees, FEE_VAT_PERCENT)


@dataclass(frozen=True)
class OrderRequest:
    hold_id: str
    hold_token: str
    places: tuple[tuple[str, str], ...]  # (place, tariff) per ticket
    customer: Customer
    consents: Consents


_FIELDS = ("hold_id", "hold_token", "lines", "customer", "consents")
_CUSTOMER_FIELDS = ("name", "email", "phone", "language")
_CONSENT_FIELDS = ("newsletter_house", "newsletter_cluster")


def parse_order_request(body: Any) -> OrderRequest:
    """Shape and types only; the hold and tariffs are checked against the catalogue later."""
    if not isinstance(body, Mapping):
        raise invalid(FieldError("body", "not a JSON object", "an order object", "body"))
    errors = unknown_parameters(body, _FIELDS, "body")
    for name in ("hold_id", "hold_token"):
        if not isinstance(body.get(name), str) or not body.get(name):
            errors.append(FieldError(name, "missing", "the value the hold answered", "body"))

    places: list[tuple[str, str]] = []
    lines = body.get("lines")
    if not isinstance(lines, list) or not lines:
        errors.append(FieldError("lines", "missing", "a list of {seat|pool, tariff}", "body"))
        lines = []
    for index, line in enumerate(lines):
        where = f"lines[{index}]"
        if not isinstance(line, Mapping):
            errors.append(FieldError(where, "not an object", "{seat|pool, tariff}", "body"))
            continue
        errors += unknown_parameters(
            (f"{where}.{k}" for k in line),
            tuple(f"{where}.{k}" for k in ("seat", "pool", "tariff")),
            "body",
        )
        seat, pool, tariff = line.get("seat"), line.get("pool"), line.get("tariff")
        if (seat is None) == (pool is None) or not isinstance(seat or pool, str):
            errors.append(FieldError(where, "needs a seat or a pool", "one of seat, pool", "body"))
        elif not isinstance(tariff, str) or not tariff:
            errors.append(FieldError(f"{where}.tariff", "missing", "a tariff id", "body"))
        else:
            places.append((seat if seat is not None else f"ga:{pool}", tariff))

    customer = body.get("customer")
    if not isinstance(customer, Mapping):
        errors.append(FieldError("customer", "missing", "{name, email, language}", "body"))
        customer = {}
    errors += unknown_parameters(
        (f"customer.{k}" for k in customer),
        tuple(f"customer.{k}" for k in _CUSTOMER_FIELDS),
        "body",
    )
    name = customer.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 200:
        errors.append(FieldError("customer.name", "missing", "a name, 1-200 characters", "body"))
    email = customer.get("email")
    if not isinstance(email, str) or not EMAIL.match(email):
        errors.append(
            FieldError("customer.email", "not an e-mail address", "name@example.be", "body")
        )
    phone = customer.get("phone")
    if phone is not None and (not isinstance(phone, str) or not PHONE.match(phone)):
        errors.append(FieldError("customer.phone", "not a phone number", "+32 9 123 45 67", "body"))
    language = customer.get("language", "nl")
    if language not in LANGUAGES:
        errors.append(
            FieldError("customer.language", "unsupported", "one of " + ", ".join(LANGUAGES), "body")
        )

    consents = body.get("consents", {})
    if not isinstance(consents, Mapping):
        errors.append(
            FieldError("consents", "not an object", "{newsletter_house: bool, ...}", "body")
        )
        consents = {}
    errors += unknown_parameters(
        (f"consents.{k}" for k in consents), tuple(f"consents.{k}" for k in _CONSENT_FIELDS), "body"
    )
    for key in _CONSENT_FIELDS:
        if not isinstance(consents.get(key, False), bool):
            errors.append(FieldError(f"consents.{key}", "not true or false", "a boolean", "body"))

    if errors:
        raise invalid(*errors)
    return OrderRequest(
        hold_id=body["hold_id"],
        hold_token=body["hold_token"],
        places=tuple(places),
        customer=Customer(
            name=" ".join(name.split()),  # type: ignore[union-attr]
            email=email.strip().lower(),  # type: ignore[union-attr]
            language=language,
            phone=phone,
        ),
        consents=Consents(
            newsletter_house=consents.get("newsletter_house", False),
            newsletter_cluster=consents.get("newsletter_cluster", False),
        ),
    )


def price_lines(
    request: OrderRequest,
    hold: Hold,
    seat_map: SeatMap,
    performance: Performance,
    zones: tuple[PriceZone, ...],
    fee_cents: int,
) -> tuple[OrderLine, ...]:
    """One line per held place, each with a tariff this performance prices for its zone."""
    lang = request.customer.language
    held = Counter(hold.seats) + Counter(f"ga:{a.pool}" for a in hold.ga for _ in range(a.quantity))
    asked = Counter(place for place, _ in request.places)
    if asked != held:
        missing = sorted((held - asked).elements())
        extra = sorted((asked - held).elements())
        raise invalid(
            FieldError(
                "lines",
                f"lines do not match the hold (missing {missing}, not held {extra})",
                "one line per seat or standing place of the hold",
                "body",
            )
        )
    tariffs = {tariff.id: tariff for tariff in performance.tariffs}
    zone_ids = {zone.id for zone in zones}
    lines: list[OrderLine] = []
    errors: list[FieldError] = []
    for index, (place, tariff_id) in enumerate(request.places):
        zone, label = _zone_and_label(place, seat_map, lang)
        tariff = tariffs.get(tariff_id)
        where = f"lines[{index}].tariff"
        if tariff is None:
            errors.append(
                FieldError(where, f"unknown tariff {tariff_id!r}", _tariff_ids(tariffs), "body")
            )
            continue
        if zone not in tariff.prices or zone not in zone_ids:
            errors.append(
                FieldError(
                    where, f"{tariff_id!r} has no price for {label}", _tariff_ids(tariffs), "body"
                )
            )
            continue
        lines.append(
            OrderLine(
                place=place,
                label=label,
                zone=zone,
                tariff=tariff.id,
                tariff_name=pick(tariff.name, lang),
                price_cents=tariff.prices[zone],
                fee_cents=fee_cents if tariff.prices[zone] > 0 else 0,
            )
        )
    if errors:
        raise invalid(*errors)
    _check_conditions(lines, tariffs)
    return tuple(lines)


def _zone_and_label(place: str, seat_map: SeatMap, lang: str) -> tuple[str, str]:
    if place.startswith("ga:"):
        pool = seat_map.pool(place[3:])
        assert pool is not None, "a held pool is in the map"
        return pool.zone, pick(pool.name, lang)
    seat = seat_map.seat(place)
    assert seat is not None, "a held seat is in the map"
    return seat.zone, seat_label(seat_map, seat, lang)


def _tariff_ids(tariffs: Mapping[str, Tariff]) -> str:
    return "one of " + ", ".join(tariffs)


def _check_conditions(lines: list[OrderLine], tariffs: Mapping[str, Tariff]) -> None:
    per_tariff = Counter(line.tariff for line in lines)
    for tariff_id, count in per_tariff.items():
        limit = tariffs[tariff_id].conditions.max_per_order
        if limit is not None and count > limit:
            raise max_per_order(tariff_id, tariffs[tariff_id].name, limit)


class HoldAlreadyOrdered(Exception):
    pass


@dataclass(frozen=True)
class StoredTicket:
    id: str
    index: int
    order: str
    house: str
    performance: str
    place: str
    label: str
    tariff_name: str
    price_cents: int
    holder: str
    qr: str
    voided: bool = False
    exchanged_to: str | None = None
