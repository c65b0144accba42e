"""The staff API's own route: who am I. Capabilities add their admin routes to the `admin`
blueprint (chalicelib/admin/blueprint.py), each starting with `houses_for(action)` from
chalicelib/admin/auth.py.
"""

from __future__ import annotations

from chalice.app import Response

from chalicelib.admin.auth import cluster_houses, signed_in
from chalicelib.admin.blueprint import admin
from chalicelib.admin.model import Action
from chalicelib.core.http import json_response, language_only


@admin.route("/v1/admin/me", methods=["GET"])
def me() -> Response:
    request = admin.current_request
    lang = language_only(request)
    staff = signed_in(request)
    clusters = cluster_houses(staff)
    return json_response(
        {
            "username": staff.username,
            "memberships": [
                {"role": m.role.value, "house": m.house, "cluster": m.cluster}
                for m in staff.memberships
            ],
            "houses": {
                action.value: sorted(staff.houses_for(action, clusters)) for action in Action
            },
        },
        lang=lang,
    )
