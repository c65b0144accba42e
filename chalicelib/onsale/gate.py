"""The real hold gate (chalicelib/inventory/gate.py is its port): which rooms cover a
performance (cached per instance), and whether an admission token lets this client hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from chalicelib.core.recent import Recent
from chalicelib.inventory.gate import OnSaleLimits
from chalicelib.onsale.model import GATE_MARGIN
from chalicelib.onsale.problems import admission_expired, admission_invalid, admission_required
from chalicelib.onsale.service import RoomReader
from chalicelib.onsale.tokens import ExpiredToken, InvalidToken, Signer

GATES_SECONDS = 30.0


class GateReader(Protocol):
    def gates(self, performance: str) -> list[tuple[str, datetime, datetime]]: ...


class RoomGate:
    def __init__(
        self,
        store: GateReader,
        rooms: RoomReader,
        signer: Callable[[], Signer],
        seconds: float = GATES_SECONDS,
    ) -> None:
        self.store = store
        self.rooms = rooms
        # Asked for only when a token must be read: holds outside an on-sale need no secret.
        self.signer = signer
        # Staleness: a room configured less than `seconds` ago may not gate yet; configure
        # rooms ahead of their opening (the gate starts GATE_MARGIN before it anyway).
        self._gates: Recent[str, list[tuple[str, datetime, datetime]]] = Recent(seconds)

    def room(self, performance: str, now: datetime) -> str | None:
        """The room that gates holds on this performance now (the first by id, should two
        overlap), for the seat plan to send buyers to."""
        active = self._active(performance, now)
        return min(active) if active else None

    def limits(
        self, performance: str, token: str | None, client: str, now: datetime
    ) -> OnSaleLimits | None:
        active = self._active(performance, now)
        if not active:
            return None
        waiting_room = min(active)
        if not token:
            raise admission_required(waiting_room)
        try:
            admission = self.signer().read_admission(token, now)
        except ExpiredToken as error:
            raise admission_expired(waiting_room) from error
        except InvalidToken as error:
            raise admission_invalid(waiting_room) from error
        # A genuine token of another room, or claimed by another browser, grants nothing here.
        room = self.rooms.get(admission.room) if admission.room in active else None
        if room is None or admission.client != client:
            raise admission_invalid(waiting_room)
        identities: tuple[str, ...] = (f"c:{admission.client}",)
        if admission.email:
            identities += (f"e:{admission.email}",)
        return OnSaleLimits(identities, room.max_holds_per_identity, room.max_seats_per_identity)

    def _active(self, performance: str, now: datetime) -> set[str]:
        gates = self._gates.get(performance, lambda: self.store.gates(performance))
        return {
            room for room, opens_at, closes_at in gates if opens_at - GATE_MARGIN <= now < closes_at
        }
