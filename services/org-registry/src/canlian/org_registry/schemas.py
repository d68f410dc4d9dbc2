"""Request and response bodies of the org-registry API."""

from __future__ import annotations
