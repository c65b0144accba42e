"""An SQS queue by name: its URL looked up once, its depth, and messages sent one at a time or
in batches of SQS's maximum (10 a call). The app's queues build on this one adapter."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from chalicelib.core import aws

BATCH = 10  # SendMessageBatch takes at most 10 entries
ATTEMPTS = 3  # a batch's failed entries are sent again this many times, then it is an error


class QueueSendFailed(Exception):
    """Some messages could not be sent: the caller's write is not done, and may be retried."""


class SqsQueue:
    def __init__(self, queue_name: str) -> None:
        self.queue_name = queue_name

    @cached_property
    def _client(self) -> Any:
        return aws.client("sqs")

    @cached_property
    def url(self) -> str:
        # Looked up once per instance, not per message.
        return str(self._client.get_queue_url(QueueName=self.queue_name)["QueueUrl"])

    def backlog(self) -> int:
        attributes = self._client.get_queue_attributes(
            QueueUrl=self.url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(value) for value in attributes.values())

    def send(self, message: dict[str, Any]) -> None:
        self._client.send_message(QueueUrl=self.url, MessageBody=json.dumps(message))

    def send_all(self, messages: Sequence[dict[str, Any]], delay_seconds: int = 0) -> int:
        """Every message (each delivered no sooner than `delay_seconds`, at most 900), 10 to a
        SendMessageBatch; entries SQS reports failed are sent again (a batch can fail in
        part). Returns how many were sent; raises QueueSendFailed if some still failed, so the
        caller never believes a message is queued when it is not."""
        delay = {"DelaySeconds": delay_seconds} if delay_seconds else {}
        for start in range(0, len(messages), BATCH):
            pending = {str(i): messages[i] for i in range(start, min(start + BATCH, len(messages)))}
            for _ in range(ATTEMPTS):
                answer = self._client.send_message_batch(
                    QueueUrl=self.url,
                    Entries=[
                        {"Id": ident, "MessageBody": json.dumps(body), **delay}
                        for ident, body in pending.items()
                    ],
                )
                pending = {f["Id"]: pending[f["Id"]] for f in answer.get("Failed", [])}
                if not pending:
                    break
            if pending:
                raise QueueSendFailed(f"{len(pending)} messages not sent to {self.queue_name}")
        return len(messages)
