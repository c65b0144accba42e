"""The arrivals queue (SQS): the join's only write, and what absorbs an on-sale burst."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from chalicelib.core import aws
from chalicelib.core.config import settings
from chalicelib.onsale.model import Arrival
from chalicelib.onsale.service import arrival_message


class SqsArrivalQueue:
    def __init__(self, queue_name: str | None = None) -> None:
        self.queue_name = queue_name or settings().waiting_room_queue

    @cached_property
    def _client(self) -> Any:

        return aws.client("sqs")

    @cached_property
    def url(self) -> str:
        # Looked up once per instance, not per join.
        return str(self._client.get_queue_url(QueueName=self.queue_name)["QueueUrl"])

    def backlog(self) -> int:
        attributes = self._client.get_queue_attributes(
            QueueUrl=self.url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(value) for value in attributes.values())

    def send(self, arrival: Arrival) -> None:
        self._client.send_message(
            QueueUrl=self.url, MessageBody=json.dumps(arrival_message(arrival))
        )
