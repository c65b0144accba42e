"""The checkout saga's Lambda task: one function, the step named in its payload.

Tests switch faults on with `FAULTS` (step name → how many calls fail) to prove that a
failing step still ends the order in a final, consistent state.
"""

from __future__ import annotations

from typing import Any

FAULTS: dict[str, int] = {}


class InjectedFault(Exception):
    pass


def handle(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    from chalicelib.orders import api

    task, order_id = event["task"], event["order_id"]
    if FAULTS.get(task, 0) > 0:
        FAULTS[task] -= 1
        raise InjectedFault(f"{task} made to fail by a test")
    checkout = api.checkout()
    match task:
        case "ensure_payment":
            return checkout.ensure_payment(order_id)
        case "await_payment":
            return checkout.await_payment(order_id, event["task_token"])
        case "payment_timed_out":
            return checkout.payment_timed_out(order_id)
        case "record_payment":
            return checkout.record_payment(order_id, event.get("payment_intent"))
        case "confirm_seats":
            return checkout.confirm_seats(order_id)
        case "issue_tickets":
            return checkout.issue_tickets(order_id, api.issuer(), api.ticket_files())
        case "send_confirmation":
            return checkout.send_confirmation(order_id, api.mailer(), api.mails())
        case "cancel":
            return checkout.cancel(order_id)
        case "refund":
            reason = str(event.get("reason", "failure")).lower()
            return checkout.refund(order_id, reason, api.mailer(), api.mails())
    raise ValueError(f"unknown checkout task {task!r}")
