"""`canlian metrics rebuild`: the rollups replaced by a replay of the event log."""

from __future__ import annotations

import asyncio
import gc
import sys
from pathlib import Path
from typing import Annotated

import typer

from canlian.common.db.database import Database
from canlian.common.db.migrations import upgrade
from canlian.common.messaging.bus import make_log_reader
from canlian.common.runtime import DOMAIN_TOPICS
from canlian.common.settings import load_settings
from canlian.metrics.answers.changes import keep_version
from canlian.metrics.app import service_descriptor
from canlian.metrics.cli.progress import Tick, console, progress_bar
from canlian.metrics.rollups import fold as rollups_fold
from canlian.metrics.rollups import passes
from canlian.metrics.rollups.engine import Change
from canlian.metrics.settings import MetricsSettings


async def rebuild(
    settings: MetricsSettings, *, tick: Tick | None = None, pass_size: int | None = None
) -> int:
    """Replace the rollups with a replay of every domain event from the start of the log.

    The log is read without a consumer group, so the live consumer's offsets and inbox are
    untouched; what it applies afterwards are versions the rebuild already holds, which
    change nothing. Stop the metrics workers while this runs.

    A log of more than `pass_size` entities (settings.rebuild_pass_size) is folded in passes
    (rollups.passes): its changes are bucketed on disk by entity first, so the memory held
    is one pass's entity states and the journal, whatever the log's size.
    """
    pass_size = pass_size or settings.rebuild_pass_size
    await upgrade(service_descriptor, settings)
    database = Database(settings, service_descriptor.schema)
    keep_version(database)
    reader = make_log_reader(settings, DOMAIN_TOPICS)
    replayed = 0
    try:
        with passes.scratch_directory() as scratch:
            # Folded first, written in one transaction at the end: the live figures stay
            # readable until the rebuilt ones replace them.
            async with database.read_session() as session:
                starting: list[Change] | None = await rollups_fold.starting_changes(session)
            fold = rollups_fold.RollupFold()
            # The fold only grows acyclic dicts, tuples and strings: the cycle collector would
            # walk all of them again and again for nothing.
            gc.disable()
            async for messages in reader.batches(5000):
                if starting is not None:
                    # The log's size is known with its first batch: one pass or several.
                    buckets = passes.passes_for(reader.total + len(starting), pass_size)
                    if buckets > 1:
                        fold.spill = passes.ChangeSpill(Path(scratch), buckets)
                    fold.add_changes(starting)
                    starting = None
                fold.add_messages(message.value for message in messages)
                replayed += len(messages)
                if tick:
                    tick(len(messages), reader.total)
            if starting is not None:  # an empty log
                fold.add_changes(starting)
            states = passes.StateSpill(Path(scratch))
            if fold.spill is not None:
                spill, fold.spill = fold.spill, None
                for number in range(spill.buckets):
                    for changes in spill.bucket(number):
                        fold.fold_changes(changes)
                    if number < spill.buckets - 1:  # the last pass's stay for the write
                        states.add(fold.drain_states())
            async with database.session() as session:
                await rollups_fold.save_fold(session, fold, states.frames())
    finally:
        gc.enable()
        await database.dispose()
    return replayed


def rebuild_command(
    yes: Annotated[bool, typer.Option("--yes", help="不再确认 / do not ask")] = False,
) -> None:
    """按事件日志从头重建汇总(先停止指标工作进程)/ rebuild the rollups from the event log."""
    if not yes and not typer.confirm("清空并重建全部汇总?/ Empty and rebuild every rollup?"):
        raise typer.Exit(1)
    settings = load_settings(MetricsSettings)
    with progress_bar() as progress:
        task = progress.add_task("events", total=None)

        def tick(done: int, total: int | None) -> None:
            progress.update(task, advance=done, total=total)

        replayed = asyncio.run(rebuild(settings, tick=tick))
    console.print(f"[green]replayed[/] {replayed} events")
    if sys.stderr.isatty():
        console.print("run `canlian metrics reconcile` to check the result")
