"""An on-sale peak on the local stack, through the real code path: thousands of buyers join a
waiting room over HTTP (the join is one SQS message), the consumer places them, the draw ranks
the early ones at random, admission runs at the room's rate, and each admitted buyer holds
seats (best available, with the admission token), orders and pays on the Stripe double; the
saga (moto running the real ASL) sells the seats and issues the tickets.

    .venv/bin/python -m bench.onsale [--buyers 5000] [--seats 700] [--basket 1-4]
        [--rate 900] [--early 0.4] [--before 20] [--tail 40] [--give-up 0.1] [--json]

Arrivals: a share (`--early`) arrives in the `--before` seconds before opening (the burst),
the rest in the `--tail` seconds after it. A share of the admitted (`--give-up`) walks away
without claiming their place (abandoned places must not stall admission). Buyers poll their
position as the webshop would, sooner when their turn is near.

Printed: tickets sold, oversold seats and seats in two completed orders (both must be 0), the
share of buyers with a final answer (bought, gave up, or told sold out: must be 1.0), the rank
correlation between arrival and position after opening (FIFO: 1.0) and before it (random: ~0),
p50/p95/p99 of the wait to admission and of the time from admission to a hold, the queue's
peak depth, and the throughput of the local backend measured in the same run (raw SQS sends
and raw conditional DynamoDB writes) with the run's own rates as ratios of it. Figures only:
nothing here asserts on time (bench/README.md).
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

# Buyers' requests in flight at once, per lane: joining and polling, and shopping (admission,
# hold, order, payment, the return page).
QUEUE, SHOP = "queue", "shop"
LANES = {QUEUE: 24, SHOP: 24}
ORDER_TIMEOUT = 120.0  # seconds an order may take to complete before it counts as failed
FINAL = ("bought", "gave_up", "sold_out")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


NO_REDIRECTS = urllib.request.build_opener(_NoRedirect)


# --- one buyer ------------------------------------------------------------------------------


@dataclass
class Buyer:
    index: int
    arrives: float  # seconds after the start of the run
    basket: int
    gives_up: bool
    client: str = field(default_factory=lambda: uuid.uuid4().hex[:24])
    ticket: str = ""
    sent: float = 0.0  # when the join left the buyer: "first come" is first to reach us
    joined: float = 0.0
    position: int | None = None
    admitted: float | None = None
    held: float | None = None
    outcome: str = ""  # bought | gave_up | sold_out | failed: <why>
    tickets: int = 0
    order: dict[str, Any] = field(default_factory=dict)


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
        from tests.e2e.http import call

        return call(self.base, method, path, body, **headers)

    def pay(self, payment_url: str) -> int:
        """Press "pay" on the Stripe double's hosted page; its redirect is not followed."""
        request = urllib.request.Request(
            payment_url,
            data=urllib.parse.urlencode({"action": "pay"}).encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with NO_REDIRECTS.open(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:  # the 303 back to the shop lands here
            return int(error.code)


class Scheduler:
    """Buyers' next steps by due time, each lane run by its own bounded pool of workers: a
    slow checkout must not keep the next arrival from joining, as it would not in life."""

    def __init__(self, lanes: dict[str, int]) -> None:
        self.lanes = lanes
        self.queues: dict[str, list[tuple[float, int, Callable[[], None]]]] = {
            lane: [] for lane in lanes
        }
        self.lock = threading.Condition()
        self.seq = 0
        self.pending = 0  # across lanes: one lane may be idle while the other works
        self.errors: list[str] = []

    def at(self, due: float, step: Callable[[], None], lane: str = QUEUE) -> None:
        with self.lock:
            self.seq += 1
            self.pending += 1
            heapq.heappush(self.queues[lane], (due, self.seq, step))
            self.lock.notify_all()

    def run(self, deadline: float) -> None:
        def worker(queue: list[tuple[float, int, Callable[[], None]]]) -> None:
            while True:
                with self.lock:
                    while True:
                        if not self.pending or time.monotonic() > deadline:
                            self.lock.notify_all()
                            return
                        if queue and queue[0][0] <= time.monotonic():
                            _, _, step = heapq.heappop(queue)
                            break
                        wait = queue[0][0] - time.monotonic() if queue else 0.5
                        self.lock.wait(timeout=max(0.001, min(wait, 0.5)))
                try:
                    step()
                except Exception as error:  # a bug in the simulation, not a buyer's answer
                    self.errors.append(f"{type(error).__name__}: {error}")
                finally:
                    with self.lock:
                        self.pending -= 1
                        self.lock.notify_all()

        threads = [
            threading.Thread(target=worker, args=(self.queues[lane],), daemon=True)
            for lane, workers in self.lanes.items()
            for _ in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class Simulation:
    def __init__(
        self, http: Http, room: str, performance: str, start: float, scheduler: Scheduler
    ) -> None:
        self.http = http
        self.room = room
        self.performance = performance
        self.start = start
        self.scheduler = scheduler

    def now(self) -> float:
        return time.monotonic() - self.start

    def later(self, seconds: float, step: Callable[[], None], lane: str = QUEUE) -> None:
        self.scheduler.at(time.monotonic() + seconds, step, lane)

    def join(self, buyer: Buyer) -> None:
        buyer.sent = self.now()
        status, body = self.http.call(
            "POST",
            f"/v1/waiting-rooms/{self.room}/join",
            {"email": f"buyer{buyer.index}@example.be"},
            **{"X-Client-Id": buyer.client},
        )
        if status != 202:
            buyer.outcome = f"failed: join {status} {body}"
            return
        buyer.ticket, buyer.joined = body["ticket"], self.now()
        self.later(1.0, lambda: self.poll(buyer))

    def poll(self, buyer: Buyer) -> None:
        status, body = self.http.call(
            "GET", f"/v1/waiting-rooms/{self.room}/position?ticket={buyer.ticket}"
        )
        if status != 200:
            buyer.outcome = f"failed: position {status} {body}"
            return
        if body.get("position") is not None:
            buyer.position = body["position"]
        if body.get("sold_out"):
            buyer.outcome = "sold_out"
            return
        state = body["state"]
        if state == "admitted":
            buyer.admitted = self.now()
            if buyer.gives_up:
                buyer.outcome = "gave_up"  # never claims: the place lapses on its own
            else:
                self.later(0, lambda: self.admission(buyer), SHOP)
            return
        if state == "expired":
            buyer.outcome = "failed: admission lapsed"
            return
        # As the webshop polls: when the answer says to (soon near the turn, rarely far from it).
        self.later(float(body["poll_after_seconds"]), lambda: self.poll(buyer))

    def admission(self, buyer: Buyer) -> None:
        status, body = self.http.call(
            "POST",
            f"/v1/waiting-rooms/{self.room}/admission",
            {"ticket": buyer.ticket},
            **{"X-Client-Id": buyer.client},
        )
        if status != 200:
            buyer.outcome = f"failed: admission {status} {body}"
            return
        self.hold(buyer, body["admission_token"], buyer.basket)

    def hold(self, buyer: Buyer, token: str, quantity: int, tries: int = 3) -> None:
        status, body = self.http.call(
            "POST",
            f"/v1/performances/{self.performance}/holds",
            {"quantity": quantity},
            **{"X-Client-Id": buyer.client, "X-Admission-Token": token},
        )
        if status == 201:
            buyer.held = self.now()
            self.order(buyer, body)
            return
        code = (body or {}).get("code")
        if code in ("seats_gone", "seats_taken") and tries > 1:
            # Not enough left together: a person tries fewer, or hears it is sold out.
            _, plan = self.http.call("GET", f"/v1/performances/{self.performance}/seats")
            left = plan["summary"]["free_seats"] if plan else 0
            if left == 0:
                buyer.outcome = "sold_out"
            else:
                self.hold(buyer, token, max(1, min(left, quantity - 1)), tries - 1)
            return
        if code in ("seats_gone", "seats_taken", "not_on_sale"):
            buyer.outcome = "sold_out"
            return
        buyer.outcome = f"failed: hold {status} {code or body}"

    def order(self, buyer: Buyer, hold: dict[str, Any]) -> None:
        status, order = self.http.call(
            "POST",
            "/v1/orders",
            {
                "hold_id": hold["hold_id"],
                "hold_token": hold["hold_token"],
                "lines": [{"seat": seat["id"], "tariff": "standaard"} for seat in hold["seats"]],
                "customer": {
                    "name": f"Koper {buyer.index}",
                    "email": f"buyer{buyer.index}@example.be",
                    "language": "nl",
                },
            },
        )
        if status != 201:
            buyer.outcome = f"failed: order {status} {order}"
            return
        buyer.order = order
        status = self.http.pay(order["payment_url"])  # as the buyer does; the webhook follows
        if status >= 400:
            buyer.outcome = f"failed: payment page {status}"
            return
        self.later(1.0, lambda: self.follow(buyer, self.now() + ORDER_TIMEOUT), SHOP)

    def follow(self, buyer: Buyer, until: float) -> None:
        """The return page: follow the order until its tickets exist."""
        order = buyer.order
        status, view = self.http.call(
            "GET", f"/v1/orders/{order['order_id']}", **{"X-Order-Token": order["access_token"]}
        )
        if status == 200 and view["status"] == "completed":
            buyer.outcome, buyer.tickets = "bought", len(view["tickets"])
            buyer.order = {**order, "seats": [line["place"] for line in view["lines"]]}
        elif status == 200 and view["status"] in ("cancelled", "refunded"):
            buyer.outcome = f"failed: order {view['status']}"
        elif self.now() > until:
            buyer.outcome = "failed: order did not complete"
        else:
            self.later(1.0, lambda: self.follow(buyer, until), SHOP)


# --- the figures ------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


def spearman(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Rank correlation (ties get their mean rank); None with fewer than 3 pairs."""
    if len(pairs) < 3:
        return None

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        result = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                result[order[k]] = (i + j) / 2
            i = j + 1
        return result

    xs, ys = ranks([p[0] for p in pairs]), ranks([p[1] for p in pairs])
    n = len(pairs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    vx = sum((x - mx) ** 2 for x in xs) ** 0.5
    vy = sum((y - my) ** 2 for y in ys) ** 0.5
    return round(cov / (vx * vy), 4) if vx and vy else None


def measure_backend(seconds: float = 3.0) -> dict[str, float]:
    """The local backend's own throughput in this run, for comparison: SQS SendMessage on a
    scratch queue kept drained, and conditional PutItems on DynamoDB Local (8 threads)."""
    import boto3

    from chalicelib.core.config import settings

    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=f"bench-baseline-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    sent, ends = 0, time.monotonic() + seconds
    while time.monotonic() < ends:
        sqs.send_message(QueueUrl=url, MessageBody="{}")
        sent += 1
        if sent % 10 == 0:  # keep it shallow, as the consumer does (moto slows with depth)
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if got:
                sqs.delete_message_batch(
                    QueueUrl=url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                        for i, m in enumerate(got)
                    ],
                )
    sqs.delete_queue(QueueUrl=url)
    sqs_rate = sent / seconds

    name = settings().table_name
    counts = [0] * 8
    ends = time.monotonic() + seconds

    def writer(slot: int) -> None:
        client = boto3.client("dynamodb")
        while time.monotonic() < ends:
            client.put_item(
                TableName=name,
                Item={"pk": {"S": f"BASELINE#{uuid.uuid4().hex}"}, "sk": {"S": "X"}},
                ConditionExpression="attribute_not_exists(pk)",
            )
            counts[slot] += 1

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(writer, range(8)))
    return {"sqs_sends_per_s": round(sqs_rate, 1), "dynamodb_puts_per_s": sum(counts) / seconds}


class DepthSampler:
    def __init__(self, queue_url: str) -> None:
        import boto3

        self.sqs = boto3.client("sqs")
        self.url = queue_url
        self.peak = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stopped.wait(1.0):  # each sample scans the whole queue in moto
            attributes = self.sqs.get_queue_attributes(
                QueueUrl=self.url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                ],
            )["Attributes"]
            depth = int(attributes["ApproximateNumberOfMessages"]) + int(
                attributes["ApproximateNumberOfMessagesNotVisible"]
            )
            self.peak = max(self.peak, depth)

    def __enter__(self) -> DepthSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()


class Progress:
    """A line on stderr every few seconds: who has which answer so far, and the queue."""

    def __init__(self, buyers: list[Buyer], depth: DepthSampler, every: float = 5.0) -> None:
        self.buyers, self.depth, self.every = buyers, depth, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.start = time.monotonic()

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            counts = Counter(b.outcome.split(":")[0] or "open" for b in self.buyers)
            joined = sum(1 for b in self.buyers if b.ticket)
            admitted = sum(1 for b in self.buyers if b.admitted is not None)
            print(
                f"{time.monotonic() - self.start:6.1f}s joined {joined} admitted {admitted} "
                f"{dict(counts)} queue peak {self.depth.peak}",
                file=sys.stderr,
                flush=True,
            )

    def __enter__(self) -> Progress:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()


# --- the run ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    buyers: int = 5000
    seats: int = 700
    basket: tuple[int, int] = (1, 4)
    rate: int = 900  # admitted per minute
    early: float = 0.4  # share arriving before opening
    before: float = 20.0  # seconds of the burst before opening
    tail: float = 40.0  # seconds of arrivals after opening
    give_up: float = 0.1
    seed: int = 7
    deadline: float = 900.0  # seconds: a run that takes longer reports who had no answer


def arrivals(settings: Settings) -> list[Buyer]:
    rng = random.Random(settings.seed)
    buyers = []
    for index in range(settings.buyers):
        if rng.random() < settings.early:
            arrives = rng.uniform(0, settings.before)
        else:  # a tail that thins out: most come right after opening
            arrives = settings.before + settings.tail * rng.random() ** 2
        buyers.append(
            Buyer(
                index=index,
                arrives=arrives,
                basket=rng.randint(*settings.basket),
                gives_up=rng.random() < settings.give_up,
            )
        )
    return sorted(buyers, key=lambda b: b.arrives)


class Backend:
    """The server side (bench/onsale_stack.py) in a child process, driven by JSON lines."""

    def __init__(self, seats: int) -> None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.onsale_stack"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self.ask({"seats": seats})
        self.base: str = ready["base"]
        self.env: dict[str, str] = ready["env"]
        self.performance: str = ready["performance"]

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the on-sale stack exited ({self.process.wait()})")
        return dict(json.loads(line))

    def open_room(self, opens_at: datetime, settings: Settings) -> str:
        room = {"opens_at": opens_at.isoformat(), "rate": settings.rate}
        return str(self.ask({"room": {**room, "max_seats": settings.basket[1]}})["room"])

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask({"stop": True})
                self.process.wait(timeout=60)
            except (OSError, RuntimeError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


def simulate(settings: Settings) -> dict[str, Any]:
    """Start the server side in a child process, run the buyers here, return the figures."""
    saved = dict(os.environ)
    backend = Backend(settings.seats)
    try:
        os.environ.update(backend.env)  # the depth sampler and the baseline talk to it too
        return _simulate_on(backend, settings)
    finally:
        backend.stop()
        os.environ.clear()
        os.environ.update(saved)


def _simulate_on(backend: Backend, settings: Settings) -> dict[str, Any]:
    import boto3

    from chalicelib.core.config import settings as podium_settings

    baseline = measure_backend()
    start = time.monotonic()
    opens_at = datetime.now(UTC) + timedelta(seconds=settings.before)
    room = backend.open_room(opens_at, settings)
    buyers = arrivals(settings)
    scheduler = Scheduler(LANES)
    sim = Simulation(Http(backend.base), room, backend.performance, start, scheduler)
    for buyer in buyers:
        scheduler.at(start + buyer.arrives, partial(sim.join, buyer))
    queue = podium_settings().waiting_room_queue
    url = boto3.client("sqs").get_queue_url(QueueName=queue)["QueueUrl"]
    with DepthSampler(url) as depth, Progress(buyers, depth):
        scheduler.run(deadline=start + settings.deadline)
    seconds = time.monotonic() - start
    return _figures(settings, buyers, scheduler, baseline, depth.peak, seconds, opens_at, start)


def _figures(
    settings: Settings,
    buyers: list[Buyer],
    scheduler: Scheduler,
    baseline: dict[str, float],
    peak_depth: int,
    seconds: float,
    opens_at: datetime,
    start: float,
) -> dict[str, Any]:
    outcomes = Counter(b.outcome.split(":")[0] or "no answer" for b in buyers)
    sold = sum(b.tickets for b in buyers)
    seats = Counter(seat for b in buyers if b.outcome == "bought" for seat in b.order["seats"])
    double_sold = sum(1 for count in seats.values() if count > 1)
    answered = sum(1 for b in buyers if b.outcome in FINAL) / len(buyers)
    # Measured from when each join was sent, not when the plan said it would be: on a busy
    # machine the simulation itself sends late, and that lag is not the waiting room's doing.
    opening = settings.before
    after = [(b.sent, b.position) for b in buyers if b.sent >= opening and b.position]
    before = [(b.sent, b.position) for b in buyers if b.sent < opening and b.position]
    waits = [b.admitted - b.joined for b in buyers if b.admitted is not None]
    to_hold = [b.held - b.admitted for b in buyers if b.held is not None and b.admitted]
    joins_per_s = len([b for b in buyers if b.ticket]) / max(
        0.001, max((b.joined for b in buyers if b.ticket), default=0) or seconds
    )
    holds = [b for b in buyers if b.held is not None]
    return {
        "settings": {**settings.__dict__, "basket": list(settings.basket)},
        "sold": sold,
        "capacity": settings.seats,
        "oversold": max(0, sold - settings.seats) + double_sold,
        "double_sold": double_sold,
        "answered": round(answered, 4),
        "outcomes": dict(outcomes),
        "failures": sorted({b.outcome for b in buyers if b.outcome.startswith("failed")})[:10],
        "simulation_errors": scheduler.errors[:10],
        "fairness_after_opening": spearman(after),
        "randomness_before_opening": spearman(before),
        "wait_to_admission_s": percentiles(waits),
        "admission_to_hold_s": percentiles(to_hold),
        "peak_queue_depth": peak_depth,
        "seconds": round(seconds, 1),
        "joins_per_s": round(joins_per_s, 1),
        "holds": len(holds),
        "baseline": baseline,
        "ratios": {
            "joins_to_raw_sqs_sends": round(joins_per_s / baseline["sqs_sends_per_s"], 3),
            "holds_per_s_to_raw_puts": round(
                len(holds) / seconds / max(0.001, baseline["dynamodb_puts_per_s"]), 4
            ),
        },
        "opens_at": opens_at.isoformat(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=Settings.buyers)
    parser.add_argument("--seats", type=int, default=Settings.seats)
    parser.add_argument("--basket", default="1-4", help="smallest-largest basket, e.g. 1-4")
    parser.add_argument("--rate", type=int, default=Settings.rate, help="admitted per minute")
    parser.add_argument("--early", type=float, default=Settings.early)
    parser.add_argument("--before", type=float, default=Settings.before)
    parser.add_argument("--tail", type=float, default=Settings.tail)
    parser.add_argument("--give-up", type=float, default=Settings.give_up)
    parser.add_argument("--deadline", type=float, default=Settings.deadline, help="seconds")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    low, _, high = args.basket.partition("-")
    settings = Settings(
        buyers=args.buyers,
        seats=args.seats,
        basket=(int(low), int(high or low)),
        rate=args.rate,
        early=args.early,
        before=args.before,
        tail=args.tail,
        give_up=args.give_up,
        deadline=args.deadline,
    )
    result = simulate(settings)
    if args.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
