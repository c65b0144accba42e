"""The waiting room's two signed things, neither hand-rolled:

- the **ticket** a join hands out: random, then the second it was issued, with an HMAC-SHA256
  tag over room, random part and second, so that a position request can tell "not processed
  yet" from "made up" (or "of another room") without a read, and how long it has been queued;
- the **admission token**: a JWT (PyJWT, HS256), short-lived, bound to the client that claimed
  the place. Claims: `iss`, `aud`, `room`, `sub` (the ticket), `cli` (client digest), `eml`
  (e-mail digest, when given), `iat`, `exp`. It names the room, not its performances: a season
  opening covers hundreds, and the hold gate knows which rooms cover a performance.

Expiry is checked against the service's own clock (so tests can move time), signature, issuer
and audience by PyJWT.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import jwt

from chalicelib.onsale.model import Admission

ISSUER = "podium"
AUDIENCE = "podium:holds"
ALGORITHM = "HS256"
_TAG_BYTES = 12  # 96 bits: guessing a valid ticket is hopeless


_RANDOM_CHARS = 22  # 16 random bytes, url-safe base64


def _issued(random_part: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(random_part[_RANDOM_CHARS:], 16), UTC)
    except ValueError:
        return None


class InvalidToken(Exception):
    """Malformed, tampered with, or signed with another key."""


class ExpiredToken(Exception):
    pass


class Signer:
    """One secret, two uses kept apart by a label in everything signed."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("the admission secret needs at least 32 bytes")
        self.secret = secret

    # --- tickets ---------------------------------------------------------------------------

    def new_ticket(self, room: str, issued_at: datetime | None = None) -> str:
        second = int((issued_at or datetime.now(UTC)).timestamp())
        random_part = f"{secrets.token_urlsafe(16)}{second:08x}"
        return f"{random_part}.{self._tag(room, random_part)}"

    def is_ticket_of(self, room: str, ticket: str) -> bool:
        random_part, dot, tag = ticket.partition(".")
        if not dot or len(random_part) != _RANDOM_CHARS + 8 or _issued(random_part) is None:
            return False
        return hmac.compare_digest(tag, self._tag(room, random_part))

    @staticmethod
    def issued_at(ticket: str) -> datetime | None:
        """When a ticket (already checked with is_ticket_of) was handed out."""
        return _issued(ticket.partition(".")[0])

    def _tag(self, room: str, random_part: str) -> str:
        mac = hmac.new(self.secret, f"ticket|{room}|{random_part}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()[:_TAG_BYTES]).decode().rstrip("=")

    # --- e-mail digests ----------------------------------------------------------------------

    def email_digest(self, email: str) -> str:
        """Keyed, so that a table dump does not let anyone test guessed addresses."""
        normalized = email.strip().lower()
        return hmac.new(self.secret, f"email|{normalized}".encode(), hashlib.sha256).hexdigest()

    # --- admission tokens --------------------------------------------------------------------

    def admission_token(self, admission: Admission) -> str:
        """Deterministic for one admission: claiming again yields the very same token."""
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "room": admission.room,
            "sub": admission.ticket,
            "cli": admission.client,
            "iat": int(admission.issued_at.timestamp()),
            "exp": int(admission.expires_at.timestamp()),
        }
        if admission.email:
            claims["eml"] = admission.email
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def read_admission(self, token: str, now: datetime) -> Admission:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                # exp is compared with our clock below, so that time is testable
                options={"verify_exp": False, "require": ["exp", "iat", "sub", "room", "cli"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        try:
            admission = Admission(
                room=str(claims["room"]),
                ticket=str(claims["sub"]),
                client=str(claims["cli"]),
                email=str(claims["eml"]) if claims.get("eml") else None,
                issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
                expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            )
        except (TypeError, ValueError) as error:
            raise InvalidToken(f"bad claims: {error}") from error
        if now >= admission.expires_at:
            raise ExpiredToken(admission.ticket)
        return admission
