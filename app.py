"""Chalice entry point: registers blueprints, middleware and the non-HTTP functions.

Kept cheap to import: capability modules import their heavy dependencies lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Chalice, Rate

# Each module's routes join the one admin blueprint when it is imported.
import chalicelib.admin.api
import chalicelib.onsale.admin_api
import chalicelib.programme.admin_api
import chalicelib.sales.admin_api  # noqa: F401
from chalicelib.admin.blueprint import admin
from chalicelib.catalogue.api import catalogue
from chalicelib.core.config import settings
from chalicelib.core.health import health
from chalicelib.core.http import chalice_errors_as_problems
from chalicelib.inventory.api import inventory
from chalicelib.onsale.api import onsale
from chalicelib.orders.api import orders
from chalicelib.scanning.api import scanning

if TYPE_CHECKING:
    from chalicelib.orders.service import StepResult

app = Chalice(app_name="podium")
app.register_middleware(chalice_errors_as_problems, "http")
app.register_blueprint(health)
app.register_blueprint(catalogue)
app.register_blueprint(inventory)
app.register_blueprint(orders)
app.register_blueprint(onsale)
app.register_blueprint(admin)
app.register_blueprint(scanning)


@app.lambda_function(name="checkout_task")
def checkout_task(event: dict[str, Any], context: Any) -> StepResult:
    """Every step of the checkout saga (statemachines/checkout.asl.json)."""
    from chalicelib.orders.tasks import handle

    return handle(event, context)


@app.schedule(Rate(5, unit=Rate.MINUTES), name="reconcile_orders")
def reconcile_orders(event: Any) -> dict[str, Any]:
    """Drive orders stuck past their deadline to a final state by asking Stripe."""
    from chalicelib.orders.reconciler import reconcile

    return reconcile()


@app.schedule(Rate(1, unit=Rate.MINUTES), name="publish_availability")
def publish_availability(event: Any) -> dict[str, Any]:
    """Live seat counts per cluster as static JSON, for the webshop's availability badges."""
    from chalicelib.inventory.availability import publish_availability as publish

    return publish()


# Chalice 1.34 cannot switch on ReportBatchItemFailures for the event source mapping: the
# infrastructure (issue #8) must set FunctionResponseTypes, or a failed message would not be
# retried alone. The handler answers the partial batch response either way.
@app.on_sqs_message(queue=settings().waiting_room_queue, batch_size=10, name="place_arrivals")
def place_arrivals(event: Any) -> dict[str, Any]:
    """Waiting-room arrivals into places, a batch at a time (partial batch failures)."""
    from chalicelib.onsale.consumer import handle

    return handle(event.to_dict(), event.context)


# Batches of 10, one Stripe refund and one mail a message (~1 s each): well inside the
# function's timeout. The infrastructure bounds its concurrency (maximum concurrency on the
# event source, issue #8) so that a 700-seat cancellation stays under Stripe's rate limit.
@app.on_sqs_message(queue=settings().refund_queue, batch_size=10, name="refund_buyers")
def refund_buyers(event: Any) -> dict[str, Any]:
    """A cancelled performance's buyers refunded and mailed, one message an order."""
    from chalicelib.programme.cancellation import handle

    return handle(event.to_dict(), event.context)


@app.schedule(Rate(1, unit=Rate.MINUTES), name="draw_waiting_rooms")
def draw_waiting_rooms(event: Any) -> dict[str, Any]:
    """Draw every waiting room past its opening (the consumer also draws when it sees one)."""
    from chalicelib.onsale.consumer import draw_due_rooms

    return draw_due_rooms()
