"""The roster import as a background job: the same import, its progress reported."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.import_jobs.kinds import ImportKind, ImportRun
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import ImportReport
from canlian.members.roster import imports


async def run_roster_import(
    session: AsyncSession, runtime: ServiceRuntime, run: ImportRun
) -> ImportReport:
    return await imports.import_roster(
        session,
        runtime,
        run.principal,
        run.content,
        run.filename,
        dry_run=run.flag("dry_run", False),
        all_or_nothing=run.flag("all_or_nothing", True),
        progress=run.progress,
    )


ROSTER_IMPORT = ImportKind("roster", run_roster_import, phases=("validate", "import", "events"))
