"""Domain rules of the cards service; raises domain errors and writes outbox events."""

from __future__ import annotations
