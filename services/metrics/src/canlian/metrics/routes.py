"""HTTP routes of the metrics service: parse, authorise, call the service."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/v1")
