"""The local stack's schedule loop: runs on, survives a failing run, stops when told."""

from __future__ import annotations

import logging
import threading

from local import schedules


def test_a_failing_run_is_logged_and_the_loop_goes_on_until_stopped(caplog):
    runs: list[int] = []
    third = threading.Event()

    def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("the bucket was not there")
        if len(runs) == 3:
            third.set()

    repeating = schedules.every(0.01, job, "job")
    assert third.wait(5)
    repeating.stop()
    assert not repeating.thread.is_alive()
    stopped_at = len(runs)
    assert stopped_at >= 3
    assert repeating.stopped.wait(0.05) and len(runs) == stopped_at  # no run after stop()
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1 and "the bucket was not there" in (failures[0].exc_text or "")


def test_availability_runs_the_scheduled_function_at_the_configured_interval(monkeypatch):
    started: list[tuple[float, object, str]] = []
    monkeypatch.setattr(schedules, "every", lambda *args: started.append(args))
    monkeypatch.setenv("PODIUM_AVAILABILITY_SECONDS", "2.5")
    schedules.start_availability_publishing()
    monkeypatch.delenv("PODIUM_AVAILABILITY_SECONDS")
    schedules.start_availability_publishing()
    from chalicelib.inventory.availability import publish_availability

    assert started == [
        (2.5, publish_availability, "publish_availability"),
        (10.0, publish_availability, "publish_availability"),
    ]


def test_the_app_schedules_availability_every_minute():
    from app import app

    schedules = [s for s in app.event_sources if hasattr(s, "schedule_expression")]
    rates = {s.name: s.schedule_expression.to_string() for s in schedules}
    assert rates["publish_availability"] == "rate(1 minute)"
