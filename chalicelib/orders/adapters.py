"""The checkout's AWS adapters: Step Functions, SES, S3, and the ticket issuer. Imports of
boto3, cryptography and fpdf2 stay inside, so the API's cold start does not pay for them."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core import aws
from chalicelib.core.i18n import pick
from chalicelib.orders.model import Order, StoredTicket
from chalicelib.orders.service import ticket_id

PDF_URL_SECONDS = 300  # a link in a page the buyer just opened: short-lived on purpose


class StepFunctionsWorkflow:
    def __init__(self, state_machine_arn: str) -> None:
        self.arn = state_machine_arn
        self.client = aws.client("stepfunctions")

    def start(self, order_id: str, payload: dict[str, Any]) -> None:
        # The execution name is the order id: a retried request cannot start a second saga.
        with contextlib.suppress(self.client.exceptions.ExecutionAlreadyExists):
            self.client.start_execution(
                stateMachineArn=self.arn, name=order_id, input=json.dumps(payload)
            )

    def send_success(self, task_token: str, output: dict[str, Any]) -> None:
        # A saga that moved on (timed out, or resumed by an earlier delivery) says so: fine.
        with contextlib.suppress(*self._moved_on()):
            self.client.send_task_success(taskToken=task_token, output=json.dumps(output))

    def send_failure(self, task_token: str, error: str, cause: str) -> None:
        with contextlib.suppress(*self._moved_on()):
            self.client.send_task_failure(taskToken=task_token, error=error, cause=cause)

    def _moved_on(self) -> tuple[type[Exception], ...]:
        errors = self.client.exceptions
        return (errors.TaskTimedOut, errors.InvalidToken, errors.TaskDoesNotExist)


class SesMailer:
    def __init__(self, sender: str) -> None:
        self.sender = sender
        self.client = aws.client("ses")

    def send(self, to: str, subject: str, text: str, html: str) -> None:
        self.client.send_email(
            Source=self.sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": text, "Charset": "UTF-8"},
                    "Html": {"Data": html, "Charset": "UTF-8"},
                },
            },
        )


class S3TicketFiles:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket
        self.client = aws.client("s3")

    def put_pdf(self, order_id: str, pdf: bytes) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=_pdf_key(order_id), Body=pdf, ContentType="application/pdf"
        )

    def pdf_url(self, order_id: str) -> str:
        url: str = self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": _pdf_key(order_id)},
            ExpiresIn=PDF_URL_SECONDS,
        )
        return url


def _pdf_key(order_id: str) -> str:
    return f"tickets/{order_id}.pdf"


class SignedTicketIssuer:
    """A ticket per seat or place, its QR code signed with the house's current key."""

    def __init__(self, secret: bytes) -> None:
        from chalicelib.tickets.signing import SeededKeyring

        if not secret:
            raise RuntimeError("no ticket key secret: tickets cannot be signed")
        self.keyring = SeededKeyring(secret)

    def issue(self, order: Order, detail: PerformanceDetail) -> list[StoredTicket]:
        from chalicelib.tickets.signing import TicketClaim, sign_for_house

        tickets = []
        for index, line in enumerate(order.lines):
            ident = ticket_id(order.id, index)
            claim = TicketClaim(
                ticket_id=ident, performance=order.performance, house=order.house, seat=line.place
            )
            tickets.append(
                StoredTicket(
                    id=ident,
                    index=index,
                    order=order.id,
                    house=order.house,
                    performance=order.performance,
                    place=line.place,
                    label=line.label,
                    tariff_name=line.tariff_name,
                    price_cents=line.price_cents,
                    holder=order.customer.name,
                    qr=sign_for_house(claim, self.keyring),
                )
            )
        return tickets

    def pdf(self, order: Order, detail: PerformanceDetail, tickets: list[StoredTicket]) -> bytes:
        from chalicelib.tickets.pdf import TicketView, render_tickets_pdf

        lang = order.customer.language
        views = [
            TicketView(
                ticket_id=t.id,
                order_id=order.id,
                house_name=detail.house.name,
                production_title=pick(detail.production.title, lang),
                starts_at=detail.performance.starts_at,
                venue_name=detail.venue.name,
                hall_name=detail.hall.name,
                place_label=t.label,
                tariff_name=t.tariff_name,
                price_cents=t.price_cents,
                holder_name=t.holder,
                qr_payload=t.qr,
            )
            for t in tickets
        ]
        return render_tickets_pdf(views, lang)
