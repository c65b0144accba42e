"""The arrivals consumer (SQS → Lambda, batches of up to 10) and the scheduled draw.

Per batch: parse every message, plan the batch's places at once (one BatchGet, one ADD on the
room counter), then write each place through Powertools' BatchProcessor, so that a message
that fails is reported alone (`batchItemFailures`) and only it comes back; after 5 receives
SQS moves it to the dead-letter queue. Every write is idempotent: a redelivered message finds
its place and changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from chalicelib.bootstrap import container
from chalicelib.onsale.model import Arrival
from chalicelib.onsale.schemas import ArrivalMessage
from chalicelib.onsale.service import WaitingRoomService

LOG = logging.getLogger(__name__)


def handle(
    event: dict[str, Any], context: Any = None, service: WaitingRoomService | None = None
) -> dict[str, Any]:
    """The Lambda handler's body: a Lambda-shaped SQS event in, the partial batch response
    out. The local stack's consumer loop calls exactly this."""
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    if service is None:
        service = container().waiting_room()
    arrivals: dict[str, Arrival | Exception] = {}
    for record in event.get("Records", []):
        try:
            # A malformed message fails alone; after 5 receives it is dead-lettered.
            message = ArrivalMessage.model_validate_json(record["body"])
            arrivals[record["messageId"]] = message.arrival()
        except ValueError as error:  # pydantic's ValidationError is one
            arrivals[record["messageId"]] = error
    valid = [a for a in arrivals.values() if isinstance(a, Arrival)]
    plan = service.plan_batch(valid)

    def record_handler(record: SQSRecord) -> None:
        arrival = arrivals[record.message_id]
        if isinstance(arrival, Exception):
            raise arrival
        if arrival.ticket not in plan:
            raise LookupError(f"no waiting room {arrival.room!r}")
        service.settle(plan[arrival.ticket])

    response = process_partial_response(
        event=event,
        record_handler=record_handler,
        processor=BatchProcessor(event_type=EventType.SQS),
        context=context,
    )
    try:
        service.draw_if_due(valid)
    except Exception:
        # The places are written; the scheduled draw tries again within a minute.
        LOG.exception("draw after a batch failed")
    return {"batchItemFailures": list(response["batchItemFailures"])}


def draw_due_rooms(service: WaitingRoomService | None = None) -> dict[str, Any]:
    """What the schedule runs every minute: draw every room past its opening."""
    if service is None:
        service = container().waiting_room()
    draws = service.draw_due_rooms()
    return {"drawn": [{"room": d.room, "pre_count": d.pre_count} for d in draws]}
