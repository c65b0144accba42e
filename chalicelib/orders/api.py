"""Order and payment routes, and the composition of the checkout for the API and the saga."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from chalice.app import Request, Response

from chalicelib.catalogue.store import DynamoCatalogueStore, RecentPerformances
from chalicelib.core.clock import SystemClock
from chalicelib.core.config import settings
from chalicelib.core.edge import Doc, Query
from chalicelib.core.errors import FieldError, invalid, not_found
from chalicelib.core.http import ApiBlueprint, read_body, read_query, reply, request_language
from chalicelib.inventory.service import InventoryService
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.orders.schemas import (
    OrderCommand,
    OrderQuery,
    OrderReply,
    PlacedOrderReply,
    StripeEvent,
    WebhookReply,
)
from chalicelib.orders.service import CheckoutService
from chalicelib.orders.store import DynamoOrderStore

orders = ApiBlueprint(__name__)

STRIPE_TOLERANCE_SECONDS = 300  # older signed timestamps are replays
ORDER_TOKEN = ("X-Order-Token", "the order's token (or `token` in the query)")


@cache
def checkout() -> CheckoutService:
    from chalicelib.orders.adapters import StepFunctionsWorkflow
    from chalicelib.payments.stripe_gateway import StripeGateway

    clock = SystemClock()
    inventory = InventoryService(
        DynamoInventoryStore(), RecentPerformances(DynamoCatalogueStore()), clock
    )
    return CheckoutService(
        DynamoOrderStore(),
        inventory,
        StripeGateway(),
        StepFunctionsWorkflow(),
        clock,
        public_url=os.environ.get("PODIUM_PUBLIC_URL", "http://127.0.0.1:8000"),
        token_secret=_secret("PODIUM_ORDER_TOKEN_SECRET"),
    )


@cache
def issuer() -> Any:
    from chalicelib.orders.adapters import SignedTicketIssuer

    return SignedTicketIssuer()


@cache
def ticket_files() -> Any:
    from chalicelib.orders.adapters import S3TicketFiles

    return S3TicketFiles()


@cache
def mailer() -> Any:
    from chalicelib.orders.adapters import SesMailer

    return SesMailer()


@cache
def mails() -> Any:
    from chalicelib.orders.mail import ConfirmationMails

    return ConfirmationMails()


def _secret(name: str) -> bytes:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(f"{name} is not set")
    return value.encode()


@orders.route(
    "/v1/orders",
    methods=["POST"],
    doc=Doc(tag="orders", query=Query, body=OrderCommand, response=PlacedOrderReply, status=201),
)
def place_order() -> Response:
    """Order a hold: a tariff per place, the buyer, consents → a payment page

    One line per seat or standing place of the hold, each with a tariff the performance
    prices for its zone. The answer carries Stripe's payment page and the token that reads
    the order later. Placing the same hold again answers the order already placed."""
    request = orders.current_request
    read_query(request, Query)
    lang = request_language(request)
    order, token = checkout().place(read_body(request, OrderCommand))
    response = reply(PlacedOrderReply.placed(order, token, lang), status=201, lang=lang)
    response.headers["Location"] = f"/v1/orders/{order.id}"
    return response


@orders.route(
    "/v1/orders/{order_id}",
    methods=["GET"],
    doc=Doc(tag="orders", query=OrderQuery, response=OrderReply, headers=(ORDER_TOKEN,)),
)
def get_order(order_id: str) -> Response:
    """An order, to its buyer: status, lines, tickets, the PDF link

    The order's token (X-Order-Token, or `token` as in the mail's link) is needed: without
    it, or with another order's, the order answers 404 as an unknown one."""
    request = orders.current_request
    query = read_query(request, OrderQuery)
    lang = request_language(request)
    view = checkout().view(order_id, _token(request, query), ticket_files())
    return reply(OrderReply.of(view.order, view.tickets, view.pdf_url, lang), lang=lang)


@orders.route(
    "/v1/orders/{order_id}/tickets/{ticket_id}/qr.svg",
    methods=["GET"],
    doc=Doc(
        tag="orders",
        query=OrderQuery,
        response=None,
        content_type="image/svg+xml",
        headers=(ORDER_TOKEN,),
    ),
)
def get_ticket_qr(order_id: str, ticket_id: str) -> Response:
    """A ticket's QR code as SVG, for the order page

    The order's access token is needed, as for the order itself."""
    request = orders.current_request
    query = read_query(request, OrderQuery)
    view = checkout().view(order_id, _token(request, query), ticket_files())
    ticket = next((t for t in view.tickets if t.id == ticket_id), None)
    if ticket is None:
        raise not_found("ticket", ticket_id)
    return Response(
        body=ticket_qr_svg(ticket.qr),
        status_code=200,
        headers={
            "Content-Type": "image/svg+xml",
            "Cache-Control": "private, max-age=3600",
        },
    )


def _token(request: Request, query: OrderQuery) -> str | None:
    return request.headers.get("x-order-token") or query.token


def ticket_qr_svg(payload: str) -> str:
    """The SVG of a ticket's QR code (error correction M or better, quiet zone of 4 modules);
    segno is imported lazily by `qr_code`, as it costs cold-start time."""
    import io

    from chalicelib.tickets.pdf import qr_code

    buffer = io.BytesIO()
    qr_code(payload).save(
        buffer, kind="svg", scale=4, border=4, xmldecl=False, dark="#000", light="#fff"
    )
    return buffer.getvalue().decode("utf-8")


@orders.route(
    "/v1/webhooks/stripe",
    methods=["POST"],
    doc=Doc(
        tag="webhooks",
        body=StripeEvent,
        response=WebhookReply,
        headers=(("Stripe-Signature", "Stripe's signature of the body"),),
    ),
)
def stripe_webhook() -> Response:
    """Stripe's events: signed, each handled once

    The body is Stripe's: the stripe library checks it against the Stripe-Signature header
    (a bad or old signature is a 400) and reads it; no model of ours does. An event is a
    trigger only: the checkout session is fetched again before anything is decided, and an
    event id seen before answers what it led to the first time."""
    import stripe

    request = orders.current_request
    raw = request.raw_body or b""
    payload = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        event = stripe.Webhook.construct_event(
            payload,
            request.headers.get("stripe-signature", ""),
            os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
            tolerance=STRIPE_TOLERANCE_SECONDS,
        )
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise invalid(
            FieldError("Stripe-Signature", str(error), "a valid, recent Stripe signature", "header")
        ) from error
    handle, config = _once_per_event()
    config.register_lambda_context(orders.lambda_context)  # in-progress records expire with it
    result = handle(event=event.to_dict())
    return reply(WebhookReply(received=True, result=result))


@cache
def _once_per_event() -> Any:
    """Stripe delivers at least once: each event id is handled once (Powertools idempotency,
    records in our table under one partition, kept 30 days)."""
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    persistence = DynamoDBPersistenceLayer(
        table_name=settings().table_name,
        key_attr="pk",
        sort_key_attr="sk",
        static_pk_value="STRIPE_EVENTS",
        expiry_attr="expires",
    )
    config = IdempotencyConfig(
        event_key_jmespath="id",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=30 * 24 * 3600,
    )

    @idempotent_function(
        data_keyword_argument="event", persistence_store=persistence, config=config
    )
    def handle(event: dict[str, Any]) -> str:
        return handle_stripe_event(event)

    return handle, config


SESSION_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


def handle_stripe_event(event: dict[str, Any]) -> str:
    """Events are triggers: the session is fetched again before anything is decided."""
    kind = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    if kind in SESSION_EVENTS:
        return checkout().payment_news(str(obj.get("id", "")))
    if kind == "charge.refunded" and obj.get("payment_intent"):
        return checkout().refund_news(str(obj["payment_intent"]))
    return "ignored"
