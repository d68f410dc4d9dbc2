"""Every query of the org-registry service."""

from __future__ import annotations
