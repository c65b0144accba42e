"""Holds per second through the service layer, against raw conditional writes on the same backend.

    .venv/bin/python -m bench.holds [--holds N] [--threads T] [--basket B] [--json]

Starts its own DynamoDB Local, writes one on-sale performance in a hall big enough that the run
never runs out of seats, then measures in the same run:

- raw: boto3 `put_item` of a seat-sized item with `attribute_not_exists(pk)` on fresh keys,
  the same count and thread count as the app run. This is the floor a hold is compared with.
- app: `InventoryService.hold` on disjoint, pre-planned baskets, so no hold loses a race.

It prints both, the ratio app/raw, the DynamoDB requests per hold by operation, the items per
transaction and the write capacity units per hold of 1, 2 and 4 seats. Figures only: nothing
here asserts on time (bench/README.md).
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from local.stack import REGION, DynamoDBLocal

if TYPE_CHECKING:
    from chalicelib.inventory.seatmap import SeatMap

PER_ROW = 50
MIN_ROWS = 40  # 2,000 seats at least, whatever the options
SECTION = "zaal"
CAPACITY_BASKETS = (1, 2, 4)
CAPACITY_REPEATS = 3
# An item carrying one of these is also an index write.
INDEX_KEYS = ("gsi1pk", "gsi2pk", "gsi3pk", "lookup")


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed phase: how many operations, over how long, and each one's latency."""

    ops: int
    threads: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    failed: int
    first_error: str | None


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest rank: the value that `fraction` of the samples do not exceed."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def timed(operation: Callable[[Any], None], work: Sequence[Any], threads: int) -> Run:
    """Run `operation` on every work item with `threads` workers. The rate is completed
    operations over the wall time of the whole phase, so waiting on each other counts."""
    latencies: list[float] = []  # list.append is atomic under the GIL
    errors: list[str] = []

    def one(item: Any) -> None:
        started = time.perf_counter()
        try:
            operation(item)
        except Exception as error:  # a failure is reported, never hidden in the rate
            errors.append(f"{type(error).__name__}: {error}")
            return
        latencies.append(time.perf_counter() - started)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        started = time.perf_counter()
        list(pool.map(one, work))
        seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return Run(
        ops=len(work),
        threads=threads,
        seconds=round(seconds, 3),
        per_second=round(len(ordered) / seconds, 1),
        p50_ms=round(percentile(ordered, 0.50) * 1000, 2),
        p99_ms=round(percentile(ordered, 0.99) * 1000, 2),
        failed=len(errors),
        first_error=errors[0] if errors else None,
    )


class RequestLog:
    """Counts DynamoDB API calls by operation, and on demand asks TransactWriteItems for its
    consumed capacity and keeps what was sent and returned. A boto3 client is watched through
    botocore's event hooks; the app through pynamodb's public ones: its request signal for every
    call (the models' and the store's), the store's own connection for its transactions."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items_per_transaction: Counter[int] = Counter()
        self.capture = False  # only in the single-threaded capacity phase
        self.sent: list[list[dict[str, Any]]] = []
        self.consumed: list[Any] = []
        self._lock = threading.Lock()  # Counter's += is not atomic across threads

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-call.dynamodb", self._count)
        self._watch_transactions(client)

    def attach_app(self) -> None:
        from pynamodb.signals import pre_dynamodb_send, signals_available

        from chalicelib.store import db

        if not signals_available:  # blinker comes with moto[server]'s Flask (the dev extra)
            raise RuntimeError("pynamodb's signals need blinker: install the dev extra")
        pre_dynamodb_send.connect(self._count_sent, weak=False)
        self._watch_transactions(db.connection().client)

    def _watch_transactions(self, client: Any) -> None:
        events = client.meta.events
        events.register(
            "before-parameter-build.dynamodb.TransactWriteItems", self._before_transaction
        )
        events.register("after-call.dynamodb.TransactWriteItems", self._after_transaction)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.items_per_transaction.clear()

    def _count(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.calls[model.name] += 1

    def _count_sent(self, _sender: Any, operation_name: str, **_: Any) -> None:
        with self._lock:
            self.calls[operation_name] += 1

    def _before_transaction(self, params: dict[str, Any], **_: Any) -> None:
        with self._lock:
            self.items_per_transaction[len(params["TransactItems"])] += 1
        if self.capture:
            params["ReturnConsumedCapacity"] = "INDEXES"
            self.sent.append(params["TransactItems"])

    def _after_transaction(self, parsed: dict[str, Any], **_: Any) -> None:
        if self.capture:
            self.consumed.append(parsed.get("ConsumedCapacity"))


# --- DynamoDB's size and capacity rules -------------------------------------------------------


def number_size(text: str) -> int:
    """About one byte per two significant digits, plus one."""
    digits = text.lstrip("-").replace(".", "").strip("0")
    return 1 + math.ceil(len(digits) / 2)


def attribute_size(value: dict[str, Any]) -> int:
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return number_size(inner)
    if kind == "B":
        return len(inner) if isinstance(inner, bytes) else len(base64.b64decode(inner))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in inner)
    if kind == "NS":
        return sum(number_size(n) for n in inner)
    if kind == "BS":
        return sum(len(b) for b in inner)
    if kind == "L":
        return 3 + sum(1 + attribute_size(element) for element in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + attribute_size(v) for k, v in inner.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: Mapping[str, Any]) -> int:
    """An item's billed size: attribute names plus values (the published rule)."""
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def kilobytes(size: int) -> int:
    return max(1, math.ceil(size / 1024))


@dataclass
class TransactionCost:
    items: int
    puts: int
    bytes: int  # what the items written weigh; updates and deletes count their key only
    wcu_rule: int  # 2 WCU per item per started KB
    wcu_local: float | None  # what DynamoDB Local says it consumed
    index_writes: int  # items carrying an index key; not in wcu_rule (none expected)


def transaction_cost(sent: list[dict[str, Any]], consumed: Any) -> TransactionCost:
    sizes = []
    puts = index_writes = 0
    for entry in sent:
        ((action, body),) = entry.items()
        item = body.get("Item") or body.get("Key") or {}
        puts += action == "Put"
        index_writes += any(key in item for key in INDEX_KEYS)
        sizes.append(item_size(item))
    local = sum(c.get("CapacityUnits", 0) for c in consumed) if consumed else None
    return TransactionCost(
        items=len(sent),
        puts=puts,
        bytes=sum(sizes),
        wcu_rule=sum(2 * kilobytes(size) for size in sizes),
        wcu_local=local,
        index_writes=index_writes,
    )


# --- the backend and the hall -----------------------------------------------------------------


def point_at(endpoint: str) -> None:
    """Fake credentials and DynamoDB Local for everything created from here on. Must run
    before the app's models are imported: they read table and region at import time."""
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL") or name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            del os.environ[name]
    os.environ.update(
        {
            # DynamoDB Local accepts only letters and digits in the access key, and keeps a
            # separate database per key and region: pynamodb and boto3 must share both.
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        }
    )


def big_hall_map(map_id: str, hall_id: str, rows: int) -> SeatMap:
    """`rows` rows of 50 seats in one section; the first quarter of the rows is zone 1."""
    from chalicelib.inventory.seatmap import Seat, SeatMap, Section

    seats = [
        Seat(
            id=f"{SECTION}-{row}-{number}",
            section=SECTION,
            row=str(row),
            number=number,
            x=float(number),
            y=float(row),
            zone="zone-1" if row <= rows // 4 else "zone-2",
        )
        for row in range(1, rows + 1)
        for number in range(1, PER_ROW + 1)
    ]
    name = {"nl": "Zaal", "fr": "Salle", "en": "Hall"}
    return SeatMap(id=map_id, hall=hall_id, sections=(Section(SECTION, name),), seats=tuple(seats))


def new_big_performance(rows: int) -> tuple[str, list[str]]:
    """An on-sale performance whose sales window covers now. Returns its id and its seats in
    row order, so that consecutive baskets are seats side by side."""
    from chalicelib.catalogue.model import HallLayout
    from tests import factories as f
    from tests.inventory_fixtures import save_in_hall

    now = datetime.now(UTC)
    performance_id = f"bench-{uuid.uuid4().hex[:12]}"
    hall_id = "bench-hall"
    seat_map = big_hall_map(f"{hall_id}-map", hall_id, rows)
    hall = f.hall(
        id=hall_id, capacity=seat_map.capacity, seat_map=seat_map.id, layout=HallLayout.SEATED
    )
    starts_at = now + timedelta(days=30)
    performance = replace(
        f.performance(performance_id, starts_at=starts_at),
        hall=hall_id,
        sales_opens_at=now - timedelta(days=1),
        sales_closes_at=starts_at,
    )
    save_in_hall(performance, hall, seat_map)
    return performance_id, [seat.id for seat in seat_map.seats]


def seat_sized_item(performance_id: str, key: str) -> dict[str, dict[str, Any]]:
    """What a hold writes for one seat, serialized by the app's own model, under a fresh key."""
    from chalicelib.store import keys
    from chalicelib.store.models import SeatItem

    now = datetime.now(UTC)
    return SeatItem(
        pk=keys.seats_pk(performance_id, SECTION),
        sk=keys.seat_sk(key),
        performance=performance_id,
        house="ntgent",
        seat=key,
        state="held",
        hold=f"h_{uuid.uuid4().hex[:22]}",
        held_until=int((now + timedelta(minutes=15)).timestamp() * 1000),
        expires=now + timedelta(days=2),
    ).serialize()


# --- the benchmark ----------------------------------------------------------------------------


class Baskets:
    """Hands out disjoint baskets of consecutive seats, so no hold ever loses a race."""

    def __init__(self, seats: list[str]) -> None:
        self.seats = seats
        self.next = 0

    def take(self, size: int, count: int) -> list[list[str]]:
        baskets = []
        for _ in range(count):
            baskets.append(self.seats[self.next : self.next + size])
            self.next += size
        return baskets


def measure(holds: int, threads: int, basket: int) -> dict[str, Any]:
    warmup = min(50, max(10, holds // 10))
    needed = (warmup + holds) * basket + CAPACITY_REPEATS * sum(CAPACITY_BASKETS)
    rows = max(MIN_ROWS, math.ceil(needed / PER_ROW))

    server = DynamoDBLocal()
    server.launch()  # from the main thread: the parent-death signal follows the forking thread
    try:
        server.wait_ready()
        point_at(server.endpoint)
        return _measure_on(server.endpoint, holds, threads, basket, warmup, rows)
    finally:
        server.stop()


def _measure_on(
    endpoint: str, holds: int, threads: int, basket: int, warmup: int, rows: int
) -> dict[str, Any]:
    # Imported only now: the models read the table name and region at import time.
    import boto3

    from chalicelib import bootstrap
    from chalicelib.core.config import settings
    from chalicelib.inventory.model import SeatState
    from chalicelib.inventory.schemas import HoldCommand
    from chalicelib.store.schema import create_table_request

    table = settings().table_name
    raw = boto3.client("dynamodb")  # botocore's default pool of 10 connections, as pynamodb's
    raw.create_table(**create_table_request(table))
    raw.get_waiter("table_exists").wait(TableName=table)

    bootstrap.reset()  # a connection made before the endpoint was set must go
    performance, seats = new_big_performance(rows)
    app_log, raw_log = RequestLog(), RequestLog()
    app_log.attach_app()
    raw_log.attach(raw)

    service = bootstrap.container().inventory()  # composed as the Lambda handler composes it
    baskets = Baskets(seats)
    clients = iter(range(10**9))  # one buyer per hold: never near max_holds_per_client

    held_seats: list[int] = []  # seats of every hold that succeeded, for the final check

    def hold(seat_ids: list[str]) -> None:
        service.hold(performance, HoldCommand(seats=seat_ids), f"buyer-{next(clients)}")
        held_seats.append(len(seat_ids))

    def put(item: dict[str, Any]) -> None:
        raw.put_item(TableName=table, Item=item, ConditionExpression="attribute_not_exists(pk)")

    # Raw items are built before timing: the baseline is the write alone.
    raw_performance = f"bench-raw-{uuid.uuid4().hex[:8]}"  # its own partition, fresh keys
    raw_items = [seat_sized_item(raw_performance, f"raw-{i}") for i in range(warmup + holds)]

    # Warm both paths first (the JVM's JIT, connection pools, the app's seat map cache), so
    # neither timed phase pays for having gone first.
    timed(put, raw_items[:warmup], threads)
    timed(hold, baskets.take(basket, warmup), threads)

    raw_log.reset()
    raw_run = timed(put, raw_items[warmup:], threads)
    raw_calls = dict(raw_log.calls)

    app_log.reset()
    app_run = timed(hold, baskets.take(basket, holds), threads)
    app_calls = dict(app_log.calls)
    items_per_transaction = dict(app_log.items_per_transaction)

    # Capacity: one at a time, asking DynamoDB Local what each transaction consumed.
    app_log.capture = True
    costs: dict[str, TransactionCost] = {}
    for size in CAPACITY_BASKETS:
        app_log.sent.clear()
        app_log.consumed.clear()
        for seat_ids in baskets.take(size, CAPACITY_REPEATS):
            hold(seat_ids)
        # Same size, same items: the last transaction stands for all of them.
        costs[str(size)] = transaction_cost(app_log.sent[-1], app_log.consumed[-1])
    app_log.capture = False

    raw_item = seat_sized_item(raw_performance, "capacity")
    answer = raw.put_item(TableName=table, Item=raw_item, ReturnConsumedCapacity="TOTAL")
    raw_consumed = answer.get("ConsumedCapacity", {})

    held = service.seat_plan(performance).count(SeatState.HELD)
    done = app_run.ops - app_run.failed
    return {
        "backend": f"DynamoDB Local at {endpoint}",
        "cpus": os.cpu_count(),
        "hall_seats": len(seats),
        "basket": basket,
        "raw": asdict(raw_run),
        "app": asdict(app_run),
        "ratio": {  # app / raw
            "per_second": _ratio(app_run.per_second, raw_run.per_second),
            "p50_ms": _ratio(app_run.p50_ms, raw_run.p50_ms),
            "p99_ms": _ratio(app_run.p99_ms, raw_run.p99_ms),
        },
        "requests_per_hold": _per(app_calls, done),
        "requests_per_raw_write": _per(raw_calls, raw_run.ops - raw_run.failed),
        "items_per_transaction": {str(k): v for k, v in sorted(items_per_transaction.items())},
        "wcu_per_hold": {size: cost.wcu_rule for size, cost in costs.items()},
        "wcu_source": (
            "computed from the items sent with DynamoDB's published rule: a transactional "
            "write costs 2 WCU per item per started KB. DynamoDB Local does return "
            "ConsumedCapacity for TransactWriteItems, but its figure does not grow with the "
            "number of items (it is shown as wcu_reported_by_local, not to be trusted)"
        ),
        "wcu_reported_by_local": {size: cost.wcu_local for size, cost in costs.items()},
        "transactions": {size: asdict(cost) for size, cost in costs.items()},
        "raw_put_wcu": {
            "bytes": item_size(raw_item),
            "rule": kilobytes(item_size(raw_item)),  # standard write: 1 WCU per started KB
            "reported_by_local": raw_consumed.get("CapacityUnits"),
        },
        # Not an assertion: a mismatch would mean a hold wrote less (or more) than it said.
        "check": {"seats_held": held, "seats_in_successful_holds": sum(held_seats)},
    }


def _ratio(app: float, raw: float) -> float | None:
    return round(app / raw, 3) if raw else None


def _per(calls: dict[str, int], operations: int) -> dict[str, float]:
    if not operations:
        return {}
    per = {name: round(count / operations, 2) for name, count in sorted(calls.items())}
    per["total"] = round(sum(calls.values()) / operations, 2)
    return per


# --- output -----------------------------------------------------------------------------------


def table(result: dict[str, Any]) -> str:
    raw, app, ratio = result["raw"], result["app"], result["ratio"]
    app_label = f"app hold ({result['basket']} seats)"
    lines = [
        f"Holds benchmark: {result['backend']}, {result['cpus']} CPUs, "
        f"{app['threads']} threads, {app['ops']} operations per phase, "
        f"hall of {result['hall_seats']} seats",
        "",
        f"{'':28}{'ops/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'failed':>8}",
        f"{'raw put_item (conditional)':28}{raw['per_second']:>10.1f}{raw['p50_ms']:>10.2f}"
        f"{raw['p99_ms']:>10.2f}{raw['failed']:>8}",
        f"{app_label:28}{app['per_second']:>10.1f}"
        f"{app['p50_ms']:>10.2f}{app['p99_ms']:>10.2f}{app['failed']:>8}",
        f"{'ratio app/raw':28}{ratio['per_second']:>10.3f}{ratio['p50_ms']:>10.2f}"
        f"{ratio['p99_ms']:>10.2f}",
    ]
    for name in ("raw", "app"):
        if result[name]["first_error"]:
            lines.append(f"first {name} error: {result[name]['first_error']}")
    per_hold = ", ".join(f"{k} {v:g}" for k, v in result["requests_per_hold"].items())
    per_raw = ", ".join(f"{k} {v:g}" for k, v in result["requests_per_raw_write"].items())
    items = ", ".join(f"{k} items x{v}" for k, v in result["items_per_transaction"].items())
    lines += [
        "",
        f"DynamoDB requests per hold:      {per_hold}",
        f"DynamoDB requests per raw write: {per_raw}",
        f"Items per TransactWriteItems:    {items}",
        "",
        "Write capacity per hold (wcu_rule is the figure to use):",
        f"{'seats':>7}{'items':>7}{'bytes':>8}{'wcu_rule':>10}{'wcu_local':>11}{'index':>7}",
    ]
    for size, cost in result["transactions"].items():
        lines.append(
            f"{size:>7}{cost['items']:>7}{cost['bytes']:>8}{cost['wcu_rule']:>10}"
            f"{cost['wcu_local']!s:>11}{cost['index_writes']:>7}"
        )
    put = result["raw_put_wcu"]
    lines += [
        f"raw put_item: {put['bytes']} bytes, {put['rule']} WCU by the rule "
        f"(1 per started KB), DynamoDB Local reports {put['reported_by_local']}",
        f"WCU source: {result['wcu_source']}.",
        "",
        f"Check: {result['check']['seats_held']} seats held per seat_plan, "
        f"{result['check']['seats_in_successful_holds']} in successful holds",
    ]
    return "\n".join(lines)


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.holds", description=__doc__)
    parser.add_argument("--holds", type=positive, default=400, help="holds (and raw writes)")
    parser.add_argument("--threads", type=positive, default=8, help="concurrent callers")
    parser.add_argument("--basket", type=positive, default=2, help="seats per timed hold")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = measure(args.holds, args.threads, args.basket)
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
