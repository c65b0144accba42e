"""Sales management's rules without AWS or HTTP: which tickets an exchange moves, the desk's
complimentary tariff, and how a report adds up. Money is integer euro cents. (What staff may
ask, and its shape, is chalicelib/sales/schemas.py.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from chalicelib.catalogue.model import PriceZone, Tariff, TariffConditions
from chalicelib.core.clock import BRUSSELS
from chalicelib.core.errors import FieldError, invalid
from chalicelib.orders.model import Order, OrderStatus
from chalicelib.sales.problems import ticket_not_exchangeable

COMP = "comp"  # the complimentary tariff: free, at the desk only, always with a reason
COMP_NAME = {"nl": "Vrijkaart", "fr": "Invitation", "en": "Complimentary"}


# --- exchange ------------------------------------------------------------------------------


class TicketState(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def index(self) -> int: ...
    @property
    def voided(self) -> bool: ...
    @property
    def exchanged_to(self) -> str | None: ...


T = TypeVar("T", bound=TicketState)


def exchanged_tickets(tickets: Sequence[T], asked: tuple[str, ...] | None) -> list[T]:
    """The tickets an exchange moves: those asked, in that order (line n of the new seats
    takes ticket n), or else every one still valid. Each must be the order's (400) and still
    valid: neither void nor moved already (422)."""
    by_id = {ticket.id: ticket for ticket in tickets}
    if asked is None:
        chosen = [t for t in tickets if not t.voided and t.exchanged_to is None]
        if not chosen:
            raise ticket_not_exchangeable(["tickets"], [])
        return chosen
    unknown = [
        FieldError(f"tickets[{i}]", f"{t!r} is not a ticket of this order", "its ticket id", "body")
        for i, t in enumerate(asked)
        if t not in by_id
    ]
    if unknown:
        raise invalid(*unknown)
    spent = [
        (f"tickets[{i}]", t)
        for i, t in enumerate(asked)
        if by_id[t].voided or by_id[t].exchanged_to is not None
    ]
    if spent:
        raise ticket_not_exchangeable([name for name, _ in spent], [t for _, t in spent])
    return [by_id[t] for t in asked]


def comp_tariff(zones: Iterable[PriceZone]) -> Tariff:
    return Tariff(
        id=COMP,
        name=COMP_NAME,
        prices={zone.id: 0 for zone in zones},
        conditions=TariffConditions(),
    )


# --- reports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerformanceFacts:
    id: str
    title: str
    starts_at: datetime
    capacity: int


LIVE = (OrderStatus.PAID, OrderStatus.COMPLETED)


def build_report(
    orders: Iterable[Order], performances: Mapping[str, PerformanceFacts]
) -> dict[str, Any]:
    """What was sold and kept. A ticket counts while its order stands (paid or completed, not
    cancelled); money counts as kept: paid minus refunded, also of cancelled orders (a partial
    refund keeps the rest). Comps are tickets without revenue. Days are Brussels days of sale.

    An exchange moves tickets with their money: the moved tickets and what they had cost
    count with the new order (its own total, so a difference paid at the desk counts there);
    the old order keeps its other tickets and what it holds for them, and the price difference
    refunded on its payment is no refund of its own (the new order's lower total says it). A
    whole order exchanged counts with its replacement only."""
    per_performance: dict[str, dict[str, Any]] = {}
    per_day: dict[str, dict[str, int]] = {}
    per_tariff: dict[str, dict[str, int]] = {}
    per_channel: dict[str, dict[str, int]] = {}
    totals = {"orders": 0, "tickets": 0, "comps": 0, "revenue_cents": 0, "refunded_cents": 0}
    for order in orders:
        if order.exchanged_to is not None:
            continue  # exchanged: its tickets and money are its replacement's
        paid = order.status in LIVE or order.refunded_cents > 0
        if not paid and order.cancelled_at is None:
            continue  # never paid: awaiting, declined, expired
        live = order.status in LIVE and order.cancelled_at is None
        kept = order.held_cents
        refunded = order.own_refunded_cents
        lines = order.kept_lines if live else ()
        tickets = len(lines)
        comps = sum(1 for line in lines if line.tariff == COMP)
        day = order.created_at.astimezone(BRUSSELS).date().isoformat()
        perf = per_performance.setdefault(order.performance, _zero_performance())
        rows = [
            perf,
            per_day.setdefault(day, _zero()),
            per_channel.setdefault(order.channel, _zero()),
        ]
        for row in [*rows, totals]:
            row["orders"] += 1
            row["tickets"] += tickets
            row["comps"] += comps
            row["revenue_cents"] += kept
            row["refunded_cents"] += refunded
        for line in lines:
            tariff = per_tariff.setdefault(line.tariff, _zero())
            tariff["tickets"] += 1
            tariff["comps"] += 1 if line.tariff == COMP else 0
            tariff["revenue_cents"] += line.total_cents
    for performance_id, row in per_performance.items():
        facts = performances.get(performance_id)
        row["performance"] = performance_id
        row["title"] = facts.title if facts else None
        row["starts_at"] = (
            facts.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if facts else None
        )
        row["capacity"] = facts.capacity if facts else None
        row["occupancy_percent"] = (
            round(100 * row["tickets"] / facts.capacity, 1) if facts and facts.capacity else None
        )
    return {
        "totals": totals,
        "performances": [per_performance[k] for k in sorted(per_performance)],
        "days": [{"date": k, **v} for k, v in sorted(per_day.items())],
        "tariffs": [{"tariff": k, **v} for k, v in sorted(per_tariff.items())],
        "channels": [{"channel": k, **v} for k, v in sorted(per_channel.items())],
    }


def _zero() -> dict[str, int]:
    return {"orders": 0, "tickets": 0, "comps": 0, "revenue_cents": 0, "refunded_cents": 0}


def _zero_performance() -> dict[str, Any]:
    return {"performance": "", **_zero()}


CSV_COLUMNS = (
    "section",
    "key",
    "title",
    "starts_at",
    "orders",
    "tickets",
    "comps",
    "revenue_cents",
    "refunded_cents",
    "capacity",
    "occupancy_percent",
)


def report_csv(report: Mapping[str, Any]) -> str:
    """One table: a row per performance, day, tariff and channel, and the totals."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in report["performances"]:
        writer.writerow({"section": "performance", "key": row["performance"], **row})
    for section, key in (("days", "date"), ("tariffs", "tariff"), ("channels", "channel")):
        for row in report[section]:
            writer.writerow({"section": section.rstrip("s"), "key": row[key], **row})
    writer.writerow({"section": "total", "key": "", **report["totals"]})
    return out.getvalue()
