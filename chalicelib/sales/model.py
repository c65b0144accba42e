"""Sales management's rules without AWS or HTTP: what staff may ask (search filters, a cancel,
a sale at the desk, a report) and how a report adds up. Money is integer euro cents."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from chalicelib.catalogue.model import PriceZone, Tariff, TariffConditions
from chalicelib.catalogue.query import parse_instant
from chalicelib.core.clock import BRUSSELS
from chalicelib.core.errors import FieldError, invalid, unknown_parameters
from chalicelib.core.i18n import LANGUAGES
from chalicelib.core.paging import parse_page
from chalicelib.orders.model import Order, OrderStatus
from chalicelib.sales.problems import ticket_not_exchangeable
from chalicelib.store.keys import is_valid_id

COMP = "comp"  # the complimentary tariff: free, at the desk only, always with a reason
COMP_NAME = {"nl": "Vrijkaart", "fr": "Invitation", "en": "Complimentary"}
DESK_PAYMENTS = ("cash", "card_terminal")
DELIVERIES = ("print", "email")  # the desk prints the PDF (or hands it over), or mails it


# --- search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderSearch:
    text: str | None = None  # part of a name or e-mail (an order id is looked up directly)
    order_id: str | None = None
    performance: str | None = None
    status: str | None = None
    since: datetime | None = None  # placed at or after
    until: datetime | None = None  # placed at or before
    limit: int = 20
    after: tuple[str, str] | None = None  # (house, index key) of the last order shown


def parse_search(params: Mapping[str, str]) -> OrderSearch:
    allowed = ("q", "performance", "status", "from", "to", "limit", "next", "lang")
    errors = unknown_parameters(params, allowed)
    if "lang" in params and params["lang"] not in LANGUAGES:
        errors.append(FieldError("lang", "unsupported language", "one of nl, fr, en"))
    text = order_id = None
    q = params.get("q")
    if q is not None:
        q = q.strip()
        if not 2 <= len(q) <= 100:
            errors.append(FieldError("q", "2-100 characters", "part of a name, e-mail or id"))
        elif re.fullmatch(r"o-[0-9a-f]{31}", q):
            order_id = q
        else:
            text = q
    performance = params.get("performance")
    if performance is not None and not is_valid_id(performance):
        errors.append(FieldError("performance", "not a performance id", "a performance id"))
    status = params.get("status")
    if status is not None and status not in OrderStatus.__members__.values():
        expected = "one of " + ", ".join(s.value for s in OrderStatus)
        errors.append(FieldError("status", f"unknown status {status!r}", expected))
    since = parse_instant(params, "from", errors, end_of_day=False)
    until = parse_instant(params, "to", errors, end_of_day=True)
    if since and until and since > until:
        errors.append(FieldError("to", "before 'from'", "a moment after 'from'"))
    limit, after = parse_page(params, errors, "orders", 20)
    if errors:
        raise invalid(*errors)
    return OrderSearch(text, order_id, performance, status, since, until, limit, after)


# --- cancel --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CancelRequest:
    full: bool
    amount_cents: int | None
    reason: str


def parse_cancel(body: Any) -> CancelRequest:
    if not isinstance(body, Mapping):
        raise invalid(FieldError("body", "not a JSON object", '{"refund", "reason"}', "body"))
    errors = unknown_parameters(body, ("refund", "reason"), "body")
    refund = body.get("refund")
    full, amount = False, None
    if refund == "full":
        full = True
    elif isinstance(refund, Mapping) and set(refund) == {"amount_cents"}:
        amount = refund["amount_cents"]
        if type(amount) is not int or amount < 0:
            errors.append(
                FieldError("refund.amount_cents", "not a whole number ≥ 0", "cents", "body")
            )
    else:
        errors.append(
            FieldError("refund", "missing or malformed", '"full" or {"amount_cents": n}', "body")
        )
    reason = _reason(body, errors, required=True)
    if errors:
        raise invalid(*errors)
    return CancelRequest(full, amount, reason or "")


def _reason(body: Mapping[str, Any], errors: list[FieldError], *, required: bool) -> str | None:
    reason = body.get("reason")
    if reason is None and not required:
        return None
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 500:
        errors.append(FieldError("reason", "missing", "why, in 1-500 characters", "body"))
        return None
    return " ".join(reason.split())


# --- the desk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskSale:
    order_body: dict[str, Any]  # what the webshop's order parser reads
    payment: str | None
    reason: str | None
    delivery: str
    has_email: bool
    comps: int


def parse_desk_sale(body: Any) -> DeskSale:
    """The desk's own fields; hold, lines and customer are the webshop order's, parsed by the
    same parser (the e-mail is optional at the desk: a buyer at the counter may have none)."""
    if not isinstance(body, Mapping):
        raise invalid(FieldError("body", "not a JSON object", "a box office sale", "body"))
    fields = ("hold_id", "hold_token", "lines", "customer", "payment", "reason", "delivery")
    errors = unknown_parameters(body, fields, "body")
    payment = body.get("payment")
    if payment is not None and payment not in DESK_PAYMENTS:
        errors.append(
            FieldError("payment", f"unknown {payment!r}", "cash or card_terminal", "body")
        )
    delivery = body.get("delivery", "print")
    if delivery not in DELIVERIES:
        errors.append(FieldError("delivery", f"unknown {delivery!r}", "print or email", "body"))
    lines = body.get("lines")
    comps = (
        sum(1 for line in lines if isinstance(line, Mapping) and line.get("tariff") == COMP)
        if isinstance(lines, list)
        else 0
    )
    reason = _reason(body, errors, required=comps > 0)
    customer = body.get("customer")
    has_email = isinstance(customer, Mapping) and customer.get("email") is not None
    if delivery == "email" and not has_email:
        errors.append(FieldError("customer.email", "missing", "an address to mail to", "body"))
    order_body = {k: body[k] for k in ("hold_id", "hold_token", "lines", "customer") if k in body}
    if isinstance(customer, Mapping) and not has_email:
        order_body["customer"] = {**customer, "email": PLACEHOLDER_EMAIL}
    if errors:
        raise invalid(*errors)
    return DeskSale(order_body, payment, reason, delivery, has_email, comps)


PLACEHOLDER_EMAIL = "desk@podium.invalid"  # stands in while parsing; never stored


@dataclass(frozen=True)
class ExchangeRequest:
    hold_id: str
    hold_token: str
    lines: list[Any]
    payment: str | None  # how a price difference to pay is paid at the desk
    reason: str | None
    tickets: tuple[str, ...] | None = None  # the tickets that move; None: all still valid


def parse_exchange(body: Any) -> ExchangeRequest:
    """The new seats (a hold on another performance of the same production), a tariff for
    each, and how a difference to pay is paid; a difference to get back is refunded. With
    `tickets`, only those tickets of the order move (line n of the new seats replaces ticket
    n), the others stay valid."""
    if not isinstance(body, Mapping):
        raise invalid(FieldError("body", "not a JSON object", "an exchange", "body"))
    errors = unknown_parameters(
        body, ("hold_id", "hold_token", "lines", "payment", "reason", "tickets"), "body"
    )
    tickets = body.get("tickets")
    if tickets is not None:
        if not isinstance(tickets, list) or not tickets:
            errors.append(FieldError("tickets", "not a list", "ticket ids of this order", "body"))
            tickets = None
        else:
            for index, ticket in enumerate(tickets):
                if not isinstance(ticket, str) or not ticket or ticket in tickets[:index]:
                    where, wrong = f"tickets[{index}]", "not a ticket id, or twice"
                    errors.append(FieldError(where, wrong, "a ticket id", "body"))
    for name in ("hold_id", "hold_token"):
        if not isinstance(body.get(name), str) or not body.get(name):
            errors.append(FieldError(name, "missing", "the new seats' hold", "body"))
    lines = body.get("lines")
    if not isinstance(lines, list) or not lines:
        errors.append(FieldError("lines", "missing", "a list of {seat|pool, tariff}", "body"))
    payment = body.get("payment")
    if payment is not None and payment not in DESK_PAYMENTS:
        errors.append(
            FieldError("payment", f"unknown {payment!r}", "cash or card_terminal", "body")
        )
    reason = _reason(body, errors, required=False)
    if errors:
        raise invalid(*errors)
    return ExchangeRequest(
        body["hold_id"],
        body["hold_token"],
        lines,
        payment,
        reason,
        tuple(tickets) if tickets is not None else None,
    )


class TicketState(Protocol):
    id: str
    index: int
    voided: bool
    exchanged_to: str | None


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
class ReportQuery:
    performance: str | None
    since: datetime | None
    until: datetime | None
    format: str  # json | csv


def parse_report(params: Mapping[str, str]) -> ReportQuery:
    errors = unknown_parameters(params, ("performance", "from", "to", "format", "lang"))
    if "lang" in params and params["lang"] not in LANGUAGES:
        errors.append(FieldError("lang", "unsupported language", "one of nl, fr, en"))
    performance = params.get("performance")
    if performance is not None and not is_valid_id(performance):
        errors.append(FieldError("performance", "not a performance id", "a performance id"))
    fmt = params.get("format", "json")
    if fmt not in ("json", "csv"):
        errors.append(FieldError("format", f"unknown format {fmt!r}", "json or csv"))
    since = parse_instant(params, "from", errors, end_of_day=False)
    until = parse_instant(params, "to", errors, end_of_day=True)
    if errors:
        raise invalid(*errors)
    return ReportQuery(performance, since, until, fmt)


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
