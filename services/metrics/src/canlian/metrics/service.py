"""Domain rules of the metrics service; raises domain errors and writes outbox events."""

from __future__ import annotations
