"""The local stack's stand-in for Lambda's SQS event sources: daemon threads that poll a queue
(the waiting room's arrivals, a cancelled performance's refunds) and call the app's own handler
(`place_arrivals`, `refund_buyers`) with Lambda-shaped SQS events, then delete what the
handler did not report failed (as Lambda does with ReportBatchItemFailures). A few pollers at
once, each one batch at a time: bounded concurrency, as the event source's maximum concurrency
bounds it in AWS. A second loop draws due rooms, as
the `draw_waiting_rooms` schedule does in AWS.

moto's SQS costs time in proportion to the queue's depth, so the consumer keeps the queue
drained; tests and benchmarks should never let it grow deep.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from local.schedules import Repeating, every

LOG = logging.getLogger(__name__)

DRAW_SECONDS = 2.0
# Batches in flight at once. One poller fell behind an on-sale burst here (each batch waits on
# SQS and DynamoDB in turn) and moto's SQS slows as the backlog deepens; AWS runs five.
CONSUMER_CONCURRENCY = 3


def lambda_event(
    messages: Sequence[Mapping[str, Any]], queue_arn: str, region: str
) -> dict[str, Any]:
    """SQS ReceiveMessage results in the shape Lambda hands an SQS-triggered function."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m.get("MD5OfBody") or hashlib.md5(m["Body"].encode()).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
    }


def start_waiting_room_consumer(
    handler: Callable[[dict[str, Any], Any], Any] | None = None,
    idle_seconds: float = 0.1,
    concurrency: int = CONSUMER_CONCURRENCY,
) -> Repeating:
    """The waiting room's arrivals into places, as `place_arrivals` does in AWS."""
    from chalicelib.core.config import settings

    if handler is None:
        from app import place_arrivals  # the very function Lambda runs

        handler = place_arrivals
    return start_queue_consumer(
        settings().waiting_room_queue, handler, "waiting_room_consumer", idle_seconds, concurrency
    )


def start_refund_consumer(
    handler: Callable[[dict[str, Any], Any], Any] | None = None,
    idle_seconds: float = 0.2,
    concurrency: int = 2,
) -> Repeating:
    """A cancelled performance's refunds, as `refund_buyers` does in AWS."""
    from chalicelib.core.config import settings

    if handler is None:
        from app import refund_buyers  # the very function Lambda runs

        handler = refund_buyers
    return start_queue_consumer(
        settings().refund_queue, handler, "refund_consumer", idle_seconds, concurrency
    )


def start_queue_consumer(
    queue_name: str,
    handler: Callable[[dict[str, Any], Any], Any],
    name: str,
    idle_seconds: float = 0.1,
    concurrency: int = CONSUMER_CONCURRENCY,
) -> Repeating:
    """Start a consumer loop on a queue; the app's environment must already point at the local
    stack. It polls without waiting and sleeps `idle_seconds` when the queue is empty: a long
    poll would hold the local stack's SQS lock for its whole wait, and every send would queue
    behind it (measured: 1.7 sends/s with 1 s long polls). `stop()` ends it within a poll."""
    import boto3

    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    stopped = threading.Event()

    def _consume(
        sqs: Any, url: str, received: Sequence[Mapping[str, Any]], event: dict[str, Any]
    ) -> None:
        response = handler(event, None) or {}
        failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
        done = [m for m in received if m["MessageId"] not in failed]
        if done:
            sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )

    def loop() -> None:
        sqs = boto3.client("sqs")  # one client per poller
        while not stopped.is_set():
            try:
                received = sqs.receive_message(
                    QueueUrl=url,
                    MaxNumberOfMessages=10,
                    WaitTimeSeconds=0,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                ).get("Messages", [])
                if received:
                    _consume(sqs, url, received, lambda_event(received, arn, sqs.meta.region_name))
                else:
                    stopped.wait(idle_seconds)
            except Exception:
                if not stopped.is_set():
                    LOG.exception("%s: a batch failed; it comes back", name)

    def pollers() -> None:
        threads = [
            threading.Thread(target=loop, name=f"{name}-{n}", daemon=True)
            for n in range(concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    thread = threading.Thread(target=pollers, name=name, daemon=True)
    thread.start()
    return Repeating(name, stopped, thread)


def start_waiting_room_draws(seconds: float = DRAW_SECONDS) -> Repeating:
    """Draw due rooms every few seconds (every minute in AWS: the consumer draws too)."""
    from chalicelib.onsale.consumer import draw_due_rooms

    return every(seconds, draw_due_rooms, "draw_waiting_rooms")
