"""JSON shape of the staff seat plan, and of the public plan beside it for comparing the two
(the public routes render inventory/schemas.py's replies themselves)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.core.clock import to_utc_iso
from chalicelib.core.edge import render
from chalicelib.core.i18n import pick
from chalicelib.inventory.availability import remaining
from chalicelib.inventory.model import SeatState, ShardState
from chalicelib.inventory.schemas import SeatPlanReply
from chalicelib.inventory.seatmap import GaPool, Seat, seat_label, seat_to_json
from chalicelib.inventory.service import SeatPlan, StaffSeatPlan

Json = dict[str, Any]


def seat_plan_view(plan: SeatPlan, lang: str) -> Json:
    """The public seat plan, as its route answers it."""
    result: Json = render(SeatPlanReply.of(plan, lang))
    return result


def staff_seat_plan_view(staff: StaffSeatPlan, lang: str) -> Json:
    """The public plan's shape, with each seat's real state: who holds it until when (and the
    order of a checkout paying), the order it was sold in, why it is blocked; each pool's
    places held, sold and free; and the blocked seats with their reasons."""
    plan = staff.plan
    view = _plan_view(
        plan, lang, lambda seat: _staff_seat(staff, seat.id), lambda p: _pool(staff.pools[p.id])
    )
    view["summary"] |= {
        f"{state.value}_seats": plan.count(state)
        for state in (SeatState.HELD, SeatState.SOLD, SeatState.BLOCKED)
    }
    view["blocked"] = [
        {"seat": seat.id, "label": seat_label(plan.seat_map, seat, lang)}
        | _staff_seat(staff, seat.id)
        for seat in plan.seat_map.seats
        if plan.states[seat.id] is SeatState.BLOCKED
    ]
    return view


def _staff_seat(staff: StaffSeatPlan, seat_id: str) -> Json:
    claim = staff.claims.get(seat_id)
    if claim is None:
        return {"state": SeatState.FREE.value}
    if claim.state is SeatState.BLOCKED:
        return {
            "state": claim.state.value,
            "reason": claim.reason,
            "blocked_at": to_utc_iso(claim.blocked_at) if claim.blocked_at else None,
        }
    order = staff.orders.get(claim.hold or "")
    view: Json = {"state": claim.state.value, "hold": claim.hold, "order": order}
    if claim.state is SeatState.HELD:
        view["held_until"] = to_utc_iso(claim.held_until) if claim.held_until else None
        view["paying"] = order is not None  # an order placed on the hold: a checkout is on
    return view


def _pool(shards: list[ShardState]) -> Json:
    free = sum(s.free for s in shards)
    return {
        "remaining": free,
        "held": sum(s.held for s in shards),
        "sold": sum(s.sold for s in shards),
        "free": free,
    }


def _plan_view(
    plan: SeatPlan,
    lang: str,
    seat_state: Callable[[Seat], Json],
    pool_state: Callable[[GaPool], Json],
) -> Json:
    """The map both plans share; `seat_state` and `pool_state` say what each audience sees."""
    seat_map = plan.seat_map
    zones = {zone.id: zone for zone in plan.detail.hall.price_zones}
    left = remaining(seat_map, plan.states, plan.pools_remaining)
    return {
        "performance": plan.detail.performance.id,
        "hall": plan.detail.hall.id,
        "seat_map": seat_map.id,
        "waiting_room": plan.waiting_room,
        "zones": [
            {"id": z.id, "name": pick(z.name, lang), "rank": z.rank, "color": z.color}
            for z in sorted(zones.values(), key=lambda zone: zone.rank)
        ],
        "sections": [{"id": s.id, "name": pick(s.name, lang)} for s in seat_map.sections],
        "seats": [
            seat_to_json(seat) | {"label": seat_label(seat_map, seat, lang)} | seat_state(seat)
            for seat in seat_map.seats
        ],
        "pools": [
            {
                "id": pool.id,
                "name": pick(pool.name, lang),
                "zone": pool.zone,
                "capacity": pool.capacity,
            }
            | pool_state(pool)
            for pool in seat_map.pools
        ],
        "summary": {
            "capacity": left.capacity,
            "free_seats": left.free_seats,
            "free_places": left.free_places,
            # the rule of the static availability badges, so both read the same
            "level": left.level,
        },
    }
