"""The transport interface. Relay and consumer code is the same over Kafka and the
embedded log; only these adapters differ."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    topic: str
    key: str
    value: bytes


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes


class Publisher(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        """Return only when every message is durably stored, in order per key."""
        ...

    async def ping(self) -> None: ...


class Subscriber(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def poll(self, max_records: int, timeout_seconds: float) -> list[IncomingMessage]: ...
    async def commit(self, messages: Sequence[IncomingMessage]) -> None:
        """Mark everything up to and including these messages as consumed for the group."""
        ...

    async def resume_from_committed(self) -> None:
        """Go back to the group's committed offsets: polled, uncommitted messages come again."""
        ...

    async def lag(self) -> int:
        """Messages waiting for this group (best effort)."""
        ...
