"""Every query of the cards service."""

from __future__ import annotations
