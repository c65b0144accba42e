"""The staff API's edge: `/v1/admin/*` routes on the `admin` blueprint, the signed-in staff
member from the bearer token, and the houses they may act for. Capabilities add their admin
routes to this blueprint (e.g. chalicelib/onsale/admin_api.py); every one of them starts with
`houses_for(action)`, so the houses come from the token, never from the path or the body.
"""

from __future__ import annotations

from functools import cache

from chalice.app import Request, Response

from chalicelib.admin.model import Action, Staff
from chalicelib.admin.problems import role_required, staff_token_missing
from chalicelib.admin.schemas import MembershipReply, MeReply
from chalicelib.admin.tokens import StaffPool, StaffTokens
from chalicelib.core.clock import SystemClock
from chalicelib.core.edge import Doc, Query
from chalicelib.core.http import ApiBlueprint, read_query, reply, request_language

admin = ApiBlueprint(__name__)


@cache
def staff_tokens() -> StaffTokens:
    return StaffTokens(StaffPool.from_environment())


@cache
def _catalogue():  # type: ignore[no-untyped-def]
    from chalicelib.catalogue.store import DynamoCatalogueStore

    return DynamoCatalogueStore()


def signed_in(request: Request) -> Staff:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise staff_token_missing()
    return staff_tokens().staff(token.strip(), SystemClock().now())


def houses_for(request: Request, action: Action, *either: Action) -> frozenset[str]:
    """The houses the caller may do `action` (or any of `either`) for; 403 when none (signed
    in, wrong role)."""
    staff = signed_in(request)
    clusters = {c: [h.id for h in _catalogue().list_houses(c)] for c in staff.clusters}
    houses = frozenset[str]().union(*(staff.houses_for(a, clusters) for a in (action, *either)))
    if not houses:
        raise role_required(" / ".join(a.value for a in (action, *either)))
    return houses


@admin.route(
    "/v1/admin/me",
    methods=["GET"],
    doc=Doc(tag="staff", query=Query, response=MeReply, staff=True),
)
def me() -> Response:
    """Who is signed in, their memberships and the houses each kind of work reaches"""
    request = admin.current_request
    read_query(request, Query)
    lang = request_language(request)
    staff = signed_in(request)
    clusters = {c: [h.id for h in _catalogue().list_houses(c)] for c in staff.clusters}
    body = MeReply(
        username=staff.username,
        memberships=[
            MembershipReply(role=m.role, house=m.house, cluster=m.cluster)
            for m in staff.memberships
        ],
        houses={action: sorted(staff.houses_for(action, clusters)) for action in Action},
    )
    return reply(body, lang=lang)
