"""Waiting-room routes: join, position, admission."""

from __future__ import annotations

from urllib.parse import quote

from chalice.app import Request, Response

from chalicelib.bootstrap import container
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.errors import FieldError, invalid, unknown_parameters, unsupported_language
from chalicelib.core.http import (
    ApiBlueprint,
    client_identity,
    json_body,
    json_response,
    language_only,
    query_params,
    request_language,
)
from chalicelib.core.i18n import LANGUAGES
from chalicelib.onsale.model import POLL_SOON

onsale = ApiBlueprint(__name__)

# A CDN may answer a reload storm on one ticket's URL, never staler than the soonest poll hint.
POSITION_MAX_AGE = POLL_SOON


@onsale.route("/v1/waiting-rooms/{room_id}/join", methods=["POST"])
def join(room_id: str) -> Response:
    request = onsale.current_request
    lang = language_only(request)
    arrival = container().waiting_room().join(room_id, client_identity(request), json_body(request))
    position_url = f"/v1/waiting-rooms/{room_id}/position?ticket={quote(arrival.ticket)}"
    body = {"ticket": arrival.ticket, "room": arrival.room, "position_url": position_url}
    response = json_response(body, status=202, lang=lang)
    response.headers["Location"] = position_url
    return response


@onsale.route("/v1/waiting-rooms/{room_id}/position", methods=["GET"])
def position(room_id: str) -> Response:
    request = onsale.current_request
    lang = _position_language(request)
    ticket = query_params(request).get("ticket")
    if not ticket:
        raise invalid(FieldError("ticket", "missing", "the ticket the join answered"))
    report = container().waiting_room().position(room_id, ticket)
    place = report.position
    body = {
        "state": place.state.value,
        "position": place.position,
        "ahead": place.ahead,
        "estimated_wait_seconds": place.estimated_wait_seconds,
        "admit_at": to_utc_iso(place.admit_at) if place.admit_at else None,
        "opens_at": to_utc_iso(report.room.opens_at),
        "sold_out": report.sold_out,
        # Nothing left to wait for once sold out: the webshop stops polling.
        "poll_after_seconds": None if report.sold_out else place.poll_after_seconds,
    }
    return json_response(body, lang=lang, max_age=POSITION_MAX_AGE)


@onsale.route("/v1/waiting-rooms/{room_id}/admission", methods=["POST"])
def admission(room_id: str) -> Response:
    request = onsale.current_request
    lang = language_only(request)
    body = json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("ticket"), str):
        raise invalid(FieldError("ticket", "missing", "the ticket the join answered", "body"))
    errors = unknown_parameters(body, ("ticket",), "body")
    if errors:
        raise invalid(*errors)
    parts = container()
    token, granted = parts.waiting_room().admit(room_id, body["ticket"], client_identity(request))
    room = parts.rooms().get(granted.room)
    return json_response(
        {
            "admission_token": token,
            "expires_at": to_utc_iso(granted.expires_at),
            "room": granted.room,
            "performances": list(room.performances) if room else [],
        },
        lang=lang,
    )


def _position_language(request: Request) -> str:
    """As language_only(), with `ticket` allowed besides `lang`."""
    params = query_params(request)
    errors = unknown_parameters(params, ("lang", "ticket"))
    if "lang" in params and params["lang"] not in LANGUAGES:
        errors.append(unsupported_language())
    if errors:
        raise invalid(*errors)
    return request_language(request)
