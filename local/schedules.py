"""The local stack's stand-in for the app's schedules (EventBridge rules in AWS): a daemon
thread per job that runs the same function the scheduled Lambda runs.

Only the availability snapshot runs here; locally it runs every `PODIUM_AVAILABILITY_SECONDS`
seconds (default 10) instead of every minute, so that the demo's badges follow a purchase
quickly. The order reconciler is not scheduled locally: the tests drive it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

LOG = logging.getLogger(__name__)

AVAILABILITY_SECONDS = 10.0


@dataclass
class Repeating:
    """A job running every so many seconds until `stop()` (or `stopped.set()`)."""

    name: str
    stopped: threading.Event
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        """Stop and wait for a run in progress to end (it is never cut off mid-write)."""
        self.stopped.set()
        self.thread.join(timeout)


def every(seconds: float, job: Callable[[], object], name: str) -> Repeating:
    """Run `job` every `seconds`, the first time after one interval (whoever starts this has
    just done the same work, e.g. seeding publishes the catalogue). A failing run is logged
    and the next one comes on time."""
    stopped = threading.Event()

    def loop() -> None:
        while not stopped.wait(seconds):
            try:
                job()
            except Exception:
                LOG.exception("%s failed; next run in %gs", name, seconds)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return Repeating(name, stopped, thread)


def start_availability_publishing(seconds: float | None = None) -> Repeating:
    """Every cluster's availability snapshot, as the `publish_availability` schedule does in
    AWS; the app's environment must already point at the local stack."""
    from chalicelib.inventory.availability import publish_availability

    if seconds is None:
        seconds = float(os.environ.get("PODIUM_AVAILABILITY_SECONDS", AVAILABILITY_SECONDS))
    return every(seconds, publish_availability, "publish_availability")
