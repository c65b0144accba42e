"""Who is calling the staff API: the signed-in staff member from the bearer token, and the
houses they may act for. Every admin route starts with `houses_for(request, action)`, so the
houses come from the token, never from the path or the body."""

from __future__ import annotations

from chalice.app import Request

from chalicelib.admin.model import Action, Staff
from chalicelib.admin.problems import role_required, staff_token_missing
from chalicelib.bootstrap import container
from chalicelib.core.clock import SystemClock


def signed_in(request: Request) -> Staff:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise staff_token_missing()
    # The wall clock, whatever clock the services run on: Cognito stamped the token with it.
    return container().staff_tokens().staff(token.strip(), SystemClock().now())


def cluster_houses(staff: Staff) -> dict[str, list[str]]:
    """The houses of each cluster the staff member belongs to (cluster roles span them)."""
    store = container().catalogue_store()
    return {c: [h.id for h in store.list_houses(c)] for c in staff.clusters}


def houses_for(request: Request, action: Action, *either: Action) -> frozenset[str]:
    """The houses the caller may do `action` (or any of `either`) for; 403 when none (signed
    in, wrong role)."""
    staff = signed_in(request)
    clusters = cluster_houses(staff)
    houses = frozenset[str]().union(*(staff.houses_for(a, clusters) for a in (action, *either)))
    if not houses:
        raise role_required(" / ".join(a.value for a in (action, *either)))
    return houses
