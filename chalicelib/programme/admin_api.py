"""Staff manage their programme: productions, performances (on sale, cancelled, blocked seats),
venues, halls and their seat maps, on the admin blueprint. Programme rights (house or cluster
admin); the houses come from the token, another house's object answers 404 as an unknown one,
and a write naming another house is refused (403). Every body and query is read into the
models of chalicelib/programme/schemas.py, which the API document is generated from."""

from __future__ import annotations

import logging

from chalice.app import Request, Response

from chalicelib.admin.auth import houses_for
from chalicelib.admin.blueprint import admin
from chalicelib.admin.model import Action
from chalicelib.bootstrap import container
from chalicelib.core.edge import Doc, Query, parse
from chalicelib.core.errors import FieldError, invalid
from chalicelib.core.http import json_body, read_body, read_query, reply, request_language
from chalicelib.inventory.seatmap import read_csv, read_document
from chalicelib.inventory.seatmap_schemas import SeatMapDocument
from chalicelib.inventory.views import staff_seat_plan_view
from chalicelib.programme.schemas import (
    BlockCommand,
    BlockedReply,
    CancelCommand,
    HallCommand,
    HallPage,
    HallReply,
    HallsQuery,
    MappedHallReply,
    PerformanceCommand,
    PerformancePage,
    PerformanceReply,
    PerformancesQuery,
    PerformanceSummary,
    ProductionCommand,
    ProductionPage,
    ProductionReply,
    ProductionsQuery,
    ReleaseCommand,
    ReleasedReply,
    StaffSeatPlanReply,
    VenueCommand,
    VenuePage,
    VenueReply,
    VenuesQuery,
)
from chalicelib.programme.service import ProgrammeService

logger = logging.getLogger(__name__)

TAG = "programme"


def service() -> ProgrammeService:
    return container().programme()


def _programme() -> tuple[frozenset[str], str]:
    """The caller's houses with programme rights, and the answer's language (the query may
    hold only `lang`: anything else is a 400, before the token is looked at, as always)."""
    request = admin.current_request
    read_query(request, Query)
    return houses_for(request, Action.PROGRAMME), request_language(request)


def _no_content() -> Response:
    return Response(body="", status_code=204)


# --- productions -------------------------------------------------------------------------------


@admin.route(
    "/v1/admin/productions",
    methods=["POST"],
    doc=Doc(
        tag=TAG,
        query=Query,
        body=ProductionCommand,
        response=ProductionReply,
        status=201,
        staff=True,
    ),
)
def create_production() -> Response:
    """Create a production

    Texts in Dutch (French and English optional), genre, spoken languages, duration, age
    advice and images (an image without alt text is described by the title). The house is
    yours, or one of yours when you have several."""
    houses, lang = _programme()
    command = read_body(admin.current_request, ProductionCommand)
    production = service().create_production(houses, command)
    return reply(
        ProductionReply.of(production),
        lang=lang,
        status=201,
        location=f"/v1/admin/productions/{production.id}",
        omit_unset=True,
    )


@admin.route(
    "/v1/admin/productions/{production_id}",
    methods=["GET"],
    doc=Doc(tag=TAG, query=Query, response=ProductionReply, staff=True),
)
def get_production(production_id: str) -> Response:
    """A production

    Another house's production answers 404, as an unknown one."""
    houses, lang = _programme()
    return reply(
        ProductionReply.of(service().production(houses, production_id)), lang=lang, omit_unset=True
    )


@admin.route(
    "/v1/admin/productions/{production_id}",
    methods=["PUT"],
    doc=Doc(tag=TAG, query=Query, body=ProductionCommand, response=ProductionReply, staff=True),
)
def put_production(production_id: str) -> Response:
    """Replace a production

    A PUT replaces the whole production; its performances follow its title, genre and first
    image. A production does not move house."""
    houses, lang = _programme()
    svc = service()
    svc.production(houses, production_id)  # 404 before reading the body
    command = read_body(admin.current_request, ProductionCommand)
    return reply(
        ProductionReply.of(svc.replace_production(houses, production_id, command)),
        lang=lang,
        omit_unset=True,
    )


@admin.route(
    "/v1/admin/productions/{production_id}",
    methods=["DELETE"],
    doc=Doc(tag=TAG, query=Query, response=None, status=204, staff=True),
)
def delete_production(production_id: str) -> Response:
    """Delete a production without performances

    A production that still has performances is kept (409 production_has_performances)."""
    houses, _ = _programme()
    service().delete_production(houses, production_id)
    return _no_content()


# --- performances ------------------------------------------------------------------------------


@admin.route(
    "/v1/admin/performances",
    methods=["POST"],
    doc=Doc(
        tag=TAG,
        query=Query,
        body=PerformanceCommand,
        response=PerformanceReply,
        status=201,
        staff=True,
    ),
)
def create_performance() -> Response:
    """Create a performance

    A production and a hall of the house, its times and sales window, tariffs priced per price
    zone of the hall, a status (draft unless said otherwise; on sale needs the hall's seat
    map) and the hold rules."""
    houses, lang = _programme()
    command = read_body(admin.current_request, PerformanceCommand)
    svc = service()
    detail = svc.create_performance(houses, command)
    return reply(
        PerformanceReply.of(detail, svc.clock.now()),
        lang=lang,
        status=201,
        location=f"/v1/admin/performances/{detail.performance.id}",
        omit_unset=True,
    )


@admin.route(
    "/v1/admin/performances/{performance_id}",
    methods=["GET"],
    doc=Doc(tag=TAG, query=Query, response=PerformanceReply, staff=True),
)
def get_performance(performance_id: str) -> Response:
    """A performance, drafts included

    Once cancelled, `refunds` says how far its buyers' refunds are."""
    houses, lang = _programme()
    svc = service()
    detail = svc.performance(houses, performance_id)
    body = PerformanceReply.of(detail, svc.clock.now(), svc.refund_progress(detail))
    return reply(body, lang=lang, omit_unset=True)


@admin.route(
    "/v1/admin/performances/{performance_id}",
    methods=["PUT"],
    doc=Doc(tag=TAG, query=Query, body=PerformanceCommand, response=PerformanceReply, staff=True),
)
def put_performance(performance_id: str) -> Response:
    """Replace a performance

    A performance that has been on sale keeps its hall; a cancelled one no longer changes
    (422 performance_cancelled). Hold rules left out stay as they were."""
    houses, lang = _programme()
    svc = service()
    svc.performance(houses, performance_id)  # 404 before reading the body
    command = read_body(admin.current_request, PerformanceCommand)
    detail = svc.replace_performance(houses, performance_id, command)
    return reply(PerformanceReply.of(detail, svc.clock.now()), lang=lang, omit_unset=True)


@admin.route(
    "/v1/admin/performances/{performance_id}/on-sale",
    methods=["POST"],
    doc=Doc(tag=TAG, query=Query, response=PerformanceReply, staff=True),
)
def put_on_sale(performance_id: str) -> Response:
    """Put a performance on sale

    Its hall needs a seat map and its sales window must still be open (422
    performance_not_ready). Asked twice, it is on sale once."""
    houses, lang = _programme()
    svc = service()
    detail = svc.put_on_sale(houses, performance_id)
    return reply(PerformanceReply.of(detail, svc.clock.now()), lang=lang, omit_unset=True)


@admin.route(
    "/v1/admin/performances/{performance_id}/cancel",
    methods=["POST"],
    doc=Doc(
        tag=TAG,
        query=Query,
        body=CancelCommand,
        body_required=False,
        response=PerformanceReply,
        status=202,
        staff=True,
    ),
)
def cancel_performance(performance_id: str) -> Response:
    """Cancel a performance; its buyers are refunded in the background

    Cancelled now, off sale for good; every buyer is refunded in full and mailed in the
    background. 202: `refunds` says how far, `queued` the refunds queued by this call; the
    performance's GET follows it. Asking again queues what is still not refunded, and refunds
    nothing twice. The body is optional: `{"reason": "…"}`, recorded on each refunded
    order."""
    houses, lang = _programme()
    svc = service()
    svc.performance(houses, performance_id)  # 404 before reading the body
    data = json_body(admin.current_request)
    command = CancelCommand() if data is None else parse(CancelCommand, data)
    detail, refunds = svc.cancel(houses, performance_id, command.reason)
    return reply(
        PerformanceReply.of(detail, svc.clock.now(), refunds),
        lang=lang,
        status=202,
        omit_unset=True,
    )


@admin.route(
    "/v1/admin/performances/{performance_id}/blocked-seats",
    methods=["POST"],
    doc=Doc(tag=TAG, query=Query, body=BlockCommand, response=BlockedReply, staff=True),
)
def block_seats(performance_id: str) -> Response:
    """Take free seats out of sale, with a reason

    All of them or none: a seat held, sold or blocked already is a 409 naming it. At most
    100 seats a request (one transaction)."""
    houses, lang = _programme()
    svc = service()
    svc.performance(houses, performance_id)  # 404 before reading the body
    command = read_body(admin.current_request, BlockCommand)
    svc.block(houses, performance_id, command)
    body = BlockedReply(
        performance=performance_id, blocked=list(command.seats), reason=command.reason
    )
    return reply(body, lang=lang, omit_unset=True)


@admin.route(
    "/v1/admin/performances/{performance_id}/blocked-seats/release",
    methods=["POST"],
    doc=Doc(tag=TAG, query=Query, body=ReleaseCommand, response=ReleasedReply, staff=True),
)
def unblock_seats(performance_id: str) -> Response:
    """Put blocked seats back on sale, all or none

    A held or sold seat is never "unblocked" into free: 409 naming it, nothing written."""
    houses, lang = _programme()
    svc = service()
    svc.performance(houses, performance_id)  # 404 before reading the body
    command = read_body(admin.current_request, ReleaseCommand)
    svc.unblock(houses, performance_id, command)
    return reply(
        ReleasedReply(performance=performance_id, released=list(command.seats)),
        lang=lang,
        omit_unset=True,
    )


@admin.route(
    "/v1/admin/performances/{performance_id}/seats",
    methods=["GET"],
    doc=Doc(tag=TAG, query=Query, response=StaffSeatPlanReply, staff=True),
)
def staff_seat_plan(performance_id: str) -> Response:
    """Every seat's real state: free, held (until, paying), sold (order), blocked (reason)

    The box office and house admins see every seat's real state (sales or programme rights;
    a marketing or scanner token is a 403)."""
    request = admin.current_request
    read_query(request, Query)
    lang = request_language(request)
    houses = houses_for(request, Action.SALES, Action.PROGRAMME)
    # The public plan's gate: the staff plan names the waiting room too.
    plan = service().seat_plan(houses, performance_id, container().gate())
    # The public plan's shape (inventory/views.py, shared with the public route) with each
    # seat's real state, checked against its reply model on the way out.
    return reply(
        StaffSeatPlanReply.model_validate(staff_seat_plan_view(plan, lang)),
        lang=lang,
        omit_unset=True,
    )


# --- venues, halls and seat maps ---------------------------------------------------------------


@admin.route(
    "/v1/admin/venues",
    methods=["POST"],
    doc=Doc(tag=TAG, query=Query, body=VenueCommand, response=VenueReply, status=201, staff=True),
)
def create_venue() -> Response:
    """Create a venue

    Name, address, city and accessibility notes (Dutch, French and English)."""
    houses, lang = _programme()
    venue = service().save_venue(houses, read_body(admin.current_request, VenueCommand))
    return reply(
        VenueReply.of(venue),
        lang=lang,
        status=201,
        location=f"/v1/admin/venues/{venue.id}",
        omit_unset=True,
    )


@admin.route(
    "/v1/admin/venues/{venue_id}",
    methods=["GET"],
    doc=Doc(tag=TAG, query=Query, response=VenueReply, staff=True),
)
def get_venue(venue_id: str) -> Response:
    """A venue"""
    houses, lang = _programme()
    return reply(VenueReply.of(service().venue(houses, venue_id)), lang=lang, omit_unset=True)


@admin.route(
    "/v1/admin/venues/{venue_id}",
    methods=["PUT"],
    doc=Doc(tag=TAG, query=Query, body=VenueCommand, response=VenueReply, staff=True),
)
def put_venue(venue_id: str) -> Response:
    """Replace a venue

    Its halls and performances are unchanged."""
    houses, lang = _programme()
    svc = service()
    svc.venue(houses, venue_id)  # 404 before reading the body
    command = read_body(admin.current_request, VenueCommand)
    return reply(
        VenueReply.of(svc.save_venue(houses, command, venue_id)), lang=lang, omit_unset=True
    )


@admin.route(
    "/v1/admin/venues/{venue_id}",
    methods=["DELETE"],
    doc=Doc(tag=TAG, query=Query, response=None, status=204, staff=True),
)
def delete_venue(venue_id: str) -> Response:
    """Delete a venue without halls

    A venue that still has halls is kept (409 venue_has_halls, naming them)."""
    houses, _ = _programme()
    service().delete_venue(houses, venue_id)
    return _no_content()


@admin.route(
    "/v1/admin/halls/{hall_id}",
    methods=["DELETE"],
    doc=Doc(tag=TAG, query=Query, response=None, status=204, staff=True),
)
def delete_hall(hall_id: str) -> Response:
    """Delete a hall no performance uses

    A hall a performance uses is kept (409 hall_in_use); its seat maps stay, unreferenced."""
    houses, _ = _programme()
    service().delete_hall(houses, hall_id)
    return _no_content()


@admin.route(
    "/v1/admin/halls",
    methods=["POST"],
    doc=Doc(tag=TAG, query=Query, body=HallCommand, response=HallReply, status=201, staff=True),
)
def create_hall() -> Response:
    """Create a hall

    A venue of the house, a layout, price zones, and a capacity until its seat map gives
    one."""
    houses, lang = _programme()
    hall = service().save_hall(houses, read_body(admin.current_request, HallCommand))
    return reply(
        HallReply.of(hall),
        lang=lang,
        status=201,
        location=f"/v1/admin/halls/{hall.id}",
        omit_unset=True,
    )


@admin.route(
    "/v1/admin/halls/{hall_id}",
    methods=["GET"],
    doc=Doc(tag=TAG, query=Query, response=HallReply, staff=True),
)
def get_hall(hall_id: str) -> Response:
    """A hall"""
    houses, lang = _programme()
    return reply(HallReply.of(service().hall(houses, hall_id)), lang=lang, omit_unset=True)


@admin.route(
    "/v1/admin/halls/{hall_id}",
    methods=["PUT"],
    doc=Doc(tag=TAG, query=Query, body=HallCommand, response=HallReply, staff=True),
)
def put_hall(hall_id: str) -> Response:
    """Replace a hall (it keeps its seat map)

    The zones its seat map or its performances' tariffs use must stay among its price zones;
    its performances follow it to another venue of the house."""
    houses, lang = _programme()
    svc = service()
    svc.hall(houses, hall_id)  # 404 before reading the body
    command = read_body(admin.current_request, HallCommand)
    return reply(HallReply.of(svc.save_hall(houses, command, hall_id)), lang=lang, omit_unset=True)


@admin.route(
    "/v1/admin/halls/{hall_id}/seat-map",
    methods=["PUT"],
    content_types=["application/json", "text/csv"],
    doc=Doc(tag=TAG, query=Query, body=SeatMapDocument, response=MappedHallReply, staff=True),
)
def put_seat_map(hall_id: str) -> Response:
    """Import a new seat map: the inventory's JSON format, or its CSV as text/csv

    The CSV has one seat a line (section,row,seat,x,y,zone,attributes; a spreadsheet's
    semicolons and decimal commas too); its mistakes are named "line N: column". The map gets
    a new id; refused while a performance of the hall is on sale (409 hall_in_use)."""
    houses, lang = _programme()
    request = admin.current_request
    svc = service()
    hall = svc.hall(houses, hall_id)  # 404 before reading the body
    svc.check_map_can_change(hall)  # 409 before the body, as an upload to a selling hall was
    document = _seat_map_upload(request, {zone.id for zone in hall.price_zones})
    mapped, seat_map = svc.import_seat_map(houses, hall_id, document)
    return reply(MappedHallReply.of(mapped, seat_map), lang=lang, omit_unset=True)


def _seat_map_upload(request: Request, zones: set[str]) -> SeatMapDocument:
    """The body as a seat map document, its zones among the hall's, every mistake at once."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "text/csv":
        return read_document(json_body(request), zones)
    raw = request.raw_body or b""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise invalid(FieldError("body", "not UTF-8 text", "CSV in UTF-8", "body")) from error
    return read_csv(text, zone_ids=zones)


# --- lists -------------------------------------------------------------------------------------


@admin.route(
    "/v1/admin/productions",
    methods=["GET"],
    doc=Doc(tag=TAG, query=ProductionsQuery, response=ProductionPage, staff=True),
)
def list_productions() -> Response:
    """The productions of your houses, house by house, by id

    `limit` per page (1-100, 50 by default) and the previous page's `next`."""
    request = admin.current_request
    houses = houses_for(request, Action.PROGRAMME)
    query = read_query(request, ProductionsQuery)
    found, cursor = service().productions_page(houses, query)
    page = ProductionPage(items=[ProductionReply.of(p) for p in found], next=cursor)
    return reply(page, lang=request_language(request), omit_unset=True)


@admin.route(
    "/v1/admin/performances",
    methods=["GET"],
    doc=Doc(tag=TAG, query=PerformancesQuery, response=PerformancePage, staff=True),
)
def list_performances() -> Response:
    """The performances of your houses, drafts and past ones included, house by house, by start
    time

    `from` and `to` bound the start times (inclusive; a date is that whole day in Brussels);
    `limit` per page and the previous page's `next`."""
    request = admin.current_request
    houses = houses_for(request, Action.PROGRAMME)
    query = read_query(request, PerformancesQuery)
    svc = service()
    found, cursor = svc.performances_page(houses, query)
    now = svc.clock.now()
    page = PerformancePage(items=[PerformanceSummary.of(p, now) for p in found], next=cursor)
    return reply(page, lang=request_language(request), omit_unset=True)


@admin.route(
    "/v1/admin/venues",
    methods=["GET"],
    doc=Doc(tag=TAG, query=VenuesQuery, response=VenuePage, staff=True),
)
def list_venues() -> Response:
    """The venues of your houses, house by house, by id"""
    request = admin.current_request
    houses = houses_for(request, Action.PROGRAMME)
    query = read_query(request, VenuesQuery)
    found, cursor = service().venues_page(houses, query)
    page = VenuePage(items=[VenueReply.of(v) for v in found], next=cursor)
    return reply(page, lang=request_language(request), omit_unset=True)


@admin.route(
    "/v1/admin/halls",
    methods=["GET"],
    doc=Doc(tag=TAG, query=HallsQuery, response=HallPage, staff=True),
)
def list_halls() -> Response:
    """The halls of your houses, house by house, by id"""
    request = admin.current_request
    houses = houses_for(request, Action.PROGRAMME)
    query = read_query(request, HallsQuery)
    found, cursor = service().halls_page(houses, query)
    page = HallPage(items=[HallReply.of(h) for h in found], next=cursor)
    return reply(page, lang=request_language(request), omit_unset=True)
