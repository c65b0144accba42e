"""JSON shapes of seat plans and holds."""

from __future__ import annotations

from typing import Any

from chalicelib.core.clock import to_utc_iso
from chalicelib.core.i18n import pick
from chalicelib.inventory.availability import remaining
from chalicelib.inventory.model import Hold, SeatState
from chalicelib.inventory.seatmap import SeatMap, seat_label, seat_to_json
from chalicelib.inventory.service import SeatPlan

Json = dict[str, Any]

# The public sees a seat as taken without learning whether it is held or sold.
_PUBLIC_STATE = {
    SeatState.FREE: "free",
    SeatState.HELD: "unavailable",
    SeatState.SOLD: "unavailable",
    SeatState.BLOCKED: "blocked",
}


def seat_plan_view(plan: SeatPlan, lang: str) -> Json:
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
            seat_to_json(seat)
            | {
                "label": seat_label(seat_map, seat, lang),
                "state": _PUBLIC_STATE[plan.states[seat.id]],
            }
            for seat in seat_map.seats
        ],
        "pools": [
            {
                "id": pool.id,
                "name": pick(pool.name, lang),
                "zone": pool.zone,
                "capacity": pool.capacity,
                "remaining": plan.pools_remaining[pool.id],
            }
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


def hold_view(hold: Hold, seat_map: SeatMap, lang: str, now: Any) -> Json:
    seats = [seat for seat_id in hold.seats if (seat := seat_map.seat(seat_id))]
    return {
        "hold_id": hold.id,
        "performance": hold.performance,
        "state": hold.state_at(now).value,
        "seats": [
            {
                "id": seat.id,
                "label": seat_label(seat_map, seat, lang),
                "zone": seat.zone,
                "section": seat.section,
                "row": seat.row,
                "number": seat.number,
            }
            for seat in seats
        ],
        "ga": _ga_view(hold, seat_map, lang),
        "quantity": hold.quantity,
        "expires_at": to_utc_iso(hold.held_until),
        "extended": hold.extended,
    }


def _ga_view(hold: Hold, seat_map: SeatMap, lang: str) -> list[Json]:
    per_pool: dict[str, int] = {}
    for allocation in hold.ga:
        per_pool[allocation.pool] = per_pool.get(allocation.pool, 0) + allocation.quantity
    views = []
    for pool_id, quantity in per_pool.items():
        pool = seat_map.pool(pool_id)
        name = pick(pool.name, lang) if pool else pool_id
        views.append({"pool": pool_id, "name": name, "quantity": quantity})
    return views
