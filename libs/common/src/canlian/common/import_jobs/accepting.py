"""The import route's side: whether an upload runs in the background, and the 202 answer.

`Prefer: respond-async` (RFC 7240) asks for it; an upload of more data rows than
CANLIAN_IMPORT_BACKGROUND_ROWS gets it unasked. Anything else runs as before, in the request.
"""

from __future__ import annotations

import asyncio
import io
import re
import uuid
import zipfile
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.audit import record_audit
from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.idempotency import IdempotentRequest
from canlian.common.import_jobs import repository
from canlian.common.import_jobs.schemas import ImportJobRead, job_read
from canlian.common.import_jobs.table import QUEUED
from canlian.common.log import current_request_id
from canlian.common.problems import language_of
from canlian.common.runtime import ServiceRuntime

RESPOND_ASYNC = "respond-async"

PreferHeader = Annotated[
    str | None,
    Header(
        alias="Prefer",
        max_length=500,
        description="respond-async:在后台导入,立即返回 202 和任务地址(行数超过 "
        "CANLIAN_IMPORT_BACKGROUND_ROWS 时无论是否请求都在后台进行)/ respond-async: import in "
        "the background and answer 202 with the job's Location at once (uploads of more rows "
        "than CANLIAN_IMPORT_BACKGROUND_ROWS always are)",
    ),
]

ACCEPTED_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {
        "model": ImportJobRead,
        "description": "已排队在后台导入;按 Location 查询进度和报告 / queued to run in the "
        "background; poll the Location for progress and the report",
        "headers": {
            "Location": {
                "description": "任务地址 / the job, /v1/import-jobs/{id}",
                "required": True,
                "schema": {"type": "string"},
            },
            "Preference-Applied": {
                "description": "respond-async(请求了后台导入时)/ when respond-async was asked",
                "schema": {"type": "string"},
            },
        },
    }
}


def prefers_async(prefer: str | None) -> bool:
    """Whether a Prefer field value holds the respond-async preference (RFC 7240: a list of
    preferences, each a token with optional parameters; tokens are case-insensitive)."""
    if not prefer:
        return False
    for preference in prefer.split(","):
        token = preference.split(";", 1)[0].split("=", 1)[0].strip().lower()
        if token == RESPOND_ASYNC:
            return True
    return False


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(content: bytes, filename: str) -> int:
    """About how many data rows an upload holds, without parsing it: the lines of a CSV
    (a quoted line break counts twice), the first sheet's dimension of an .xlsx (blank and
    totals lines included). Only to choose between now and the background, and to show
    progress until the import has counted them."""
    if filename.lower().endswith(".xlsx") or content[:2] == b"PK":
        return _xlsx_rows(content)
    lines = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    return max(lines - 1, 0)


def _xlsx_rows(content: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = sorted(
                name
                for name in archive.namelist()
                if name.startswith("xl/worksheets/sheet") and name.endswith(".xml")
            )
            if not sheets:
                return 0
            with archive.open(sheets[0]) as sheet:
                head = sheet.read(4096)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return 0  # the import says what is wrong with it
    found = _DIMENSION.search(head)
    return max(int(found.group(1)) - 1, 0) if found else 0


async def accept_in_background(
    request: Request,
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    idempotent: IdempotentRequest | None,
    *,
    kind: str,
    content: bytes,
    filename: str,
    options: Mapping[str, Any],
    prefer: str | None,
) -> JSONResponse | None:
    """The 202 answer of a job queued for this upload, or None: run it in the request. With
    an Idempotency-Key the answer is stored as the route's others are (a retry gets the same
    job, not a second one)."""
    table = runtime.import_jobs_table
    if table is None or runtime.import_worker is None:
        return None
    rows = await asyncio.to_thread(estimate_rows, content, filename)
    if not prefers_async(prefer) and rows <= runtime.settings.canlian_import_background_rows:
        return None
    job_id = str(uuid.uuid4())
    now = utcnow()
    sealed = await asyncio.to_thread(runtime.personal_data.seal, content, job_id)
    await repository.add_job(
        session,
        table,
        {
            "id": job_id,
            "kind": kind,
            "region": principal.region,
            "principal_subject": principal.subject,
            "principal_issuer": principal.issuer,
            "principal_roles": sorted(principal.roles),
            "status": QUEUED,
            "options": dict(options),
            "filename": filename[:255],
            "content": sealed,
            "rows_total": rows or None,
            "rows_done": 0,
            "attempts": 0,
            "created_at": now,
            "version": 1,
            "request_id": current_request_id(),
        },
    )
    await record_audit(
        session,
        runtime.tables,
        principal,
        action="import-job.queued",
        object_type="import_job",
        object_id=job_id,
        reason=kind,
    )
    row = await repository.job_in_scope(session, table, job_id, "")
    assert row is not None
    body = job_read(row, language_of(request))
    response = (
        await idempotent.respond(body, status_code=202)
        if idempotent is not None
        else JSONResponse(body.model_dump(mode="json"), status_code=202)
    )
    response.headers["Location"] = body.location
    response.headers["ETag"] = f'"{row.version}"'
    if prefers_async(prefer):
        response.headers["Preference-Applied"] = RESPOND_ASYNC
    return response
