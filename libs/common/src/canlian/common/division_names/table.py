"""The `division_names` table a service declares to name divisions in what people read.

Opt-in (not one of `platform_tables`): a service that declares it on its metadata gets the
registry's consumer that keeps it and the problem labels that read it
(`canlian.common.runtime`), and adds it by its own migration (`create_division_names_v1`).
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, SmallInteger, String, Table

from canlian.common.db.metadata import DivisionCodeType, UtcDateTime

_INFO_KEY = "division_names_table"

LOADED_VERSION = 0
"""The version of a name loaded from the registry's dataset: any recorded change (version 1
and up, `DivisionChanged.version`) is newer."""


def division_names_table(metadata: MetaData) -> Table:
    """The table on a service's metadata, declared once."""
    if _INFO_KEY in metadata.info:
        declared: Table = metadata.info[_INFO_KEY]
        return declared
    table = Table(
        "division_names",
        metadata,
        Column("code", DivisionCodeType, primary_key=True),
        Column("name", String(100), nullable=False),
        Column("level", SmallInteger, nullable=False),
        # The registry's version of the code's record: an older event replayed changes nothing.
        Column("version", Integer, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    metadata.info[_INFO_KEY] = table
    return table


def declared_division_names(metadata: MetaData) -> Table | None:
    table: Table | None = metadata.info.get(_INFO_KEY)
    return table
