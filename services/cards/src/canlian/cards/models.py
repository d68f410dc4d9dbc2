"""Every table of the cards service, all in its own schema `cards`.

Each concept declares its own tables on `canlian.cards.db.Base`; this module imports them all,
so `Base.metadata` is complete wherever the whole schema is needed: the app, Alembic's env
(through the service descriptor) and the migration tests.
"""

from __future__ import annotations

from canlian.cards.applications.models import Application
from canlian.cards.cards.models import Card
from canlian.cards.db import SCHEMA, Base
from canlian.cards.institutions.models import Institution
from canlian.cards.persons.models import Person
from canlian.cards.transfers.models import TransferRequest
from canlian.common.division_names.table import division_names_table
from canlian.common.import_jobs.table import import_jobs_table

# The legacy register import's background jobs (canlian.common.import_jobs).
IMPORT_JOBS = import_jobs_table(Base.metadata)

# The registry's division names, beside the codes in what people read
# (canlian.common.division_names).
DIVISION_NAMES = division_names_table(Base.metadata)

__all__ = [
    "DIVISION_NAMES",
    "IMPORT_JOBS",
    "SCHEMA",
    "Application",
    "Base",
    "Card",
    "Institution",
    "Person",
    "TransferRequest",
]
