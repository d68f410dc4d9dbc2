"""Every query of the metrics service."""

from __future__ import annotations
