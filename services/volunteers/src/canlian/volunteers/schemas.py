"""Request and response bodies of the volunteers API."""

from __future__ import annotations
