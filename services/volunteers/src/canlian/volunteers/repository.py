"""Every query of the volunteers service."""

from __future__ import annotations
