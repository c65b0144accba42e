"""Door scanning, the rules: what a scan is, how a scan is judged, and how an offline upload
is read and de-duplicated. Plain Python: no AWS, no HTTP.

A ticket's QR payload is verified against the public keys of the house of the performance
being scanned (chalicelib/tickets/signing.py). Then, in this order:

- `forged`: not signed by a key of this house (tampered, another house's key, junk);
- `wrong_performance`: ours, but for another performance (e.g. tomorrow's);
- `revoked`: cancelled or refunded, whether or not it was scanned before;
- `already_used`: checked in before, with when and by which scanner;
- `accepted`: this scan checked it in. The check-in is one conditional write, so of two
  scanners scanning the same ticket at once exactly one is accepted.

A scan may carry a `nonce` (the scanner's own id for that scan): uploading it again answers its
first verdict and writes nothing new, so an offline scanner may re-send a batch, and an online
one may retry a request whose answer it never got (its own accepted scan stays accepted).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.core.errors import FieldError, invalid

MAX_PAYLOAD = 1000  # well above a real QR payload (signing.py refuses > 600 anyway)
MAX_BATCH = 100  # entries per offline upload: one Lambda call stays in seconds
CLOCK_SKEW = timedelta(minutes=5)  # a scanner's clock may run this far ahead of ours
OFFLINE_FOR = timedelta(days=7)  # an offline scan older than this is refused as input


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_USED = "already_used"
    REVOKED = "revoked"
    WRONG_PERFORMANCE = "wrong_performance"
    FORGED = "forged"


@dataclass(frozen=True)
class Scan:
    """One scan as a scanner reports it. `scanned_at` is the scanner's clock (offline scans
    are uploaded later); `nonce` is required in an offline upload."""

    performance: str
    payload: str
    scanner: str
    scanned_at: datetime
    nonce: str | None = None

    @property
    def fingerprint(self) -> str:
        """What makes two uploads of a nonce the same scan."""
        text = "\n".join((self.performance, self.scanner, self.payload))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class CheckIn:
    """The one accepted scan of a ticket: first write wins."""

    ticket: str
    scanner: str
    scanned_at: datetime
    nonce: str | None = None


@dataclass(frozen=True)
class DoorState:
    """What the door knows of one ticket of one performance."""

    check_in: CheckIn | None = None
    revoked_at: datetime | None = None
    revoked_reason: str | None = None


@dataclass(frozen=True)
class Ticket:
    """A verified claim: our signature, so these fields are ours."""

    id: str
    performance: str
    house: str
    seat: str


@dataclass(frozen=True)
class ScanResult:
    verdict: Verdict
    ticket: str | None = None
    seat: str | None = None
    seat_label: str | None = None
    first_scanned_at: datetime | None = None
    first_scanner: str | None = None
    reason: str | None = None  # why forged or revoked
    ticket_performance: str | None = None  # wrong_performance: the one it is for
    replay: bool = False  # answered from the first upload of this nonce

    def replayed(self) -> ScanResult:
        return replace(self, replay=True)


def judge_claim(
    ticket: Ticket | None, forged_reason: str | None, scan: Scan, house: str
) -> ScanResult | None:
    """The verdict a scan gets without the door's state (forged, wrong performance), or None
    when the ticket is for this performance and the door must decide."""
    if ticket is None:
        return ScanResult(Verdict.FORGED, reason=forged_reason or "malformed")
    if ticket.house != house:  # signed with this house's key but naming another: never ours
        return ScanResult(Verdict.FORGED, reason="other-house")
    if ticket.performance != scan.performance:
        return ScanResult(
            Verdict.WRONG_PERFORMANCE,
            ticket=ticket.id,
            seat=ticket.seat,
            ticket_performance=ticket.performance,
        )
    return None


def judge_door(ticket: Ticket, scan: Scan, state: DoorState, written: bool) -> ScanResult:
    """The verdict of a scan of a ticket of this performance. `written`: this scan's
    conditional check-in succeeded; otherwise `state` is what the failed condition met."""
    base = ScanResult(Verdict.ACCEPTED, ticket=ticket.id, seat=ticket.seat)
    if written:
        return replace(base, first_scanned_at=scan.scanned_at, first_scanner=scan.scanner)
    if state.revoked_at is not None:
        return replace(base, verdict=Verdict.REVOKED, reason=state.revoked_reason or "revoked")
    first = state.check_in
    if first is None:
        raise ValueError("a check-in that was not written must have met a check-in")
    seen = replace(base, first_scanned_at=first.scanned_at, first_scanner=first.scanner)
    if scan.nonce is not None and first.nonce == scan.nonce:
        return seen.replayed()  # this very scan, uploaded again: still accepted
    return replace(seen, verdict=Verdict.ALREADY_USED)


# --- reading requests ----------------------------------------------------------------------


def scan_at(
    performance: str,
    payload: str,
    scanner: str,
    nonce: str | None,
    scanned_at: datetime | None,
    now: datetime,
    *,
    where: str = "",
) -> Scan:
    """A scan as reported at `now`. Its own time, if it says one, lies within the last week
    and not ahead of our clock by more than the skew: an offline scanner's clock is trusted
    that far and no further."""
    now = now.replace(microsecond=0)  # the wire's precision: what is stored is what is told
    if scanned_at is not None and not now - OFFLINE_FOR <= scanned_at <= now + CLOCK_SKEW:
        field = f"{where}.scanned_at" if where else "scanned_at"
        expected = "an instant, at most 7 days ago and not in the future"
        raise invalid(FieldError(field, "out of range", expected, "body"))
    return Scan(
        performance=performance,
        payload=payload,
        scanner=scanner,
        # a clock running ahead does not date a scan later
        scanned_at=min(scanned_at, now) if scanned_at is not None else now,
        nonce=nonce,
    )


def check_batch(scans: list[Scan]) -> None:
    """An offline upload is checked whole before anything is written. A nonce twice in one
    batch is the same scan sent twice (answered twice, written once); the same nonce for two
    different scans is bad input."""
    errors: list[FieldError] = []
    seen: dict[str, str] = {}
    for index, scan in enumerate(scans):
        first = seen.setdefault(scan.nonce or "", scan.fingerprint)
        if first != scan.fingerprint:
            errors.append(
                FieldError(
                    f"scans[{index}].nonce",
                    "used for another scan in this batch",
                    "one nonce per scan",
                    "body",
                )
            )
    if errors:
        raise invalid(*errors)
