"""`canlian division-names load`: the registry's division names into the services that name
divisions beside their codes (cards, members, needs)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings, load_settings

division_names_app = typer.Typer(
    help="区划名称 / division names beside codes in what people read.", no_args_is_help=True
)
console = Console(stderr=True)


@division_names_app.command("load")
def load(
    province: Annotated[
        str | None, typer.Option(help="只导入该省,如 62 甘肃 / only this province, e.g. 62")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(help="code,name,level,parent_code 的 CSV(可 gzip);默认用区划库自带数据"),
    ] = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", "-s", help="只导入这些服务 / only these")
    ] = None,
) -> None:
    """导入区划名称(每次部署一次,可重复执行)/ load division names once per deployment;
    running it again changes nothing, and names the registry changed since stay."""
    # SQLAlchemy and the services' models: only here.
    from canlian.common.division_names.dataset import (
        InvalidDataset,
        count_dataset,
        default_dataset,
        read_dataset,
    )
    from canlian.common.division_names.loading import keeps_names, load_names

    if province is not None and not (len(province) == 2 and province.isdigit()):
        raise typer.BadParameter("province must be 2 digits, e.g. 62", param_hint="--province")
    path = file or default_dataset()
    if path is None:
        raise typer.BadParameter("no dataset found; pass --file", param_hint="--file")
    selected = [
        descriptor
        for descriptor in installed_services()
        if (not service or descriptor.name in service) and keeps_names(descriptor)
    ]
    if not selected:
        raise typer.BadParameter(
            "no installed service keeps division names", param_hint="--service"
        )
    settings = load_settings(PlatformSettings)
    total = count_dataset(path, province)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console) as progress:
        for descriptor in selected:
            task = progress.add_task(descriptor.name, total=total)

            def advance(done: int, task: TaskID = task) -> None:
                progress.update(task, advance=done)

            try:
                loaded = asyncio.run(
                    load_names(
                        descriptor,
                        settings,
                        read_dataset(path, province),
                        tick=advance,
                    )
                )
            except InvalidDataset as error:
                raise typer.BadParameter(str(error), param_hint="--file") from None
            console.print(f"[green]{descriptor.name}[/]: {loaded:,} division names")
