"""Settings read from the environment, the only place the app learns where its resources are.

Endpoints are not settings: botocore reads `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL`
itself, so the same code talks to AWS or to the embedded local stack.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Settings:
    table_name: str
    webshop_bucket: str
    tickets_bucket: str
    mail_from: str
    region: str
    # The waiting room's arrivals; its dead-letter queue is this name + "-dlq".
    waiting_room_queue: str = "podium-waiting-room"
    # A cancelled performance's refunds, one message per order; dead letters in "<name>-dlq".
    refund_queue: str = "podium-refunds"


@cache
def settings() -> Settings:
    return Settings(
        table_name=os.environ.get("PODIUM_TABLE", "podium"),
        webshop_bucket=os.environ.get("PODIUM_WEBSHOP_BUCKET", "podium-webshop"),
        tickets_bucket=os.environ.get("PODIUM_TICKETS_BUCKET", "podium-tickets"),
        mail_from=os.environ.get("PODIUM_MAIL_FROM", "tickets@podium.example"),
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "eu-west-1"),
        waiting_room_queue=os.environ.get("PODIUM_WAITING_ROOM_QUEUE", "podium-waiting-room"),
        refund_queue=os.environ.get("PODIUM_REFUND_QUEUE", "podium-refunds"),
    )
