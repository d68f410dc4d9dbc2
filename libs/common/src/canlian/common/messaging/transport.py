"""The transport interface. Relay and consumer code is the same over Kafka and the
embedded log; only these adapters differ."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    topic: str
    key: str
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
    """Kafka record headers (the embedded log keeps none: its values are self-describing)."""


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


class LogReader(Protocol):
    """Reads every topic from its first event to where the log ended when reading began,
    without a consumer group (a replay must not disturb the live consumers' offsets)."""

    total: int
    """Events in the log when reading began, known once the first batch is out."""

    def batches(self, max_records: int) -> AsyncIterator[list[IncomingMessage]]: ...
