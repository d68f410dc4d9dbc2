"""Request and response bodies of the metrics API."""

from __future__ import annotations
