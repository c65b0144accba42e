"""What the door's routes read and answer: the scan commands the service takes, and the replies.
The one place their shape is checked; the API document is generated from these classes."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from chalicelib.core.edge import Body, Instant, Moment, Query, Reply, expect
from chalicelib.scanning.model import MAX_BATCH, MAX_PAYLOAD, Scan, ScanResult, Verdict

_NONCE = "8-128 of A-Za-z0-9_-"
_NONCE_PATTERN = r"^[A-Za-z0-9_-]{8,128}$"
_SCANNED_AT = "an instant, at most 7 days ago and not in the future"


class KeysQuery(Query):
    performance: Annotated[str, expect("a performance id", min_length=1)]


class ScanCommand(Body):
    """a scan"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "performance": "ntgent-hamlet-2027-01-15",
                    "payload": "PD1.eyJ0IjoidC0xIn0.c2ln",
                    "scanner": "door-1",
                    "nonce": "n-0001-door-1",
                }
            ]
        }
    )

    performance: Annotated[str, expect("a performance id", min_length=1)]
    payload: Annotated[
        str, expect("the ticket's QR payload (PD1.…)", min_length=1, max_length=MAX_PAYLOAD)
    ]
    scanner: Annotated[
        str, expect("a device id, 1-64 of A-Za-z0-9_.:-", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    ]
    nonce: Annotated[str | None, expect(_NONCE, pattern=_NONCE_PATTERN)] = None
    scanned_at: Annotated[Instant | None, expect(_SCANNED_AT)] = None


class OfflineScan(ScanCommand):
    """a scan of an offline upload, with its nonce"""

    nonce: Annotated[str, expect(_NONCE, pattern=_NONCE_PATTERN)]


class BatchCommand(Body):
    """{"scans": [...]}"""

    scans: Annotated[
        list[OfflineScan], expect(f"a list of 1-{MAX_BATCH} scans", min_length=1, max_length=100)
    ]


class KeyOut(Reply):
    kid: str
    alg: str
    public_key: str


class KeysReply(Reply):
    """What a scanner downloads before the doors open."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "performance": "ntgent-hamlet-2027-01-15",
                    "house": "ntgent",
                    "keys": [{"kid": "ntgent-1", "alg": "EdDSA", "public_key": "MCowBQYDK2Vw…"}],
                    "revoked": ["t-0f3c"],
                    "generated_at": "2027-01-15T18:00:00Z",
                }
            ]
        }
    )

    performance: str
    house: str
    keys: list[KeyOut]
    revoked: list[str]
    generated_at: Moment


class ScanReply(Reply):
    """A scan's verdict; fields that do not apply are left out."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "verdict": "accepted",
                    "ticket": "t-0f3c",
                    "seat": "parterre-r1-s9",
                    "seat_label": "Parterre rij 1 stoel 9",
                    "first_scanned_at": "2027-01-15T19:02:11Z",
                    "first_scanner": "door-1",
                }
            ]
        }
    )

    verdict: Verdict
    ticket: str | None = None
    seat: str | None = None
    seat_label: str | None = None
    first_scanned_at: Moment | None = None
    first_scanner: str | None = None
    reason: str | None = Field(default=None, description="why forged or revoked")
    ticket_performance: str | None = Field(
        default=None, description="wrong_performance: the performance the ticket is for"
    )
    replay: bool | None = Field(
        default=None, description="true when answered from the first upload of this nonce"
    )

    @classmethod
    def of(cls, result: ScanResult) -> ScanReply:
        return cls(
            verdict=result.verdict,
            ticket=result.ticket,
            seat=result.seat,
            seat_label=result.seat_label,
            first_scanned_at=result.first_scanned_at,
            first_scanner=result.first_scanner,
            reason=result.reason,
            ticket_performance=result.ticket_performance,
            replay=True if result.replay else None,
        )


class BatchScanReply(ScanReply):
    nonce: str | None = None
    performance: str

    @classmethod
    def of_scan(cls, scan: Scan, result: ScanResult) -> BatchScanReply:
        return cls(
            nonce=scan.nonce, performance=scan.performance, **ScanReply.of(result).model_dump()
        )


class BatchReply(Reply):
    """Each scan's verdict, in the order uploaded."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {
                            "nonce": "n-0001-door-1",
                            "performance": "ntgent-hamlet-2027-01-15",
                            "verdict": "already_used",
                            "ticket": "t-0f3c",
                            "first_scanned_at": "2027-01-15T19:02:11Z",
                            "first_scanner": "door-2",
                        }
                    ]
                }
            ]
        }
    )

    results: list[BatchScanReply]
