"""Request and response bodies of the members API."""

from __future__ import annotations
