"""Domain rules of the members service; raises domain errors and writes outbox events."""

from __future__ import annotations
