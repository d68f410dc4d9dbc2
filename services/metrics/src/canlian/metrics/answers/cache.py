"""Answers kept in this process's memory, bounded in bytes, least recently used first out."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

# What an entry costs beyond its body and key: the dictionary slot, the tuple, the objects.
_ENTRY_OVERHEAD = 200


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    version: int  # of the read model the answer was read at
    body: bytes  # the JSON sent
    route: object = None  # the route that answered, named in the request metrics


class AnswerCache:
    """Answers by key. An answer is found only at the version it was kept at: a newer
    version means the data may have changed, so the caller reads it again."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0  # bytes held, as counted by `_cost`
        self._answers: OrderedDict[str, KeptAnswer] = OrderedDict()
        self.last_version: int | None = None  # the newest version a reader saw

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: str, version: int) -> bytes | None:
        kept = self.kept(key, version)
        return kept.body if kept is not None else None

    def kept(self, key: str, version: int) -> KeptAnswer | None:
        kept = self._answers.get(key)
        if kept is None or kept.version != version:
            return None
        self._answers.move_to_end(key)
        return kept

    def put(self, key: str, version: int, body: bytes, *, route: object = None) -> None:
        cost = _cost(key, body)
        if cost > self.max_bytes:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self.size -= _cost(key, old.body)
        self._answers[key] = KeptAnswer(version, body, route)
        self.size += cost
        while self.size > self.max_bytes:
            evicted_key, evicted = self._answers.popitem(last=False)
            self.size -= _cost(evicted_key, evicted.body)

    def moved_to(self, version: int) -> bool:
        """Note the version a reader saw; whether it is newer than the last one noted. Answers
        of older versions are dropped then: they will never be found again."""
        if self.last_version is not None and version <= self.last_version:
            return False
        self.last_version = version
        self._answers.clear()
        self.size = 0
        return True


def _cost(key: str, body: bytes) -> int:
    return len(body) + len(key) + _ENTRY_OVERHEAD
