"""Identifiers and secrets."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time


def new_id(prefix: str) -> str:
    """Sortable by creation time (hex milliseconds) and unguessable (80 random bits)."""
    return f"{prefix}-{int(time.time() * 1000):011x}{secrets.token_hex(10)}"


def is_id_of(prefix: str, value: str) -> bool:
    """Shaped like an id `new_id(prefix)` makes: a cheap check before any read."""
    return re.fullmatch(rf"{re.escape(prefix)}-[0-9a-f]{{31}}", value) is not None


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def digest(secret: str) -> str:
    """What we store of a secret: its SHA-256, so a table dump does not hand out tokens."""
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str | None, stored_digest: str) -> bool:
    return secret is not None and hmac.compare_digest(digest(secret), stored_digest)
