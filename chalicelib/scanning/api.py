"""Door scanning routes, for staff who may scan (scanner, box office, house admin, cluster
admin): the houses come from the staff token, and another house's performance answers 404.

- `GET /v1/scan/keys?performance=<id>`: the house's public keys and the revoked tickets;
- `POST /v1/scan/checkins`: one scan → its verdict;
- `POST /v1/scan/checkins/batch`: an offline scanner's upload, every scan with its nonce.
"""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.admin.auth import houses_for
from chalicelib.admin.model import Action
from chalicelib.bootstrap import container
from chalicelib.core.clock import to_utc_iso
from chalicelib.core.errors import FieldError, invalid, unknown_parameters, unsupported_language
from chalicelib.core.http import ApiBlueprint, json_body, json_response, query_params
from chalicelib.core.i18n import LANGUAGES
from chalicelib.scanning.model import Scan, ScanResult
from chalicelib.scanning.service import ScanningService

scanning = ApiBlueprint(__name__)


def service() -> ScanningService:
    return container().scanning()


@scanning.route("/v1/scan/keys", methods=["GET"])
def scan_keys() -> Response:
    request = scanning.current_request
    houses = houses_for(request, Action.SCAN)
    lang, params = _params(("performance", "lang"))
    if not params.get("performance"):
        raise invalid(FieldError("performance", "missing", "a performance id"))
    view = service().keys(params["performance"], houses)
    return _private(
        json_response(
            {
                "performance": view.performance,
                "house": view.house,
                "keys": view.keys,
                "revoked": view.revoked,
                "generated_at": to_utc_iso(view.generated_at),
            },
            lang=lang,
        )
    )


@scanning.route("/v1/scan/checkins", methods=["POST"])
def check_in() -> Response:
    request = scanning.current_request
    houses = houses_for(request, Action.SCAN)
    lang, _ = _params(("lang",))
    result = service().check_in(json_body(request), houses, lang)
    return _private(json_response(result_view(result), lang=lang))


@scanning.route("/v1/scan/checkins/batch", methods=["POST"])
def upload() -> Response:
    request = scanning.current_request
    houses = houses_for(request, Action.SCAN)
    lang, _ = _params(("lang",))
    answers = service().upload(json_body(request), houses, lang)
    return _private(json_response({"results": [batch_view(s, r) for s, r in answers]}, lang=lang))


def result_view(result: ScanResult) -> dict[str, Any]:
    view: dict[str, Any] = {
        "verdict": result.verdict.value,
        "ticket": result.ticket,
        "seat": result.seat,
        "seat_label": result.seat_label,
        "first_scanned_at": to_utc_iso(result.first_scanned_at)
        if result.first_scanned_at
        else None,
        "first_scanner": result.first_scanner,
        "reason": result.reason,
        "ticket_performance": result.ticket_performance,
    }
    view = {name: value for name, value in view.items() if value is not None}
    if result.replay:
        view["replay"] = True
    return view


def batch_view(scan: Scan, result: ScanResult) -> dict[str, Any]:
    return {"nonce": scan.nonce, "performance": scan.performance, **result_view(result)}


def _params(allowed: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    from chalicelib.core.http import request_language

    request = scanning.current_request
    params = query_params(request)
    errors = unknown_parameters(params, allowed)
    if "lang" in params and params["lang"] not in LANGUAGES:
        errors.append(unsupported_language())
    if errors:
        raise invalid(*errors)
    return request_language(request), params


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # staff data, never in a shared cache
    return response
