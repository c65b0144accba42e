"""Faults injected through the composition root: an adapter wrapped so that one of its methods
fails while the checkout saga runs a given step, and only then (the API's own calls of the
same adapter go through). The saga must still end every order in a final, consistent state.

    steps = SagaSteps()            # registered as the saga's Lambda task handler
    flaky = Flaky(container().payments(), "create_checkout", steps, "ensure_payment", times=1)
    with bootstrap.overridden(payments=flaky): ...
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class InjectedFault(Exception):
    """A failure a test made an adapter raise (the saga's Catch sees this name)."""


class SagaSteps:
    """Which step of the checkout saga this thread is running: `handler` stands in for the
    saga's Lambda task (the local stack runs it in-process, on the thread that calls the
    adapters) and names the step before it calls the real handler."""

    def __init__(self) -> None:
        self._local = threading.local()

    def handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        from chalicelib.orders.tasks import handle

        self._local.step = event.get("task")
        try:
            return handle(event, context)
        finally:
            self._local.step = None

    @property
    def current(self) -> str | None:
        step: str | None = getattr(self._local, "step", None)
        return step


class Flaky:
    """`inner` with its `method` raising InjectedFault the next `times` calls made during the
    saga's `step`, before the real call: nothing of that call happens."""

    def __init__(self, inner: Any, method: str, steps: SagaSteps, step: str, times: int) -> None:
        self.inner = inner
        self.method = method
        self.steps = steps
        self.step = step
        self.left = times
        self._lock = threading.Lock()

    def _fails_now(self) -> bool:
        if self.steps.current != self.step:
            return False
        with self._lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.inner, name)
        if name != self.method:
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            if self._fails_now():
                raise InjectedFault(f"{self.method} made to fail in {self.step} by a test")
            return real(*args, **kwargs)

        return call


# The adapter each saga step calls, and the call of it that fails: (container part, method).
STEP_CALLS: dict[str, tuple[str, str]] = {
    "ensure_payment": ("payments", "create_checkout"),
    "await_payment": ("order_store", "update"),  # storing the task token the saga waits on
    "confirm_seats": ("inventory_store", "sell_hold"),
    "issue_tickets": ("issuer", "issue"),
    "send_confirmation": ("mailer", "send"),
    "cancel": ("payments", "expire_checkout"),
    "refund": ("payments", "refund"),
}


def failing(steps: SagaSteps, step: str, times: int) -> dict[str, Flaky]:
    """The override that makes `step` fail `times` times, on the current container's part."""
    from chalicelib import bootstrap

    part, method = STEP_CALLS[step]
    real: Callable[[], Any] = getattr(bootstrap.container(), part)
    return {part: Flaky(real(), method, steps, step, times)}
