"""Request and response bodies of the cards API."""

from __future__ import annotations
