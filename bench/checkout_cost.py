"""What a sold ticket costs in AWS fees: complete checkouts on the local stack, every billable
unit counted, priced with a dated eu-west-1 price table, against raw DynamoDB writes.

    .venv/bin/python -m bench.checkout_cost [--orders N] [--concurrency C] [--stage S] [--json]

Starts the embedded local stack in this process (DynamoDB Local, moto executing the real
checkout ASL with the saga's Lambda task run in-process, the Stripe double), serves the Chalice
app over HTTP as tests/e2e/test_checkout.py does, and runs N complete 2-ticket orders the way a
buyer does: hold (POST), order (POST), pay at Stripe, the signed webhook (POST), the saga to
"completed", the return page (one GET) and the PDF download. Two warm-up orders run first and
are not counted, so imports and warm caches do not weigh on the figures (cold starts are not
measured at all).

Counted between the first and the last counted order, and only what the app and AWS's own
integrations do (the benchmark's own calls are marked and left out):

- every AWS API request, by service, operation and caller (API Lambda, task Lambda, Step
  Functions' own integrations), through a wrapper of botocore's `BaseClient._make_api_call`;
- DynamoDB request units: DynamoDB Local's ConsumedCapacity (INDEXES) for plain requests, which
  it reports right (checked by hand: sizes, strong/eventual reads, GSI writes, batches); for
  transactions, which it reports wrong, and for failed writes, which it does not report, the
  published rules on the items before and after the write, read back for the purpose;
- Step Functions state transitions: StateEntered events of each execution's history;
- Lambda invocations and GB-seconds: the handlers' measured durations (minus the benchmark's own
  bookkeeping), rounded up to the millisecond, at the stage's memory size;
- API Gateway requests (every HTTP request to /v1/*), S3 PUT/GET, SES mails, SQS requests.

Stripe's fees are not included. Figures only: nothing here asserts on time (bench/README.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bench.holds import item_size, kilobytes, positive

ROOT = Path(__file__).resolve().parent.parent
PRICES_FILE = Path(__file__).with_name("prices_eu_west_1.json")
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"

TICKETS_PER_ORDER = 2
WARMUP_ORDERS = 2
GOAL_USD_PER_1000_TICKETS = 0.10
ORDER_TIMEOUT = 60.0  # seconds for one order's saga to finish; a stuck order is reported
HTTP_TIMEOUT = 30.0
MAX_CONCURRENCY = 4
API_FUNCTION = "api_handler"  # the name Chalice gives the function behind the REST API
TASK_FUNCTION = "checkout_task"

# The studio of tests/inventory_fixtures.py: rows a-e of 10 seats. Pairs side by side, leaving
# out the wheelchair space a-1 and its companion seat a-2: 24 orders per performance.
SEAT_PAIRS = [
    [f"zaal-{row}-{n}", f"zaal-{row}-{n + 1}"]
    for row in "abcde"
    for n in range(1, 10, 2)
    if (row, n) != ("a", 1)
]

# Requests that accept ReturnConsumedCapacity.
CAPACITY_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)
WRITE_OPERATIONS = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
)
PAGE_READS = frozenset({"Query", "Scan"})


# --- DynamoDB's published capacity rules (pure; tests/unit/test_checkout_cost.py) ----------

Item = Mapping[str, Any]  # an item in DynamoDB's wire format: {"name": {"S": "..."}, ...}


@dataclass(frozen=True)
class IndexKeys:
    name: str
    keys: tuple[str, ...]


def table_indexes() -> tuple[IndexKeys, ...]:
    from chalicelib.store.schema import TABLE

    return tuple(
        IndexKeys(index.name, tuple(k for k in (index.hash_key, index.range_key) if k))
        for index in TABLE.indexes
    )


def read_units(size: int, consistent: bool) -> float:
    """One unit per started 4 KB strongly consistent, half that eventually consistent; even a
    missing item costs the minimum."""
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


def index_write_units(before: Item | None, after: Item | None, indexes: Sequence[IndexKeys]) -> int:
    """Write units a change costs in global secondary indexes that project every attribute:
    an item carrying all of an index's key attributes is in that index. Entering or leaving
    costs one write of the item; a changed index key costs a delete and a put; staying in the
    index with other attributes changed costs one write (all attributes are projected)."""
    units = 0
    for index in indexes:
        was = before is not None and all(key in before for key in index.keys)
        is_ = after is not None and all(key in after for key in index.keys)
        if was and is_:
            assert before is not None and after is not None
            if any(before[key] != after[key] for key in index.keys):
                units += kilobytes(item_size(before)) + kilobytes(item_size(after))
            elif before != after:
                units += kilobytes(item_size(after))
        elif was:
            assert before is not None
            units += kilobytes(item_size(before))
        elif is_:
            assert after is not None
            units += kilobytes(item_size(after))
    return units


def write_units(
    before: Item | None,
    after: Item | None,
    indexes: Sequence[IndexKeys],
    transactional: bool = False,
    condition_check: bool = False,
) -> int:
    """A successful write: the larger of the item before and after, per started KB; twice that
    in a transaction. Index writes follow the standard rule (they are applied after the
    transaction, not inside it: an assumption, see the notes). A ConditionCheck in a
    transaction costs like a write of the item it reads and touches no index."""
    sizes = [item_size(image) for image in (before, after) if image is not None]
    table = kilobytes(max(sizes, default=0))
    if condition_check:
        return 2 * table
    return (2 if transactional else 1) * table + index_write_units(before, after, indexes)


def failed_write_units(before: Item | None, sent: Item | None, transactional: bool) -> int:
    """A write refused by its condition is still billed for the item it looked at; it changes
    no index."""
    sizes = [item_size(image) for image in (before, sent) if image is not None]
    return (2 if transactional else 1) * kilobytes(max(sizes, default=0))


def query_units(reported: float, consistent: bool) -> float:
    """DynamoDB Local reports 0 for a page that found nothing; DynamoDB bills the minimum read
    (an assumption, as for a GetItem of a missing item)."""
    return max(reported, 1.0 if consistent else 0.5)


# --- prices and cost arithmetic (pure) --------------------------------------------------------


@dataclass(frozen=True)
class Prices:
    as_of: str
    status: str
    per_unit: dict[str, dict[str, float]]  # service -> unit -> US$ per one unit
    sources: dict[str, str]
    free: dict[str, dict[str, float]] = field(default_factory=dict)  # always-free, per month

    @classmethod
    def load(cls, path: Path = PRICES_FILE) -> Prices:
        data = json.loads(path.read_text(encoding="utf-8"))
        per_unit: dict[str, dict[str, float]] = {}
        sources: dict[str, str] = {}
        free: dict[str, dict[str, float]] = {}
        for service, entries in data["prices"].items():
            sources[service] = entries.get("source", "")
            per_unit[service] = {
                unit: float(price["usd"]) / float(price["per"])
                for unit, price in entries.items()
                if isinstance(price, dict) and "usd" in price
            }
            free[service] = {k: float(v) for k, v in entries.get("free_per_month", {}).items()}
        return cls(data["as_of"], data["status"], per_unit, sources, free)

    def of(self, service: str, unit: str) -> float:
        return self.per_unit[service][unit]


@dataclass
class Usage:
    """Billable units of a whole run (not yet per ticket)."""

    tickets: int
    api_requests: int = 0
    lambda_invocations: int = 0
    lambda_gb_seconds: float = 0.0
    dynamodb_requests: int = 0
    write_request_units: float = 0.0
    read_request_units: float = 0.0
    stepfunctions_requests: int = 0
    state_transitions: int = 0
    s3_put: int = 0
    s3_get: int = 0
    ses_messages: int = 0
    sqs_requests: int = 0


@dataclass(frozen=True)
class Line:
    service: str
    billed: str  # what the service bills, in words
    requests: float  # per 1,000 tickets
    units: dict[str, float]  # billed units per 1,000 tickets
    usd: float  # per 1,000 tickets


def cost_lines(usage: Usage, prices: Prices, lambda_arch: str = "x86_64") -> list[Line]:
    """US$ and units per 1,000 tickets, one line per service. REST API and x86_64 Lambda are
    what Podium deploys; the alternatives are priced by `alternatives`."""
    if usage.tickets <= 0:
        raise ValueError("no tickets sold: nothing to divide by")
    scale = 1000 / usage.tickets
    p = prices.of

    def per(value: float) -> float:
        return value * scale

    gb_second = p("lambda", f"gb_second_{lambda_arch}")
    return [
        Line(
            "dynamodb",
            "request units",
            per(usage.dynamodb_requests),
            {
                "write_request_units": per(usage.write_request_units),
                "read_request_units": per(usage.read_request_units),
            },
            per(
                usage.write_request_units * p("dynamodb", "write_request_unit")
                + usage.read_request_units * p("dynamodb", "read_request_unit")
            ),
        ),
        Line(
            "stepfunctions",
            "state transitions (Standard)",
            per(usage.stepfunctions_requests),
            {"state_transitions": per(usage.state_transitions)},
            per(usage.state_transitions * p("stepfunctions", "standard_state_transition")),
        ),
        Line(
            "lambda",
            f"invocations + GB-s ({lambda_arch})",
            per(usage.lambda_invocations),
            {
                "invocations": per(usage.lambda_invocations),
                "gb_seconds": per(usage.lambda_gb_seconds),
            },
            per(
                usage.lambda_invocations * p("lambda", "request")
                + usage.lambda_gb_seconds * gb_second
            ),
        ),
        Line(
            "apigateway",
            "REST API requests",
            per(usage.api_requests),
            {"requests": per(usage.api_requests)},
            per(usage.api_requests * p("apigateway", "rest_api_request")),
        ),
        Line(
            "s3",
            "PUT and GET requests",
            per(usage.s3_put + usage.s3_get),
            {"put": per(usage.s3_put), "get": per(usage.s3_get)},
            per(usage.s3_put * p("s3", "put_request") + usage.s3_get * p("s3", "get_request")),
        ),
        Line(
            "ses",
            "messages",
            per(usage.ses_messages),
            {"messages": per(usage.ses_messages)},
            per(usage.ses_messages * p("ses", "outbound_message")),
        ),
        Line(
            "sqs",
            "requests",
            per(usage.sqs_requests),
            {"requests": per(usage.sqs_requests)},
            per(usage.sqs_requests * p("sqs", "standard_request")),
        ),
    ]


def alternatives(usage: Usage, prices: Prices) -> dict[str, float]:
    """US$ per 1,000 tickets saved by cheaper options of the same services."""
    scale = 1000 / usage.tickets
    rest, http = (
        prices.of("apigateway", "rest_api_request"),
        prices.of("apigateway", "http_api_request"),
    )
    x86, arm = prices.of("lambda", "gb_second_x86_64"), prices.of("lambda", "gb_second_arm64")
    return {
        "saved_with_http_api": usage.api_requests * (rest - http) * scale,
        "saved_with_arm64_lambda": usage.lambda_gb_seconds * (x86 - arm) * scale,
    }


def raw_write_baseline(wru_per_ticket: float, prices: Prices) -> float:
    """US$ per 1,000 tickets if a ticket were one plain DynamoDB write and nothing else."""
    return 1000 * wru_per_ticket * prices.of("dynamodb", "write_request_unit")


# --- metering ---------------------------------------------------------------------------------

_thread = threading.local()


def caller() -> str:
    """Who makes a call in this thread: "api" (the API Lambda), "task" (the checkout task
    Lambda), "bench" (this benchmark: never counted), or, for threads nobody marked, Step
    Functions' own integrations (moto's ASL interpreter calling Lambda, SQS)."""
    return getattr(_thread, "caller", "stepfunctions")


@contextlib.contextmanager
def acting_as(name: str) -> Iterator[None]:
    previous = getattr(_thread, "caller", None)
    _thread.caller = name
    try:
        yield
    finally:
        if previous is None:
            del _thread.caller
        else:
            _thread.caller = previous


def step() -> str:
    """The route (API) or saga step (task) this thread is serving, for the breakdown."""
    return str(getattr(_thread, "step", "-"))


def bookkeeping_seconds() -> float:
    """Time this thread spent on the meter's own reads: taken off the handlers' durations."""
    return float(getattr(_thread, "bookkeeping", 0.0))


@dataclass
class DynamoCall:
    operation: str
    caller: str
    step: str
    read_units: float
    write_units: float  # what is billed: DynamoDB Local's figure or the rule, see `source`
    source: str  # "local" or "rule"
    rule_write_units: float | None  # the rule, also for plain writes: a cross-check
    local_write_units: float | None  # what DynamoDB Local said
    failed: bool = False


@dataclass
class Invocation:
    function: str
    label: str  # the route or the saga step
    seconds: float


@dataclass
class Meter:
    """Counts what the app asks of AWS while `active`. Thread-safe: the API server, moto's
    request threads and the saga's worker threads all call in."""

    indexes: tuple[IndexKeys, ...]
    active: bool = False
    requests: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    dynamodb: list[DynamoCall] = field(default_factory=list)
    invocations: list[Invocation] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _original: Any = None

    # installing -------------------------------------------------------------------------------

    def install(self) -> None:
        from botocore.client import BaseClient

        # botocore's private dispatch, which every client's call goes through: not in its stubs.
        self._original = BaseClient._make_api_call  # type: ignore[attr-defined]
        meter = self

        def counted(client: Any, operation: str, params: dict[str, Any]) -> Any:
            return meter._call(client, operation, params)

        BaseClient._make_api_call = counted  # type: ignore[attr-defined]  # as in install()

    def uninstall(self) -> None:
        from botocore.client import BaseClient

        if self._original is not None:
            BaseClient._make_api_call = self._original  # type: ignore[attr-defined]  # install()
            self._original = None

    # recording --------------------------------------------------------------------------------

    def count(self, service: str, operation: str, who: str) -> None:
        with self._lock:
            self.requests[(service, operation, who)] += 1

    def invoked(self, function: str, label: str, seconds: float) -> None:
        if self.active:
            with self._lock:
                self.invocations.append(Invocation(function, label, seconds))

    def _call(self, client: Any, operation: str, params: dict[str, Any]) -> Any:
        who = caller()
        if not self.active or who == "bench":
            return self._original(client, operation, params)
        service = client.meta.service_model.service_name
        self.count(service, operation, who)
        if service != "dynamodb" or operation not in CAPACITY_OPERATIONS:
            return self._original(client, operation, params)
        return self._dynamodb_call(client, operation, params, who)

    # DynamoDB ---------------------------------------------------------------------------------

    def _dynamodb_call(self, client: Any, operation: str, params: dict[str, Any], who: str) -> Any:
        from botocore.exceptions import ClientError

        asked = "ReturnConsumedCapacity" in params
        if not asked:
            params = {**params, "ReturnConsumedCapacity": "INDEXES"}
        targets = write_targets(operation, params) if operation in WRITE_OPERATIONS else []
        before = [self._image(client, table, key) for table, key, _, _ in targets]
        try:
            response = self._original(client, operation, params)
        except ClientError:
            units: float = sum(
                failed_write_units(image, sent, operation == "TransactWriteItems")
                for image, (_, _, sent, _) in zip(before, targets, strict=True)
            )
            self._record(DynamoCall(operation, who, step(), 0.0, units, "rule", units, None, True))
            raise
        after = [
            None if action == "Delete" else self._image(client, table, key)
            for table, key, _, action in targets
        ]
        local = _consumed(response.get("ConsumedCapacity"))
        if not asked:
            response.pop("ConsumedCapacity", None)  # the app sees what it asked for
        if operation in WRITE_OPERATIONS:
            transactional = operation == "TransactWriteItems"
            rule = sum(
                write_units(
                    pre,
                    post,
                    self.indexes,
                    transactional=transactional,
                    condition_check=action == "ConditionCheck",
                )
                for pre, post, (_, _, _, action) in zip(before, after, targets, strict=True)
            )
            # DynamoDB Local gets plain writes right and transactions wrong (bench/holds.py).
            billed, source = (rule, "rule") if transactional else (local, "local")
            call = DynamoCall(operation, who, step(), 0.0, billed, source, rule, local)
        else:
            units = self._read_units(operation, params, response, local)
            call = DynamoCall(operation, who, step(), units, 0.0, "local", None, None)
        self._record(call)
        return response

    def _read_units(
        self, operation: str, params: dict[str, Any], response: dict[str, Any], local: float
    ) -> float:
        if operation == "TransactGetItems":  # computed: 2 units per started 4 KB per item
            return sum(
                2 * read_units(item_size(entry.get("Item") or {}), consistent=True)
                for entry in response.get("Responses", [])
            )
        if operation in PAGE_READS:
            return query_units(local, bool(params.get("ConsistentRead")))
        return local

    def _image(self, client: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """The item as it is now, read outside the count, its time kept off the handler's."""
        started = time.perf_counter()
        try:
            answer = self._original(
                client, "GetItem", {"TableName": table, "Key": key, "ConsistentRead": True}
            )
            return answer.get("Item")
        finally:
            _thread.bookkeeping = bookkeeping_seconds() + time.perf_counter() - started

    def _record(self, call: DynamoCall) -> None:
        with self._lock:
            self.dynamodb.append(call)


def write_targets(
    operation: str, params: Mapping[str, Any]
) -> list[tuple[str, dict[str, Any], dict[str, Any] | None, str]]:
    """(table, key, item sent or None, action) for every item a write request touches."""
    key_names = ("pk", "sk")  # chalicelib/store/schema.py: TABLE.hash_key, TABLE.range_key

    def key_of(item: Mapping[str, Any]) -> dict[str, Any]:
        return {name: item[name] for name in key_names if name in item}

    if operation == "PutItem":
        return [(params["TableName"], key_of(params["Item"]), dict(params["Item"]), "Put")]
    if operation in ("UpdateItem", "DeleteItem"):
        action = operation.removesuffix("Item")
        return [(params["TableName"], dict(params["Key"]), None, action)]
    targets: list[tuple[str, dict[str, Any], dict[str, Any] | None, str]] = []
    if operation == "BatchWriteItem":
        for table, requests in params["RequestItems"].items():
            for request in requests:
                if "PutRequest" in request:
                    item = request["PutRequest"]["Item"]
                    targets.append((table, key_of(item), dict(item), "Put"))
                else:
                    targets.append((table, dict(request["DeleteRequest"]["Key"]), None, "Delete"))
        return targets
    for entry in params["TransactItems"]:  # TransactWriteItems
        ((action, body),) = entry.items()
        item = body.get("Item")
        key = key_of(item) if item is not None else dict(body["Key"])
        targets.append((body["TableName"], key, dict(item) if item else None, action))
    return targets


def _consumed(consumed: Any) -> float:
    if not consumed:
        return 0.0
    entries = consumed if isinstance(consumed, list) else [consumed]
    return float(sum(entry.get("CapacityUnits", 0.0) for entry in entries))


class TimedApp:
    """Stands in for the Chalice app in the local API Gateway: each call is one API Lambda
    invocation, timed. Everything else is the app's own."""

    def __init__(self, app: Any, meter: Meter) -> None:
        self._app = app
        self._meter = meter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        context_of = event.get("requestContext") or {}
        route = f"{context_of.get('httpMethod')} {context_of.get('resourcePath')}"
        with timed_invocation(self._meter, API_FUNCTION, route, "api"):
            return self._app(event, context)


@contextlib.contextmanager
def timed_invocation(meter: Meter, function: str, label: str, who: str) -> Iterator[None]:
    with acting_as(who):
        started, bookkeeping = time.perf_counter(), bookkeeping_seconds()
        _thread.step = label
        try:
            yield
        finally:
            del _thread.step
            own = bookkeeping_seconds() - bookkeeping
            meter.invoked(function, label, time.perf_counter() - started - own)


# --- the buyer --------------------------------------------------------------------------------


class Buyer:
    """The webshop's requests, over HTTP to the local API (tests/e2e/test_checkout.py)."""

    def __init__(self, base: str) -> None:
        self.base = base

    def call(
        self, method: str, path: str, body: Any = None, expect: int = 200, **headers: str
    ) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        if status != expect:
            raise RuntimeError(f"{method} {path}: {status} {raw[:300]!r}")
        return json.loads(raw) if raw else None


@dataclass
class Sold:
    order_id: str
    tickets: int


def buy(
    buyer: Buyer,
    stack: Any,
    machine_arn: str,
    meter: Meter,
    performance: str,
    seats: list[str],
    client: str,
    executions: list[str],
) -> Sold:
    """One complete checkout, as the buyer and Stripe do it. The saga's execution is added to
    `executions` as soon as it exists, so that a failed order's transitions count too."""
    from local import stepfunctions

    hold = buyer.call(
        "POST",
        f"/v1/performances/{performance}/holds",
        {"seats": seats},
        201,
        **{"X-Client-Id": client},
    )
    order = buyer.call(
        "POST",
        "/v1/orders",
        {
            "hold_id": hold["hold_id"],
            "hold_token": hold["hold_token"],
            "lines": [{"seat": seat["id"], "tariff": "standaard"} for seat in hold["seats"]],
            "customer": {"name": "An Peeters", "email": "an@example.be", "language": "nl"},
            "consents": {"newsletter_house": True},
        },
        201,
    )
    stack.stripe.pay(order["payment_url"].rsplit("/", 1)[-1])  # the webhook follows
    execution = f"{machine_arn.replace(':stateMachine:', ':execution:')}:{order['order_id']}"
    executions.append(execution)
    ended = stepfunctions.wait_for_execution(execution, timeout=ORDER_TIMEOUT, poll=0.02)
    if ended["status"] != "SUCCEEDED":
        raise RuntimeError(f"saga of {order['order_id']} ended {ended['status']}")
    if not stack.stripe.drain(ORDER_TIMEOUT):  # the webhook's Lambda must be done too
        raise RuntimeError("Stripe webhook deliveries did not finish")
    # The return page (webshop/order.js), which finds the order completed in one look here;
    # each further look of its 1.5 s poll costs one more (per_order.by_step shows how much).
    view = buyer.call(
        "GET", f"/v1/orders/{order['order_id']}", **{"X-Order-Token": order["access_token"]}
    )
    if view["status"] != "completed":
        raise RuntimeError(f"order {order['order_id']} is {view['status']}")
    with urllib.request.urlopen(view["pdf_url"], timeout=HTTP_TIMEOUT) as pdf:
        if pdf.read(5) != b"%PDF-":
            raise RuntimeError("the ticket PDF is not a PDF")
    if meter.active:  # a presigned GET: S3 bills it, botocore never sees it
        meter.count("s3", "GetObject", "buyer")
    return Sold(order["order_id"], len(view["tickets"]))


# --- the run ----------------------------------------------------------------------------------


def memory_mb(stage: str, function: str) -> int:
    """The memory Chalice deploys `function` with in `stage` (its default is 128 MB)."""
    config = json.loads(CHALICE_CONFIG.read_text(encoding="utf-8"))
    stage_config = config.get("stages", {}).get(stage, {})
    for scope in (
        stage_config.get("lambda_functions", {}).get(function, {}),
        stage_config,
        config.get("lambda_functions", {}).get(function, {}),
        config,
    ):
        if "lambda_memory_size" in scope:
            return int(scope["lambda_memory_size"])
    return 128


def measure(orders: int, concurrency: int, stage: str) -> dict[str, Any]:
    from local.stack import LocalStack, free_port

    saved = dict(os.environ)
    port = free_port()
    stack = LocalStack(public_url=f"http://127.0.0.1:{port}")
    stack.start()
    try:
        return _measure_on(stack, port, orders, concurrency, stage)
    finally:
        from local import stepfunctions

        stepfunctions.set_retry_interval_scale(1.0)
        stepfunctions.uninstall_inprocess_lambda_runner()
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)
        _reset_app_caches()


def _reset_app_caches() -> None:
    """Connections and composed services hold clients bound to the stack's endpoints."""
    if "chalicelib.bootstrap" not in sys.modules:
        return
    from local.stack import forget_app_clients

    forget_app_clients()


def _measure_on(stack: Any, port: int, orders: int, concurrency: int, stage: str) -> dict[str, Any]:
    from local import stepfunctions
    from local.server import make_server
    from local.stack import CHECKOUT_FUNCTION

    # As the e2e test: ASL retry waits of seconds become ms (the happy path has none).
    stepfunctions.set_retry_interval_scale(0.05)
    from app import app

    _reset_app_caches()
    meter = Meter(indexes=table_indexes())

    def checkout_task(event: Any, context: Any) -> Any:
        from chalicelib.orders.tasks import handle

        label = str(event.get("task")) if isinstance(event, dict) else "?"
        with timed_invocation(meter, TASK_FUNCTION, label, "task"):
            return handle(event, context)

    # Replaces the stack's registration of the same handler with a timed one.
    stepfunctions.install_inprocess_lambda_runner({CHECKOUT_FUNCTION: checkout_task})

    server = make_server(app, "127.0.0.1", port)
    handler = server.RequestHandlerClass
    server.RequestHandlerClass = partial(
        handler.func, *handler.args, **{**handler.keywords, "app_object": TimedApp(app, meter)}
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    buyer = Buyer(f"http://127.0.0.1:{port}")
    meter.install()
    try:
        with acting_as("bench"):
            return _run(stack, buyer, meter, orders, concurrency, stage)
    finally:
        meter.active = False
        meter.uninstall()
        server.shutdown()
        server.server_close()


def _run(
    stack: Any, buyer: Buyer, meter: Meter, orders: int, concurrency: int, stage: str
) -> dict[str, Any]:
    from local import stepfunctions
    from tests.inventory_fixtures import new_performance

    now = datetime.now(UTC)
    baskets: list[tuple[str, list[str]]] = []
    while len(baskets) < WARMUP_ORDERS + orders:
        performance = new_performance(
            starts_at=now + timedelta(days=20), sales_opens_at=now - timedelta(days=1)
        )
        baskets += [(performance, pair) for pair in SEAT_PAIRS]
    machine = stack.state_machine_arn

    executions: list[str] = []  # of the counted orders

    def one(index: int, executions: list[str]) -> Sold:
        with acting_as("bench"):
            performance, seats = baskets[index]
            client = f"bench-buyer-{index}"
            return buy(buyer, stack, machine, meter, performance, seats, client, executions)

    for index in range(WARMUP_ORDERS):  # imports, connections, warm caches: not counted
        one(index, [])

    errors: list[str] = []
    sold: list[Sold] = []

    def counted(index: int) -> None:
        try:
            sold.append(one(index, executions))
        except Exception as error:  # reported, never hidden in the per-ticket figures
            errors.append(f"{type(error).__name__}: {error}")

    meter.active = True
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(counted, range(WARMUP_ORDERS, WARMUP_ORDERS + orders)))
    stack.stripe.drain(ORDER_TIMEOUT)
    seconds = time.perf_counter() - started
    meter.active = False

    transitions: Counter[str] = Counter()
    per_execution: list[int] = []
    for execution in executions:
        entered = [
            event
            for event in stepfunctions.execution_history(execution)
            if event["type"].endswith("StateEntered")
        ]
        per_execution.append(len(entered))
        transitions.update(event["stateEnteredEventDetails"]["name"] for event in entered)

    baseline = _raw_write_baseline(sold)
    result = _result(
        meter,
        sold,
        errors,
        per_execution,
        transitions,
        baseline,
        orders,
        concurrency,
        stage,
        seconds,
    )
    result["stored_per_order"] = _stored_per_order(sold)
    return result


def _stored_per_order(sold: list[Sold]) -> dict[str, float]:
    """What a completed order leaves stored, for the monthly model (bench/cost_model.py): the
    items of its partition (order, tickets, payment records...) by DynamoDB's size rule, and its
    PDF in the tickets bucket. Seat items live in the performances' partitions (223 bytes each,
    docs/scaling.md) and are not in this figure."""
    import boto3

    from chalicelib.core.config import settings
    from chalicelib.store import keys

    if not sold:
        return {}
    client = boto3.client("dynamodb")
    items = 0
    size = 0
    for order in sold:
        pages = client.get_paginator("query").paginate(
            TableName=settings().table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": keys.order_pk(order.order_id)}},
        )
        for page in pages:
            items += len(page["Items"])
            size += sum(item_size(item) for item in page["Items"])
    s3 = boto3.client("s3")
    objects = [
        entry
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=settings().tickets_bucket)
        for entry in page.get("Contents", [])
    ]
    pdf_bytes = sum(entry["Size"] for entry in objects) / max(1, len(objects))
    return {
        "order_partition_items": round(items / len(sold), 2),
        "order_partition_bytes": round(size / len(sold)),
        "pdf_bytes": round(pdf_bytes),
    }


def _raw_write_baseline(sold: list[Sold]) -> dict[str, Any]:
    """One plain PutItem per ticket of a real ticket item under a fresh key: what a ticket
    would cost if selling it were a single DynamoDB write and nothing else."""
    import boto3

    from chalicelib.core.config import settings
    from chalicelib.store import keys

    if not sold:
        return {"writes": 0, "write_request_units": 0.0, "item_bytes": 0}
    client = boto3.client("dynamodb")
    table = settings().table_name
    ticket = client.get_item(
        TableName=table,
        Key={"pk": {"S": keys.order_pk(sold[0].order_id)}, "sk": {"S": keys.ticket_sk(0)}},
        ConsistentRead=True,
    )["Item"]
    units = 0.0
    writes = sum(order.tickets for order in sold)
    for index in range(writes):
        item = {**ticket, "pk": {"S": f"BENCH#RAW#{index}"}}
        answer = client.put_item(TableName=table, Item=item, ReturnConsumedCapacity="TOTAL")
        units += float(answer["ConsumedCapacity"]["CapacityUnits"])
    return {"writes": writes, "write_request_units": units, "item_bytes": item_size(ticket)}


# --- the figures ------------------------------------------------------------------------------


def _result(
    meter: Meter,
    sold: list[Sold],
    errors: list[str],
    per_execution: list[int],
    transitions: Counter[str],
    baseline: dict[str, Any],
    orders: int,
    concurrency: int,
    stage: str,
    seconds: float,
) -> dict[str, Any]:
    prices = Prices.load()
    tickets = sum(order.tickets for order in sold)
    done = len(sold)
    memory = {
        API_FUNCTION: memory_mb(stage, API_FUNCTION),
        TASK_FUNCTION: memory_mb(stage, TASK_FUNCTION),
    }
    requests = meter.requests
    by_service: Counter[str] = Counter()
    for (service, _, _), n in requests.items():
        by_service[service] += n

    def calls(service: str, *operations: str) -> int:
        return sum(n for (s, op, _), n in requests.items() if s == service and op in operations)

    gb_seconds = sum(billed_gb_seconds(i, memory) for i in meter.invocations)
    usage = Usage(
        tickets=tickets,
        api_requests=sum(1 for i in meter.invocations if i.function == API_FUNCTION),
        lambda_invocations=len(meter.invocations),
        lambda_gb_seconds=gb_seconds,
        dynamodb_requests=by_service["dynamodb"],
        write_request_units=sum(c.write_units for c in meter.dynamodb),
        read_request_units=sum(c.read_units for c in meter.dynamodb),
        # The Lambda Invoke calls of Step Functions' integration are the task's invocations,
        # priced under Lambda; GetExecutionHistory and the like are the benchmark's own.
        stepfunctions_requests=by_service["stepfunctions"],
        state_transitions=sum(per_execution),
        s3_put=calls("s3", "PutObject", "CopyObject", "PostObject", "ListObjectsV2"),
        s3_get=calls("s3", "GetObject", "HeadObject"),
        ses_messages=calls("ses", "SendEmail", "SendRawEmail") + calls("sesv2", "SendEmail"),
        sqs_requests=by_service["sqs"],
    )
    if not tickets:
        return {
            "orders": orders,
            "completed_orders": 0,
            "errors": errors,
            "usd_per_1000_tickets": None,
        }
    lines = cost_lines(usage, prices)
    total = sum(line.usd for line in lines)
    baseline_usd = (
        raw_write_baseline(baseline["write_request_units"] / baseline["writes"], prices)
        if baseline["writes"]
        else None
    )
    ranked = sorted(lines, key=lambda line: line.usd, reverse=True)
    return {
        "backend": "local stack in-process: DynamoDB Local, moto (real ASL, in-process Lambda "
        "task), Stripe double",
        "orders": orders,
        "completed_orders": done,
        "tickets": tickets,
        "tickets_per_order": TICKETS_PER_ORDER,
        "warmup_orders": WARMUP_ORDERS,
        "concurrency": concurrency,
        "seconds": round(seconds, 2),
        "errors": errors,
        "usd_per_1000_tickets": round(total, 6),
        "goal_usd_per_1000_tickets": GOAL_USD_PER_1000_TICKETS,
        "goal_met": total < GOAL_USD_PER_1000_TICKETS,
        "dominated_by": [line.service for line in ranked[:3]],
        "breakdown": {
            line.service: {
                "billed": line.billed,
                "requests_per_1000_tickets": round(line.requests, 2),
                "units_per_1000_tickets": {k: round(v, 3) for k, v in line.units.items()},
                "usd_per_1000_tickets": round(line.usd, 6),
                "share": round(line.usd / total, 4) if total else 0.0,
            }
            for line in lines
        },
        "baseline": {
            "what": "one plain DynamoDB PutItem of a real ticket item per ticket, nothing else "
            "(no API, no Lambda, no saga, no mail)",
            "item_bytes": baseline["item_bytes"],
            "write_request_units_per_ticket": round(
                baseline["write_request_units"] / max(1, baseline["writes"]), 3
            ),
            "usd_per_1000_tickets": round(baseline_usd, 6) if baseline_usd else None,
        },
        "ratio_to_baseline": round(total / baseline_usd, 1) if baseline_usd else None,
        "alternatives_usd_per_1000_tickets": {
            k: round(v, 6) for k, v in alternatives(usage, prices).items()
        },
        "per_order": _per_order(meter, done, tickets, per_execution, transitions, memory, prices),
        "lambda_memory_mb": memory,
        "stage": stage,
        "prices": {
            "file": str(PRICES_FILE.relative_to(ROOT)),
            "as_of": prices.as_of,
            "status": prices.status,
        },
        "excluded": [
            "Stripe's fees (and Stripe API calls, which are free)",
            "Lambda cold starts (INIT is billed since August 2025) and CloudWatch Logs "
            "ingestion of the functions' logs",
            "browsing before the hold (catalogue from S3/CloudFront, the seat plan GET) and "
            "further 1.5 s polls of the return page",
            "data transfer out, storage (DynamoDB, S3), DynamoDB Streams, KMS, Secrets Manager, "
            "the reconciler's 5-minute schedule (a fixed monthly cost, not per ticket)",
            "free tiers",
        ],
        "assumptions": [
            "a transaction's GSI writes are billed at the standard 1 unit per KB (the index is "
            "updated after the transaction, outside it)",
            "a Query page that finds nothing is billed the minimum read (1 unit strongly "
            "consistent, 0.5 eventually); DynamoDB Local reports 0",
            "Lambda duration = the handler's measured wall time on this machine against local "
            "backends, rounded up to 1 ms; the API and task functions at the stage's memory",
            "one Lambda invocation and one REST API request per HTTP request to /v1/*",
        ],
    }


def billed_gb_seconds(invocation: Invocation, memory: Mapping[str, int]) -> float:
    """Lambda bills duration rounded up to the millisecond, times the configured memory."""
    return math.ceil(invocation.seconds * 1000) / 1000 * memory[invocation.function] / 1024


def _per_order(
    meter: Meter,
    orders: int,
    tickets: int,
    per_execution: list[int],
    transitions: Counter[str],
    memory: dict[str, int],
    prices: Prices,
) -> dict[str, Any]:
    if not orders:
        return {}

    def per(value: float) -> float:
        return round(value / orders, 3)

    requests: dict[str, dict[str, float]] = defaultdict(dict)
    for (service, operation, who), n in sorted(meter.requests.items()):
        requests[service][f"{operation} ({who})"] = per(n)
    dynamo_ops: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for call in meter.dynamodb:
        entry = dynamo_ops[call.operation]
        entry["requests"] += 1
        entry["write_units"] += call.write_units
        entry["read_units"] += call.read_units
    plain = [c for c in meter.dynamodb if c.source == "local" and c.rule_write_units is not None]
    return {
        "aws_requests": dict(requests),
        "dynamodb_by_operation": {
            op: {k: per(v) for k, v in values.items()} for op, values in sorted(dynamo_ops.items())
        },
        "dynamodb_write_units_check": {
            "plain_writes": len(plain),
            "reported_by_local": round(sum(c.local_write_units or 0 for c in plain), 1),
            "by_the_rule": round(sum(c.rule_write_units or 0 for c in plain), 1),
        },
        "dynamodb_failed_requests": per(sum(1 for c in meter.dynamodb if c.failed)),
        "state_transitions": per(sum(per_execution)),
        "state_transitions_min_max": [min(per_execution), max(per_execution)]
        if per_execution
        else None,
        "states_entered": {name: per(n) for name, n in transitions.items()},
        "lambda": {
            function: {
                "memory_mb": memory[function],
                "invocations": per(sum(1 for i in meter.invocations if i.function == function)),
            }
            for function in (API_FUNCTION, TASK_FUNCTION)
        },
        "by_step": _by_step(meter, orders, tickets, memory, prices),
    }


def _by_step(
    meter: Meter, orders: int, tickets: int, memory: Mapping[str, int], prices: Prices
) -> dict[str, dict[str, Any]]:
    """Each API route and saga step: its invocations, time, DynamoDB units and what those cost
    (API Gateway + Lambda + DynamoDB) per 1,000 tickets. S3, SES and Step Functions are not
    split by step."""
    steps: dict[str, dict[str, Any]] = {}
    for invocation in meter.invocations:
        entry = steps.setdefault(
            invocation.label,
            {"function": invocation.function, "n": 0, "seconds": 0.0, "gb_seconds": 0.0},
        )
        entry["n"] += 1
        entry["seconds"] += invocation.seconds
        entry["gb_seconds"] += billed_gb_seconds(invocation, memory)
    result = {}
    for label, entry in sorted(steps.items()):
        calls = [c for c in meter.dynamodb if c.step == label]
        wru = sum(c.write_units for c in calls)
        rru = sum(c.read_units for c in calls)
        usd = (
            entry["n"] * prices.of("lambda", "request")
            + entry["gb_seconds"] * prices.of("lambda", "gb_second_x86_64")
            + wru * prices.of("dynamodb", "write_request_unit")
            + rru * prices.of("dynamodb", "read_request_unit")
        )
        if entry["function"] == API_FUNCTION:
            usd += entry["n"] * prices.of("apigateway", "rest_api_request")
        result[label] = {
            "function": entry["function"],
            "invocations_per_order": round(entry["n"] / orders, 3),
            "mean_ms": round(entry["seconds"] * 1000 / entry["n"], 1),
            "dynamodb_requests_per_order": round(len(calls) / orders, 3),
            "write_units_per_order": round(wru / orders, 3),
            "read_units_per_order": round(rru / orders, 3),
            "usd_per_1000_tickets": round(usd * 1000 / tickets, 6),
        }
    return result


def table(result: dict[str, Any]) -> str:
    if not result.get("tickets"):
        return f"No order completed: {result.get('errors')}"
    breakdown = result["breakdown"]
    total = result["usd_per_1000_tickets"]
    lines = [
        f"Checkout cost: {result['completed_orders']} of {result['orders']} orders completed "
        f"({result['tickets']} tickets, {result['tickets_per_order']} per order), "
        f"concurrency {result['concurrency']}, {result['seconds']} s, "
        f"+{result['warmup_orders']} warm-up orders not counted",
        f"Prices: {result['prices']['file']}, eu-west-1 list prices as of "
        f"{result['prices']['as_of']} (re-check them). Stripe's fees excluded.",
        "",
        f"{'service':<15}{'billed':<30}{'requests/1k tickets':>21}{'US$/1k tickets':>16}"
        f"{'share':>8}",
    ]
    for service, line in sorted(
        breakdown.items(), key=lambda item: item[1]["usd_per_1000_tickets"], reverse=True
    ):
        lines.append(
            f"{service:<15}{line['billed']:<30}{line['requests_per_1000_tickets']:>21,.1f}"
            f"{line['usd_per_1000_tickets']:>16.5f}{line['share']:>8.1%}"
        )
    lines += [
        f"{'total':<45}{'':>21}{total:>16.5f}",
        "",
        "Billed units per 1,000 tickets:",
    ]
    for service, line in breakdown.items():
        units = ", ".join(f"{k} {v:,.1f}" for k, v in line["units_per_1000_tickets"].items())
        lines.append(f"  {service:<14}{units}")
    base = result["baseline"]
    alt = result["alternatives_usd_per_1000_tickets"]
    goal = result["goal_usd_per_1000_tickets"]
    verdict = "met" if result["goal_met"] else "NOT met"
    lines += [
        "",
        f"Baseline, {base['what']}: {base['write_request_units_per_ticket']:g} WRU per ticket "
        f"({base['item_bytes']} bytes), US$ {base['usd_per_1000_tickets']:.6f} per 1,000 "
        f"tickets. Ratio checkout/baseline: {result['ratio_to_baseline']:,.1f}x",
        f"Goal < US$ {goal:.2f} per 1,000 tickets: {verdict} (US$ {total:.4f}); dominated by "
        f"{', '.join(result['dominated_by'])}",
        f"Cheaper options: HTTP API instead of REST saves US$ {alt['saved_with_http_api']:.5f}, "
        f"arm64 Lambda saves US$ {alt['saved_with_arm64_lambda']:.5f} per 1,000 tickets",
        "",
    ]
    per_order = result["per_order"]
    lines.append("Per order:")
    for service, operations in per_order["aws_requests"].items():
        text = ", ".join(f"{op} {n:g}" for op, n in operations.items())
        lines.append(f"  {service:<14}{text}")
    dynamo = ", ".join(
        f"{op} {v['requests']:g} req/{v['write_units']:g} WRU/{v['read_units']:g} RRU"
        for op, v in per_order["dynamodb_by_operation"].items()
    )
    check = per_order["dynamodb_write_units_check"]
    lines += [
        f"  DynamoDB units by operation: {dynamo}",
        f"  Plain writes, whole run: DynamoDB Local reports {check['reported_by_local']:g} WRU, "
        f"the rule says {check['by_the_rule']:g} (transactions use the rule; a gap comes from "
        "the API and the saga updating the same order at once: the rule's before-image is then "
        "read a moment early)",
        f"  Step Functions: {per_order['state_transitions']:g} state transitions per execution "
        f"(min, max {per_order['state_transitions_min_max']}): "
        + ", ".join(f"{k} {v:g}" for k, v in per_order["states_entered"].items()),
    ]
    lambdas = ", ".join(
        f"{name} {info['invocations']:g} invocations at {info['memory_mb']} MB"
        for name, info in per_order["lambda"].items()
    )
    lines += [
        f"  Lambda: {lambdas}",
        "",
        "By route and saga step (API Gateway + Lambda + DynamoDB; S3, SES, Step Functions "
        "not split):",
        f"  {'step':<46}{'calls/order':>12}{'mean ms':>9}{'WRU/order':>11}{'RRU/order':>11}"
        f"{'US$/1k tickets':>16}",
    ]
    for label, info in sorted(
        per_order["by_step"].items(), key=lambda item: item[1]["usd_per_1000_tickets"], reverse=True
    ):
        lines.append(
            f"  {label:<46}{info['invocations_per_order']:>12g}{info['mean_ms']:>9.1f}"
            f"{info['write_units_per_order']:>11g}{info['read_units_per_order']:>11g}"
            f"{info['usd_per_1000_tickets']:>16.5f}"
        )
    if result["errors"]:
        lines += ["", f"{len(result['errors'])} orders failed; first: {result['errors'][0]}"]
    lines += ["", "Excluded: " + "; ".join(result["excluded"]) + "."]
    lines += ["Assumptions: " + "; ".join(result["assumptions"]) + "."]
    return "\n".join(lines)


def small(text: str) -> int:
    """Small concurrency only: moto's Lambda runs the saga's tasks of all executions, and
    more at once would measure waiting on the local stack, not the app."""
    value = positive(text)
    if value > MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"at most {MAX_CONCURRENCY}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.checkout_cost",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--orders", type=positive, default=20, help="counted 2-ticket orders")
    parser.add_argument(
        "--concurrency", type=small, default=1, help=f"orders at a time (1-{MAX_CONCURRENCY})"
    )
    parser.add_argument("--stage", default="dev", help="Chalice stage for the memory sizes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = measure(args.orders, args.concurrency, args.stage)
    print(json.dumps(result) if args.json else table(result))
    return 0 if result.get("tickets") else 1


if __name__ == "__main__":
    sys.exit(main())
