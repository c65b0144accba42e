"""The door's DynamoDB adapter: one door item per ticket of a performance (its check-in and its
revocation, so one conditional UpdateItem decides a scan: no transaction, nothing to slip
between a read and a write), and one item per uploaded scan nonce. Every item carries its
house; every read takes the house and drops anything of another (the service has already
checked that the performance is the caller's house's)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.scanning.model import CheckIn, DoorState, Scan, ScanResult, Ticket, Verdict
from chalicelib.store import keys
from chalicelib.store.db import from_ms, ms
from chalicelib.store.models import DoorTicketItem, PodiumItem, ScanNonceItem

NONCES_KEPT = timedelta(days=30)  # garbage collection only: nothing reads `expires`


class DynamoDoorStore:
    def check_in(
        self, house: str, ticket: Ticket, scan: Scan, received_at: datetime
    ) -> tuple[bool, DoorState]:
        """Check the ticket in, on condition it is neither checked in nor revoked. True and the
        new state, or False and the state that refused it (whoever checked in first)."""
        item = DoorTicketItem(
            pk=keys.door_pk(ticket.performance), sk=keys.door_ticket_sk(ticket.id)
        )
        actions: list[Action] = [
            DoorTicketItem.kind.set(DoorTicketItem),
            DoorTicketItem.house.set(house),
            DoorTicketItem.performance.set(ticket.performance),
            DoorTicketItem.ticket.set(ticket.id),
            DoorTicketItem.seat.set(ticket.seat),
            DoorTicketItem.checked_in_at.set(ms(scan.scanned_at)),
            DoorTicketItem.received_at.set(ms(received_at)),
            DoorTicketItem.scanner.set(scan.scanner),
        ]
        if scan.nonce is not None:
            actions.append(DoorTicketItem.nonce.set(scan.nonce))
        try:
            item.update(
                actions=actions,
                condition=DoorTicketItem.checked_in_at.does_not_exist()
                & DoorTicketItem.revoked_at.does_not_exist(),
            )
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            # Check-ins and revocations are never undone: what refused us is still there.
            return False, self.state(house, ticket.performance, ticket.id)
        return True, DoorState(CheckIn(ticket.id, scan.scanner, scan.scanned_at, scan.nonce))

    def state(self, house: str, performance: str, ticket: str) -> DoorState:
        try:
            item = DoorTicketItem.get(
                keys.door_pk(performance), keys.door_ticket_sk(ticket), consistent_read=True
            )
        except DoorTicketItem.DoesNotExist:
            return DoorState()
        if item.house != house:
            return DoorState()
        check_in = None
        if item.checked_in_at is not None:
            check_in = CheckIn(ticket, item.scanner or "", from_ms(item.checked_in_at), item.nonce)
        revoked_at = from_ms(item.revoked_at) if item.revoked_at is not None else None
        return DoorState(check_in, revoked_at, item.revoked_reason)

    def revoked(self, house: str, performance: str) -> list[str]:
        """The revoked tickets of a performance, from the sparse index (a revocation shows
        within about a second)."""
        return sorted(
            item.ticket
            for item in PodiumItem.gsi1.query(keys.door_revoked(performance))
            if isinstance(item, DoorTicketItem) and item.house == house
        )

    # --- nonces of uploaded scans -----------------------------------------------------------

    def nonce_results(
        self, house: str, performance: str, nonces: Iterable[str]
    ) -> dict[str, tuple[str, ScanResult]]:
        """nonce → (fingerprint, first result) for the nonces already uploaded."""
        wanted = sorted(set(nonces))
        found: dict[str, tuple[str, ScanResult]] = {}
        for start in range(0, len(wanted), 100):
            batch = [
                (keys.door_pk(performance), keys.scan_nonce_sk(n))
                for n in wanted[start : start + 100]
            ]
            for item in PodiumItem.batch_get(batch, consistent_read=True):
                if isinstance(item, ScanNonceItem) and item.house == house:
                    found[item.sk.removeprefix("NONCE#")] = (item.fingerprint, _result(item))
        return found

    def save_nonce(
        self, house: str, scan: Scan, result: ScanResult, received_at: datetime
    ) -> tuple[str, ScanResult]:
        """Record the scan's verdict under its nonce, first upload wins: the (fingerprint,
        result) that stands."""
        assert scan.nonce is not None
        item = ScanNonceItem(
            pk=keys.door_pk(scan.performance),
            sk=keys.scan_nonce_sk(scan.nonce),
            house=house,
            performance=scan.performance,
            scanner=scan.scanner,
            fingerprint=scan.fingerprint,
            verdict=result.verdict.value,
            ticket=result.ticket,
            seat=result.seat,
            first_scanned_at=ms(result.first_scanned_at) if result.first_scanned_at else None,
            first_scanner=result.first_scanner,
            reason=result.reason,
            ticket_performance=result.ticket_performance,
            received_at=ms(received_at),
            expires=received_at + NONCES_KEPT,
        )
        try:
            item.save(condition=ScanNonceItem.sk.does_not_exist())
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            stood = self.nonce_results(house, scan.performance, [scan.nonce])
            if scan.nonce in stood:
                return stood[scan.nonce]
            raise
        return scan.fingerprint, result


def revoke_tickets(
    house: str, performance: str, tickets: Iterable[str], reason: str, moment: datetime
) -> None:
    """Tickets cancelled or refunded: the door refuses them from now on (even one already
    checked in), and they join the performance's revocation list. Idempotent: the first
    revocation's time and reason stay."""
    for ticket in tickets:
        item = DoorTicketItem(pk=keys.door_pk(performance), sk=keys.door_ticket_sk(ticket))
        item.update(
            actions=[
                DoorTicketItem.kind.set(DoorTicketItem),
                DoorTicketItem.house.set(house),
                DoorTicketItem.performance.set(performance),
                DoorTicketItem.ticket.set(ticket),
                DoorTicketItem.revoked_at.set(DoorTicketItem.revoked_at | ms(moment)),
                DoorTicketItem.revoked_reason.set(DoorTicketItem.revoked_reason | reason),
                DoorTicketItem.gsi1pk.set(keys.door_revoked(performance)),
                DoorTicketItem.gsi1sk.set(ticket),
            ],
            # a door item belongs to its house: a revocation never crosses over
            condition=DoorTicketItem.house.does_not_exist() | (DoorTicketItem.house == house),
        )


def _result(item: ScanNonceItem) -> ScanResult:
    return ScanResult(
        verdict=Verdict(item.verdict),
        ticket=item.ticket,
        seat=item.seat,
        first_scanned_at=from_ms(item.first_scanned_at) if item.first_scanned_at else None,
        first_scanner=item.first_scanner,
        reason=item.reason,
        ticket_performance=item.ticket_performance,
    )
