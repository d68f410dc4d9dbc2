"""A service's division names loaded from the registry's dataset, batch by batch: once per
deployment, before the registry's events keep them (running it again changes nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from canlian.common.db.database import Database
from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.division_names.dataset import DivisionRow
from canlian.common.division_names.repository import keep_names
from canlian.common.division_names.table import LOADED_VERSION, declared_division_names
from canlian.common.settings import PlatformSettings


def keeps_names(descriptor: ServiceDescriptor) -> bool:
    """Whether the service declares the division names table."""
    return declared_division_names(descriptor.metadata()) is not None


async def load_names(
    descriptor: ServiceDescriptor,
    settings: PlatformSettings,
    rows: Iterable[DivisionRow],
    *,
    batch_size: int = 5000,
    tick: Callable[[int], None] | None = None,
) -> int:
    """Store the rows' names in the service's table (migrated first); a name a recorded
    change set later stays. How many rows were read."""
    table = declared_division_names(descriptor.metadata())
    if table is None:
        raise ValueError(f"{descriptor.name} keeps no division names")
    await upgrade(descriptor, settings)
    database = Database(settings, descriptor.schema)
    total = 0
    batch: list[tuple[str, str, int, int]] = []

    async def flush() -> None:
        nonlocal total, batch
        async with database.session() as session:
            await keep_names(session, table, batch)
        total += len(batch)
        if tick:
            tick(len(batch))
        batch = []

    try:
        for row in rows:
            batch.append((row.code, row.name, row.level, LOADED_VERSION))
            if len(batch) >= batch_size:
                await flush()
        if batch:
            await flush()
    finally:
        await database.dispose()
    return total
