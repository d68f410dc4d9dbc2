"""Every table of the volunteers service, all in its own schema `volunteers`.

Importing this module completes `Base.metadata`: the app, Alembic's environment (through
the service descriptor) and the migration tests read it here. Each concept declares its
own tables.
"""

from __future__ import annotations

from canlian.common.import_jobs.table import import_jobs_table
from canlian.volunteers.db import SCHEMA, Base
from canlian.volunteers.needs.models import Assignment, Need, NeedSkill
from canlian.volunteers.recognition.models import Honour, StarPolicy, Training
from canlian.volunteers.service_records.models import ServiceRecord
from canlian.volunteers.stations.models import Station, Team
from canlian.volunteers.volunteers.models import Volunteer, VolunteerSkill

# The roster import's background jobs (canlian.common.import_jobs).
IMPORT_JOBS = import_jobs_table(Base.metadata)

__all__ = [
    "IMPORT_JOBS",
    "SCHEMA",
    "Assignment",
    "Base",
    "Honour",
    "Need",
    "NeedSkill",
    "ServiceRecord",
    "StarPolicy",
    "Station",
    "Team",
    "Training",
    "Volunteer",
    "VolunteerSkill",
]
