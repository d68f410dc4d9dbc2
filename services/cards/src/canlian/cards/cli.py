"""`canlian cards ...`: import a legacy card register, expire overdue cards, write a sample
register for demonstrations (seed 003's category and grade mix)."""

from __future__ import annotations

import asyncio
import getpass
import random
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from canlian.cards.app import service_descriptor
from canlian.cards.cards.expiry import expire_due_cards
from canlian.cards.context import Context
from canlian.cards.legacy_import import service as legacy_import
from canlian.cards.legacy_import.problems import ImportRejected
from canlian.cards.models import Base
from canlian.cards.settings import CardsSettings
from canlian.common import auth, citizen_id, divisions
from canlian.common.db.database import Database
from canlian.common.db.metadata import platform_tables
from canlian.common.db.migrations import upgrade
from canlian.common.errors import ProblemError
from canlian.common.messaging.outbox import Outbox
from canlian.common.personal_data import protector_from_settings
from canlian.common.rate_limit import RateLimiter
from canlian.common.settings import load_settings
from canlian.common.spreadsheets import SafeCsvWriter
from canlian.common.tabular_import import ImportReport

cards_app = typer.Typer(
    name="cards",
    help="残疾人证 / disability cards: import a legacy register, expire overdue cards.",
    no_args_is_help=True,
)
console = Console(stderr=True)

RegionOption = Annotated[
    str,
    typer.Option(help="操作者的管辖区划,如 620102 / the region you act for, e.g. 620102"),
]


def _region(value: str) -> str:
    try:
        return divisions.parse(value)
    except divisions.InvalidDivisionCode as error:
        raise typer.BadParameter(str(error), param_hint="--region") from None


class _Bar:
    """Maps the service's (phase, done, total) callbacks onto one rich task per phase."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase not in self._tasks:
            label = {"validate": "校验 / validate", "import": "写入 / write"}.get(phase, phase)
            self._tasks[phase] = self._progress.add_task(label, total=total)
        self._progress.update(self._tasks[phase], completed=done, total=total)


REGISTER_MAX_ROWS = 10_000_000  # a province's register in one command (the largest: ~3 million)


@asynccontextmanager
async def operator_context(settings: CardsSettings, region: str) -> AsyncIterator[Context]:
    """One transaction of an operator acting for `region`, on a migrated database."""
    await upgrade(service_descriptor, settings)
    database = Database(settings, service_descriptor.schema)
    tables = platform_tables(Base.metadata)
    principal = auth.Principal(
        subject=f"cli:{getpass.getuser()}", roles=frozenset({auth.ADMIN}), region=region
    )
    try:
        async with database.session() as session:
            yield Context(
                session,
                database,
                settings,
                principal,
                protector_from_settings(settings),
                Outbox(tables, source=f"/canlian/{service_descriptor.name}"),
                tables,
                RateLimiter(database, tables, service=service_descriptor.name),
            )
    finally:
        await database.dispose()


async def import_register(
    settings: CardsSettings,
    content: bytes,
    filename: str,
    region: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
    progress: legacy_import.Progress | None = None,
) -> ImportReport:
    """The API's import, run in one transaction by an operator acting for `region`. A file
    named on the command line is not an upload: a province's register (millions of rows) goes
    in one run."""
    async with operator_context(settings, region) as ctx:
        return await legacy_import.run_import(
            ctx,
            content,
            filename,
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
            progress=progress,
            max_rows=REGISTER_MAX_ROWS,
            max_bytes=None,
        )


@cards_app.command("import")
def import_command(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="台账 .xlsx 或 .csv / register")
    ],
    region: RegionOption,
    dry_run: Annotated[bool, typer.Option(help="只校验不写入 / validate only")] = False,
    partial: Annotated[
        bool, typer.Option(help="导入有效行,跳过有错的行 / write the good rows, skip bad ones")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="把逐行报告写成 JSON / write the report as JSON")
    ] = None,
) -> None:
    """导入旧残疾人证台账:默认全部成功才写入 / import a legacy card register (all-or-nothing)."""
    settings = load_settings(CardsSettings)
    code = _region(region)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        try:
            result = asyncio.run(
                import_register(
                    settings,
                    path.read_bytes(),
                    path.name,
                    code,
                    dry_run=dry_run,
                    all_or_nothing=not partial,
                    progress=_Bar(bar),
                )
            )
        except ImportRejected as rejected:
            result = rejected.report
        except ProblemError as error:
            console.print(f"[red]{error.title.zh}: {error.render_detail('zh') or ''}")
            raise typer.Exit(2) from None
    if report is not None:
        report.write_text(result.model_dump_json(indent=2), encoding="utf-8")
    for problem in result.errors[:20]:
        console.print(f"  第 {problem.row} 行 {problem.field}: {problem.reason}")
    if len(result.errors) > 20:
        console.print(f"  … 另有 {len(result.errors) - 20} 条错误 / more errors (see --report)")
    console.print(
        f"rows {result.total_rows}, valid {result.valid_rows}, invalid {result.invalid_rows}, "
        f"imported {result.imported_rows}, unchanged {result.unchanged_rows}"
        f"{' (dry run)' if result.dry_run else ''}"
    )
    if result.errors and not partial:
        raise typer.Exit(1)


async def expire_due(settings: CardsSettings, region: str) -> tuple[int, date]:
    async with operator_context(settings, region) as ctx:
        return await expire_due_cards(ctx)


@cards_app.command("expire")
def expire_command(region: RegionOption = "000000000000") -> None:
    """把已过有效期的证件置为过期(可每日定时运行)/ mark overdue cards expired (run daily)."""
    settings = load_settings(CardsSettings)
    expired, today = asyncio.run(expire_due(settings, _region(region)))
    console.print(f"expired {expired} card(s) whose validity ended before {today.isoformat()}")


# Seed 003: a real county's 1,794 holders. Categories: visual 321, hearing 160, speech 71,
# intellectual 102, physical 1,076, mental 55 (the remaining 9 are taken as multiple);
# grades: 1 20%, 2 26%, 3-4 54% (split evenly).
SEED_003_CATEGORIES = {1: 321, 2: 160, 3: 71, 4: 1076, 5: 102, 6: 55, 7: 9}
SEED_003_GRADES = {1: 20, 2: 26, 3: 27, 4: 27}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
REGISTER_HEADER = ("公民身份号码", "姓名", "残疾人证号", "残疾类别", "残疾等级", "发证日期")
REGISTER_HEADER_TAIL = ("区划代码", "证件类型")


def sample_register(
    county: str, holders: int, *, seed: int = 3, today: date | None = None
) -> Iterator[tuple[str, ...]]:
    """Rows of a plausible legacy register: valid IDs born 1940-2010 in `county`, seed 003's
    mix of categories and grades, second-generation cards issued over the last nine years."""
    rng = random.Random(seed)
    today = today or date.today()
    categories = list(SEED_003_CATEGORIES)
    category_weights = list(SEED_003_CATEGORIES.values())
    grades = list(SEED_003_GRADES)
    grade_weights = list(SEED_003_GRADES.values())
    area = county[:6]
    used: set[str] = set()
    while len(used) < holders:
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 70))
        first17 = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = first17 + citizen_id.check_digit(first17)
        if number in used:
            continue
        used.add(number)
        category = rng.choices(categories, category_weights)[0]
        grade = rng.choices(grades, grade_weights)[0]
        issued = today - timedelta(days=rng.randrange(1, 365 * 9))
        township = county[:9] if county[6:9] != "000" else f"{area}{rng.randrange(1, 18):03d}"
        village = f"{township}{rng.randrange(1, 20):03d}"
        name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
        yield (
            number,
            name,
            f"{number}{category}{grade}",
            str(category),
            str(grade),
            issued.isoformat(),
            village,
            "第二代",
        )


@cards_app.command("sample-register")
def sample_register_command(
    out: Annotated[Path, typer.Argument(dir_okay=False, help="CSV 文件 / CSV file to write")],
    county: Annotated[
        str, typer.Option(help="县级或乡级区划代码 / county or township code")
    ] = "330604000000",
    holders: Annotated[int, typer.Option(min=1, max=1_000_000, help="持证人数 / holders")] = 1794,
    seed: Annotated[int, typer.Option(help="随机种子 / random seed")] = 3,
) -> None:
    """生成演示用台账(种子文件003的类别、等级比例;虚构人员)/ write a demo register
    with seed 003's category and grade mix (fictitious people)."""
    code = _region(county)
    if divisions.level_of(code) not in (
        divisions.DivisionLevel.COUNTY,
        divisions.DivisionLevel.TOWNSHIP,
    ):
        raise typer.BadParameter("give a county or township code", param_hint="--county")
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(REGISTER_HEADER + REGISTER_HEADER_TAIL)
        writer.writerows(sample_register(code, holders, seed=seed))
    console.print(f"wrote {holders} fictitious holders to {out}")
