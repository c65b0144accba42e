"""Signed ticket codes that a door scanner verifies offline, holding only public keys.

Modelled on pretix's `pretix_sig1`: the QR code carries the claim itself plus an Ed25519
signature, so a scanner without network still knows the ticket is ours and for which seat.
Whether it was already scanned (or refunded) is a separate, online question.

Token format, version 1 (all ASCII, URL-safe, seven fields separated by dots)::

    PD1.<kid>.<ticket_id>.<performance>.<house>.<seat>.<signature>

    PD1.ntgent-k1.t-01931b2c4d5e6f708192a3b4c5d6e7f.ntgent-de-storm-01.ntgent.balkon-c-12.<signature>

- `PD1` is the format version; a new format gets a new prefix and scanners reject what they
  do not know.
- `kid` names the house key that signed, `<house>-k<generation>`, so keys can rotate.
- The four claim fields are written as they are, not base64-encoded: they are ids (letters,
  digits, `-`, `_`, `:`), which keeps the code about a quarter shorter and therefore the QR
  code coarser and easier to scan. No field may contain a dot, so splitting is unambiguous.
- `signature` is base64url (no padding, 86 characters) of the Ed25519 signature over the
  ASCII bytes of everything before the last dot: the version and key id are signed too.

Keys: in AWS the keyring secret will come from Secrets Manager (a later change wires it);
locally it comes from configuration. Never commit a real secret.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "PD1"
ALGORITHM = "Ed25519"

# Claim fields and key ids: ids as the store writes them, plus ':' for "ga:<pool>" seats and
# upper case for ids made elsewhere. No '.', which separates the token's fields.
_FIELD = re.compile(r"[A-Za-z0-9_:-]{1,100}")
_HOUSE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{86}")  # 64 bytes in unpadded base64url
# Well above any real token (four 100-character fields): refuse junk before parsing it.
_MAX_TOKEN_LENGTH = 600

# HKDF salt: separates ticket-signing keys from anything else derived from the same secret.
_HKDF_SALT = b"podium/tickets/ed25519"
_MIN_SECRET_BYTES = 32


@dataclass(frozen=True)
class TicketClaim:
    ticket_id: str
    performance: str
    house: str
    seat: str  # seat id or "ga:<pool>"

    def fields(self) -> tuple[str, str, str, str]:
        return (self.ticket_id, self.performance, self.house, self.seat)


class ForgedTicket(Exception):
    """The token is not one we signed, or not in a form we know; `reason` says which."""

    MALFORMED = "malformed"
    UNKNOWN_VERSION = "unknown-version"
    UNKNOWN_KEY = "unknown-key"
    BAD_SIGNATURE = "bad-signature"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign(claim: TicketClaim, key_id: str, private_key: Ed25519PrivateKey) -> str:
    """The QR payload for `claim`, signed with `private_key` under the name `key_id`."""
    bad = [value for value in (key_id, *claim.fields()) if not _FIELD.fullmatch(value)]
    if bad:
        raise ValueError(f"cannot sign {bad!r}: fields are 1-100 of A-Z a-z 0-9 _ : -")
    signed = ".".join((VERSION, key_id, *claim.fields()))
    signature = private_key.sign(signed.encode("ascii"))
    return f"{signed}.{_b64encode(signature)}"


def verify(token: str, public_keys: Mapping[str, Ed25519PublicKey]) -> TicketClaim:
    """The claim in `token` if one of `public_keys` signed it; else `ForgedTicket`."""
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_LENGTH or not token.isascii():
        raise ForgedTicket(ForgedTicket.MALFORMED)
    parts = token.split(".")
    if len(parts) < 2:
        raise ForgedTicket(ForgedTicket.MALFORMED)
    if parts[0] != VERSION:
        raise ForgedTicket(ForgedTicket.UNKNOWN_VERSION)
    if len(parts) != 7 or not all(_FIELD.fullmatch(part) for part in parts[1:6]):
        raise ForgedTicket(ForgedTicket.MALFORMED)
    signed, _, signature_text = token.rpartition(".")
    key_id = parts[1]
    public_key = public_keys.get(key_id)
    if public_key is None:
        raise ForgedTicket(ForgedTicket.UNKNOWN_KEY)
    signature = _b64decode_signature(signature_text)
    try:
        public_key.verify(signature, signed.encode("ascii"))
    except InvalidSignature:
        raise ForgedTicket(ForgedTicket.BAD_SIGNATURE) from None
    return TicketClaim(ticket_id=parts[2], performance=parts[3], house=parts[4], seat=parts[5])


class Keyring(Protocol):
    def signing_key(self, house: str) -> tuple[str, Ed25519PrivateKey]:
        """The key id and private key new tickets of `house` are signed with."""
        ...

    def public_keys(self, house: str) -> dict[str, Ed25519PublicKey]:
        """Key id → public key for every key whose tickets must still verify."""
        ...


class SeededKeyring:
    """Every house's keys derived from one secret, so the secret is the only thing to store.

    Generation g of a house's key is the Ed25519 key whose 32-byte seed is
    HKDF-SHA256(secret, salt="podium/tickets/ed25519", info=f"{house}:{g}"); its id is
    f"{house}-k{g}". Rotating a house's key means raising its generation (default 1); the
    older generations stay in `public_keys`, so tickets sold before the rotation still verify.
    Rotating the secret itself invalidates every ticket ever issued: don't, unless it leaked.
    """

    def __init__(self, secret: bytes, generations: Mapping[str, int] | None = None) -> None:
        if len(secret) < _MIN_SECRET_BYTES:
            raise ValueError(f"the ticket signing secret needs at least {_MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._generations = dict(generations or {})
        for house, generation in self._generations.items():
            if generation < 1:
                raise ValueError(f"house {house!r}: key generations start at 1")

    def current_generation(self, house: str) -> int:
        return self._generations.get(house, 1)

    def signing_key(self, house: str) -> tuple[str, Ed25519PrivateKey]:
        generation = self.current_generation(house)
        return _key_id(house, generation), self._private_key(house, generation)

    def public_keys(self, house: str) -> dict[str, Ed25519PublicKey]:
        return {
            _key_id(house, generation): self._private_key(house, generation).public_key()
            for generation in range(1, self.current_generation(house) + 1)
        }

    def _private_key(self, house: str, generation: int) -> Ed25519PrivateKey:
        if not _HOUSE.fullmatch(house):
            raise ValueError(f"invalid house id {house!r}")
        seed = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=_HKDF_SALT,
            info=f"{house}:{generation}".encode("ascii"),
        ).derive(self._secret)
        return Ed25519PrivateKey.from_private_bytes(seed)


def sign_for_house(claim: TicketClaim, keyring: Keyring) -> str:
    """Sign with the claim's own house's current key: the one way tickets should be issued."""
    key_id, private_key = keyring.signing_key(claim.house)
    return sign(claim, key_id, private_key)


def public_key_document(keyring: Keyring, house: str) -> dict[str, list[dict[str, str]]]:
    """What a door scanner downloads for `house`: every key id with its raw public key."""
    return {
        "keys": [
            {
                "kid": key_id,
                "alg": ALGORITHM,
                "public_key": _b64encode(
                    public_key.public_bytes(
                        serialization.Encoding.Raw, serialization.PublicFormat.Raw
                    )
                ),
            }
            for key_id, public_key in keyring.public_keys(house).items()
        ]
    }


def _key_id(house: str, generation: int) -> str:
    return f"{house}-k{generation}"


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode_signature(text: str) -> bytes:
    # The last of 86 characters carries 4 unused bits; insisting on the canonical encoding
    # means no two different tokens carry the same signature ("a changed byte must fail").
    if not _SIGNATURE.fullmatch(text):
        raise ForgedTicket(ForgedTicket.MALFORMED)
    try:
        signature = base64.urlsafe_b64decode(text + "==")
    except (binascii.Error, ValueError):
        raise ForgedTicket(ForgedTicket.MALFORMED) from None
    if _b64encode(signature) != text:
        raise ForgedTicket(ForgedTicket.MALFORMED)
    return signature
