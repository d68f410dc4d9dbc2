"""`canlian metrics ...`: divisions for the denominators, the seeds' plans, reconciliation and
rebuilding the rollups from the event log."""

from __future__ import annotations

import asyncio
import csv
import gc
import gzip
import importlib.resources
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from canlian.common import auth, divisions
from canlian.common.db.database import Database
from canlian.common.db.migrations import upgrade
from canlian.common.events import cards, members, org_registry, volunteers
from canlian.common.events.base import DomainEvent
from canlian.common.messaging.bus import make_log_reader
from canlian.common.runtime import DOMAIN_TOPICS
from canlian.common.settings import load_settings
from canlian.metrics import schemas, service
from canlian.metrics.app import service_descriptor
from canlian.metrics.settings import MetricsSettings

metrics_app = typer.Typer(
    name="metrics",
    help="规划指标 / plan indicators: divisions, seed plans, reconcile, rebuild.",
    no_args_is_help=True,
)
divisions_app = typer.Typer(help="指标分母所需的区划 / divisions for the denominators")
metrics_app.add_typer(divisions_app, name="divisions")
console = Console(stderr=True)

Tick = Callable[[int, int | None], None]


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


# --- divisions ----------------------------------------------------------------------------


def default_dataset() -> Path | None:
    """The NBS dataset the organisation registry ships, when it is installed beside us."""
    try:
        found = importlib.resources.files("canlian.org_registry").joinpath(
            "data/divisions-2023.csv.gz"
        )
    except ModuleNotFoundError:
        return None
    path = Path(str(found))
    return path if path.exists() else None


def read_dataset(path: Path, province: str | None) -> Iterator[service.DivisionRow]:
    """Rows of a `code,name,level,parent_code` CSV (gzip or plain), parents before children."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, mode="rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or header[:4] != ["code", "name", "level", "parent_code"]:
            raise typer.BadParameter(f"{path}: expected the header code,name,level,parent_code")
        for code, name, level, parent_code, *_ in reader:
            if province is not None and not code.startswith(province):
                continue
            yield service.DivisionRow(
                divisions.parse(code), name, int(level), parent_code or divisions.NATION
            )


async def load_divisions(
    settings: MetricsSettings,
    rows: Iterator[service.DivisionRow],
    *,
    batch_size: int = 5000,
    tick: Tick | None = None,
) -> int:
    await upgrade(service_descriptor, settings)
    database = Database(settings, service_descriptor.schema)
    total = 0
    try:
        batch: list[service.DivisionRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                async with database.session() as session:
                    await service.load_divisions(session, batch)
                total += len(batch)
                if tick:
                    tick(len(batch), None)
                batch = []
        if batch:
            async with database.session() as session:
                await service.load_divisions(session, batch)
            total += len(batch)
            if tick:
                tick(len(batch), None)
    finally:
        await database.dispose()
    return total


@divisions_app.command("load")
def divisions_load(
    province: Annotated[
        str | None, typer.Option(help="只导入该省,如 62 甘肃 / only this province, e.g. 62")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(help="code,name,level,parent_code 的 CSV(可 gzip);默认用区划库自带数据"),
    ] = None,
) -> None:
    """导入区划名称并计入分母(可重复执行)/ load division names and count them; rerunnable."""
    if province is not None and not (len(province) == 2 and province.isdigit()):
        raise typer.BadParameter("province must be 2 digits, e.g. 62", param_hint="--province")
    path = file or default_dataset()
    if path is None:
        raise typer.BadParameter("no dataset found; pass --file", param_hint="--file")
    settings = load_settings(MetricsSettings)
    total = sum(1 for _ in read_dataset(path, province))
    with _progress() as progress:
        task = progress.add_task("divisions", total=total)
        loaded = asyncio.run(
            load_divisions(
                settings,
                read_dataset(path, province),
                tick=lambda done, _: progress.update(task, advance=done),
            )
        )
    console.print(f"[green]loaded[/] {loaded} divisions from {path.name}")


async def fetch_divisions(
    http: httpx.AsyncClient, token: str, region: str, *, parallel: int = 8
) -> list[service.DivisionRow]:
    """The region and its whole subtree from the registry's API (children, level by level)."""
    headers = {"Authorization": f"Bearer {token}"}

    def row(item: dict[str, object]) -> service.DivisionRow:
        parent = item.get("parent_code")
        return service.DivisionRow(
            str(item["code"]),
            str(item["name"]),
            int(str(item["level"])),
            str(parent) if parent else divisions.NATION,
        )

    async def children(code: str) -> list[service.DivisionRow]:
        found: list[service.DivisionRow] = []
        cursor: str | None = None
        while True:
            params: dict[str, str | int] = {"limit": 200}
            if cursor:
                params["cursor"] = cursor
            response = await http.get(
                f"/v1/divisions/{code}/children", params=params, headers=headers
            )
            response.raise_for_status()
            page = response.json()
            found.extend(row(item) for item in page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return found

    found: list[service.DivisionRow] = []
    if region != divisions.NATION:
        response = await http.get(f"/v1/divisions/{region}", headers=headers)
        response.raise_for_status()
        found.append(row(response.json()))
    frontier = [region]
    while frontier:
        below: list[service.DivisionRow] = []
        for first in range(0, len(frontier), parallel):
            pages = await asyncio.gather(
                *(children(code) for code in frontier[first : first + parallel])
            )
            for page in pages:
                below.extend(page)
        found.extend(below)
        frontier = [item.code for item in below if item.level < 5]
    return found


@divisions_app.command("sync")
def divisions_sync(
    org_registry_url: Annotated[str, typer.Option(help="组织登记服务地址 / registry URL")],
    token: Annotated[str, typer.Option(envvar="CANLIAN_TOKEN", help="令牌 / bearer token")],
    region: Annotated[str, typer.Option(help="区划,如 62 / region, e.g. 62")] = "000000000000",
) -> None:
    """从组织登记服务的接口同步区划(无需数据文件)/ copy divisions from the registry's API."""
    settings = load_settings(MetricsSettings)
    code = divisions.parse(region)

    async def run() -> int:
        async with httpx.AsyncClient(base_url=org_registry_url, timeout=30) as http:
            rows = await fetch_divisions(http, token, code)
        return await load_divisions(settings, iter(rows))

    console.print(f"[green]loaded[/] {asyncio.run(run())} divisions from {org_registry_url}")


# --- seed plans ---------------------------------------------------------------------------


async def define_seed_plans(settings: MetricsSettings) -> list[str]:
    await upgrade(service_descriptor, settings)
    database = Database(settings, service_descriptor.schema)
    principal = auth.Principal(
        subject="canlian-metrics-cli", roles=frozenset({auth.ADMIN}), region=divisions.NATION
    )
    try:
        async with database.session() as session:
            return await service.define_seed_plans(session, principal)
    finally:
        await database.dispose()


@metrics_app.command("seed-plans")
def seed_plans() -> None:
    """定义种子文件中的规划(甘肃十二五、上虞十三五)及其目标 / define the seeds' plans."""
    created = asyncio.run(define_seed_plans(load_settings(MetricsSettings)))
    for plan, _ in service.SEED_PLANS:
        state = "created" if plan.code in created else "exists"
        console.print(f"{plan.code}: {plan.name} ({state})")


# --- reconcile ----------------------------------------------------------------------------


@dataclass
class ReconcileOutcome:
    rollups: schemas.ReconcileReport
    source: list[schemas.EntityDifference]
    sources_checked: list[str]


@dataclass(frozen=True)
class Source:
    """A source service's snapshot endpoint, shaped as one of its events."""

    service: str
    path: str
    event: type[DomainEvent]
    kind: str  # entity kind in the rollups


SOURCES = [
    Source(
        "org-registry",
        "/v1/organisation-snapshots",
        org_registry.OrganisationChanged,
        "org-registry.organisation",
    ),
    Source("cards", "/v1/card-snapshots", cards.CardIssued, "cards.card"),
    Source("cards", "/v1/application-snapshots", cards.ApplicationSubmitted, "cards.application"),
    Source(
        "members", "/v1/appointment-snapshots", members.AppointmentChanged, "members.appointment"
    ),
    Source("members", "/v1/member-snapshots", members.MemberChanged, "members.member"),
    Source("members", "/v1/training-snapshots", members.MemberTrained, "members.training"),
    # Asked of the volunteers service (issue #6): snapshots shaped as its events.
    Source(
        "volunteers",
        "/v1/volunteer-snapshots",
        volunteers.VolunteerChanged,
        "volunteers.volunteer",
    ),
    Source(
        "volunteers",
        "/v1/service-record-snapshots",
        volunteers.ServiceRecordConfirmed,
        "volunteers.service-record",
    ),
]


class SourceMissing(Exception):
    """The source service does not offer this snapshot endpoint (yet)."""


async def fetch_snapshots(
    http: httpx.AsyncClient, source: Source, token: str, region: str | None
) -> list[DomainEvent]:
    """Every current snapshot from a source service's API, page by page."""
    found: list[DomainEvent] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        if region:
            params["within"] = region
        response = await http.get(
            source.path, params=params, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code == 404 and cursor is None:
            raise SourceMissing(source.path)
        response.raise_for_status()
        page = response.json()
        found.extend(source.event.model_validate(item) for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return found


async def reconcile(
    settings: MetricsSettings,
    *,
    source_urls: dict[str, str] | None = None,
    token: str | None = None,
    region: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ReconcileOutcome:
    """The rollups against the stored contributions; and, for each source service given a
    URL, the stored contributions against that service's current data."""
    database = Database(settings, service_descriptor.schema)
    source: list[schemas.EntityDifference] = []
    checked: list[str] = []
    try:
        async with database.read_session() as session:
            rollups = await service.reconcile_contributions(session)
            for item in SOURCES:
                base_url = (source_urls or {}).get(item.service)
                if not base_url or not token:
                    continue
                async with httpx.AsyncClient(
                    base_url=base_url, timeout=30, transport=transport
                ) as http:
                    try:
                        snapshots = await fetch_snapshots(http, item, token, region)
                    except SourceMissing:
                        checked.append(f"{item.path} (not offered by {item.service})")
                        continue
                source.extend(
                    await service.compare_with_source(session, item.kind, snapshots, region)
                )
                checked.append(f"{item.path} ({len(snapshots)})")
    finally:
        await database.dispose()
    return ReconcileOutcome(rollups, source, checked)


@metrics_app.command("reconcile")
def reconcile_command(
    org_registry_url: Annotated[
        str | None, typer.Option(help="组织登记服务地址,如 http://127.0.0.1:8001")
    ] = None,
    cards_url: Annotated[
        str | None, typer.Option(help="残疾人证服务地址,如 http://127.0.0.1:8003")
    ] = None,
    members_url: Annotated[
        str | None, typer.Option(help="专职委员服务地址,如 http://127.0.0.1:8002")
    ] = None,
    volunteers_url: Annotated[
        str | None, typer.Option(help="志愿者服务地址,如 http://127.0.0.1:8004")
    ] = None,
    token: Annotated[
        str | None, typer.Option(envvar="CANLIAN_TOKEN", help="读取源服务的令牌 / bearer token")
    ] = None,
    region: Annotated[str | None, typer.Option(help="只核对该区划 / only this region")] = None,
) -> None:
    """核对:重算计数并列出每一处差异(有差异时退出码为 1)/ report every difference."""
    settings = load_settings(MetricsSettings)
    given = (
        ("org-registry", org_registry_url),
        ("cards", cards_url),
        ("members", members_url),
        ("volunteers", volunteers_url),
    )
    urls = {name: url for name, url in given if url}
    if urls and not token:
        raise typer.BadParameter("reading the source services needs --token", param_hint="--token")
    outcome = asyncio.run(
        reconcile(
            settings,
            source_urls=urls,
            token=token,
            region=divisions.parse(region) if region else None,
        )
    )
    report = outcome.rollups
    console.print(
        f"checked {report.entities} entity contributions against {report.counters} counters"
        + (f"; sources: {', '.join(outcome.sources_checked)}" if outcome.sources_checked else "")
    )
    if report.differences:
        table = Table("region", "counter", "expected", "stored", title="rollup differences")
        for difference in report.differences:
            table.add_row(
                difference.region,
                difference.counter,
                str(difference.expected),
                str(difference.stored),
            )
        Console().print(table)
    if outcome.source:
        table = Table("entity", "problem", "source version", "rollup version", title="source")
        for entry in outcome.source:
            table.add_row(
                entry.entity, entry.problem, str(entry.source_version), str(entry.rollup_version)
            )
        Console().print(table)
    total = len(report.differences) + len(outcome.source)
    console.print(f"{total} difference(s)")
    if total:
        raise typer.Exit(1)


# --- rebuild ------------------------------------------------------------------------------


async def rebuild(settings: MetricsSettings, *, tick: Tick | None = None) -> int:
    """Replace the rollups with a replay of every domain event from the start of the log.

    The log is read without a consumer group, so the live consumer's offsets and inbox are
    untouched; what it applies afterwards are versions the rebuild already holds, which
    change nothing. Stop the metrics workers while this runs.
    """
    await upgrade(service_descriptor, settings)
    database = Database(settings, service_descriptor.schema)
    reader = make_log_reader(settings, DOMAIN_TOPICS)
    replayed = 0
    try:
        # Folded in memory first, written in one transaction at the end: the live figures
        # stay readable until the rebuilt ones replace them.
        async with database.read_session() as session:
            fold = await service.fold_divisions(session)
        # The fold only grows acyclic dicts, tuples and strings: the cycle collector would
        # walk all of them again and again for nothing.
        gc.disable()
        async for messages in reader.batches(5000):
            fold.add_messages(message.value for message in messages)
            replayed += len(messages)
            if tick:
                tick(len(messages), reader.total)
        async with database.session() as session:
            await service.save_fold(session, fold)
    finally:
        gc.enable()
        await database.dispose()
    return replayed


@metrics_app.command("rebuild")
def rebuild_command(
    yes: Annotated[bool, typer.Option("--yes", help="不再确认 / do not ask")] = False,
) -> None:
    """按事件日志从头重建汇总(先停止指标工作进程)/ rebuild the rollups from the event log."""
    if not yes and not typer.confirm("清空并重建全部汇总?/ Empty and rebuild every rollup?"):
        raise typer.Exit(1)
    settings = load_settings(MetricsSettings)
    with _progress() as progress:
        task = progress.add_task("events", total=None)

        def tick(done: int, total: int | None) -> None:
            progress.update(task, advance=done, total=total)

        replayed = asyncio.run(rebuild(settings, tick=tick))
    console.print(f"[green]replayed[/] {replayed} events")
    if sys.stderr.isatty():
        console.print("run `canlian metrics reconcile` to check the result")
