"""The volunteer roster import as a background job: the same import, its progress reported."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.import_jobs.kinds import ImportKind, ImportRun
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import ImportReport
from canlian.volunteers.context import Context
from canlian.volunteers.registration import imports
from canlian.volunteers.settings import VolunteersSettings


async def run_volunteers_import(
    session: AsyncSession, runtime: ServiceRuntime, run: ImportRun
) -> ImportReport:
    settings = runtime.settings
    assert isinstance(settings, VolunteersSettings)
    context = Context(session, runtime.outbox, runtime.personal_data, settings)
    return await imports.import_roster(
        context,
        run.principal,
        run.content,
        run.filename,
        dry_run=run.flag("dry_run", False),
        all_or_nothing=run.flag("all_or_nothing", True),
        progress=run.progress,
    )


VOLUNTEERS_IMPORT = ImportKind("volunteers", run_volunteers_import, phases=("validate", "import"))
