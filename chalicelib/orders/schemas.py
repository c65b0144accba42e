"""What the checkout's routes read and answer: the order the webshop posts (the command the
checkout service takes), the order as the buyer sees it, and Stripe's webhook. The one place
their shape is checked; the API document is generated from these classes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    model_validator,
)
from pydantic_core import PydanticCustomError

from chalicelib.core.edge import Body, Flag, Moment, Query, Reply, expect
from chalicelib.core.money import format_eur
from chalicelib.orders.model import Consents, Customer, Order, OrderStatus

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE = r"^\+?[0-9 ()./-]{6,20}$"
LINE_SHAPE = "{seat|pool, tariff}"


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not 1 <= len(name) <= 200:
        raise PydanticCustomError("name", "missing")
    return name


def _email(value: str) -> str:
    if not EMAIL.match(value):
        raise PydanticCustomError("email", "not an e-mail address")
    return value.strip().lower()


Name = Annotated[str, AfterValidator(_name), expect("a name, 1-200 characters")]
Email = Annotated[str, AfterValidator(_email), expect("an e-mail address: name@example.be")]
Phone = Annotated[str, expect("a phone number: +32 9 123 45 67", pattern=PHONE)]
BuyerLanguage = Annotated[Literal["nl", "fr", "en"], expect("one of nl, fr, en")]
HoldId = Annotated[str, expect("the value the hold answered", min_length=1)]


class LineCommand(Body):
    """{seat|pool, tariff}"""

    seat: Annotated[str | None, expect("a seat id of the hold", min_length=1)] = None
    pool: Annotated[str | None, expect("a standing pool of the hold", min_length=1)] = None
    tariff: Annotated[str, expect("a tariff id of the performance", min_length=1)]

    @model_validator(mode="after")
    def _one_place(self) -> LineCommand:
        if (self.seat is None) == (self.pool is None):
            raise PydanticCustomError("place", "needs a seat or a pool")
        return self

    @property
    def place(self) -> str:
        """The seat, or "ga:<pool>" for a standing place: how a hold names what it holds."""
        return self.seat if self.seat is not None else f"ga:{self.pool}"


Lines = Annotated[
    list[LineCommand], expect(f"a list of {LINE_SHAPE}: one per place held", min_length=1)
]


def places(lines: Sequence[LineCommand]) -> tuple[tuple[str, str], ...]:
    """(place, tariff) per ticket, in the order asked."""
    return tuple((line.place, line.tariff) for line in lines)


class CustomerCommand(Body):
    """{name, email, language}"""

    name: Name
    email: Email
    phone: Phone | None = None
    language: BuyerLanguage = "nl"


class ConsentsCommand(Body):
    """{newsletter_house: bool, newsletter_cluster: bool}"""

    newsletter_house: Annotated[Flag, expect("true or false (absent: no)")] = False
    newsletter_cluster: Annotated[Flag, expect("true or false (absent: no)")] = False


class OrderCommand(Body):
    """an order object"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "hold_id": "h-3f9a0c5e7b1d4e2f8a6c0b9d7e5f3a1",
                    "hold_token": "Yk3w9q…",
                    "lines": [
                        {"seat": "balkon-c-12", "tariff": "standaard"},
                        {"seat": "balkon-c-13", "tariff": "min26"},
                    ],
                    "customer": {
                        "name": "An Peeters",
                        "email": "an.peeters@example.be",
                        "phone": "+32 9 123 45 67",
                        "language": "nl",
                    },
                    "consents": {"newsletter_house": True},
                }
            ]
        }
    )

    hold_id: HoldId
    hold_token: Annotated[str, expect("the token the hold answered", min_length=1)]
    lines: Lines
    customer: CustomerCommand
    consents: ConsentsCommand = ConsentsCommand()

    @property
    def places(self) -> tuple[tuple[str, str], ...]:
        return places(self.lines)

    def buyer(self) -> Customer:
        c = self.customer
        return Customer(name=c.name, email=c.email, language=c.language, phone=c.phone)

    def opt_ins(self) -> Consents:
        return Consents(
            newsletter_house=self.consents.newsletter_house,
            newsletter_cluster=self.consents.newsletter_cluster,
        )


class OrderQuery(Query):
    token: str | None = Field(
        default=None, description="the order's token, as in the mail's link (or X-Order-Token)"
    )


# --- replies -----------------------------------------------------------------------------


class IssuedTicket(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def tariff_name(self) -> str: ...
    @property
    def holder(self) -> str: ...
    @property
    def qr(self) -> str: ...


class OrderLineReply(Reply):
    place: str = Field(description='a seat id, or "ga:<pool>" for a standing place')
    label: str = Field(description="the place in the buyer's language")
    tariff: str
    tariff_name: str
    price_cents: int = Field(description="VAT included")
    fee_cents: int = Field(description="the service fee, VAT included")


class TicketReply(Reply):
    id: str
    label: str
    tariff_name: str
    holder: str
    qr: str = Field(description="the signed payload of the ticket's QR code")


_LINES_EXAMPLE: list[JsonValue] = [
    {
        "place": "balkon-c-12",
        "label": "Balkon rij C stoel 12",
        "tariff": "standaard",
        "tariff_name": "Standaard",
        "price_cents": 2800,
        "fee_cents": 100,
    },
    {
        "place": "balkon-c-13",
        "label": "Balkon rij C stoel 13",
        "tariff": "min26",
        "tariff_name": "-26",
        "price_cents": 1400,
        "fee_cents": 100,
    },
]


class OrderReply(Reply):
    """An order as its buyer sees it: status, lines, money, and once completed its tickets."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "order_id": "o-5c1e0a9b3d7f4e2a8c6b0d9e7f5a3c1",
                    "status": "completed",
                    "performance": "ntgent-de-storm-2027-01-15",
                    "house": "ntgent",
                    "payment_url": None,
                    "pay_before": "2027-01-10T18:45:00Z",
                    "lines": _LINES_EXAMPLE,
                    "total_cents": 4400,
                    "vat_cents": 272,
                    "total": "€ 44,00",
                    "refunded_cents": 0,
                    "tickets": [
                        {
                            "id": "t-0f3c9a1e5b7d2c4e6f8a0b1c3d5e7f9",
                            "label": "Balkon rij C stoel 12",
                            "tariff_name": "Standaard",
                            "holder": "An Peeters",
                            "qr": "PD1.eyJ0IjoidC0wZjNjIn0.c2ln",
                        }
                    ],
                    "pdf_url": "https://tickets.example/o-5c1e0a9b3d7f4e2a8c6b0d9e7f5a3c1.pdf",
                }
            ]
        }
    )

    order_id: str
    status: OrderStatus
    performance: str
    house: str
    payment_url: str | None = Field(description="Stripe's payment page, while it is open")
    pay_before: Moment = Field(description="the hold is kept until then")
    lines: list[OrderLineReply]
    total_cents: int = Field(description="what the buyer pays, VAT included")
    vat_cents: int = Field(description="the VAT inside the total")
    total: str = Field(description="the total as the buyer reads it, in the answer's language")
    refunded_cents: int
    tickets: list[TicketReply] = Field(description="once paid and issued")
    pdf_url: str | None = Field(description="the tickets' PDF, once the order is completed")

    @classmethod
    def fields_of(
        cls, order: Order, tickets: Sequence[IssuedTicket], pdf_url: str | None, lang: str
    ) -> dict[str, Any]:
        return {
            "order_id": order.id,
            "status": order.status,
            "performance": order.performance,
            "house": order.house,
            "payment_url": order.payment_url,
            "pay_before": order.pay_before,
            "lines": [
                OrderLineReply(
                    place=line.place,
                    label=line.label,
                    tariff=line.tariff,
                    tariff_name=line.tariff_name,
                    price_cents=line.price_cents,
                    fee_cents=line.fee_cents,
                )
                for line in order.lines
            ],
            "total_cents": order.total_cents,
            "vat_cents": order.vat_cents,
            "total": format_eur(order.total_cents, lang),
            "refunded_cents": order.refunded_cents,
            "tickets": [
                TicketReply(
                    id=t.id, label=t.label, tariff_name=t.tariff_name, holder=t.holder, qr=t.qr
                )
                for t in tickets
            ],
            "pdf_url": pdf_url,
        }

    @classmethod
    def of(
        cls, order: Order, tickets: Sequence[IssuedTicket], pdf_url: str | None, lang: str
    ) -> OrderReply:
        return cls(**cls.fields_of(order, tickets, pdf_url, lang))


class PlacedOrderReply(OrderReply):
    """The order just placed: its payment page, and the token that reads it later."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "order_id": "o-5c1e0a9b3d7f4e2a8c6b0d9e7f5a3c1",
                    "status": "awaiting_payment",
                    "performance": "ntgent-de-storm-2027-01-15",
                    "house": "ntgent",
                    "payment_url": "https://checkout.stripe.com/c/pay/cs_test_a1b2c3",
                    "pay_before": "2027-01-10T18:45:00Z",
                    "lines": _LINES_EXAMPLE,
                    "total_cents": 4400,
                    "vat_cents": 272,
                    "total": "€ 44,00",
                    "refunded_cents": 0,
                    "tickets": [],
                    "pdf_url": None,
                    "access_token": "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e",
                }
            ]
        }
    )

    access_token: str = Field(description="reads the order later (X-Order-Token or ?token=)")

    @classmethod
    def placed(cls, order: Order, token: str, lang: str) -> PlacedOrderReply:
        return cls(**cls.fields_of(order, [], None, lang), access_token=token)


class StripeEvent(BaseModel):
    """A Stripe event, as Stripe signs and sends it. Documentation only: the body is checked
    and read by the stripe library against the Stripe-Signature header, never by a model."""

    model_config = ConfigDict(
        extra="allow",
        defer_build=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "evt_1QX2Y3Z4",
                    "object": "event",
                    "type": "checkout.session.completed",
                    "data": {"object": {"id": "cs_test_a1b2c3", "object": "checkout.session"}},
                }
            ]
        },
    )

    id: str
    type: str
    data: dict[str, Any]


class WebhookReply(Reply):
    """Stripe's event was received; what it led to, for Stripe's dashboard."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"received": True, "result": "paid"}]}
    )

    received: bool
    result: str = Field(
        description="paid, failed, pending, refunded, ignored, ... (an event seen before "
        "answers what it led to the first time)"
    )
