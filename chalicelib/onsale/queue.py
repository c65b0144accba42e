"""The arrivals queue (SQS): the join's only write, and what absorbs an on-sale burst."""

from __future__ import annotations

from chalicelib.core.queue import SqsQueue
from chalicelib.onsale.model import Arrival
from chalicelib.onsale.schemas import arrival_message


class SqsArrivalQueue:
    """The waiting room's ArrivalQueue on an SqsQueue: it sends arrivals, not raw messages, so
    it holds the queue rather than being one (its `send` takes another argument)."""

    def __init__(self, queue_name: str) -> None:
        self.queue = SqsQueue(queue_name)

    def send(self, arrival: Arrival) -> None:
        self.queue.send(arrival_message(arrival))

    def backlog(self) -> int:
        return self.queue.backlog()
