"""Door scanning on AWS's DynamoDB Local: the check-in is one conditional write (16 scanners
racing for one ticket: exactly one accepted), revocations refuse a ticket and list it for the
scanners, and an offline upload sent again is recognised by its nonces."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from chalicelib.catalogue.store import DynamoCatalogueStore
from chalicelib.core.clock import FixedClock, to_utc_iso
from chalicelib.core.edge import parse
from chalicelib.core.errors import Problem
from chalicelib.inventory.store import DynamoInventoryStore
from chalicelib.scanning.labels import SeatLabels
from chalicelib.scanning.model import Verdict
from chalicelib.scanning.schemas import BatchCommand, ScanCommand
from chalicelib.scanning.service import ScanningService
from chalicelib.scanning.store import DynamoDoorStore, revoke_tickets
from chalicelib.store import keys
from chalicelib.store.models import PodiumItem
from chalicelib.tickets.signing import SeededKeyring, TicketClaim, sign_for_house
from tests import factories as f
from tests.inventory_fixtures import new_performance

pytestmark = pytest.mark.usefixtures("dynamodb")

KEYRING = SeededKeyring(b"integration-secret-for-door-scanning-0123456789")
HOUSES = frozenset({"ntgent"})


@pytest.fixture
def service(clock: FixedClock) -> ScanningService:
    return ScanningService(
        DynamoDoorStore(),
        DynamoCatalogueStore(),
        KEYRING,
        clock,
        labels=SeatLabels(DynamoInventoryStore()),
    )


def ticket(performance: str, n: int = 1, seat: str = "zaal-a-5", house: str = "ntgent") -> str:
    return sign_for_house(TicketClaim(f"t-{performance}-{n}", performance, house, seat), KEYRING)


def scan(performance: str, payload: str, **changes: str) -> ScanCommand:
    """A scan as the route reads it from its body."""
    body = {"performance": performance, "payload": payload, "scanner": "door-1", **changes}
    return parse(ScanCommand, body)


def batch(*scans: ScanCommand) -> BatchCommand:
    """An offline upload as the route reads it."""
    return parse(BatchCommand, {"scans": [entry.model_dump(exclude_none=True) for entry in scans]})


def door_items(performance: str) -> list[dict[str, object]]:
    items = PodiumItem.query(keys.door_pk(performance), consistent_read=True)
    return [item.to_simple_dict() for item in items]


def test_accepted_then_already_used_with_when_and_by_whom(service, clock):
    p = new_performance()
    qr = ticket(p)
    first = service.check_in(scan(p, qr), HOUSES, "nl")
    assert (first.verdict, first.ticket, first.seat) == (Verdict.ACCEPTED, f"t-{p}-1", "zaal-a-5")
    assert first.seat_label == "Zaal rij A stoel 5"
    clock.advance(minutes=4)
    again = service.check_in(scan(p, qr, scanner="door-2"), HOUSES, "en")
    assert again.verdict is Verdict.ALREADY_USED
    assert (again.first_scanned_at, again.first_scanner) == (f.T0, "door-1")
    assert again.seat_label == "Hall row A seat 5"
    (item,) = door_items(p)
    assert (item["house"], item["scanner"]) == ("ntgent", "door-1")  # the first scan stays


def test_revoked_tickets_are_refused_and_listed_for_the_scanners(service):
    p = new_performance()
    revoke_tickets("ntgent", p, [f"t-{p}-1", f"t-{p}-2"], "refunded", f.T0)
    result = service.check_in(scan(p, ticket(p, 1)), HOUSES, "nl")
    assert (result.verdict, result.reason) == (Verdict.REVOKED, "refunded")
    assert service.keys(p, HOUSES).revoked == [f"t-{p}-1", f"t-{p}-2"]
    # Revoked after entering: the next scan says revoked; the first check-in stays recorded.
    assert service.check_in(scan(p, ticket(p, 3)), HOUSES, "nl").verdict is Verdict.ACCEPTED
    revoke_tickets("ntgent", p, [f"t-{p}-3"], "cancelled", f.T0 + timedelta(hours=1))
    revoke_tickets("ntgent", p, [f"t-{p}-3"], "again", f.T0 + timedelta(hours=2))  # idempotent
    late = service.check_in(scan(p, ticket(p, 3)), HOUSES, "nl")
    assert (late.verdict, late.reason) == (Verdict.REVOKED, "cancelled")
    assert service.keys(p, HOUSES).revoked == [f"t-{p}-1", f"t-{p}-2", f"t-{p}-3"]
    assert service.keys(new_performance(), HOUSES).revoked == []  # per performance


def test_wrong_performance_and_forged_payloads_write_nothing(service):
    p, tomorrow = new_performance(), new_performance()
    wrong = service.check_in(scan(p, ticket(tomorrow)), HOUSES, "nl")
    assert (wrong.verdict, wrong.ticket_performance) == (Verdict.WRONG_PERFORMANCE, tomorrow)
    good = ticket(p)
    tampered = good.replace("zaal-a-5", "zaal-a-1")
    other_house = ticket(p, house="campo")  # campo's key, naming ntgent's performance
    for payload, reason in ((tampered, "bad-signature"), (other_house, "unknown-key")):
        result = service.check_in(scan(p, payload), HOUSES, "nl")
        assert (result.verdict, result.reason) == (Verdict.FORGED, reason)
    assert door_items(p) == []
    assert service.check_in(scan(p, good), HOUSES, "nl").verdict is Verdict.ACCEPTED


def test_a_scanner_of_another_house_finds_no_such_performance(service):
    p = new_performance()
    for call in (
        lambda: service.keys(p, frozenset({"campo"})),
        lambda: service.check_in(scan(p, ticket(p)), frozenset({"campo"}), "nl"),
    ):
        with pytest.raises(Problem) as raised:
            call()
        assert (raised.value.status, raised.value.code) == (404, "not_found")
    assert door_items(p) == []


def test_an_offline_upload_sent_again_is_recognised_by_its_nonces(service, clock):
    p = new_performance()
    earlier = to_utc_iso(f.T0 - timedelta(minutes=30))
    upload = batch(
        scan(p, ticket(p, 1), nonce="offline-0001", scanned_at=earlier),
        scan(p, ticket(p, 2), nonce="offline-0002", scanned_at=earlier),
        scan(p, ticket(p, 1), nonce="offline-0003", scanned_at=earlier),
        scan(p, "PD1.junk", nonce="offline-0004", scanned_at=earlier),
    )
    first = service.upload(upload, HOUSES, "nl")
    assert [r.verdict for _, r in first] == [
        Verdict.ACCEPTED,
        Verdict.ACCEPTED,
        Verdict.ALREADY_USED,
        Verdict.FORGED,
    ]
    assert first[0][1].first_scanned_at == f.T0 - timedelta(minutes=30)  # the scanner's time
    before = door_items(p)
    clock.advance(minutes=10)
    again = service.upload(upload, HOUSES, "nl")
    assert [(r.verdict, r.replay) for _, r in again] == [(r.verdict, True) for _, r in first]
    assert door_items(p) == before  # nothing new written
    # An online retry of a scan whose answer was lost: still its own accepted scan.
    retry = service.check_in(
        scan(p, ticket(p, 2), nonce="offline-0002", scanned_at=earlier), HOUSES, "nl"
    )
    assert (retry.verdict, retry.replay) == (Verdict.ACCEPTED, True)
    with pytest.raises(Problem) as raised:
        service.upload(batch(scan(p, ticket(p, 9), nonce="offline-0001")), HOUSES, "nl")
    assert (raised.value.status, raised.value.code) == (409, "nonce_reused")
    assert door_items(p) == before


def test_sixteen_scanners_one_ticket_at_once_exactly_one_accepted(service):
    p = new_performance()
    qr = ticket(p)
    barrier = threading.Barrier(16)
    verdicts: list[Verdict] = []
    errors: list[BaseException] = []

    def at_the_door(n: int) -> None:
        barrier.wait()
        try:
            verdicts.append(
                service.check_in(scan(p, qr, scanner=f"door-{n}"), HOUSES, "nl").verdict
            )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=at_the_door, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(verdicts) == sorted([Verdict.ACCEPTED] + [Verdict.ALREADY_USED] * 15)


def test_sixteen_uploads_of_one_offline_scan_at_once_agree(service):
    """The same nonce uploaded by 16 retries at once: all answer the one verdict it got."""
    p = new_performance()
    entry = scan(p, ticket(p), nonce="offline-race-1")
    barrier = threading.Barrier(16)
    verdicts: list[Verdict] = []

    def upload() -> None:
        barrier.wait()
        ((_, result),) = service.upload(batch(entry), HOUSES, "nl")
        verdicts.append(result.verdict)

    threads = [threading.Thread(target=upload) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verdicts == [Verdict.ACCEPTED] * 16


def test_an_orders_voided_tickets_are_revoked_at_the_door(service):
    """Where tickets are cancelled (a staff cancel, a full refund): DynamoOrderStore's
    void_tickets. Voiding twice (a retried cancel) keeps the first reason."""
    from chalicelib.orders.model import StoredTicket
    from chalicelib.orders.store import DynamoOrderStore

    p = new_performance()
    qr = ticket(p, 1)
    store = DynamoOrderStore()
    order_id = f"o-door-{p}"
    store.save_tickets(
        [
            StoredTicket(
                id=f"t-{p}-{n}",
                index=n,
                order=order_id,
                house="ntgent",
                performance=p,
                place="zaal-a-5",
                label="Zaal rij A stoel 5",
                tariff_name="Standaard",
                price_cents=2200,
                holder="An Peeters",
                qr=qr,
            )
            for n in (1, 2)
        ]
    )
    assert service.check_in(scan(p, ticket(p, 2)), HOUSES, "nl").verdict is Verdict.ACCEPTED
    store.void_tickets(order_id, f.T0, "refunded")
    store.void_tickets(order_id, f.T0 + timedelta(minutes=1))
    assert service.keys(p, HOUSES).revoked == [f"t-{p}-1", f"t-{p}-2"]
    for n in (1, 2):
        result = service.check_in(scan(p, ticket(p, n)), HOUSES, "nl")
        assert (result.verdict, result.reason) == (Verdict.REVOKED, "refunded")
    assert all(t.voided for t in store.tickets(order_id))


def test_an_online_scan_with_a_nonce_is_its_own_first_answer(service, clock):
    """Stored times are whole seconds (the wire's): the nonce's record equals the answer."""
    clock.current = f.T0 + timedelta(microseconds=654321)
    p = new_performance()
    first = service.check_in(scan(p, ticket(p), nonce="online-0001"), HOUSES, "nl")
    assert (first.verdict, first.replay, first.first_scanned_at) == (
        Verdict.ACCEPTED,
        False,
        f.T0,
    )
    again = service.check_in(scan(p, ticket(p), nonce="online-0001"), HOUSES, "nl")
    assert (again.verdict, again.replay, again.first_scanned_at) == (Verdict.ACCEPTED, True, f.T0)
