"""Staff manage their programme: productions, performances (on sale, cancelled, blocked seats),
venues, halls and their seat maps, on the admin blueprint. Programme rights (house or cluster
admin); the houses come from the token, another house's object answers 404 as an unknown one,
and a write naming another house is refused (403)."""

from __future__ import annotations

import logging
from typing import Any

from chalice.app import Response

from chalicelib.admin.auth import houses_for
from chalicelib.admin.blueprint import admin
from chalicelib.admin.model import Action
from chalicelib.bootstrap import container
from chalicelib.catalogue.model import (
    Hall,
    Performance,
    PerformanceDetail,
    PerformanceStatus,
    Production,
    Tariff,
    Venue,
)
from chalicelib.catalogue.query import parse_instant
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.errors import FieldError, invalid, unknown_parameters, unsupported_language
from chalicelib.core.http import (
    json_body,
    json_response,
    language_only,
    query_params,
    request_language,
)
from chalicelib.core.i18n import LANGUAGES
from chalicelib.core.paging import parse_page
from chalicelib.inventory.views import staff_seat_plan_view
from chalicelib.programme.model import (
    parse_block,
    parse_hall,
    parse_performance,
    parse_production,
    parse_unblock,
    parse_venue,
)
from chalicelib.programme.service import DEFAULT_LIMIT, ProgrammeService
from chalicelib.store.keys import is_valid_id

logger = logging.getLogger(__name__)


def parse_cancel_reason(body: Any) -> str:
    default = "Voorstelling geannuleerd / Représentation annulée / Performance cancelled"
    if body is None:
        return default
    if not isinstance(body, dict) or set(body) - {"reason"}:
        raise invalid(FieldError("body", "not a cancellation", '{"reason"?: "…"}', "body"))
    reason = body.get("reason", default)
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 200:
        raise invalid(FieldError("reason", "not a short text", "why, in ≤ 200 characters", "body"))
    return reason.strip()


def service() -> ProgrammeService:
    return container().programme()


def _programme() -> tuple[frozenset[str], str]:
    request = admin.current_request
    lang = language_only(request)
    return houses_for(request, Action.PROGRAMME), lang


# --- productions -------------------------------------------------------------------------------


@admin.route("/v1/admin/productions", methods=["POST"])
def create_production() -> Response:
    houses, lang = _programme()
    fields = parse_production(json_body(admin.current_request))
    production = service().create_production(houses, fields)
    response = json_response(production_view(production), status=201, lang=lang)
    response.headers["Location"] = f"/v1/admin/productions/{production.id}"
    return response


@admin.route("/v1/admin/productions/{production_id}", methods=["GET"])
def get_production(production_id: str) -> Response:
    houses, lang = _programme()
    return json_response(production_view(service().production(houses, production_id)), lang=lang)


@admin.route("/v1/admin/productions/{production_id}", methods=["PUT"])
def put_production(production_id: str) -> Response:
    houses, lang = _programme()
    svc = service()
    svc.production(houses, production_id)  # 404 before reading the body
    fields = parse_production(json_body(admin.current_request))
    return json_response(
        production_view(svc.replace_production(houses, production_id, fields)), lang=lang
    )


@admin.route("/v1/admin/productions/{production_id}", methods=["DELETE"])
def delete_production(production_id: str) -> Response:
    houses, _ = _programme()
    service().delete_production(houses, production_id)
    return Response(body="", status_code=204)


# --- performances ------------------------------------------------------------------------------


@admin.route("/v1/admin/performances", methods=["POST"])
def create_performance() -> Response:
    houses, lang = _programme()
    fields = parse_performance(json_body(admin.current_request))
    svc = service()
    detail = svc.create_performance(houses, fields)
    body = performance_view(detail, svc)
    response = json_response(body, status=201, lang=lang)
    response.headers["Location"] = f"/v1/admin/performances/{detail.performance.id}"
    return response


@admin.route("/v1/admin/performances/{performance_id}", methods=["GET"])
def get_performance(performance_id: str) -> Response:
    houses, lang = _programme()
    svc = service()
    detail = svc.performance(houses, performance_id)
    body = performance_view(detail, svc)
    refunds = svc.refund_progress(detail)
    if refunds is not None:
        body["refunds"] = refunds
    return json_response(body, lang=lang)


@admin.route("/v1/admin/performances/{performance_id}", methods=["PUT"])
def put_performance(performance_id: str) -> Response:
    houses, lang = _programme()
    svc = service()
    svc.performance(houses, performance_id)  # 404 before reading the body
    fields = parse_performance(json_body(admin.current_request))
    detail = svc.replace_performance(houses, performance_id, fields)
    return json_response(performance_view(detail, svc), lang=lang)


@admin.route("/v1/admin/performances/{performance_id}/on-sale", methods=["POST"])
def put_on_sale(performance_id: str) -> Response:
    houses, lang = _programme()
    svc = service()
    return json_response(performance_view(svc.put_on_sale(houses, performance_id), svc), lang=lang)


@admin.route("/v1/admin/performances/{performance_id}/cancel", methods=["POST"])
def cancel_performance(performance_id: str) -> Response:
    """Body optional: `{"reason": "…"}`, recorded on each refunded order. 202: the performance
    is cancelled now, its buyers are refunded in the background (`refunds` says how far;
    `GET /v1/admin/performances/{id}` follows it)."""
    houses, lang = _programme()
    svc = service()
    svc.performance(houses, performance_id)  # 404 before reading the body
    reason = parse_cancel_reason(json_body(admin.current_request))
    detail, refunds = svc.cancel(houses, performance_id, reason)
    body = performance_view(detail, svc) | {"refunds": refunds}
    return json_response(body, status=202, lang=lang)


@admin.route("/v1/admin/performances/{performance_id}/blocked-seats", methods=["POST"])
def block_seats(performance_id: str) -> Response:
    houses, lang = _programme()
    svc = service()
    svc.performance(houses, performance_id)  # 404 before reading the body
    request = parse_block(json_body(admin.current_request))
    svc.block(houses, performance_id, request)
    body = {"performance": performance_id, "blocked": list(request.seats), "reason": request.reason}
    return json_response(body, lang=lang)


@admin.route("/v1/admin/performances/{performance_id}/blocked-seats/release", methods=["POST"])
def unblock_seats(performance_id: str) -> Response:
    """`{"seats": [ids]}`: blocked seats back on sale, all or none (held or sold ones: 409)."""
    houses, lang = _programme()
    svc = service()
    svc.performance(houses, performance_id)  # 404 before reading the body
    seats = parse_unblock(json_body(admin.current_request))
    svc.unblock(houses, performance_id, seats)
    return json_response({"performance": performance_id, "released": list(seats)}, lang=lang)


@admin.route("/v1/admin/performances/{performance_id}/seats", methods=["GET"])
def staff_seat_plan(performance_id: str) -> Response:
    """The box office and house admins see every seat's real state (sales or programme
    rights; a marketing or scanner token is a 403)."""
    request = admin.current_request
    lang = language_only(request)
    houses = houses_for(request, Action.SALES, Action.PROGRAMME)
    # The public plan's gate: the staff plan names the waiting room too.
    plan = service().seat_plan(houses, performance_id, container().gate())
    return json_response(staff_seat_plan_view(plan, lang), lang=lang)


# --- venues, halls and seat maps ---------------------------------------------------------------


@admin.route("/v1/admin/venues", methods=["POST"])
def create_venue() -> Response:
    houses, lang = _programme()
    venue = service().save_venue(houses, parse_venue(json_body(admin.current_request)))
    response = json_response(venue_view(venue), status=201, lang=lang)
    response.headers["Location"] = f"/v1/admin/venues/{venue.id}"
    return response


@admin.route("/v1/admin/venues/{venue_id}", methods=["GET"])
def get_venue(venue_id: str) -> Response:
    houses, lang = _programme()
    return json_response(venue_view(service().venue(houses, venue_id)), lang=lang)


@admin.route("/v1/admin/venues/{venue_id}", methods=["PUT"])
def put_venue(venue_id: str) -> Response:
    houses, lang = _programme()
    svc = service()
    svc.venue(houses, venue_id)  # 404 before reading the body
    fields = parse_venue(json_body(admin.current_request))
    return json_response(venue_view(svc.save_venue(houses, fields, venue_id)), lang=lang)


@admin.route("/v1/admin/venues/{venue_id}", methods=["DELETE"])
def delete_venue(venue_id: str) -> Response:
    houses, _ = _programme()
    service().delete_venue(houses, venue_id)
    return Response(body="", status_code=204)


@admin.route("/v1/admin/halls/{hall_id}", methods=["DELETE"])
def delete_hall(hall_id: str) -> Response:
    houses, _ = _programme()
    service().delete_hall(houses, hall_id)
    return Response(body="", status_code=204)


@admin.route("/v1/admin/halls", methods=["POST"])
def create_hall() -> Response:
    houses, lang = _programme()
    hall = service().save_hall(houses, parse_hall(json_body(admin.current_request)))
    response = json_response(hall_view(hall), status=201, lang=lang)
    response.headers["Location"] = f"/v1/admin/halls/{hall.id}"
    return response


@admin.route("/v1/admin/halls/{hall_id}", methods=["GET"])
def get_hall(hall_id: str) -> Response:
    houses, lang = _programme()
    return json_response(hall_view(service().hall(houses, hall_id)), lang=lang)


@admin.route("/v1/admin/halls/{hall_id}", methods=["PUT"])
def put_hall(hall_id: str) -> Response:
    houses, lang = _programme()
    svc = service()
    svc.hall(houses, hall_id)  # 404 before reading the body
    fields = parse_hall(json_body(admin.current_request))
    return json_response(hall_view(svc.save_hall(houses, fields, hall_id)), lang=lang)


@admin.route(
    "/v1/admin/halls/{hall_id}/seat-map",
    methods=["PUT"],
    content_types=["application/json", "text/csv"],
)
def put_seat_map(hall_id: str) -> Response:
    """The inventory's JSON format, or its CSV (Content-Type: text/csv), one seat a line."""
    houses, lang = _programme()
    request = admin.current_request
    svc = service()
    svc.hall(houses, hall_id)  # 404 before reading the body
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type == "text/csv":
        try:
            text = (request.raw_body or b"").decode("utf-8")
        except UnicodeDecodeError as error:
            raise invalid(FieldError("body", "not UTF-8 text", "CSV in UTF-8", "body")) from error
        hall, seat_map = svc.import_seat_map(houses, hall_id, None, text)
    else:
        hall, seat_map = svc.import_seat_map(houses, hall_id, json_body(request), None)
    body = hall_view(hall) | {
        "seat_map": {
            "id": seat_map.id,
            "sections": len(seat_map.sections),
            "seats": len(seat_map.seats),
            "pools": len(seat_map.pools),
            "capacity": seat_map.capacity,
        }
    }
    return json_response(body, lang=lang)


# --- lists -------------------------------------------------------------------------------------

_FILTERS = {
    "productions": ("house", "genre"),
    "performances": ("house", "production", "hall", "status"),
    "venues": ("house",),
    "halls": ("house", "venue"),
}


def _listing(kind: str) -> Response:
    request = admin.current_request
    houses = houses_for(request, Action.PROGRAMME)
    params = query_params(request)
    dated = ("from", "to") if kind == "performances" else ()
    errors = unknown_parameters(params, ("lang", "limit", "next", *_FILTERS[kind], *dated))
    if "lang" in params and params["lang"] not in LANGUAGES:
        errors.append(unsupported_language())
    for name, value in params.items():
        if name == "status" and value not in {s.value for s in PerformanceStatus}:
            statuses = ", ".join(s.value for s in PerformanceStatus)
            errors.append(FieldError(name, "unknown status", "one of " + statuses))
        elif name not in ("lang", "status") and name in _FILTERS[kind] and not is_valid_id(value):
            errors.append(FieldError(name, "not an id", "a lowercase id"))
    limit, after = parse_page(params, errors, kind, DEFAULT_LIMIT)
    # The public list's reading of from/to: a date is that whole day in Brussels.
    starts = (
        parse_instant(params, "from", errors, end_of_day=False),
        parse_instant(params, "to", errors, end_of_day=True),
    )
    if starts[0] and starts[1] and starts[1] < starts[0]:
        errors.append(FieldError("to", "'to' is before 'from'", "a moment on or after 'from'"))
    if errors:
        raise invalid(*errors)
    filters = {k: v for k, v in params.items() if k in _FILTERS[kind]}
    svc = service()
    found, cursor = svc.listing(houses, kind, filters, limit, after, starts)
    view = {
        "productions": production_view,
        "performances": lambda detail: performance_summary_view(detail, svc),
        "venues": venue_view,
        "halls": hall_view,
    }[kind]
    return json_response(
        {"items": [view(o) for o in found], "next": cursor}, lang=request_language(request)
    )


@admin.route("/v1/admin/productions", methods=["GET"])
def list_productions() -> Response:
    return _listing("productions")


@admin.route("/v1/admin/performances", methods=["GET"])
def list_performances() -> Response:
    return _listing("performances")


@admin.route("/v1/admin/venues", methods=["GET"])
def list_venues() -> Response:
    return _listing("venues")


@admin.route("/v1/admin/halls", methods=["GET"])
def list_halls() -> Response:
    return _listing("halls")


# --- views: staff see every language as stored -------------------------------------------------


def production_view(production: Production) -> dict[str, Any]:
    return {
        "id": production.id,
        "house": production.house,
        "title": dict(production.title),
        "description": dict(production.description),
        "genre": production.genre.value,
        "languages": list(production.languages),
        "duration_minutes": production.duration_minutes,
        "age_advice": production.age_advice,
        "images": [{"url": i.url, "alt": dict(i.alt)} for i in production.images],
    }


def venue_view(venue: Venue) -> dict[str, Any]:
    return {
        "id": venue.id,
        "house": venue.house,
        "name": venue.name,
        "address": venue.address,
        "city": venue.city,
        "accessibility": dict(venue.accessibility),
    }


def hall_view(hall: Hall) -> dict[str, Any]:
    return {
        "id": hall.id,
        "house": hall.house,
        "venue": hall.venue,
        "name": hall.name,
        "layout": hall.layout.value,
        "capacity": hall.capacity,
        "price_zones": [
            {"id": z.id, "name": dict(z.name), "rank": z.rank, "color": z.color}
            for z in hall.price_zones
        ],
        "seat_map": hall.seat_map,
    }


def tariff_view(tariff: Tariff) -> dict[str, Any]:
    c = tariff.conditions
    return {
        "id": tariff.id,
        "name": dict(tariff.name),
        "prices": dict(tariff.prices),
        "conditions": {
            "max_per_order": c.max_per_order,
            "proof_required": c.proof_required,
            "min_age": c.min_age,
            "max_age": c.max_age,
        },
    }


def performance_summary_view(p: Performance, svc: ProgrammeService) -> dict[str, Any]:
    return {
        "id": p.id,
        "house": p.house,
        "production": p.production,
        "hall": p.hall,
        "title": dict(p.title),
        "starts_at": to_utc_iso(p.starts_at),
        "status": p.status.value,
        "sales_state": p.sales_state(svc.clock.now()).value,
    }


def performance_view(detail: PerformanceDetail, svc: ProgrammeService) -> dict[str, Any]:
    p = detail.performance
    return {
        "id": p.id,
        "house": p.house,
        "production": p.production,
        "hall": p.hall,
        "venue": p.venue,
        "title": dict(p.title),
        "genre": p.genre.value,
        "starts_at": to_utc_iso(p.starts_at),
        "ends_at": to_utc_iso(p.ends_at),
        "sales_opens_at": to_utc_iso(p.sales_opens_at),
        "sales_closes_at": to_utc_iso(p.sales_closes_at),
        "status": p.status.value,
        "sales_state": p.sales_state(svc.clock.now()).value,
        "tariffs": [tariff_view(t) for t in p.tariffs],
        "price_zones": [
            {"id": z.id, "name": dict(z.name), "rank": z.rank, "color": z.color}
            for z in detail.hall.price_zones
        ],
        "seat_map": detail.hall.seat_map,
        "hold_minutes": p.hold_minutes,
        "max_seats_per_hold": p.max_seats_per_hold,
        "max_holds_per_client": p.max_holds_per_client,
    }
