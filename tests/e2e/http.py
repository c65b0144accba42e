"""For the end-to-end tests: one JSON-over-HTTP call (status and parsed body, errors included),
and the local stack served over HTTP for a module."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def call(base: str, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        base + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def stripe_gateway() -> Any:
    """The Stripe adapter on the environment's settings, fresh: Stripe's own word, past any
    part a test replaced in the app's container."""
    from chalicelib.bootstrap import Container
    from chalicelib.core.config import Settings

    return Container(Settings.from_environment()).payments()


@contextmanager
def served_stack(*, seeded: bool = False) -> Iterator[tuple[str, Any]]:
    """The local stack started in this process, the app served over HTTP on a free port (the
    demo seeded if asked), with the refund queue's consumer running as Lambda runs it in AWS:
    yields the base URL and the stack; afterwards everything is stopped and the environment is
    as it was."""
    from app import app
    from local.consumers import start_refund_consumer
    from local.seed import seed
    from local.server import make_server
    from local.stack import LocalStack, forget_app_clients, free_port

    saved = dict(os.environ)
    port = free_port()
    stack = LocalStack(public_url=f"http://127.0.0.1:{port}")
    stack.start()
    forget_app_clients()
    if seeded:
        seed()
    server = make_server(app, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    refunds = start_refund_consumer()
    try:
        yield f"http://127.0.0.1:{port}", stack
    finally:
        refunds.stop()  # before the stack goes: a batch in flight would log errors
        server.shutdown()
        server.server_close()
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)
        forget_app_clients()
