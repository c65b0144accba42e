"""Staff routes for sales: search and read orders, cancel with a refund, resend the
confirmation, sell at the box office, the sales report. Sales rights (house or cluster admin,
box office) for orders and the desk, report rights (also marketing) for reports; the houses
always come from the token, and another house's order answers 404 as an unknown one."""

from __future__ import annotations

from typing import Any

from chalice.app import Request, Response

from chalicelib.admin.auth import houses_for, signed_in
from chalicelib.admin.blueprint import admin
from chalicelib.admin.model import Action
from chalicelib.bootstrap import container
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.http import json_body, json_response, language_only, query_params
from chalicelib.core.http import request_language as _language
from chalicelib.core.money import format_eur
from chalicelib.sales.model import parse_report, parse_search, report_csv
from chalicelib.sales.service import OrderDetail, SalesService


def sales() -> SalesService:
    return container().sales()


@admin.route("/v1/admin/orders", methods=["GET"])
def search_orders() -> Response:
    request = admin.current_request
    houses = houses_for(request, Action.SALES)
    query = parse_search(query_params(request))
    lang = _language(request)
    found, cursor = sales().search(houses, query)
    return json_response(
        {"items": [order_summary(order, lang) for order in found], "next": cursor}, lang=lang
    )


@admin.route("/v1/admin/orders/{order_id}", methods=["GET"])
def get_order(order_id: str) -> Response:
    request = admin.current_request
    houses = houses_for(request, Action.SALES)
    lang = language_only(request)
    return json_response(order_detail(sales().detail(houses, order_id), lang), lang=lang)


@admin.route("/v1/admin/orders/{order_id}/cancel", methods=["POST"])
def cancel_order(order_id: str) -> Response:
    request = admin.current_request
    houses = houses_for(request, Action.SALES)
    lang = language_only(request)
    service = sales()
    service.find(houses, order_id)  # another house's order: 404 before the body is read
    order = service.cancel(houses, order_id, json_body(request), _who(request))
    return json_response(order_detail(service.detail(houses, order.id), lang), lang=lang)


@admin.route("/v1/admin/orders/{order_id}/exchange", methods=["POST"])
def exchange_order(order_id: str) -> Response:
    request = admin.current_request
    houses = houses_for(request, Action.SALES)
    lang = language_only(request)
    service = sales()
    service.find(houses, order_id)  # another house's order: 404 before the body is read
    order = service.exchange(houses, order_id, json_body(request), _who(request))
    view = order_detail(service.detail(houses, order.id), lang)
    response = json_response(view, status=201, lang=lang)
    response.headers["Location"] = f"/v1/admin/orders/{order.id}"
    return response


@admin.route("/v1/admin/orders/{order_id}/resend", methods=["POST"])
def resend_confirmation(order_id: str) -> Response:
    request = admin.current_request
    houses = houses_for(request, Action.SALES)
    lang = language_only(request)
    order = sales().resend(houses, order_id)
    body = {"order_id": order.id, "sent_to": order.customer.email}
    return json_response(body, status=202, lang=lang)


@admin.route("/v1/admin/performances/{performance_id}/holds", methods=["POST"])
def hold_at_desk(performance_id: str) -> Response:
    """Seats held for the desk or an exchange under staff rules; released, read and sold
    through the hold's own routes and token, like any hold."""
    from chalicelib.inventory.views import hold_view

    request = admin.current_request
    houses = houses_for(request, Action.SALES)
    lang = language_only(request)
    service = sales()
    service.performance(houses, performance_id)  # another house's: 404 before the body is read
    hold, token, seat_map = service.hold(houses, performance_id, json_body(request))
    body = {**hold_view(hold, seat_map, lang, service.clock.now()), "hold_token": token}
    response = json_response(body, status=201, lang=lang)
    response.headers["Location"] = f"/v1/holds/{hold.id}"
    return response


@admin.route("/v1/admin/box-office/sales", methods=["POST"])
def sell_at_desk() -> Response:
    request = admin.current_request
    houses = houses_for(request, Action.SALES)
    lang = language_only(request)
    service = sales()
    order = service.sell_at_desk(houses, json_body(request), _who(request))
    view = order_detail(service.detail(houses, order.id), lang)
    response = json_response(view, status=201, lang=lang)
    response.headers["Location"] = f"/v1/admin/orders/{order.id}"
    return response


@admin.route("/v1/admin/reports/sales", methods=["GET"])
def sales_report() -> Response:
    request = admin.current_request
    houses = houses_for(request, Action.REPORTS)
    query = parse_report(query_params(request))
    lang = _language(request)
    report = sales().report(houses, query)
    if query.format == "csv":
        return Response(
            body=report_csv(report),
            status_code=200,
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": 'attachment; filename="sales.csv"',
            },
        )
    return json_response(report, lang=lang)


def _who(request: Request) -> str:
    return signed_in(request).username


def order_summary(order: Any, lang: str) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "house": order.house,
        "performance": order.performance,
        "status": order.status.value,
        "channel": order.channel,
        "created_at": to_utc_iso(order.created_at),
        "customer": {"name": order.customer.name, "email": order.customer.email or None},
        "tickets": len(order.lines),
        "total_cents": order.total_cents,
        "total": format_eur(order.total_cents, lang),
        "refunded_cents": order.refunded_cents,
        "cancelled_at": to_utc_iso(order.cancelled_at) if order.cancelled_at else None,
        "exchanged_from": order.exchanged_from,
        "exchanged_to": order.exchanged_to,
        "exchanges": [
            {
                "order_id": e.order,
                "tickets": list(e.tickets),
                "moved_cents": e.moved_cents,
                "refunded_cents": e.refund_cents,
                "at": to_utc_iso(e.at),
                "by": e.by,
            }
            for e in order.exchanges
        ],
    }


def order_detail(detail: OrderDetail, lang: str) -> dict[str, Any]:
    order = detail.order
    return {
        **order_summary(order, lang),
        "hold": order.hold,
        "customer": {
            "name": order.customer.name,
            "email": order.customer.email or None,
            "phone": order.customer.phone,
            "language": order.customer.language,
            "newsletter_house": order.consents.newsletter_house,
            "newsletter_cluster": order.consents.newsletter_cluster,
        },
        "lines": [
            {
                "place": line.place,
                "label": line.label,
                "zone": line.zone,
                "tariff": line.tariff,
                "tariff_name": line.tariff_name,
                "price_cents": line.price_cents,
                "fee_cents": line.fee_cents,
            }
            for line in order.lines
        ],
        "replaces": list(order.replaces),
        "vat_cents": order.vat_cents,
        "payment": {
            "method": order.payment_method or "stripe",
            "session": order.payment_session,
            "payment_intent": order.payment_intent,
            "refunded_cents": order.refunded_cents,
            "paid_at_desk_cents": order.exchange_paid_cents,
            "sold_by": order.sold_by,
            "comp_reason": order.comp_reason,
        },
        "cancellation": (
            {
                "at": to_utc_iso(order.cancelled_at),
                "by": order.cancelled_by,
                "reason": order.cancel_reason,
            }
            if order.cancelled_at
            else None
        ),
        "tickets": [
            {
                "id": t.id,
                "place": t.place,
                "label": t.label,
                "tariff_name": t.tariff_name,
                "price_cents": t.price_cents,
                "holder": t.holder,
                "qr": t.qr,
                "void": t.voided,
                "exchanged_to": t.exchanged_to,
            }
            for t in detail.tickets
        ],
        "pdf_url": detail.pdf_url,
        "history": [
            {"at": to_utc_iso(h.at), "status": h.status, "by": h.by, "note": h.note}
            for h in order.history
        ],
    }
