"""What sales management's routes read and answer: the search and report queries, the staff
commands the sales service takes (cancel, desk sale, exchange; a desk hold is the
inventory's HoldCommand), and the staff's
view of an order. The one place their shape is checked; the API document is generated from
these classes. Rules that need the order, the hold or the prices stay in the service."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from chalicelib.catalogue.query import parse_instant
from chalicelib.core.edge import Body, Id, Moment, Query, Reply, Whole, expect, located
from chalicelib.core.errors import FieldError
from chalicelib.core.money import format_eur
from chalicelib.core.paging import MAX_LIMIT, decode_cursor
from chalicelib.orders.model import Order, OrderStatus
from chalicelib.orders.schemas import (
    Email,
    HoldId,
    Lines,
    Name,
    Phone,
    places,
)
from chalicelib.sales.model import COMP

DeskPayment = Literal["cash", "card_terminal"]
ORDER_ID = re.compile(r"o-[0-9a-f]{31}")


# --- queries -------------------------------------------------------------------------------

_MOMENT = "a date (2026-12-31, a Brussels day) or a date-time (2026-12-31T20:00:00+01:00)"


def _moment(end_of_day: bool) -> Any:
    """A date is a whole Brussels day (its start for `from`, its end for `to`), as the
    catalogue reads them."""

    def read(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        errors: list[FieldError] = []
        moment = parse_instant({"v": value}, "v", errors, end_of_day=end_of_day)
        if errors:
            raise PydanticCustomError("moment", "{value} is not a date", {"value": repr(value)})
        return moment

    return BeforeValidator(read)


Since = Annotated[datetime, _moment(end_of_day=False), WithJsonSchema({"type": "string"})]
Until = Annotated[datetime, _moment(end_of_day=True), WithJsonSchema({"type": "string"})]


def _cursor(value: str) -> str:
    if decode_cursor(value, "orders") is None:
        raise PydanticCustomError("cursor", "not a cursor this API issued")
    return value


def _search_text(value: str) -> str:
    text = value.strip()
    if not 2 <= len(text) <= 100:
        raise PydanticCustomError("text", "2-100 characters")
    return text


class SearchQuery(Query):
    q: Annotated[
        str | None,
        AfterValidator(lambda v: v if v is None else _search_text(v)),
        expect("an order id, or part of a name or e-mail (2-100 characters)"),
    ] = None
    performance: Annotated[Id | None, expect("a performance id: orders of one performance")] = None
    status: Annotated[OrderStatus | None, expect("orders in one status")] = None
    since: Annotated[
        Since | None, expect(f"placed on or after: {_MOMENT}"), Field(alias="from")
    ] = None
    until: Annotated[Until | None, expect(f"placed on or before: {_MOMENT}"), Field(alias="to")] = (
        None
    )
    limit: Annotated[int, expect(f"1-{MAX_LIMIT} (default 20)", ge=1, le=MAX_LIMIT)] = 20
    cursor: Annotated[
        str | None,
        AfterValidator(lambda v: v if v is None else _cursor(v)),
        expect("the 'next' value of a page"),
        Field(alias="next"),
    ] = None

    @model_validator(mode="after")
    def _in_order(self) -> SearchQuery:
        if self.since and self.until and self.since > self.until:
            raise located(type(self).__name__, ("to",), "order", "before 'from'")
        return self

    @property
    def order_id(self) -> str | None:
        """An order id is looked up directly, not searched for in names."""
        return self.q if self.q is not None and ORDER_ID.fullmatch(self.q) else None

    @property
    def text(self) -> str | None:
        return self.q if self.order_id is None else None

    @property
    def after(self) -> tuple[str, str] | None:
        """(house, index key) of the last order shown."""
        return decode_cursor(self.cursor, "orders") if self.cursor is not None else None


class ReportQuery(Query):
    performance: Annotated[Id | None, expect("a performance id: one performance")] = None
    since: Annotated[Since | None, expect(f"sold on or after: {_MOMENT}"), Field(alias="from")] = (
        None
    )
    until: Annotated[Until | None, expect(f"sold on or before: {_MOMENT}"), Field(alias="to")] = (
        None
    )
    format: Annotated[Literal["json", "csv"], expect("json (default) or csv")] = "json"


# --- commands ------------------------------------------------------------------------------


def _reason(value: str) -> str:
    reason = " ".join(value.split())
    if not 1 <= len(reason) <= 500:
        raise PydanticCustomError("reason", "missing")
    return reason


Reason = Annotated[str, AfterValidator(_reason), expect("why, in 1-500 characters")]
_PAYMENT = "cash or card_terminal"


def _refund(value: Any) -> Any:
    """ "full" is the whole refundable amount (None here); otherwise {"amount_cents": n}."""
    if value == "full":
        return None
    if isinstance(value, dict):
        return value
    raise PydanticCustomError("refund", "missing or malformed")


class RefundAmount(Body):
    """{"amount_cents": n}"""

    amount_cents: Annotated[Whole, expect("cents, a whole number ≥ 0", ge=0)]


class OrderCancelCommand(Body):
    """{"refund", "reason"}"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"refund": "full", "reason": "Ziek geworden, belde de kassa"},
                {"refund": {"amount_cents": 2800}, "reason": "Eén ticket terugbetaald"},
            ]
        }
    )

    refund: Annotated[
        RefundAmount | None,
        BeforeValidator(_refund),
        expect('"full" or {"amount_cents": n}'),
        WithJsonSchema(
            {
                "oneOf": [
                    {"const": "full"},
                    {
                        "type": "object",
                        "properties": {"amount_cents": {"type": "integer", "minimum": 0}},
                        "required": ["amount_cents"],
                        "additionalProperties": False,
                    },
                ],
                "description": 'the whole amount still refundable ("full"), or that many cents',
            }
        ),
    ]
    reason: Reason

    @classmethod
    def full_refund(cls, reason: str) -> OrderCancelCommand:
        return cls.model_validate({"refund": "full", "reason": reason})

    @property
    def full(self) -> bool:
        return self.refund is None

    @property
    def amount_cents(self) -> int | None:
        return None if self.refund is None else self.refund.amount_cents


class DeskCustomer(Body):
    """{name, email?, phone?, language?}"""

    name: Name
    email: Email | None = None  # a buyer at the counter may have none
    phone: Phone | None = None
    language: Annotated[Literal["nl", "fr", "en"], expect("one of nl, fr, en")] = "nl"


class DeskSaleCommand(Body):
    """a box office sale"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "hold_id": "h-3f9a0c5e7b1d4e2f8a6c0b9d7e5f3a1",
                    "hold_token": "Yk3w9q…",
                    "lines": [
                        {"seat": "zaal-a-3", "tariff": "standaard"},
                        {"seat": "zaal-a-4", "tariff": "comp"},
                    ],
                    "customer": {"name": "Bea Balie", "language": "nl"},
                    "payment": "cash",
                    "reason": "Pers: recensent De Standaard",
                    "delivery": "print",
                }
            ]
        }
    )

    hold_id: HoldId
    hold_token: Annotated[str, expect("the token the hold answered", min_length=1)]
    lines: Lines
    customer: DeskCustomer
    payment: Annotated[DeskPayment | None, expect(f"{_PAYMENT}; none for comps only")] = None
    reason: Annotated[Reason | None, expect("why, in 1-500 characters (needed for comps)")] = None
    delivery: Annotated[
        Literal["print", "email"], expect("print (at the desk) or email (default print)")
    ] = "print"

    @model_validator(mode="after")
    def _needs(self) -> DeskSaleCommand:
        # Comps are given away: whoever reads the report later must learn why.
        if self.comps and self.reason is None:
            raise located(type(self).__name__, ("reason",), "missing", "missing")
        if self.delivery == "email" and self.customer.email is None:
            raise located(type(self).__name__, ("customer", "email"), "missing", "missing")
        return self

    @property
    def comps(self) -> int:
        return sum(1 for line in self.lines if line.tariff == COMP)

    @property
    def places(self) -> tuple[tuple[str, str], ...]:
        return places(self.lines)


class ExchangeCommand(Body):
    """an exchange"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "tickets": ["t-0f3c9a1e5b7d2c4e6f8a0b1c3d5e7f9"],
                    "hold_id": "h-7a2e4c6b8d0f1a3c5e7b9d1f3a5c7e9",
                    "hold_token": "Qp8r2m…",
                    "lines": [{"seat": "zaal-d-8", "tariff": "standaard"}],
                    "reason": "Kan enkel zaterdag",
                }
            ]
        }
    )

    tickets: Annotated[
        list[Annotated[str, Field(min_length=1)]] | None,
        expect(
            "ticket ids of this order, each once: the ones that move (absent: all still "
            "valid); line n of the new seats takes ticket n",
            min_length=1,
        ),
    ] = None
    hold_id: Annotated[str, expect("the new seats' hold", min_length=1)]
    hold_token: Annotated[str, expect("the new seats' hold token", min_length=1)]
    lines: Lines
    payment: Annotated[DeskPayment | None, expect(f"{_PAYMENT}: how a difference is paid")] = None
    reason: Reason | None = None

    @model_validator(mode="after")
    def _each_ticket_once(self) -> ExchangeCommand:
        for index, ticket in enumerate(self.tickets or ()):
            if ticket in (self.tickets or [])[:index]:
                raise located(type(self).__name__, ("tickets", index), "twice", "twice")
        return self

    @property
    def places(self) -> tuple[tuple[str, str], ...]:
        return places(self.lines)

    @property
    def chosen(self) -> tuple[str, ...] | None:
        return tuple(self.tickets) if self.tickets is not None else None


# --- replies -------------------------------------------------------------------------------


class TicketLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def tariff_name(self) -> str: ...
    @property
    def price_cents(self) -> int: ...
    @property
    def holder(self) -> str: ...
    @property
    def qr(self) -> str: ...
    @property
    def voided(self) -> bool: ...
    @property
    def exchanged_to(self) -> str | None: ...


class BuyerSummary(Reply):
    name: str
    email: str | None = Field(description="none for a desk sale without one")


class ExchangeReply(Reply):
    order_id: str = Field(description="the new order the tickets moved to")
    tickets: list[str]
    moved_cents: int = Field(description="what the tickets had cost here (price and fee)")
    refunded_cents: int = Field(description="given back on this order's payment")
    at: Moment
    by: str


_EXCHANGES: list[Any] = [
    {
        "order_id": "o-9d7e5f3a1c5c1e0a9b3d7f4e2a8c6b0",
        "tickets": ["t-0f3c9a1e5b7d2c4e6f8a0b1c3d5e7f9"],
        "moved_cents": 2900,
        "refunded_cents": 600,
        "at": "2027-01-08T10:15:00Z",
        "by": "kassa-1",
    }
]
_SUMMARY: dict[str, Any] = {
    "order_id": "o-5c1e0a9b3d7f4e2a8c6b0d9e7f5a3c1",
    "house": "ntgent",
    "performance": "ntgent-de-storm-2027-01-15",
    "status": "completed",
    "channel": "web",
    "created_at": "2027-01-02T18:31:07Z",
    "customer": {"name": "An Peeters", "email": "an.peeters@example.be"},
    "tickets": 2,
    "total_cents": 5800,
    "total": "€ 58,00",
    "refunded_cents": 600,
    "cancelled_at": None,
    "exchanged_from": None,
    "exchanged_to": None,
    "exchanges": _EXCHANGES,
}


def _exchanges(order: Order) -> list[ExchangeReply]:
    return [
        ExchangeReply(
            order_id=e.order,
            tickets=list(e.tickets),
            moved_cents=e.moved_cents,
            refunded_cents=e.refund_cents,
            at=e.at,
            by=e.by,
        )
        for e in order.exchanges
    ]


class _OrderHead(Reply):
    """What the summary and the detail share."""

    order_id: str
    house: str
    performance: str
    status: OrderStatus
    channel: Literal["web", "box_office"]
    created_at: Moment
    total_cents: int = Field(description="price and fees, VAT included")
    total: str = Field(description="the total as staff read it, in the answer's language")
    refunded_cents: int
    cancelled_at: Moment | None = Field(description="cancelled by staff")
    exchanged_from: str | None = Field(description="this order replaces that one")
    exchanged_to: str | None = Field(description="this order was replaced by that one")
    exchanges: list[ExchangeReply] = Field(description="its tickets that moved to other orders")

    @staticmethod
    def head(order: Order, lang: str) -> dict[str, Any]:
        return {
            "order_id": order.id,
            "house": order.house,
            "performance": order.performance,
            "status": order.status,
            "channel": order.channel,
            "created_at": order.created_at,
            "total_cents": order.total_cents,
            "total": format_eur(order.total_cents, lang),
            "refunded_cents": order.refunded_cents,
            "cancelled_at": order.cancelled_at,
            "exchanged_from": order.exchanged_from,
            "exchanged_to": order.exchanged_to,
            "exchanges": _exchanges(order),
        }


class OrderSummaryReply(_OrderHead):
    """An order in a search's page."""

    model_config = ConfigDict(json_schema_extra={"examples": [_SUMMARY]})

    customer: BuyerSummary
    tickets: int = Field(description="how many tickets it sold")

    @classmethod
    def of(cls, order: Order, lang: str) -> OrderSummaryReply:
        return cls(
            **cls.head(order, lang),
            customer=BuyerSummary(name=order.customer.name, email=order.customer.email or None),
            tickets=len(order.lines),
        )


class SearchReply(Reply):
    """A page of the caller's houses' orders, newest first, house by house."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [_SUMMARY], "next": None}]})

    items: list[OrderSummaryReply]
    next: str | None = Field(description="the cursor of the next page; none on the last")


class StaffCustomerReply(Reply):
    name: str
    email: str | None
    phone: str | None
    language: str
    newsletter_house: bool
    newsletter_cluster: bool


class StaffLineReply(Reply):
    place: str = Field(description='a seat id, or "ga:<pool>" for a standing place')
    label: str
    zone: str
    tariff: str
    tariff_name: str
    price_cents: int = Field(description="VAT included")
    fee_cents: int = Field(description="the service fee, VAT included; none at the desk")


class PaymentReply(Reply):
    method: str = Field(
        description="stripe, cash, card_terminal or comp; an exchange paid at the desk adds "
        "how the difference was paid (stripe+cash)"
    )
    session: str | None = Field(description="Stripe's checkout session")
    payment_intent: str | None
    refunded_cents: int
    paid_at_desk_cents: int = Field(description="a difference an exchange had paid at the desk")
    sold_by: str | None = Field(description="the staff member who sold or exchanged it")
    comp_reason: str | None


class CancellationReply(Reply):
    at: Moment
    by: str | None
    reason: str | None


class StaffTicketReply(Reply):
    id: str
    place: str
    label: str
    tariff_name: str
    price_cents: int
    holder: str
    qr: str
    void: bool = Field(description="cancelled, refunded or exchanged: the door refuses it")
    exchanged_to: str | None = Field(description="the order it moved to")


class HistoryReply(Reply):
    at: Moment
    status: str
    by: str | None = Field(description="the staff member; none: the system")
    note: str | None


class StaffOrderReply(_OrderHead):
    """An order as staff see it: lines, customer and consents, payment, tickets, history."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_SUMMARY,
                    "hold": "h-3f9a0c5e7b1d4e2f8a6c0b9d7e5f3a1",
                    "customer": {
                        "name": "An Peeters",
                        "email": "an.peeters@example.be",
                        "phone": None,
                        "language": "nl",
                        "newsletter_house": True,
                        "newsletter_cluster": False,
                    },
                    "lines": [
                        {
                            "place": "zaal-c-4",
                            "label": "Zaal rij C stoel 4",
                            "zone": "zone-2",
                            "tariff": "standaard",
                            "tariff_name": "Standaard",
                            "price_cents": 2800,
                            "fee_cents": 100,
                        },
                        {
                            "place": "zaal-c-5",
                            "label": "Zaal rij C stoel 5",
                            "zone": "zone-2",
                            "tariff": "standaard",
                            "tariff_name": "Standaard",
                            "price_cents": 2800,
                            "fee_cents": 100,
                        },
                    ],
                    "replaces": [],
                    "vat_cents": 352,
                    "payment": {
                        "method": "stripe",
                        "session": "cs_test_a1b2c3",
                        "payment_intent": "pi_3QX2Y3Z4",
                        "refunded_cents": 600,
                        "paid_at_desk_cents": 0,
                        "sold_by": None,
                        "comp_reason": None,
                    },
                    "cancellation": None,
                    "tickets": [
                        {
                            "id": "t-0f3c9a1e5b7d2c4e6f8a0b1c3d5e7f9",
                            "place": "zaal-c-4",
                            "label": "Zaal rij C stoel 4",
                            "tariff_name": "Standaard",
                            "price_cents": 2800,
                            "holder": "An Peeters",
                            "qr": "PD1.eyJ0IjoidC0wZjNjIn0.c2ln",
                            "void": True,
                            "exchanged_to": "o-9d7e5f3a1c5c1e0a9b3d7f4e2a8c6b0",
                        }
                    ],
                    "pdf_url": "https://tickets.example/o-5c1e0a9b3d7f4e2a8c6b0d9e7f5a3c1.pdf",
                    "history": [
                        {"at": "2027-01-02T18:31:07Z", "status": "paid", "by": None, "note": None},
                        {
                            "at": "2027-01-02T18:31:09Z",
                            "status": "completed",
                            "by": None,
                            "note": None,
                        },
                    ],
                }
            ]
        }
    )

    hold: str
    customer: StaffCustomerReply
    lines: list[StaffLineReply]
    replaces: list[str] = Field(description="(an exchange's new order) the tickets it replaces")
    vat_cents: int = Field(description="the VAT inside the total")
    payment: PaymentReply
    cancellation: CancellationReply | None
    tickets: list[StaffTicketReply]
    pdf_url: str | None = Field(description="the tickets' PDF, while they are valid")
    history: list[HistoryReply]

    @classmethod
    def of(
        cls, order: Order, tickets: Sequence[TicketLike], pdf_url: str | None, lang: str
    ) -> StaffOrderReply:
        c = order.customer
        return cls(
            **cls.head(order, lang),
            hold=order.hold,
            customer=StaffCustomerReply(
                name=c.name,
                email=c.email or None,
                phone=c.phone,
                language=c.language,
                newsletter_house=order.consents.newsletter_house,
                newsletter_cluster=order.consents.newsletter_cluster,
            ),
            lines=[
                StaffLineReply(
                    place=line.place,
                    label=line.label,
                    zone=line.zone,
                    tariff=line.tariff,
                    tariff_name=line.tariff_name,
                    price_cents=line.price_cents,
                    fee_cents=line.fee_cents,
                )
                for line in order.lines
            ],
            replaces=list(order.replaces),
            vat_cents=order.vat_cents,
            payment=PaymentReply(
                method=order.payment_method or "stripe",
                session=order.payment_session,
                payment_intent=order.payment_intent,
                refunded_cents=order.refunded_cents,
                paid_at_desk_cents=order.exchange_paid_cents,
                sold_by=order.sold_by,
                comp_reason=order.comp_reason,
            ),
            cancellation=(
                CancellationReply(
                    at=order.cancelled_at, by=order.cancelled_by, reason=order.cancel_reason
                )
                if order.cancelled_at
                else None
            ),
            tickets=[
                StaffTicketReply(
                    id=t.id,
                    place=t.place,
                    label=t.label,
                    tariff_name=t.tariff_name,
                    price_cents=t.price_cents,
                    holder=t.holder,
                    qr=t.qr,
                    void=t.voided,
                    exchanged_to=t.exchanged_to,
                )
                for t in tickets
            ],
            pdf_url=pdf_url,
            history=[
                HistoryReply(at=h.at, status=h.status, by=h.by, note=h.note) for h in order.history
            ],
        )


class ResendReply(Reply):
    """The confirmation is on its way again."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"order_id": "o-5c1e0a9b3d7f4e2a8c6b0d9e7f5a3c1", "sent_to": "an@example.be"}
            ]
        }
    )

    order_id: str
    sent_to: str


# --- the report ----------------------------------------------------------------------------


class Counts(Reply):
    orders: int
    tickets: int
    comps: int = Field(description="complimentary tickets: tickets without revenue")
    revenue_cents: int = Field(description="money kept: paid less refunded")
    refunded_cents: int


class PerformanceRow(Counts):
    performance: str
    title: str | None
    starts_at: str | None = Field(json_schema_extra={"format": "date-time"})
    capacity: int | None
    occupancy_percent: float | None


class DayRow(Counts):
    date: str = Field(description="a Brussels day of sale", json_schema_extra={"format": "date"})


class TariffRow(Counts):
    tariff: str


class ChannelRow(Counts):
    channel: str


_COUNTS: dict[str, JsonValue] = {
    "orders": 3,
    "tickets": 5,
    "comps": 1,
    "revenue_cents": 11200,
    "refunded_cents": 0,
}


class SalesReportReply(Reply):
    """What was sold and kept, per performance, day of sale, tariff and channel."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "generated_at": "2027-01-10T08:00:00Z",
                    "houses": ["ntgent"],
                    "from": "2026-12-01T00:00:00Z",
                    "to": None,
                    "totals": _COUNTS,
                    "performances": [
                        {
                            "performance": "ntgent-de-storm-2027-01-15",
                            "title": "De Storm",
                            "starts_at": "2027-01-15T19:30:00Z",
                            "capacity": 50,
                            "occupancy_percent": 10.0,
                            **_COUNTS,
                        }
                    ],
                    "days": [{"date": "2027-01-02", **_COUNTS}],
                    "tariffs": [{"tariff": "standaard", **_COUNTS}],
                    "channels": [{"channel": "web", **_COUNTS}],
                }
            ]
        }
    )

    generated_at: Moment
    houses: list[str]
    since: Moment | None = Field(alias="from")
    until: Moment | None = Field(alias="to")
    totals: Counts
    performances: list[PerformanceRow]
    days: list[DayRow]
    tariffs: list[TariffRow]
    channels: list[ChannelRow]
