"""Every table of the members service on one metadata.

The platform reads `Base.metadata` from this module (`ServiceDescriptor.metadata()`, Alembic's
env, the migration comparison test); importing each concept's models here registers them.
"""

from __future__ import annotations

from canlian.common.division_names.table import division_names_table
from canlian.common.import_jobs.table import import_jobs_table
from canlian.members.appointments.models import AllowanceMinimum, Appointment, StatusChange
from canlian.members.archive.models import Member
from canlian.members.assessments.models import Assessment
from canlian.members.db import SCHEMA, Base
from canlian.members.organisations.models import Organisation, OrganisationCoverage
from canlian.members.policies.models import POLICY_VALUES
from canlian.members.recruitment.models import Applicant, OfferedPost, RecruitmentRound
from canlian.members.training.models import Training

# The roster import's background jobs (canlian.common.import_jobs).
IMPORT_JOBS = import_jobs_table(Base.metadata)

# The registry's division names, beside the codes in what people read
# (canlian.common.division_names).
DIVISION_NAMES = division_names_table(Base.metadata)

__all__ = [
    "DIVISION_NAMES",
    "IMPORT_JOBS",
    "POLICY_VALUES",
    "SCHEMA",
    "AllowanceMinimum",
    "Applicant",
    "Appointment",
    "Assessment",
    "Base",
    "Member",
    "OfferedPost",
    "Organisation",
    "OrganisationCoverage",
    "RecruitmentRound",
    "StatusChange",
    "Training",
]
