"""Door scanning routes, for staff who may scan (scanner, box office, house admin, cluster
admin): the houses come from the staff token, and another house's performance answers 404.

- `GET /v1/scan/keys?performance=<id>`: the house's public keys and the revoked tickets;
- `POST /v1/scan/checkins`: one scan → its verdict;
- `POST /v1/scan/checkins/batch`: an offline scanner's upload, every scan with its nonce.
"""

from __future__ import annotations

from chalice.app import Response

from chalicelib.admin.auth import houses_for
from chalicelib.admin.model import Action
from chalicelib.bootstrap import container
from chalicelib.core.edge import Doc, Query
from chalicelib.core.http import ApiBlueprint, read_body, read_query, reply, request_language
from chalicelib.scanning.schemas import (
    BatchCommand,
    BatchReply,
    BatchScanReply,
    KeyOut,
    KeysQuery,
    KeysReply,
    ScanCommand,
    ScanReply,
)
from chalicelib.scanning.service import ScanningService

scanning = ApiBlueprint(__name__)


def service() -> ScanningService:
    return container().scanning()


@scanning.route(
    "/v1/scan/keys",
    methods=["GET"],
    doc=Doc(tag="scanning", query=KeysQuery, response=KeysReply, staff=True),
)
def scan_keys() -> Response:
    """A performance's public ticket keys and revoked tickets, for scanning offline

    What a scanner downloads before the doors open: the keys of the performance's house (a
    ticket's signature is checked on the device) and the tickets refunded or cancelled since.
    Another house's performance answers 404, as an unknown one."""
    request = scanning.current_request
    houses = houses_for(request, Action.SCAN)
    query = read_query(request, KeysQuery)
    view = service().keys(query.performance, houses)
    keys = KeysReply(
        performance=view.performance,
        house=view.house,
        keys=[KeyOut.model_validate(key) for key in view.keys],
        revoked=view.revoked,
        generated_at=view.generated_at,
    )
    return _private(reply(keys, lang=request_language(request)))


@scanning.route(
    "/v1/scan/checkins",
    methods=["POST"],
    doc=Doc(tag="scanning", query=Query, body=ScanCommand, response=ScanReply, staff=True),
)
def check_in() -> Response:
    """One scan checked in: its verdict

    Accepted, already used (when and by which scanner), revoked, for another performance, or
    forged. Of two scanners scanning one ticket at once exactly one is accepted; a scan sent
    again with its nonce answers its first verdict."""
    request = scanning.current_request
    houses = houses_for(request, Action.SCAN)
    read_query(request, Query)
    lang = request_language(request)
    result = service().check_in(read_body(request, ScanCommand), houses, lang)
    return _private(reply(ScanReply.of(result), lang=lang, omit_none=True))


@scanning.route(
    "/v1/scan/checkins/batch",
    methods=["POST"],
    doc=Doc(tag="scanning", query=Query, body=BatchCommand, response=BatchReply, staff=True),
)
def upload() -> Response:
    """An offline scanner's upload: each scan with its nonce

    The whole batch is checked before anything is written; a nonce sent again answers its
    first verdict and writes nothing."""
    request = scanning.current_request
    houses = houses_for(request, Action.SCAN)
    read_query(request, Query)
    lang = request_language(request)
    answers = service().upload(read_body(request, BatchCommand), houses, lang)
    results = [BatchScanReply.of_scan(scan, result) for scan, result in answers]
    return _private(reply(BatchReply(results=results), lang=lang, omit_none=True))


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # staff data, never in a shared cache
    return response
