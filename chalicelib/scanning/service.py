"""Door scanning use cases: what a scanner downloads for a performance (its house's public keys
and the revoked tickets), one scan checked in online, and an offline scanner's upload.

The houses a caller may scan for come from their staff token (the API passes them in); a
performance of any other house answers 404, the same as one that does not exist, before
anything of it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.clock import Clock
from chalicelib.core.errors import not_found
from chalicelib.scanning.model import (
    DoorState,
    Scan,
    ScanResult,
    Ticket,
    check_batch,
    judge_claim,
    judge_door,
    scan_at,
)
from chalicelib.scanning.problems import nonce_reused
from chalicelib.scanning.schemas import BatchCommand, ScanCommand
from chalicelib.store.keys import is_valid_id
from chalicelib.tickets.signing import ForgedTicket, Keyring, public_key_document, verify


class PerformanceFinder(Protocol):
    def find_performance(self, performance_id: str) -> PerformanceDetail | None: ...


class DoorStore(Protocol):
    def check_in(
        self, house: str, ticket: Ticket, scan: Scan, received_at: datetime
    ) -> tuple[bool, DoorState]: ...
    def revoked(self, house: str, performance: str) -> list[str]: ...
    def nonce_results(
        self, house: str, performance: str, nonces: Iterable[str]
    ) -> dict[str, tuple[str, ScanResult]]: ...
    def save_nonce(
        self, house: str, scan: Scan, result: ScanResult, received_at: datetime
    ) -> tuple[str, ScanResult]: ...


# (performance, seat id, language) → "Zaal rij A stoel 5", or None when unknown
SeatLabeller = Callable[[PerformanceDetail, str, str], str | None]


@dataclass(frozen=True)
class KeysView:
    performance: str
    house: str
    keys: list[dict[str, str]]
    revoked: list[str]
    generated_at: datetime


class ScanningService:
    def __init__(
        self,
        doors: DoorStore,
        performances: PerformanceFinder,
        keyring: Keyring,
        clock: Clock,
        labels: SeatLabeller | None = None,
    ) -> None:
        self.doors = doors
        self.performances = performances
        self.keyring = keyring
        self.clock = clock
        self.labels = labels

    def performance(self, performance_id: str, houses: frozenset[str]) -> PerformanceDetail:
        """The performance, if it is one of `houses`'; else 404 as for an unknown one."""
        detail = is_valid_id(performance_id) and self.performances.find_performance(performance_id)
        if not detail or detail.performance.house not in houses:
            raise not_found("performance", performance_id)
        return detail

    def keys(self, performance_id: str, houses: frozenset[str]) -> KeysView:
        detail = self.performance(performance_id, houses)
        house = detail.performance.house
        return KeysView(
            performance=detail.performance.id,
            house=house,
            keys=public_key_document(self.keyring, house)["keys"],
            revoked=self.doors.revoked(house, detail.performance.id),
            generated_at=self.clock.now(),
        )

    def check_in(self, command: ScanCommand, houses: frozenset[str], lang: str) -> ScanResult:
        scan = scan_of(command, self.clock.now())
        detail = self.performance(scan.performance, houses)
        known = (
            self.doors.nonce_results(detail.performance.house, scan.performance, [scan.nonce])
            if scan.nonce
            else {}
        )
        return self._labelled(self._judge(scan, detail, known), detail, lang)

    def upload(
        self, command: BatchCommand, houses: frozenset[str], lang: str
    ) -> list[tuple[Scan, ScanResult]]:
        """An offline scanner's batch. Checked whole before anything is written: its shape,
        every performance (all the caller's), and every nonce already uploaded (the same scan,
        or a 409). Then each scan in order; a nonce seen before answers its first verdict."""
        now = self.clock.now()
        scans = [scan_of(entry, now, f"scans[{i}]") for i, entry in enumerate(command.scans)]
        check_batch(scans)
        details = {s.performance: self.performance(s.performance, houses) for s in scans}
        known: dict[str, dict[str, tuple[str, ScanResult]]] = {}
        for performance, detail in details.items():
            nonces = [s.nonce for s in scans if s.performance == performance and s.nonce]
            known[performance] = self.doors.nonce_results(
                detail.performance.house, performance, nonces
            )
        for index, scan in enumerate(scans):
            first = known[scan.performance].get(scan.nonce or "")
            if first is not None and first[0] != scan.fingerprint:
                raise nonce_reused(scan.nonce or "", f"scans[{index}].nonce")
        answers = []
        for scan in scans:
            detail = details[scan.performance]
            result = self._judge(scan, detail, known[scan.performance])
            answers.append((scan, self._labelled(result, detail, lang)))
        return answers

    # --- internals ------------------------------------------------------------------------

    def _judge(
        self, scan: Scan, detail: PerformanceDetail, known: dict[str, tuple[str, ScanResult]]
    ) -> ScanResult:
        house = detail.performance.house
        if scan.nonce is not None and scan.nonce in known:
            fingerprint, first = known[scan.nonce]
            if fingerprint != scan.fingerprint:
                raise nonce_reused(scan.nonce, "nonce")
            return first.replayed()
        now = self.clock.now()
        ticket, forged = _verified(scan.payload, self.keyring, house)
        result = judge_claim(ticket, forged, scan, house)
        if result is None:
            assert ticket is not None
            written, state = self.doors.check_in(house, ticket, scan, now)
            result = judge_door(ticket, scan, state, written)
        if scan.nonce is not None:
            fingerprint, stood = self.doors.save_nonce(
                house, scan, replace(result, replay=False), now
            )
            if fingerprint != scan.fingerprint:
                raise nonce_reused(scan.nonce, "nonce")
            known[scan.nonce] = (fingerprint, stood)
            if stood != replace(result, replay=False):
                return stood.replayed()  # the same scan, uploaded at the same moment, won
        return result

    def _labelled(self, result: ScanResult, detail: PerformanceDetail, lang: str) -> ScanResult:
        if result.seat is None or self.labels is None:
            return result
        if result.ticket_performance not in (None, detail.performance.id):
            return result  # another performance's seat: its hall may differ
        return replace(result, seat_label=self.labels(detail, result.seat, lang))


def scan_of(command: ScanCommand, now: datetime, where: str = "") -> Scan:
    """The scan a command reports, at `now` (`where`: its place in a batch, for errors)."""
    return scan_at(
        command.performance,
        command.payload,
        command.scanner,
        command.nonce,
        command.scanned_at,
        now,
        where=where,
    )


def _verified(payload: str, keyring: Keyring, house: str) -> tuple[Ticket | None, str | None]:
    try:
        claim = verify(payload, keyring.public_keys(house))
    except ForgedTicket as forged:
        return None, forged.reason
    return Ticket(claim.ticket_id, claim.performance, claim.house, claim.seat), None
