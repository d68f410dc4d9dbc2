"""A card's transfer to another county is a request the receiving county decides: the
transfer_requests table (one open request per card), and the card's pointer to its open
request.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from canlian.common.db.metadata import BigIntegerKey, DivisionCodeType, UtcDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "cards"


def upgrade() -> None:
    op.create_table(
        "transfer_requests",
        sa.Column("id", BigIntegerKey, primary_key=True, autoincrement=True),
        sa.Column("card_id", BigIntegerKey, nullable=False),
        sa.Column("person_id", BigIntegerKey, nullable=False),
        sa.Column("from_division_code", DivisionCodeType, nullable=False),
        sa.Column("to_division_code", DivisionCodeType, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_transfer_requests"),
        sa.ForeignKeyConstraint(
            ["card_id"],
            [f"{SCHEMA}.cards.id"],
            name="fk_transfer_requests_card_id_cards",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            [f"{SCHEMA}.persons.id"],
            name="fk_transfer_requests_person_id_persons",
        ),
        schema=SCHEMA,
    )
    for column in ("card_id", "from_division_code", "to_division_code"):
        op.create_index(
            f"ix_transfer_requests_{column}", "transfer_requests", [column], schema=SCHEMA
        )
    op.create_index(
        "uq_transfer_requests_card_id_open",
        "transfer_requests",
        ["card_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("status = 'requested'"),
        sqlite_where=sa.text("status = 'requested'"),
    )
    op.add_column(
        "cards", sa.Column("transfer_request_id", BigIntegerKey, nullable=True), schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_column("cards", "transfer_request_id", schema=SCHEMA)
    op.drop_table("transfer_requests", schema=SCHEMA)
