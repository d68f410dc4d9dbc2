"""`canlian divisions ...`: load China's division hierarchy into the registry."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from canlian.common.db.database import Database
from canlian.common.db.migrations import upgrade
from canlian.common.settings import load_settings
from canlian.org_registry.app import service_descriptor
from canlian.org_registry.divisions.dataset import DATASET_EDITION, read_divisions
from canlian.org_registry.divisions.loading import LoadTally, apply_dataset_batch, batched
from canlian.org_registry.divisions.schemas import DivisionLoadResult
from canlian.org_registry.settings import OrgRegistrySettings

divisions_app = typer.Typer(
    name="divisions",
    help="行政区划 / the division hierarchy of China (NBS statistical codes).",
    no_args_is_help=True,
)
console = Console(stderr=True)


async def load_divisions(
    settings: OrgRegistrySettings,
    province: str | None,
    *,
    batch_size: int = 5000,
    progress: Progress | None = None,
    path: Path | None = None,
) -> DivisionLoadResult:
    """Migrate, then load the dataset in batches, one transaction each (a rerun resumes).
    `path` reads another gzip CSV of the same format instead of the bundled data."""
    await upgrade(service_descriptor, settings)
    total = sum(1 for _ in read_divisions(province, path))
    database = Database(settings, service_descriptor.schema)
    tally = LoadTally()
    task = progress.add_task("divisions", total=total) if progress else None
    try:
        for batch in batched(read_divisions(province, path), batch_size):
            async with database.session() as session:
                await apply_dataset_batch(session, batch, tally)
            if progress is not None and task is not None:
                progress.update(task, advance=len(batch))
    finally:
        await database.dispose()
    return tally.result()


@divisions_app.command("load")
def load(
    province: Annotated[
        str | None,
        typer.Option(help="只导入该省,2位代码,如 62 甘肃 / only this province, e.g. 62"),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=100, max=20_000, help="rows per batch")] = 5000,
    file: Annotated[
        Path | None,
        typer.Option(help="code,name,level,parent_code 的 gzip CSV;默认用自带数据 / another file"),
    ] = None,
) -> None:
    """导入国家统计局区划(可重复执行)/ load the NBS divisions; running it again changes nothing."""
    if province is not None and not (len(province) == 2 and province.isdigit()):
        raise typer.BadParameter(
            "province must be a 2-digit code such as 62", param_hint="--province"
        )
    settings = load_settings(OrgRegistrySettings)
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        result = asyncio.run(
            load_divisions(settings, province, batch_size=batch_size, progress=progress, path=file)
        )
    elapsed = time.perf_counter() - started
    if result.read == 0:
        console.print(f"[red]no divisions for province {province} in the {DATASET_EDITION} data")
        raise typer.Exit(1)
    console.print(
        f"[green]divisions {DATASET_EDITION}[/]: read {result.read:,}, inserted "
        f"{result.inserted:,}, renamed {result.renamed:,}, unchanged {result.unchanged:,}, "
        f"kept by recorded changes {result.skipped:,} in {elapsed:.1f} s"
    )
