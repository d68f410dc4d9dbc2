"""A file of reported values (指标代码、区划代码、年度、分子、分母 or 数值): every row
checked, then the changed values stored unless a row is bad; in the request or as a
background job."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.errors import ProblemError
from canlian.common.import_jobs.kinds import ImportKind, ImportRun, Progress
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import (
    Column,
    ImportReport,
    RowError,
    errors_from_validation,
    import_percent,
    read_table,
)
from canlian.metrics.plans import reported_values, schemas

REPORTED_COLUMNS = (
    Column("indicator", ("指标代码", "指标")),
    Column("region", ("区划代码", "区划")),
    Column("year", ("年度", "年份")),
    Column("value", ("数值", "指标值"), required=False),
    # A ratio per county as its counts; files without these columns (a value per row) load
    # as before.
    Column("numerator", ("分子",), required=False),
    Column("denominator", ("分母",), required=False),
)


def _filled(text: str | None) -> str | None:
    return text if text is not None and text.strip() else None


def _count(text: str | None) -> str | None:
    """A count as typed or as a spreadsheet writes a whole number (12.0)."""
    found = _filled(text)
    if found is not None and found.strip().endswith(".0"):
        return found.strip()[:-2]
    return found


async def import_reported_values(
    session: AsyncSession,
    principal: Principal,
    plan: str,
    content: bytes,
    filename: str,
    *,
    dry_run: bool,
    precondition: Precondition,
    progress: Progress | None = None,
) -> ImportReport:
    """Stores the changed rows as one submission (its If-Match as there). `progress` hears
    ("validate", rows checked, rows) as the domain rules go row by row."""
    errors: list[RowError] = []
    parsed: list[tuple[int, schemas.ReportedValueSubmit]] = []
    total = 0
    for row in read_table(content, filename, REPORTED_COLUMNS, errors):
        total += 1
        # 99.2% typed as text or an Excel percent cell (0.992 shown as 99.2%): 99.2.
        values = {
            **row.values,
            "value": import_percent(_filled(row.values.get("value"))),
            "numerator": _count(row.values.get("numerator")),
            "denominator": _count(row.values.get("denominator")),
        }
        try:
            parsed.append((row.number, schemas.ReportedValueSubmit.model_validate(values)))
        except ValidationError as error:
            errors.extend(errors_from_validation(row.number, error))
    # Domain rules per row, so the report names every bad row, not only the first.
    for checked, (number, item) in enumerate(parsed, start=1):
        try:
            await reported_values.check_reported_value(session, principal, plan, item)
        except ProblemError as error:
            reason = error.render_detail("zh") or error.title.zh
            errors.append(RowError(row=number, field="-", reason=reason))
        if progress:
            progress("validate", checked, len(parsed))
    bad_rows = {error.row for error in errors}
    same = await reported_values.unchanged_values(session, [item for _, item in parsed])
    unchanged = [number for position, (number, _) in enumerate(parsed) if position in same]
    changed = [item for position, (_, item) in enumerate(parsed) if position not in same]
    imported = 0
    if not bad_rows and not dry_run and changed:
        imported, _ = await reported_values.submit_reported_values(
            session, principal, plan, changed, precondition
        )
    return ImportReport(
        total_rows=total,
        valid_rows=total - len(bad_rows),
        invalid_rows=len(bad_rows),
        imported_rows=imported,
        unchanged=unchanged,
        dry_run=dry_run,
        errors=errors,
    )


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


async def run_reported_values_import(
    session: AsyncSession, runtime: ServiceRuntime, run: ImportRun
) -> ImportReport:
    plan = run.options.get("plan")
    if not isinstance(plan, str):
        raise ValueError("a reported-values job names its plan")
    return await import_reported_values(
        session,
        run.principal,
        plan,
        run.content,
        run.filename,
        dry_run=run.flag("dry_run", False),
        # The If-Match of the request that started the job, checked when the rows are stored.
        precondition=Precondition(
            if_match=_text_or_none(run.options.get("if_match")),
            required=runtime.settings.canlian_require_if_match,
        ),
        progress=run.progress,
    )


REPORTED_VALUES_IMPORT = ImportKind(
    "reported-values", run_reported_values_import, phases=("validate",)
)
