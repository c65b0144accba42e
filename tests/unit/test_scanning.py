"""Door scanning's rules without AWS: the verdicts and their order, what a scan and an offline
upload must look like, and the service over an in-memory door (isolation, nonces)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.clock import FixedClock, to_utc_iso
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.scanning.model import (
    CheckIn,
    DoorState,
    Scan,
    ScanResult,
    Ticket,
    Verdict,
    check_batch,
    judge_claim,
    judge_door,
)
from chalicelib.scanning.schemas import BatchCommand, ScanCommand
from chalicelib.scanning.service import ScanningService, scan_of
from chalicelib.tickets.signing import SeededKeyring, TicketClaim, sign, sign_for_house
from tests import factories as f

KEYRING = SeededKeyring(b"unit-test-secret-for-door-scanning-0123456789")
T0 = f.T0
TICKET = Ticket("t-1", "perf-a", "ntgent", "zaal-a-5")


def parse_scan(data: object, now: datetime) -> Scan:
    """A scan body as the route reads it and the service takes it."""
    return scan_of(parse(ScanCommand, data), now)


def parse_batch(data: object, now: datetime) -> list[Scan]:
    command = parse(BatchCommand, data)
    scans = [scan_of(entry, now, f"scans[{i}]") for i, entry in enumerate(command.scans)]
    check_batch(scans)
    return scans


def command(**changes: object) -> ScanCommand:
    return parse(ScanCommand, body(**changes))


def scan(**changes: object) -> Scan:
    base = {
        "performance": "perf-a",
        "payload": "PD1.x",
        "scanner": "door-1",
        "scanned_at": T0,
        "nonce": None,
    }
    return Scan(**{**base, **changes})  # type: ignore[arg-type]


# --- the verdicts --------------------------------------------------------------------------


def test_forged_when_nothing_verified_or_it_names_another_house():
    assert judge_claim(None, "bad-signature", scan(), "ntgent") == ScanResult(
        Verdict.FORGED, reason="bad-signature"
    )
    other = Ticket("t-1", "perf-a", "campo", "zaal-a-5")
    assert judge_claim(other, None, scan(), "ntgent").verdict is Verdict.FORGED


def test_wrong_performance_names_the_one_the_ticket_is_for():
    result = judge_claim(TICKET, None, scan(performance="perf-b"), "ntgent")
    assert result is not None and result.verdict is Verdict.WRONG_PERFORMANCE
    assert (result.ticket, result.ticket_performance) == ("t-1", "perf-a")


def test_a_ticket_of_this_performance_goes_to_the_door():
    assert judge_claim(TICKET, None, scan(), "ntgent") is None


def test_the_written_check_in_is_accepted_with_its_own_time():
    result = judge_door(TICKET, scan(), DoorState(), written=True)
    assert (result.verdict, result.first_scanned_at, result.first_scanner) == (
        Verdict.ACCEPTED,
        T0,
        "door-1",
    )


def test_already_used_says_when_and_by_whom():
    first = CheckIn("t-1", "door-2", T0 - timedelta(minutes=3))
    result = judge_door(TICKET, scan(), DoorState(check_in=first), written=False)
    assert result.verdict is Verdict.ALREADY_USED
    assert (result.first_scanned_at, result.first_scanner) == (first.scanned_at, "door-2")


def test_revoked_wins_over_already_used():
    state = DoorState(CheckIn("t-1", "door-2", T0), revoked_at=T0, revoked_reason="refunded")
    result = judge_door(TICKET, scan(), state, written=False)
    assert (result.verdict, result.reason) == (Verdict.REVOKED, "refunded")


def test_the_same_nonce_again_is_still_its_own_accepted_scan():
    first = CheckIn("t-1", "door-1", T0, nonce="nonce-0001")
    again = judge_door(TICKET, scan(nonce="nonce-0001"), DoorState(first), written=False)
    assert (again.verdict, again.replay) == (Verdict.ACCEPTED, True)
    other = judge_door(TICKET, scan(nonce="nonce-0002"), DoorState(first), written=False)
    assert other.verdict is Verdict.ALREADY_USED


def test_a_check_in_that_failed_without_a_reason_is_a_bug():
    with pytest.raises(ValueError):
        judge_door(TICKET, scan(), DoorState(), written=False)


# --- reading scans -------------------------------------------------------------------------


def body(**changes: object) -> dict[str, object]:
    return {"performance": "perf-a", "payload": "PD1.x", "scanner": "door-1", **changes}


def fields_of(raised: pytest.ExceptionInfo[Problem]) -> set[str]:
    assert raised.value.status == 400 and raised.value.code == "invalid_input"
    return {e.field for e in raised.value.errors}


def test_a_scan_defaults_to_now_and_never_dates_itself_later():
    assert parse_scan(body(), T0).scanned_at == T0
    ahead = to_utc_iso(T0 + timedelta(minutes=2))
    assert parse_scan(body(scanned_at=ahead), T0).scanned_at == T0  # clock skew: ours
    earlier = to_utc_iso(T0 - timedelta(hours=2))
    assert parse_scan(body(scanned_at=earlier), T0).scanned_at == T0 - timedelta(hours=2)


def test_bad_scans_name_every_field():
    with pytest.raises(Problem) as raised:
        parse_scan(
            {"payload": 5, "scanner": "a b", "nonce": "short", "scanned_at": "yesterday", "x": 1},
            T0,
        )
    assert fields_of(raised) == {"performance", "payload", "scanner", "nonce", "scanned_at", "x"}
    with pytest.raises(Problem) as raised:
        parse_scan(body(scanned_at=to_utc_iso(T0 + timedelta(hours=1))), T0)
    assert fields_of(raised) == {"scanned_at"}
    with pytest.raises(Problem) as raised:
        parse_scan(body(scanned_at=to_utc_iso(T0 - timedelta(days=8))), T0)
    assert fields_of(raised) == {"scanned_at"}
    with pytest.raises(Problem) as raised:
        parse_scan([], T0)
    assert fields_of(raised) == {"body"}


def test_a_batch_needs_a_nonce_on_every_scan_and_names_the_entry():
    with pytest.raises(Problem) as raised:
        parse_batch({"scans": [body(nonce="nonce-0001"), body(), "x"]}, T0)
    assert fields_of(raised) == {"scans[1].nonce", "scans[2]"}
    with pytest.raises(Problem) as raised:
        parse_batch({"scans": []}, T0)
    assert fields_of(raised) == {"scans"}
    with pytest.raises(Problem) as raised:
        parse_batch({"scans": [body(nonce=f"nonce-{i:04d}") for i in range(101)]}, T0)
    assert fields_of(raised) == {"scans"}


def test_a_nonce_twice_in_a_batch_is_one_scan_sent_twice_never_two_scans():
    same = body(nonce="nonce-0001")
    assert len(parse_batch({"scans": [same, same]}, T0)) == 2
    with pytest.raises(Problem) as raised:
        parse_batch({"scans": [same, body(nonce="nonce-0001", payload="PD1.y")]}, T0)
    assert fields_of(raised) == {"scans[1].nonce"}


# --- the service over an in-memory door ----------------------------------------------------


@dataclass
class MemoryDoor:
    checked: dict[tuple[str, str], CheckIn] = field(default_factory=dict)
    revocations: dict[tuple[str, str], datetime] = field(default_factory=dict)
    nonces: dict[tuple[str, str], tuple[str, ScanResult]] = field(default_factory=dict)
    writes: int = 0

    def check_in(
        self, house: str, ticket: Ticket, scan: Scan, received_at: datetime
    ) -> tuple[bool, DoorState]:
        key = (ticket.performance, ticket.id)
        if key in self.checked or key in self.revocations:
            return False, DoorState(self.checked.get(key), self.revocations.get(key), "refunded")
        self.writes += 1
        self.checked[key] = CheckIn(ticket.id, scan.scanner, scan.scanned_at, scan.nonce)
        return True, DoorState(self.checked[key])

    def revoked(self, house: str, performance: str) -> list[str]:
        return sorted(t for p, t in self.revocations if p == performance)

    def nonce_results(
        self, house: str, performance: str, nonces: Iterable[str]
    ) -> dict[str, tuple[str, ScanResult]]:
        return {n: self.nonces[(performance, n)] for n in nonces if (performance, n) in self.nonces}

    def save_nonce(
        self, house: str, scan: Scan, result: ScanResult, received_at: datetime
    ) -> tuple[str, ScanResult]:
        assert scan.nonce
        key = (scan.performance, scan.nonce)
        if key not in self.nonces:
            self.writes += 1
            self.nonces[key] = (scan.fingerprint, result)
        return self.nonces[key]


@pytest.fixture
def door() -> MemoryDoor:
    return MemoryDoor()


def detail(performance: str, house: str = "ntgent") -> PerformanceDetail:
    return PerformanceDetail(
        performance=f.performance(performance, house=house),
        production=f.production(),
        house=f.house(house),
        venue=f.venue(house=house),
        hall=f.hall(house=house),
    )


@dataclass
class _Finder:
    details: dict[str, PerformanceDetail]

    def find_performance(self, performance_id: str) -> PerformanceDetail | None:
        return self.details.get(performance_id)


@pytest.fixture
def service(door: MemoryDoor) -> ScanningService:
    details = {p: detail(p) for p in ("perf-a", "perf-b")} | {"perf-c": detail("perf-c", "campo")}

    return ScanningService(door, _Finder(details), KEYRING, FixedClock(T0))


def qr(performance: str = "perf-a", house: str = "ntgent", ticket: str = "t-1") -> str:
    return sign_for_house(TicketClaim(ticket, performance, house, "zaal-a-5"), KEYRING)


A = frozenset({"ntgent"})


def test_another_houses_performance_is_not_found_like_an_unknown_one(service):
    for performance in ("perf-c", "no-such", "Not An Id"):
        with pytest.raises(Problem) as raised:
            service.check_in(command(performance=performance, payload=qr()), A, "nl")
        assert (raised.value.status, raised.value.code) == (404, "not_found")
        with pytest.raises(Problem):
            service.keys(performance, A)


def test_keys_are_the_houses_own_and_the_revocations_the_performances(service, door):
    door.revocations[("perf-a", "t-9")] = T0
    door.revocations[("perf-b", "t-8")] = T0
    view = service.keys("perf-a", A)
    assert (view.house, view.revoked, view.generated_at) == ("ntgent", ["t-9"], T0)
    assert [k["kid"] for k in view.keys] == ["ntgent-k1"]


def test_forged_payloads(service):
    good = qr()
    tampered = good.replace("zaal-a-5", "zaal-a-6")
    campo_key = sign_for_house(TicketClaim("t-1", "perf-a", "campo", "zaal-a-5"), KEYRING)
    _, ntgent_key = KEYRING.signing_key("ntgent")
    unknown_kid = sign(TicketClaim("t-1", "perf-a", "ntgent", "zaal-a-5"), "ntgent-k7", ntgent_key)
    for payload, reason in (
        (tampered, "bad-signature"),
        (campo_key, "unknown-key"),
        (unknown_kid, "unknown-key"),
        ("junk", "malformed"),
    ):
        result = service.check_in(command(payload=payload), A, "nl")
        assert (result.verdict, result.reason) == (Verdict.FORGED, reason)


def test_accepted_then_already_used_then_revoked(service, door):
    first = service.check_in(command(payload=qr()), A, "nl")
    assert first.verdict is Verdict.ACCEPTED
    second = service.check_in(command(payload=qr(), scanner="door-2"), A, "nl")
    assert (second.verdict, second.first_scanner) == (Verdict.ALREADY_USED, "door-1")
    door.revocations[("perf-a", "t-1")] = T0
    assert service.check_in(command(payload=qr()), A, "nl").verdict is Verdict.REVOKED


def test_an_upload_answers_each_nonce_once_and_writes_nothing_the_second_time(service, door):
    scans = [
        body(payload=qr(ticket="t-1"), nonce="nonce-0001"),
        body(payload=qr(ticket="t-1"), nonce="nonce-0002"),
        body(payload=qr(ticket="t-2"), nonce="nonce-0003"),
        body(payload=qr(ticket="t-2"), nonce="nonce-0003"),  # sent twice in one batch
    ]
    first = service.upload(parse(BatchCommand, {"scans": scans}), A, "nl")
    verdicts = [(r.verdict, r.replay) for _, r in first]
    assert verdicts == [
        (Verdict.ACCEPTED, False),
        (Verdict.ALREADY_USED, False),
        (Verdict.ACCEPTED, False),
        (Verdict.ACCEPTED, True),
    ]
    writes = door.writes
    again = service.upload(parse(BatchCommand, {"scans": scans}), A, "nl")
    assert [r.verdict for _, r in again] == [r.verdict for _, r in first]
    assert all(r.replay for _, r in again) and door.writes == writes


def test_a_nonce_reused_for_another_scan_is_refused_before_anything_is_written(service, door):
    service.upload(
        parse(BatchCommand, {"scans": [body(payload=qr(), nonce="nonce-0001")]}), A, "nl"
    )
    writes = door.writes
    batch = {
        "scans": [
            body(payload=qr(ticket="t-5"), nonce="nonce-0005"),
            body(payload=qr(ticket="t-6"), nonce="nonce-0001"),
        ]
    }
    with pytest.raises(Problem) as raised:
        service.upload(parse(BatchCommand, batch), A, "nl")
    assert (raised.value.status, raised.value.code) == (409, "nonce_reused")
    assert raised.value.errors[0].field == "scans[1].nonce"
    assert door.writes == writes
    with pytest.raises(Problem):
        service.check_in(command(payload=qr(ticket="t-6"), nonce="nonce-0001"), A, "nl")


def test_an_upload_with_another_houses_performance_writes_nothing(service, door):
    batch = {
        "scans": [
            body(payload=qr(), nonce="nonce-0001"),
            body(performance="perf-c", payload=qr("perf-c", "campo"), nonce="nonce-0002"),
        ]
    }
    with pytest.raises(Problem) as raised:
        service.upload(parse(BatchCommand, batch), A, "nl")
    assert raised.value.status == 404 and door.writes == 0


def test_an_online_scan_with_a_nonce_is_not_a_replay_the_first_time(door):
    clock = FixedClock(T0 + timedelta(microseconds=123456))
    online = ScanningService(door, _Finder({"perf-a": detail("perf-a")}), KEYRING, clock)
    first = online.check_in(command(payload=qr(), nonce="online-0001"), A, "nl")
    assert (first.verdict, first.replay, first.first_scanned_at) == (Verdict.ACCEPTED, False, T0)
    again = online.check_in(command(payload=qr(), nonce="online-0001"), A, "nl")
    assert (again.verdict, again.replay) == (Verdict.ACCEPTED, True)
