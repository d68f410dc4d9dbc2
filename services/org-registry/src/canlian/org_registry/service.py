"""Domain rules of the org-registry service; raises domain errors and writes outbox events."""

from __future__ import annotations
