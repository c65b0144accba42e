"""The checkout saga's Lambda task: one function, the step named in its payload."""

from __future__ import annotations

from typing import Any

from chalicelib.bootstrap import container
from chalicelib.orders.service import StepResult


def handle(event: dict[str, Any], context: Any = None) -> StepResult:
    task, order_id = event["task"], event["order_id"]
    parts = container()
    checkout = parts.checkout()
    match task:
        case "ensure_payment":
            return checkout.ensure_payment(order_id)
        case "await_payment":
            return checkout.await_payment(order_id, event["task_token"])
        case "payment_timed_out":
            return checkout.payment_timed_out(order_id)
        case "confirm_seats":
            return checkout.confirm_seats(order_id)
        case "issue_tickets":
            return checkout.issue_tickets(order_id, parts.issuer(), parts.ticket_files())
        case "send_confirmation":
            return checkout.send_confirmation(order_id, parts.mailer(), parts.mails())
        case "cancel":
            return checkout.cancel(order_id)
        case "refund":
            reason = str(event.get("reason", "failure")).lower()
            return checkout.refund(order_id, reason, parts.mailer(), parts.mails())
        case "dead_lettered":
            return dead_lettered(order_id, event.get("error"))
    raise ValueError(f"unknown checkout task {task!r}")


def dead_lettered(order_id: str, error: Any) -> StepResult:
    """An order the saga could neither finish nor compensate is on the dead-letter queue: say
    so loudly, as a CloudWatch metric (embedded metric format) that an alarm watches, and in
    the log with the order id for the person who picks it up."""
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.metrics import MetricUnit

    Logger(service="podium").error(
        "checkout needs a person", extra={"order_id": order_id, "error": error}
    )
    metrics = Metrics(namespace="Podium", service="checkout")
    metrics.add_metric(name="CheckoutCompensationFailed", unit=MetricUnit.Count, value=1)
    metrics.flush_metrics()
    return {"alarm": "CheckoutCompensationFailed"}
