"""Domain rules of the volunteers service; raises domain errors and writes outbox events."""

from __future__ import annotations
