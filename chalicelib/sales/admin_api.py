"""Staff routes for sales: search and read orders, cancel with a refund, resend the
confirmation, sell at the box office, the sales report. Sales rights (house or cluster admin,
box office) for orders and the desk, report rights (also marketing) for reports; the houses
always come from the token, and another house's order answers 404 as an unknown one."""

from __future__ import annotations

from chalice.app import Request, Response

from chalicelib.admin.auth import houses_for, signed_in
from chalicelib.admin.blueprint import admin
from chalicelib.admin.model import Action
from chalicelib.bootstrap import container
from chalicelib.core.edge import Doc, Query, examples
from chalicelib.core.edge import render as _render
from chalicelib.core.http import read_body, read_query, reply, request_language
from chalicelib.inventory.schemas import HoldCommand, NewHoldReply
from chalicelib.sales.model import report_csv
from chalicelib.sales.schemas import (
    DeskSaleCommand,
    ExchangeCommand,
    OrderCancelCommand,
    OrderSummaryReply,
    ReportQuery,
    ResendReply,
    SalesReportReply,
    SearchQuery,
    SearchReply,
    StaffOrderReply,
)
from chalicelib.sales.service import OrderDetail, SalesService


def sales() -> SalesService:
    return container().sales()


TAG = "staff"


@admin.route(
    "/v1/admin/orders",
    methods=["GET"],
    doc=Doc(tag=TAG, query=SearchQuery, response=SearchReply, staff=True),
)
def search_orders() -> Response:
    """Search your houses' orders (newest first, house by house)

    By order id, or part of a name or e-mail, narrowed by performance, status and the moment
    it was placed; a page at a time, with the cursor of the next page. Only the houses of the
    caller's token are searched."""
    request = admin.current_request
    houses = houses_for(request, Action.SALES)
    query = read_query(request, SearchQuery)
    lang = request_language(request)
    found, cursor = sales().search(houses, query)
    page = SearchReply(items=[OrderSummaryReply.of(order, lang) for order in found], next=cursor)
    return reply(page, lang=lang)


@admin.route(
    "/v1/admin/orders/{order_id}",
    methods=["GET"],
    doc=Doc(tag=TAG, query=Query, response=StaffOrderReply, staff=True),
)
def get_order(order_id: str) -> Response:
    """An order: lines, customer, payment, tickets, history

    Another house's order answers 404, as an unknown one."""
    request = admin.current_request
    houses, lang = _for_sales(request)
    return reply(staff_view(sales().detail(houses, order_id), lang), lang=lang)


@admin.route(
    "/v1/admin/orders/{order_id}/cancel",
    methods=["POST"],
    doc=Doc(tag=TAG, query=Query, body=OrderCancelCommand, response=StaffOrderReply, staff=True),
)
def cancel_order(order_id: str) -> Response:
    """Cancel an order: tickets void, seats back on sale, a full or partial refund (once)

    At most what the order still holds is refunded: through Stripe for a webshop order, in
    hand at the desk. A cancel sent again refunds nothing more and answers the order."""
    request = admin.current_request
    houses, lang = _for_sales(request)
    service = sales()
    service.find(houses, order_id)  # another house's order: 404 before the body is read
    order = service.cancel(houses, order_id, read_body(request, OrderCancelCommand), _who(request))
    return reply(staff_view(service.detail(houses, order.id), lang), lang=lang)


@admin.route(
    "/v1/admin/orders/{order_id}/exchange",
    methods=["POST"],
    doc=Doc(
        tag=TAG,
        query=Query,
        body=ExchangeCommand,
        response=StaffOrderReply,
        status=201,
        staff=True,
    ),
)
def exchange_order(order_id: str) -> Response:
    """Exchange an order's tickets (all, or the ones named) to another performance of the
    same production

    A new order on the staff member's hold takes them: a higher price is paid at the desk, a
    lower one refunded once. The answer is the new order; sent again with the same hold, the
    same new order."""
    request = admin.current_request
    houses, lang = _for_sales(request)
    service = sales()
    service.find(houses, order_id)  # another house's order: 404 before the body is read
    command = read_body(request, ExchangeCommand)
    order = service.exchange(houses, order_id, command, _who(request))
    return _new_order(service, houses, order.id, lang)


@admin.route(
    "/v1/admin/orders/{order_id}/resend",
    methods=["POST"],
    doc=Doc(tag=TAG, query=Query, response=ResendReply, status=202, staff=True),
)
def resend_confirmation(order_id: str) -> Response:
    """Mail the confirmation again

    Only a completed order with an e-mail address; the mail goes to that address."""
    request = admin.current_request
    houses, lang = _for_sales(request)
    order = sales().resend(houses, order_id)
    sent = ResendReply(order_id=order.id, sent_to=order.customer.email)
    return reply(sent, status=202, lang=lang)


@admin.route(
    "/v1/admin/performances/{performance_id}/holds",
    methods=["POST"],
    doc=Doc(
        tag=TAG,
        query=Query,
        body=HoldCommand,
        response=NewHoldReply,
        status=201,
        staff=True,
    ),
)
def hold_at_desk(performance_id: str) -> Response:
    """Hold seats for the desk or an exchange under staff rules

    Until the performance ends, outside the public sales window and the waiting room, up to
    98 seats; release, read and sell it through /v1/holds/{hold_id} and its token like any
    hold."""
    request = admin.current_request
    houses, lang = _for_sales(request)
    service = sales()
    # Another house's performance is a 404, one that cannot be held a 422: both before the
    # body is read.
    grant = service.desk_grant(houses, performance_id)
    hold, token, seat_map = service.hold(grant, read_body(request, HoldCommand))
    held = NewHoldReply.taken(hold, token, seat_map, lang, service.clock.now())
    return reply(held, status=201, lang=lang, location=f"/v1/holds/{hold.id}")


@admin.route(
    "/v1/admin/box-office/sales",
    methods=["POST"],
    doc=Doc(
        tag=TAG,
        query=Query,
        body=DeskSaleCommand,
        response=StaffOrderReply,
        status=201,
        staff=True,
    ),
)
def sell_at_desk() -> Response:
    """Sell held seats at the desk (cash or card terminal; comps with a reason), no Stripe

    The tickets are issued at once, printed at the desk or mailed. The hold is the sale's
    idempotency key: a sale sent again answers the order it made."""
    request = admin.current_request
    houses, lang = _for_sales(request)
    service = sales()
    order = service.sell_at_desk(houses, read_body(request, DeskSaleCommand), _who(request))
    return _new_order(service, houses, order.id, lang)


@admin.route(
    "/v1/admin/reports/sales",
    methods=["GET"],
    doc=Doc(
        tag=TAG,
        query=ReportQuery,
        response=SalesReportReply,
        staff=True,
        also=(("text/csv", report_csv(examples(SalesReportReply)[0])),),
    ),
)
def sales_report() -> Response:
    """Sales per performance and per day, occupancy, revenue by tariff and channel

    Money kept is what was paid less what was refunded. `format=csv` answers the same as one
    table (text/csv) instead of JSON."""
    request = admin.current_request
    houses = houses_for(request, Action.REPORTS)
    query = read_query(request, ReportQuery)
    lang = request_language(request)
    report = sales().report(houses, query)
    if query.format == "csv":
        return Response(
            body=report_csv(_render(report)),
            status_code=200,
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": 'attachment; filename="sales.csv"',
            },
        )
    return reply(report, lang=lang)


def _for_sales(request: Request) -> tuple[frozenset[str], str]:
    """The caller's houses with sales rights, then the answer's language: the token is judged
    before the query string (which may hold only `lang`), as these routes always did."""
    houses = houses_for(request, Action.SALES)
    read_query(request, Query)
    return houses, request_language(request)


def _new_order(service: SalesService, houses: frozenset[str], order_id: str, lang: str) -> Response:
    """An order an exchange or a desk sale made: 201, at the URL that reads it again."""
    return reply(
        staff_view(service.detail(houses, order_id), lang),
        status=201,
        lang=lang,
        location=f"/v1/admin/orders/{order_id}",
    )


def _who(request: Request) -> str:
    return signed_in(request).username


def staff_view(detail: OrderDetail, lang: str) -> StaffOrderReply:
    return StaffOrderReply.of(detail.order, detail.tickets, detail.pdf_url, lang)
