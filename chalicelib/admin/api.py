"""The staff API's own route: who am I. Capabilities add their admin routes to the `admin`
blueprint (chalicelib/admin/blueprint.py), each starting with `houses_for(action)` from
chalicelib/admin/auth.py.
"""

from __future__ import annotations

from chalice.app import Response

from chalicelib.admin.auth import cluster_houses, signed_in
from chalicelib.admin.blueprint import admin
from chalicelib.admin.model import Action
from chalicelib.admin.schemas import MembershipReply, MeReply
from chalicelib.core.edge import Doc, Query
from chalicelib.core.http import read_query, reply, request_language


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
    clusters = cluster_houses(staff)
    body = MeReply(
        username=staff.username,
        memberships=[
            MembershipReply(role=m.role, house=m.house, cluster=m.cluster)
            for m in staff.memberships
        ],
        houses={action: sorted(staff.houses_for(action, clusters)) for action in Action},
    )
    return reply(body, lang=lang)
