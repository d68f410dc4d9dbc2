"""`canlian members ...`: roster import from the command line, with a progress bar."""

from __future__ import annotations

import asyncio
import getpass
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from canlian.common import auth, divisions
from canlian.common.errors import ProblemError
from canlian.common.runtime import ServiceRuntime
from canlian.common.settings import load_settings
from canlian.common.tabular_import import ImportReport
from canlian.members.app import service_descriptor
from canlian.members.models import Base
from canlian.members.roster import imports
from canlian.members.roster.problems import RosterInvalid
from canlian.members.roster.template import roster_template
from canlian.members.settings import MembersSettings

members_app = typer.Typer(
    name="members",
    help="专职委员 / committee members: 花名册导入 / roster import.",
    no_args_is_help=True,
)
console = Console(stderr=True)


@members_app.callback()
def members() -> None:
    """专职委员 / committee members (a group, so `canlian members import` reads the same
    whether or not more commands are added)."""


_PHASES = {
    "validate": "校验 / validating",
    "import": "导入 / importing",
    "events": "记录事件 / recording events",
}


async def _run_import(
    settings: MembersSettings,
    principal: auth.Principal,
    content: bytes,
    filename: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
    progress: Progress,
) -> ImportReport:
    runtime = ServiceRuntime(service_descriptor, settings, Base.metadata)
    tasks: dict[str, object] = {}

    def advance(phase: str, done: int, total: int) -> None:
        task = tasks.get(phase)
        if task is None:
            task = tasks[phase] = progress.add_task(_PHASES[phase], total=total)
        progress.update(task, completed=done)  # type: ignore[arg-type]

    try:
        async with runtime.database.session() as session:
            return await imports.import_roster(
                session,
                runtime,
                principal,
                content,
                filename,
                dry_run=dry_run,
                all_or_nothing=all_or_nothing,
                progress=advance,
            )
    finally:
        await runtime.database.dispose()


@members_app.command("import")
def import_roster(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx 或 .csv")],
    region: Annotated[
        str, typer.Option(help="导入人员的管辖区划,如 620102 / the region you import for")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只校验不写入 / validate only")
    ] = False,
    partial: Annotated[
        bool,
        typer.Option("--partial", help="导入有效行,跳过错误行 / import the valid rows only"),
    ] = False,
    report_json: Annotated[
        Path | None, typer.Option(help="把完整报告写成 JSON / write the full report here")
    ] = None,
) -> None:
    """Import a roster of committee members (all-or-nothing unless --partial)."""
    settings = load_settings(MembersSettings)
    try:
        scope = divisions.parse(region)
    except divisions.InvalidDivisionCode as error:
        raise typer.BadParameter(str(error)) from None
    principal = auth.Principal(
        subject=f"cli:{getpass.getuser()}", roles=frozenset({auth.OFFICIAL}), region=scope
    )
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        try:
            report = asyncio.run(
                _run_import(
                    settings,
                    principal,
                    file.read_bytes(),
                    file.name,
                    dry_run=dry_run,
                    all_or_nothing=not partial,
                    progress=progress,
                )
            )
            failed = False
        except RosterInvalid as error:
            report = error.params["report"]
            failed = True
        except ProblemError as error:
            console.print(f"[red]{error.title.zh}[/]: {error.render_detail('zh') or ''}")
            raise typer.Exit(2) from None
    _print_report(report)
    if report_json:
        report_json.write_text(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
    if failed:
        console.print("[red]有错误,未导入任何数据 / errors found, nothing imported[/]")
        raise typer.Exit(1)


@members_app.command("template")
def template(
    out: Annotated[Path, typer.Argument(help="写到此文件 / where to write, e.g. 花名册.csv")],
) -> None:
    """Write the roster template (Chinese headers, one example line)."""
    out.write_bytes(roster_template())
    console.print(f"已写入 written: {out}")


def _print_report(report: ImportReport) -> None:
    console.print(
        f"行数 rows {report.total_rows} · 有效 valid {report.valid_rows} · "
        f"错误 invalid {report.invalid_rows} · 已导入 imported {report.imported_rows} · "
        f"未变更 unchanged {report.unchanged_rows}"
        + (" · 试运行 dry run" if report.dry_run else "")
    )
    if report.errors:
        table = Table("行 row", "字段 field", "原因 reason")
        for error in report.errors[:200]:
            table.add_row(str(error.row), error.field, error.reason)
        console.print(table)
        if len(report.errors) > 200:
            console.print(f"... {len(report.errors) - 200} more; use --report-json")
