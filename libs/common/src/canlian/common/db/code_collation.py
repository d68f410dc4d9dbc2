"""Migration step: division-code columns compared byte by byte on PostgreSQL.

Frozen like `platform_migrations`: each service's revision names its own columns. SQLite has
no collations to change (its codes are compared byte-wise already).
"""

from __future__ import annotations

from collections.abc import Iterable

from alembic import op

# A county is 1 row in 10,000 of a national table; with the default 100 histogram buckets
# the planner estimates a prefix at a whole bucket (1 %) and may walk the primary key instead.
CODE_STATISTICS = 1000


def _alter(
    schema: str, columns: Iterable[tuple[str, str]], collation: str, statistics: int
) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in columns:
        # ALTER ... TYPE rebuilds the indexes on the column under the new collation.
        op.execute(
            f'ALTER TABLE "{schema}"."{table}" ALTER COLUMN "{column}" '
            f'TYPE varchar(12) COLLATE "{collation}", '
            f'ALTER COLUMN "{column}" SET STATISTICS {statistics}'
        )


def upgrade_codes_to_c_collation(schema: str, columns: Iterable[tuple[str, str]]) -> None:
    _alter(schema, columns, "C", CODE_STATISTICS)


def downgrade_codes_to_default_collation(schema: str, columns: Iterable[tuple[str, str]]) -> None:
    _alter(schema, columns, "default", -1)
