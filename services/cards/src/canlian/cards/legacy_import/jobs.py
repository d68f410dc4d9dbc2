"""The legacy register import as a background job: the same import, its progress reported."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.context import Context
from canlian.cards.dependencies import cards_settings
from canlian.cards.legacy_import import service
from canlian.common.import_jobs.kinds import ImportKind, ImportRun
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import ImportReport


async def run_cards_import(
    session: AsyncSession, runtime: ServiceRuntime, run: ImportRun
) -> ImportReport:
    ctx = Context.of(session, runtime, cards_settings(runtime), run.principal)
    return await service.run_import(
        ctx,
        run.content,
        run.filename,
        dry_run=run.flag("dry_run", False),
        all_or_nothing=run.flag("all_or_nothing", True),
        progress=run.progress,
    )


# Its progress counts the register's rows as the chunks go through: no phases.
CARDS_IMPORT = ImportKind("cards", run_cards_import)
