"""`canlian metrics divisions load|sync`: divisions for the denominators."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import httpx
import typer

from canlian.common import divisions
from canlian.common.db.database import Database
from canlian.common.db.migrations import upgrade
from canlian.common.settings import load_settings
from canlian.metrics.answers.changes import keep_version
from canlian.metrics.app import service_descriptor
from canlian.metrics.cli.progress import Tick, console, progress_bar
from canlian.metrics.contributions import mappers as contributions_mappers
from canlian.metrics.divisions.dataset import (
    count_dataset,
    default_dataset,
    fetch_divisions,
    read_dataset,
)
from canlian.metrics.rollups import denominators as rollups_denominators
from canlian.metrics.settings import MetricsSettings

divisions_app = typer.Typer(help="指标分母所需的区划 / divisions for the denominators")


async def load_divisions(
    settings: MetricsSettings,
    rows: Iterator[contributions_mappers.DivisionRow],
    *,
    batch_size: int = 5000,
    tick: Tick | None = None,
) -> int:
    """Load the rows: on PostgreSQL in one transaction, set-based (COPY, then SQL); on
    SQLite (embedded) batch by batch through the rollup engine."""
    await upgrade(service_descriptor, settings)
    database = Database(settings, service_descriptor.schema)
    keep_version(database)
    total = 0

    def counted(done: int) -> None:
        nonlocal total
        total += done
        if tick:
            tick(done, None)

    try:
        async with database.session() as session:
            if rollups_denominators.loads_in_bulk(session):
                await rollups_denominators.load_divisions_in_bulk(session, rows, tick=counted)
                return total
        batch: list[contributions_mappers.DivisionRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                async with database.session() as session:
                    await rollups_denominators.load_divisions(session, batch)
                counted(len(batch))
                batch = []
        if batch:
            async with database.session() as session:
                await rollups_denominators.load_divisions(session, batch)
            counted(len(batch))
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
    total = count_dataset(path, province)
    with progress_bar() as progress:
        task = progress.add_task("divisions", total=total)
        loaded = asyncio.run(
            load_divisions(
                settings,
                read_dataset(path, province),
                tick=lambda done, _: progress.update(task, advance=done),
            )
        )
    console.print(f"[green]loaded[/] {loaded} divisions from {path.name}")


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
