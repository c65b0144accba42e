"""The server side of bench/onsale.py, in processes of their own: this one runs the local stack
(DynamoDB Local, moto with the checkout saga and its Lambda task, the Stripe double), makes an
on-sale performance in a hall of the asked size and, when the buyers are ready, its waiting
room; a child of it (`api` mode) serves the API with the waiting room's consumer and draw
loops, as Lambda would run them beside the managed services. The buyers run in the parent.
Each Python process has its own interpreter lock: in one process, the API, moto and the
buyers took turns on one lock, and under a peak the API stopped accepting connections in time.

The parent talks to it in JSON lines: it writes one command on stdin and reads one answer on
stdout (the process's own output goes to stderr).

    -> {"seats": 700}                              <- {"base", "env", "performance", "house"}
    -> {"room": {"opens_at", "rate", "max_seats"}} <- {"room": "<id>"}
    -> {"stop": true}                              <- {"stopped": true}, and it exits

    python -m bench.onsale_stack api <port>   (started by the above, with the stack's env)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

WEBHOOKS_DRAIN_SECONDS = 120.0


def _performance(seats: int) -> tuple[str, str]:
    """A fresh on-sale performance in a seated hall of `seats` seats drawn like the demo's."""
    from chalicelib.catalogue.model import HallLayout
    from local.demo.seatmaps import seat_map_for
    from tests import factories as f
    from tests.inventory_fixtures import ZONES, save_in_hall

    now = datetime.now(UTC)
    hall_id = f"onsale-{seats}"
    hall = f.hall(id=hall_id, capacity=seats, price_zones=ZONES, layout=HallLayout.SEATED)
    seat_map = seat_map_for(hall)
    hall = replace(hall, seat_map=seat_map.id)
    performance_id = f"onsale-{uuid.uuid4().hex[:10]}"
    performance = replace(
        f.performance(
            performance_id,
            starts_at=now + timedelta(days=40),
            sales_opens_at=now - timedelta(days=1),
        ),
        hall=hall_id,
    )
    save_in_hall(performance, hall, seat_map)
    return performance_id, performance.house


def _open_room(performance: str, house: str, command: dict[str, Any]) -> str:
    from chalicelib.bootstrap import container
    from chalicelib.onsale.model import WaitingRoom

    opens_at = datetime.fromisoformat(command["opens_at"])
    rooms = container().waiting_room()
    room = rooms.configure(
        WaitingRoom(
            id=f"bench-{uuid.uuid4().hex[:8]}",
            house=house,
            performances=(performance,),
            opens_at=opens_at,
            closes_at=opens_at + timedelta(hours=2),
            admit_per_minute=int(command["rate"]),
            max_holds_per_identity=1,
            max_seats_per_identity=int(command["max_seats"]),
        )
    )
    return room.id


def serve(commands: TextIO, answers: TextIO) -> None:
    from local import stepfunctions
    from local.stack import LocalStack, free_port

    def answer(body: dict[str, Any]) -> None:
        answers.write(json.dumps(body) + "\n")
        answers.flush()

    seats = int(json.loads(commands.readline())["seats"])
    port = free_port()
    stack = LocalStack(public_url=f"http://127.0.0.1:{port}")
    stack.start()
    api = subprocess.Popen(
        [sys.executable, "-m", "bench.onsale_stack", "api", str(port)],
        env={**os.environ, **stack.env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert api.stdout is not None
        if api.stdout.readline().strip() != "ready":
            raise RuntimeError("the on-sale API did not start")
        performance, house = _performance(seats)
        answer(
            {
                "base": f"http://127.0.0.1:{port}",
                "env": stack.env,
                "performance": performance,
                "house": house,
            }
        )
        for line in commands:
            command = json.loads(line)
            if "room" in command:
                answer({"room": _open_room(performance, house, command["room"])})
            elif command.get("stop"):
                stack.stripe.drain(WEBHOOKS_DRAIN_SECONDS)
                break
    finally:
        if api.stdin is not None:
            api.stdin.close()  # the API process stops when its stdin closes
        try:
            api.wait(timeout=30)
        except subprocess.TimeoutExpired:
            api.kill()
        stepfunctions.uninstall_inprocess_lambda_runner()
        stack.stop()
    answer({"stopped": True})


def serve_api(port: int, answers: TextIO) -> None:
    """The API with the consumer and draw loops, against the stack the environment names,
    until stdin closes."""
    from app import app
    from local.consumers import start_waiting_room_consumer, start_waiting_room_draws
    from local.server import make_server

    server = make_server(app, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    loops = [start_waiting_room_consumer(), start_waiting_room_draws()]
    answers.write("ready\n")
    answers.flush()
    try:
        sys.stdin.read()
    finally:
        for loop in loops:
            loop.stop()
        server.shutdown()
        server.server_close()


def main() -> int:
    # The protocol keeps stdout to itself; everything the stack prints goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout = sys.stderr
    if sys.argv[1:2] == ["api"]:
        serve_api(int(sys.argv[2]), answers)
    else:
        serve(sys.stdin, answers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
