"""Order and payment routes: place an order, read it, its tickets' QR codes, Stripe's webhook."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from chalice.app import Request, Response

from chalicelib.bootstrap import container
from chalicelib.core.edge import Doc, Query
from chalicelib.core.errors import FieldError, invalid, not_found
from chalicelib.core.http import ApiBlueprint, read_body, read_query, reply, request_language
from chalicelib.orders.schemas import (
    OrderCommand,
    OrderQuery,
    OrderReply,
    PlacedOrderReply,
    StripeEvent,
    WebhookReply,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

orders = ApiBlueprint(__name__)

STRIPE_TOLERANCE_SECONDS = 300  # older signed timestamps are replays
ORDER_TOKEN = ("X-Order-Token", "the order's token (or `token` in the query)")


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
    order, token = container().checkout().place(read_body(request, OrderCommand))
    return reply(
        PlacedOrderReply.placed(order, token, lang),
        status=201,
        lang=lang,
        location=f"/v1/orders/{order.id}",
    )


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
    parts = container()
    view = parts.checkout().view(order_id, _token(request, query), parts.ticket_files())
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
    parts = container()
    view = parts.checkout().view(order_id, _token(request, query), parts.ticket_files())
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
            container().settings.stripe_webhook_secret,
            tolerance=STRIPE_TOLERANCE_SECONDS,
        )
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise invalid(
            FieldError("Stripe-Signature", str(error), "a valid, recent Stripe signature", "header")
        ) from error
    handle, config = container().stripe_events()
    # In-progress records expire with the invocation. Chalice passes its own context class,
    # which has what Powertools reads of it (the remaining time).
    config.register_lambda_context(cast("LambdaContext", orders.lambda_context))
    result = handle(event=event.to_dict())
    return reply(WebhookReply(received=True, result=result))
