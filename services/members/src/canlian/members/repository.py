"""Every query of the members service."""

from __future__ import annotations
