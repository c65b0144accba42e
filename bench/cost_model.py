"""A month of Podium on AWS for one cluster: the checkout's measured request counts
(bench/checkout_cost.py) plus browsing, the waiting room, staff, the schedules that run whether
or not anything sells, alarms, logs and storage, priced with bench/prices_eu_west_1.json.

    .venv/bin/python -m bench.cost_model [--checkout RESULT.json] [--json]

Without `--checkout` it uses the figures recorded below (`RECORDED`, from one run of
`python -m bench.checkout_cost --orders 10 --stage prod --json`); give a fresh run's JSON
output to recompute with it. Every other figure is an assumption of `Workload`, named and
explained there and in docs/cost.md. Pure arithmetic: no AWS, nothing started.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.checkout_cost import Prices

DAYS = 30
MINUTES = DAYS * 24 * 60
GB = 1024**3


@dataclass(frozen=True)
class Checkout:
    """Billed units per 1,000 tickets sold through the webshop's checkout, as measured, and
    what a completed order leaves stored."""

    api_requests: float
    lambda_invocations: float
    lambda_gb_seconds: float
    write_units: float
    read_units: float
    state_transitions: float
    s3_put: float
    s3_get: float
    mails: float
    sqs_requests: float
    task_gb_seconds_per_order: float  # the saga's Lambda work, for the Express alternative
    order_bytes: float  # the order's partition: order, tickets, payment records
    order_items: float
    pdf_bytes: float
    memory_mb: int

    @classmethod
    def from_bench(cls, result: Mapping[str, Any]) -> Checkout:
        units = {k: v["units_per_1000_tickets"] for k, v in result["breakdown"].items()}
        requests = {k: v["requests_per_1000_tickets"] for k, v in result["breakdown"].items()}
        per_order = result["per_order"]
        task = [s for s in per_order["by_step"].values() if s["function"] == "checkout_task"]
        memory = result["lambda_memory_mb"]["checkout_task"]
        task_seconds = sum(s["invocations_per_order"] * s["mean_ms"] / 1000 for s in task)
        stored = result["stored_per_order"]
        return cls(
            api_requests=units["apigateway"]["requests"],
            lambda_invocations=units["lambda"]["invocations"],
            lambda_gb_seconds=units["lambda"]["gb_seconds"],
            write_units=units["dynamodb"]["write_request_units"],
            read_units=units["dynamodb"]["read_request_units"],
            state_transitions=units["stepfunctions"]["state_transitions"],
            s3_put=units["s3"]["put"],
            s3_get=units["s3"]["get"],
            mails=units["ses"]["messages"],
            sqs_requests=requests["sqs"],
            task_gb_seconds_per_order=task_seconds * memory / 1024,
            order_bytes=stored["order_partition_bytes"],
            order_items=stored["order_partition_items"],
            pdf_bytes=stored["pdf_bytes"],
            memory_mb=result["lambda_memory_mb"]["api_handler"],
        )


# Measured on 2026-12-07 on main at 3483f8c: `python -m bench.checkout_cost --orders 10
# --stage prod --json`, 10 of 10 orders of 2 tickets completed (units per 1,000 tickets; the
# checkout alone US$ 0.1568 per 1,000 tickets at the benchmark's prices; sizes per order).
RECORDED = Checkout(
    api_requests=2000.0,
    lambda_invocations=4500.0,
    lambda_gb_seconds=353.7,
    write_units=37200.0,
    read_units=11000.0,
    state_transitions=2500.0,
    s3_put=500.0,
    s3_get=500.0,
    mails=500.0,
    sqs_requests=0.0,
    task_gb_seconds_per_order=0.3818,
    order_bytes=2084.0,
    order_items=3.0,
    pdf_bytes=13354.0,
    memory_mb=1024,
)


@dataclass(frozen=True)
class Workload:
    """What a cluster of houses does in a month besides paying: each figure an assumption
    (docs/cost.md says why), chosen on the generous side."""

    tickets_per_year: int = 200_000
    houses: int = 10
    tickets_per_order: int = 2
    # Browsing: the static catalogue from CloudFront.
    page_views_per_ticket: float = 30.0  # visits that buy nothing included
    cdn_requests_per_page_view: float = 5.0  # HTML, JSON, a script or image not yet cached
    kb_per_page_view: float = 150.0
    # Browsing that reaches Lambda: seat plans (max-age=2 at the CDN, counted as all misses).
    seat_plans_per_order: float = 4.0
    seat_plan_read_units: float = 8.0  # one consistent Query per section, half-sold hall
    return_polls_per_order: float = 3.0  # the return page's 1.5 s polls beyond the measured one
    released_holds_per_order: float = 0.5  # holds let go or expired: a hold + a release
    hold_write_units: float = 8.0  # bench/holds.py: 2 seats
    # The waiting room at on-sales (docs/scaling.md).
    arrivals_per_month: float = 10_000.0
    polls_per_arrival: float = 15.0
    admitted_share: float = 0.5
    # Staff (Cognito users) and the admin API.
    staff: int = 50
    admin_calls_per_staff_day: float = 100.0
    working_days: int = 21
    admin_read_units: float = 4.0
    admin_write_units: float = 1.0
    # Lambda duration of a request that is not a measured checkout step.
    request_seconds: float = 0.05
    memory_mb: int = 1024  # .chalice/config.json, stage prod
    lambda_arch: str = "x86_64"
    # Schedules (app.py), per run.
    availability_read_units: float = 160.0  # ~1.05 per on-sale performance x 150 (scaling.md)
    availability_seconds: float = 1.0  # ~200 sequential Queries
    availability_puts: float = 1.0  # one file per cluster
    reconcile_read_units: float = 0.5  # one index Query, nothing stuck
    reconcile_seconds: float = 0.1
    draw_read_units: float = 0.5  # one index Query, no room due
    draw_seconds: float = 0.05
    # Observability (issue #8): alarms, one dashboard, logs, X-Ray on the state machine.
    functions: int = 7  # app.py: api, checkout_task, 3 schedules, 2 queue consumers
    queues_with_dlq: int = 3  # waiting room, refunds, the saga's podium-checkout-dlq
    state_machines: int = 1
    dashboards: int = 1
    lambda_alarms_account_wide: bool = False  # Errors/Throttles without FunctionName: 2 alarms
    log_bytes_per_invocation: float = 600.0  # START/END/REPORT + a line or two at INFO
    log_bytes_per_execution: float = 15_000.0  # Step Functions logging level ALL, with data
    log_retention_months: float = 24.0  # "never expire", two years in
    log_compression: float = 0.15  # stored size / ingested size
    # Storage: orders kept, and what each leaves.
    years_kept: float = 3.0
    seat_bytes: float = 223.0  # docs/scaling.md
    item_overhead_bytes: float = 100.0  # DynamoDB bills 100 bytes per item for storage
    index_share: float = 1.0  # share of the order's bytes also stored in indexes (ALL)
    static_site_gb: float = 0.05
    # Secrets: Stripe API key, Stripe webhook secret, ticket key, admission token key.
    secrets: int = 4
    secret_calls_per_month: float = 0.0  # resolved at deploy into the functions' settings
    # Alternatives (all off: the design as built).
    http_api: bool = False
    express_saga: bool = False
    mails_per_order: float | None = None  # None: as measured
    checkout_write_units_factor: float = 1.0
    sfn_log_bytes_factor: float = 1.0

    @property
    def alarms(self) -> int:
        """Issue #8: DLQ depth per queue, failed executions per state machine, errors and
        throttles per function, read and write throttles of the table."""
        lambda_alarms = 2 if self.lambda_alarms_account_wide else 2 * self.functions
        return self.queues_with_dlq + self.state_machines + lambda_alarms + 2


@dataclass(frozen=True)
class Line:
    service: str
    what: str
    units: dict[str, float]  # billed units in the month
    usd: float


@dataclass
class Month:
    label: str
    tickets: float
    lines: list[Line] = field(default_factory=list)

    @property
    def usd(self) -> float:
        return sum(line.usd for line in self.lines)

    def by_service(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for line in self.lines:
            out[line.service] = out.get(line.service, 0.0) + line.usd
        return dict(sorted(out.items(), key=lambda item: item[1], reverse=True))


@dataclass
class Units:
    """A month's billed units, added up by activity before pricing."""

    api: float = 0.0
    invocations: float = 0.0
    gb_seconds: float = 0.0
    wru: float = 0.0
    rru: float = 0.0
    transitions: float = 0.0
    express_requests: float = 0.0
    express_gb_seconds: float = 0.0
    s3_put: float = 0.0
    s3_get: float = 0.0
    mails: float = 0.0
    sqs: float = 0.0
    cdn_requests: float = 0.0
    cdn_gb: float = 0.0
    traces: float = 0.0
    log_gb: float = 0.0
    scheduled_runs: float = 0.0

    def add_requests(
        self, n: float, seconds: float, memory_mb: int, rru: float, wru: float
    ) -> None:
        """n API requests, each one Lambda invocation of `seconds`."""
        self.api += n
        self.lambda_runs(n, seconds, memory_mb)
        self.rru += n * rru
        self.wru += n * wru

    def lambda_runs(self, n: float, seconds: float, memory_mb: int) -> None:
        self.invocations += n
        self.gb_seconds += n * seconds * memory_mb / 1024


def activity(
    checkout: Checkout, work: Workload, tickets: float, sales: bool
) -> tuple[Units, dict[str, Units]]:
    """The month's units by activity (`sales` False: an idle month, nobody buys, browses,
    queues or logs in; only what runs by itself and what is stored)."""
    u = Units()
    k = tickets / 1000
    orders = tickets / work.tickets_per_order
    mem = work.memory_mb
    by_activity: dict[str, Units] = {}

    def part(name: str) -> Units:
        by_activity[name] = Units()
        return by_activity[name]

    # Checkout, as measured (per 1,000 tickets).
    c = part("checkout (measured)")
    c.api = checkout.api_requests * k
    c.invocations = checkout.lambda_invocations * k
    c.gb_seconds = checkout.lambda_gb_seconds * k * mem / checkout.memory_mb
    c.wru = checkout.write_units * k * work.checkout_write_units_factor
    c.rru = checkout.read_units * k
    if work.express_saga:
        # Two Express executions an order (started by the order, then by the webhook); the
        # tasks' Lambda work stays; Express bills its own duration at 64 MB steps.
        c.express_requests = 2 * orders
        c.express_gb_seconds = orders * checkout.task_gb_seconds_per_order / (mem / 1024) / 16
    else:
        c.transitions = checkout.state_transitions * k
    c.s3_put = checkout.s3_put * k
    c.s3_get = checkout.s3_get * k
    per_order_mails = checkout.mails * work.tickets_per_order / 1000
    c.mails = orders * (per_order_mails if work.mails_per_order is None else work.mails_per_order)
    c.sqs = checkout.sqs_requests * k
    c.traces = orders  # X-Ray on the state machine: one trace an execution
    # Express workflows keep no history: their CloudWatch log is the only record, so the
    # saga logs the same either way.
    c.log_gb = (
        c.invocations * work.log_bytes_per_invocation
        + orders * work.log_bytes_per_execution * work.sfn_log_bytes_factor
    ) / GB

    if sales:
        b = part("browsing")
        views = tickets * work.page_views_per_ticket
        b.cdn_requests = views * work.cdn_requests_per_page_view
        b.cdn_gb = views * work.kb_per_page_view * 1024 / GB
        b.add_requests(
            orders * work.seat_plans_per_order,
            work.request_seconds,
            mem,
            work.seat_plan_read_units,
            0.0,
        )
        b.add_requests(orders * work.return_polls_per_order, work.request_seconds, mem, 0.5, 0.0)
        released = orders * work.released_holds_per_order
        b.add_requests(2 * released, work.request_seconds, mem, 1.0, work.hold_write_units / 2)
        b.cdn_requests += b.api  # /v1/* goes through CloudFront too
        b.log_gb = b.invocations * work.log_bytes_per_invocation / GB

        w = part("waiting room")
        arrivals = work.arrivals_per_month
        w.add_requests(arrivals, work.request_seconds, mem, 0.0, 0.0)  # join: one SendMessage
        w.sqs = arrivals * (1 + 0.2)  # the send; a receive and a delete batch per 10
        w.lambda_runs(arrivals / 10, 0.1, mem)  # the consumer, batches of 10
        w.rru += arrivals / 10 * 5  # BatchGetItem of placed tickets
        w.wru += arrivals / 10 + arrivals * 2  # the counter ADD; a place (half in a 2-item tx)
        w.add_requests(arrivals * work.polls_per_arrival, work.request_seconds, mem, 0.5, 0.0)
        w.add_requests(arrivals * work.admitted_share, work.request_seconds, mem, 1.0, 1.0)
        w.cdn_requests = w.api
        w.log_gb = w.invocations * work.log_bytes_per_invocation / GB

        s = part("staff")
        calls = work.staff * work.admin_calls_per_staff_day * work.working_days
        s.add_requests(
            calls, 2 * work.request_seconds, mem, work.admin_read_units, work.admin_write_units
        )
        s.cdn_requests = s.api
        s.log_gb = s.invocations * work.log_bytes_per_invocation / GB

    r = part("schedules")
    runs_minute, runs_5 = MINUTES, MINUTES / 5
    r.lambda_runs(runs_minute, work.availability_seconds, mem)
    r.rru += runs_minute * work.availability_read_units
    r.s3_put += runs_minute * work.availability_puts
    r.lambda_runs(runs_minute, work.draw_seconds, mem)
    r.rru += runs_minute * work.draw_read_units
    r.lambda_runs(runs_5, work.reconcile_seconds, mem)
    r.rru += runs_5 * work.reconcile_read_units
    r.scheduled_runs = r.invocations
    r.log_gb = r.invocations * work.log_bytes_per_invocation / GB

    for part_units in by_activity.values():
        for name in vars(u):
            setattr(u, name, getattr(u, name) + getattr(part_units, name))
    return u, by_activity


def stored(checkout: Checkout, work: Workload) -> dict[str, float]:
    """GB kept at steady state: `years_kept` of orders, their PDFs, the static site, logs."""
    orders = work.tickets_per_year / work.tickets_per_order * work.years_kept
    per_order = (
        checkout.order_bytes * (1 + work.index_share)
        + checkout.order_items * work.item_overhead_bytes
        + work.tickets_per_order * (work.seat_bytes + work.item_overhead_bytes)
    )
    return {
        "dynamodb_gb": orders * per_order / GB,
        "s3_gb": orders * checkout.pdf_bytes / GB + work.static_site_gb,
    }


def charges(
    checkout: Checkout, work: Workload, tickets: float, sales: bool
) -> list[tuple[str, str, str, float]]:
    """(service, what, priced unit, quantity) of a month: every unit in the price file that the
    month uses, before any price is applied."""
    u, _ = activity(checkout, work, tickets, sales)
    store = stored(checkout, work)
    log_stored = logs_per_busy_month(checkout, work) * work.log_retention_months
    log_stored *= work.log_compression  # the retention window of busy months, compressed
    api = "http_api_request" if work.http_api else "rest_api_request"
    gb_second = f"gb_second_{work.lambda_arch}"
    saga: list[tuple[str, str, str, float]] = (
        [
            ("stepfunctions", "Express", "express_request", u.express_requests),
            ("stepfunctions", "Express", "express_gb_second", u.express_gb_seconds),
        ]
        if work.express_saga
        else [("stepfunctions", "Standard", "standard_state_transition", u.transitions)]
    )
    return [
        ("apigateway", "HTTP API" if work.http_api else "REST API", api, u.api),
        ("lambda", f"requests + GB-s ({work.lambda_arch})", "request", u.invocations),
        ("lambda", f"requests + GB-s ({work.lambda_arch})", gb_second, u.gb_seconds),
        ("dynamodb", "request units", "write_request_unit", u.wru),
        ("dynamodb", "request units", "read_request_unit", u.rru),
        ("dynamodb", "storage + PITR", "storage_gb_month", store["dynamodb_gb"]),
        ("dynamodb", "storage + PITR", "pitr_gb_month", store["dynamodb_gb"]),
        *saga,
        ("s3", "requests", "put_request", u.s3_put),
        ("s3", "requests", "get_request", u.s3_get),
        ("s3", "storage", "storage_gb_month", store["s3_gb"]),
        ("ses", "mails", "outbound_message", u.mails),
        ("sqs", "requests", "standard_request", u.sqs),
        ("cloudfront", "requests + data out", "https_request", u.cdn_requests),
        ("cloudfront", "requests + data out", "data_out_gb", u.cdn_gb),
        ("cloudwatch", "alarms + dashboard", "standard_alarm_month", work.alarms),
        ("cloudwatch", "alarms + dashboard", "dashboard_month", work.dashboards),
        ("cloudwatch", "logs", "logs_ingested_gb", u.log_gb),
        ("cloudwatch", "logs", "logs_stored_gb_month", log_stored),
        ("cognito", "staff MAU", "essentials_mau", work.staff if sales else 0),
        ("xray", "traces", "trace_recorded", u.traces),
        ("secretsmanager", "secrets", "secret_month", work.secrets),
        ("secretsmanager", "secrets", "api_call", work.secret_calls_per_month),
        ("kms", "customer managed keys", "customer_key_month", 0),
        ("eventbridge", "scheduled rules", "scheduled_invocation", u.scheduled_runs),
    ]


def price_month(
    label: str,
    checkout: Checkout,
    work: Workload,
    prices: Prices,
    tickets: float,
    sales: bool,
    free_tier: bool = False,
) -> Month:
    """One line per (service, what); with `free_tier`, the always-free monthly allowances of
    the price file are taken off each unit first."""
    month = Month(label, tickets)
    grouped: dict[tuple[str, str], Line] = {}
    for service, what, unit, quantity in charges(checkout, work, tickets, sales):
        billed = quantity
        if free_tier:
            billed = max(0.0, quantity - prices.free.get(service, {}).get(unit, 0.0))
        line = grouped.setdefault((service, what), Line(service, what, {}, 0.0))
        line.units[unit] = quantity
        grouped[(service, what)] = replace(line, usd=line.usd + billed * prices.of(service, unit))
    month.lines = list(grouped.values())
    return month


def logs_per_busy_month(checkout: Checkout, work: Workload) -> float:
    u, _ = activity(checkout, work, work.tickets_per_year / 12, True)
    return u.log_gb


def average_month(
    checkout: Checkout, work: Workload, prices: Prices, free_tier: bool = False
) -> Month:
    tickets = work.tickets_per_year / 12
    return price_month("average month", checkout, work, prices, tickets, True, free_tier)


def idle_month(
    checkout: Checkout, work: Workload, prices: Prices, free_tier: bool = False
) -> Month:
    return price_month("idle month", checkout, work, prices, 0.0, False, free_tier)


def checkout_per_thousand(checkout: Checkout, work: Workload, prices: Prices) -> float:
    """The checkout alone, as this model prices it (with its logs and traces): 1,000 tickets'
    month less an idle month."""
    sold = price_month("", checkout, work, prices, 1000.0, False)
    return sold.usd - idle_month(checkout, work, prices).usd


ALTERNATIVES: dict[str, Callable[[Workload], Workload]] = {
    "HTTP API instead of REST": lambda w: replace(w, http_api=True),
    "arm64 Lambda instead of x86_64": lambda w: replace(w, lambda_arch="arm64"),
    "Express saga (2 executions an order)": lambda w: replace(w, express_saga=True),
    "no confirmation mail (bound of fewer mails)": lambda w: replace(w, mails_per_order=0.0),
    # 6.2 order updates an order cost 31.4 of its 74.4 write units (a 2 KB order, rewritten
    # in its indexes too); under 1 KB and keys-only indexes, ~1.5 each: about 30 % fewer.
    "order < 1 KB, keys-only indexes (checkout WRU -30 %)": lambda w: replace(
        w, checkout_write_units_factor=0.7, index_share=0.1
    ),
    "logs kept 1 month, saga logs at ERROR": lambda w: replace(
        w, log_retention_months=1.0, sfn_log_bytes_factor=0.05
    ),
    "pages half as heavy (75 KB a page view)": lambda w: replace(w, kb_per_page_view=75.0),
    "one secret (JSON) instead of 4": lambda w: replace(w, secrets=1),
    "Lambda errors/throttles alarmed account-wide (2, not 14)": lambda w: replace(
        w, lambda_alarms_account_wide=True
    ),
}
ALTERNATIVES["all of the above but the mail"] = lambda w: replace(
    w,
    http_api=True,
    lambda_arch="arm64",
    kb_per_page_view=75.0,
    express_saga=True,
    checkout_write_units_factor=0.7,
    index_share=0.1,
    log_retention_months=1.0,
    sfn_log_bytes_factor=0.05,
    secrets=1,
    lambda_alarms_account_wide=True,
)


def month_figures(month: Month) -> dict[str, Any]:
    return {
        "tickets": round(month.tickets),
        "usd": round(month.usd, 2),
        "by_service": {k: round(v, 2) for k, v in month.by_service().items()},
        "lines": [
            {
                "service": line.service,
                "what": line.what,
                "usd": round(line.usd, 4),
                "units": {k: round(v, 3) for k, v in line.units.items()},
            }
            for line in month.lines
        ],
    }


def report(checkout: Checkout, work: Workload, prices: Prices) -> dict[str, Any]:
    busy, idle = average_month(checkout, work, prices), idle_month(checkout, work, prices)
    free_busy = average_month(checkout, work, prices, free_tier=True)
    free_idle = idle_month(checkout, work, prices, free_tier=True)
    _, parts = activity(checkout, work, busy.tickets, True)
    per_k = 1000 / busy.tickets
    alternatives = {}
    for name, change in ALTERNATIVES.items():
        changed = change(work)
        month = average_month(checkout, changed, prices)
        alternatives[name] = {
            "usd_per_month": round(month.usd, 2),
            "usd_saved_per_month": round(busy.usd - month.usd, 2),
            "idle_usd_per_month": round(idle_month(checkout, changed, prices).usd, 2),
            "usd_per_1000_tickets": round(month.usd * per_k, 4),
            "checkout_usd_per_1000_tickets": round(
                checkout_per_thousand(checkout, changed, prices), 4
            ),
            "ratio_to_as_built": round(month.usd / busy.usd, 3),
        }
    return {
        "prices": {"as_of": prices.as_of, "status": prices.status},
        "workload": dict(vars(work)) | {"alarms": work.alarms},
        "checkout_per_1000_tickets": dict(vars(checkout)),
        "months": {
            "average month": month_figures(busy),
            "idle month": month_figures(idle),
            "average month, always-free allowances": month_figures(free_busy),
            "idle month, always-free allowances": month_figures(free_idle),
        },
        "api_requests_by_activity": {k: round(v.api) for k, v in parts.items()},
        "usd_per_1000_tickets_all_in": round(busy.usd * per_k, 4),
        "usd_per_1000_tickets_variable": round((busy.usd - idle.usd) * per_k, 4),
        "usd_per_1000_tickets_checkout_only": round(
            checkout_per_thousand(checkout, work, prices), 4
        ),
        "usd_per_year": round(12 * busy.usd, 2),
        "alternatives": alternatives,
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Prices: eu-west-1 list prices as recorded ({result['prices']['as_of']} and "
        "2026-12-07), not fetched live: re-check them. No free tier, no tax, Stripe excluded.",
        "",
    ]
    months = result["months"]
    services = list(months["average month"]["by_service"])
    columns = list(months)
    lines.append(
        f"{'US$ per month':<16}"
        + "".join(f"{c.replace('always-free', 'free'):>26}" for c in columns)
    )
    for service in services:
        lines.append(
            f"{service:<16}"
            + "".join(f"{months[c]['by_service'].get(service, 0.0):>26.2f}" for c in columns)
        )
    lines.append(f"{'total':<16}" + "".join(f"{months[c]['usd']:>26.2f}" for c in columns))
    lines.append("(the last two columns take the always-free monthly allowances off)")
    lines += [
        f"tickets: {months['average month']['tickets']:,} in the average month, 0 idle",
        "",
        f"US$ per 1,000 tickets: all-in {result['usd_per_1000_tickets_all_in']:.4f}, what selling "
        f"adds {result['usd_per_1000_tickets_variable']:.4f}, the checkout alone "
        f"{result['usd_per_1000_tickets_checkout_only']:.4f}",
        "API requests by activity, average month: "
        + ", ".join(f"{k} {v:,}" for k, v in result["api_requests_by_activity"].items()),
        "",
        f"{'alternative':<54}{'US$/month':>10}{'saved':>7}{'idle':>7}{'US$/1k t':>9}"
        f"{'checkout/1k':>12}{'ratio':>7}",
    ]
    for name, alt in result["alternatives"].items():
        lines.append(
            f"{name:<54}{alt['usd_per_month']:>10.2f}{alt['usd_saved_per_month']:>7.2f}"
            f"{alt['idle_usd_per_month']:>7.2f}{alt['usd_per_1000_tickets']:>9.4f}"
            f"{alt['checkout_usd_per_1000_tickets']:>12.4f}{alt['ratio_to_as_built']:>7.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cost_model",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--checkout", type=Path, help="the JSON output of bench.checkout_cost (default: RECORDED)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    checkout = (
        Checkout.from_bench(json.loads(args.checkout.read_text(encoding="utf-8")))
        if args.checkout
        else RECORDED
    )
    result = report(checkout, Workload(), Prices.load())
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
