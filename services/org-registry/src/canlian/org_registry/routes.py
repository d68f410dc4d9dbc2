"""HTTP routes of the org-registry service: parse, authorise, call the service."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1")
