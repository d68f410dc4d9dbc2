"""The dashboard's page; its static files are mounted by the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(tags=["看板 / dashboard"])


STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@router.get("/dashboard", include_in_schema=False, response_class=FileResponse, summary="指标看板")
async def dashboard() -> FileResponse:
    return FileResponse(STATIC_DIR / "dashboard.html", media_type="text/html; charset=utf-8")
