"""Values remembered per Lambda instance for a few seconds: what every request of an on-sale
asks for and what changes slowly (a room, the rooms gating a performance, "sold out")."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """`get(key, load)` answers from memory while the entry is younger than its lifetime
    (`seconds`, or what `lifetime(value)` says), else loads it again. Memory stays bounded:
    past `limit` entries everything is dropped and a warm instance refills what it needs."""

    def __init__(
        self,
        seconds: float,
        lifetime: Callable[[V], float] | None = None,
        limit: int = 1000,
    ) -> None:
        self.seconds = seconds
        self.lifetime = lifetime
        self.limit = limit
        self._entries: dict[K, tuple[float, V]] = {}

    def get(self, key: K, load: Callable[[], V]) -> V:
        now = time.monotonic()
        cached = self._entries.get(key)
        if cached is not None:
            lifetime = self.lifetime(cached[1]) if self.lifetime else self.seconds
            if now - cached[0] < lifetime:
                return cached[1]
        value = load()
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[key] = (now, value)
        return value

    def forget(self, key: K) -> None:
        self._entries.pop(key, None)
