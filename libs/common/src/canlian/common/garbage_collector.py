"""The garbage collector tuned for long-running work: a service serving requests, a command
importing a register or loading divisions.

What exists once a process has started (modules, an app and its routes, schemas, SQLAlchemy
metadata) lives as long as the process: frozen out of the collector's sight, whose full
collections walked all of it (about 100 ms during which every request in flight waited). And
the young generation collected less often: at Python's default threshold (700 allocations)
a service collected every two dozen requests, each collection walking the objects of every
request in flight (a millisecond at 32 of them), and an import of 200,000 register rows spent
4.4 s of its 26 s in 3,685 collections (1.3 s in 229 at this threshold)."""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # Python's default: 700

_tuned = False


def tune_for_long_runs() -> None:
    """Once per process, so that a process starting many apps (tests) does not freeze the
    garbage of the earlier ones for good."""
    global _tuned
    if not _tuned:
        _tuned = True
        gc.freeze()
        young, older, oldest = gc.get_threshold()
        gc.set_threshold(max(young, YOUNG_THRESHOLD), older, oldest)
