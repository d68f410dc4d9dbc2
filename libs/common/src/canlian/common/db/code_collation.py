"""Migration step: division-code columns compared byte by byte on PostgreSQL.

Frozen like `platform_migrations`: each service's revision names its own columns. SQLite has
no collations to change (its codes are compared byte-wise already).
"""

from __future__ import annotations

from collections.abc import Iterable

from alembic import op


def _alter(schema: str, columns: Iterable[tuple[str, str]], collation: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in columns:
        # ALTER ... TYPE rebuilds the indexes on the column under the new collation.
        op.execute(
            f'ALTER TABLE "{schema}"."{table}" ALTER COLUMN "{column}" '
            f'TYPE varchar(12) COLLATE "{collation}"'
        )


def upgrade_codes_to_c_collation(schema: str, columns: Iterable[tuple[str, str]]) -> None:
    _alter(schema, columns, "C")


def downgrade_codes_to_default_collation(schema: str, columns: Iterable[tuple[str, str]]) -> None:
    _alter(schema, columns, "default")
