"""The arrivals queue (SQS): the join's only write, and what absorbs an on-sale burst."""

from __future__ import annotations

from chalicelib.core.queue import SqsQueue
from chalicelib.onsale.model import Arrival
from chalicelib.onsale.schemas import arrival_message


class SqsArrivalQueue(SqsQueue):
    def __init__(self, queue_name: str) -> None:
        super().__init__(queue_name)

    def send(self, arrival: Arrival) -> None:  # type: ignore[override]
        super().send(arrival_message(arrival))
