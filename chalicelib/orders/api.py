"""Order and payment routes: place an order, read it, its tickets' QR codes, Stripe's webhook."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.bootstrap import container
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.errors import FieldError, invalid, not_found
from chalicelib.core.http import ApiBlueprint, json_body, json_response, request_language
from chalicelib.core.money import format_eur
from chalicelib.orders.model import Order
from chalicelib.orders.service import OrderView

orders = ApiBlueprint(__name__)

STRIPE_TOLERANCE_SECONDS = 300  # older signed timestamps are replays


@orders.route("/v1/orders", methods=["POST"])
def place_order() -> Response:
    request = orders.current_request
    lang = request_language(request)
    order, token = container().checkout().place(json_body(request))
    body = order_view(OrderView(order, [], None), lang) | {"access_token": token}
    response = json_response(body, status=201, lang=lang)
    response.headers["Location"] = f"/v1/orders/{order.id}"
    return response


@orders.route("/v1/orders/{order_id}", methods=["GET"])
def get_order(order_id: str) -> Response:
    request = orders.current_request
    token = request.headers.get("x-order-token") or (request.query_params or {}).get("token")
    lang = request_language(request)
    parts = container()
    view = parts.checkout().view(order_id, token, parts.ticket_files())
    return json_response(order_view(view, lang), lang=lang)


@orders.route("/v1/orders/{order_id}/tickets/{ticket_id}/qr.svg", methods=["GET"])
def get_ticket_qr(order_id: str, ticket_id: str) -> Response:
    """A ticket's QR code as SVG, for the order page; the order's access token is needed."""
    request = orders.current_request
    token = request.headers.get("x-order-token") or (request.query_params or {}).get("token")
    parts = container()
    view = parts.checkout().view(order_id, token, parts.ticket_files())
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


@orders.route("/v1/webhooks/stripe", methods=["POST"])
def stripe_webhook() -> Response:
    import stripe

    request = orders.current_request
    payload = (request.raw_body or b"").decode("utf-8", "replace")
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
    config.register_lambda_context(orders.lambda_context)  # in-progress records expire with it
    result = handle(event=event.to_dict())
    return json_response({"received": True, "result": result})


def order_view(view: OrderView, lang: str) -> dict[str, Any]:
    order: Order = view.order
    return {
        "order_id": order.id,
        "status": order.status.value,
        "performance": order.performance,
        "house": order.house,
        "payment_url": order.payment_url,
        "pay_before": to_utc_iso(order.pay_before),
        "lines": [
            {
                "place": line.place,
                "label": line.label,
                "tariff": line.tariff,
                "tariff_name": line.tariff_name,
                "price_cents": line.price_cents,
                "fee_cents": line.fee_cents,
            }
            for line in order.lines
        ],
        "total_cents": order.total_cents,
        "vat_cents": order.vat_cents,
        "total": format_eur(order.total_cents, lang),
        "refunded_cents": order.refunded_cents,
        "tickets": [
            {
                "id": t.id,
                "label": t.label,
                "tariff_name": t.tariff_name,
                "holder": t.holder,
                "qr": t.qr,
            }
            for t in view.tickets
        ],
        "pdf_url": view.pdf_url,
    }
