"""The hold gate: the port through which a waiting room decides whether a hold may go ahead.

The inventory knows nothing about waiting rooms; it asks its gate before every hold. No gate,
or a gate that answers None (no room is active for the performance), changes nothing. During an
on-sale the gate checks the admission token (or raises a 401/403 problem) and answers the limits
per identity that the hold's transaction must enforce. The real gate is
chalicelib/onsale/gate.py, wired in inventory/api.py; unit tests pass a fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class OnSaleLimits:
    """Per identity and performance while a room is active. `identities` are the client
    digest ("c:<digest>") and, when the buyer gave one at the join, the e-mail digest
    ("e:<digest>"): each is held to the limits on its own."""

    identities: tuple[str, ...]
    max_holds: int
    max_seats: int


class AdmissionGate(Protocol):
    def room(self, performance: str, now: datetime) -> str | None:
        """The waiting room holds on this performance go through now, if any."""
        ...

    def limits(
        self, performance: str, token: str | None, client: str, now: datetime
    ) -> OnSaleLimits | None:
        """None: holds on this performance are not gated now. Raises a Problem when they are
        and the token does not admit `client` (the hold's client digest)."""
        ...
