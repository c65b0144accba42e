"""Tickets and admission tokens: signed, bound to their room, expiring on our clock."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest

from chalicelib.onsale.model import Admission
from chalicelib.onsale.tokens import ExpiredToken, InvalidToken, Signer
from tests.factories import T0

SECRET = b"unit-test-admission-secret-of-at-least-32-bytes"


@pytest.fixture
def signer() -> Signer:
    return Signer(SECRET)


def admission(**changes: object) -> Admission:
    base = {
        "room": "lier-seizoen",
        "ticket": "ticket-1",
        "client": "c" * 64,
        "email": "e" * 64,
        "issued_at": T0,
        "expires_at": T0 + timedelta(minutes=15),
    }
    return Admission(**{**base, **changes})  # type: ignore[arg-type]


def test_a_ticket_belongs_to_its_room_only(signer):
    ticket = signer.new_ticket("lier-seizoen")
    assert signer.is_ticket_of("lier-seizoen", ticket)
    assert not signer.is_ticket_of("other-room", ticket)
    random_part, tag = ticket.split(".")
    flipped = "B" if random_part[-1] == "A" else "A"
    assert not signer.is_ticket_of("lier-seizoen", f"{random_part[:-1]}{flipped}.{tag}")
    assert not signer.is_ticket_of("lier-seizoen", random_part)
    assert not Signer(b"another-secret-another-secret-another").is_ticket_of("lier-seizoen", ticket)
    assert signer.new_ticket("lier-seizoen") != ticket


def test_a_ticket_tells_when_it_was_handed_out(signer):
    ticket = signer.new_ticket("lier-seizoen", T0)
    assert signer.is_ticket_of("lier-seizoen", ticket)
    assert signer.issued_at(ticket) == T0.replace(microsecond=0)
    random_part, tag = ticket.split(".")
    earlier = f"{random_part[:-8]}{int(T0.timestamp()) - 600:08x}"
    assert not signer.is_ticket_of("lier-seizoen", f"{earlier}.{tag}")  # the second is signed


def test_the_token_reads_back_until_it_expires(signer):
    token = signer.admission_token(admission())
    assert signer.read_admission(token, T0 + timedelta(minutes=15) - timedelta(seconds=1)) == (
        admission()
    )
    with pytest.raises(ExpiredToken):
        signer.read_admission(token, T0 + timedelta(minutes=15))


def test_the_same_admission_gives_the_same_token(signer):
    assert signer.admission_token(admission()) == signer.admission_token(admission())


def test_a_tampered_token_is_refused(signer):
    token = signer.admission_token(admission())
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["cli"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(InvalidToken):
        signer.read_admission(f"{header}.{forged}.{signature}", T0)
    with pytest.raises(InvalidToken):
        signer.read_admission(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), T0)
    with pytest.raises(InvalidToken):
        signer.read_admission("not-a-token", T0)


def test_another_key_or_algorithm_is_refused(signer):
    other = Signer(b"another-secret-another-secret-another")
    with pytest.raises(InvalidToken):
        signer.read_admission(other.admission_token(admission()), T0)
    claims = jwt.decode(signer.admission_token(admission()), options={"verify_signature": False})
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    with pytest.raises(InvalidToken):
        signer.read_admission(unsigned, T0)


def test_email_digests_are_keyed_and_normalized(signer):
    assert signer.email_digest(" An@Example.be ") == signer.email_digest("an@example.be")
    assert signer.email_digest("an@example.be") != Signer(
        b"another-secret-another-secret-another"
    ).email_digest("an@example.be")
    assert "an@example.be" not in signer.email_digest("an@example.be")


def test_a_short_secret_is_a_configuration_error():
    with pytest.raises(ValueError):
        Signer(b"short")
