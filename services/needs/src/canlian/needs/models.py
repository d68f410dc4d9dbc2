"""Every table of the needs service, all in its own schema `needs`.

Importing this module completes `Base.metadata`: the app, Alembic's environment (through
the service descriptor) and the migration tests read it here. Each concept declares its
own tables.
"""

from __future__ import annotations

from canlian.common.division_names.table import division_names_table
from canlian.needs.committee_members.models import CommitteePost
from canlian.needs.db import SCHEMA, Base
from canlian.needs.households.models import Household, HouseholdMember, MemberService
from canlian.needs.needs.models import EscalationRun, Need
from canlian.needs.platforms.models import ServicePlatform
from canlian.needs.policies.models import POLICY_VALUES
from canlian.needs.visits.models import Visit

# The registry's division names, beside the codes in what people read
# (canlian.common.division_names).
DIVISION_NAMES = division_names_table(Base.metadata)

__all__ = [
    "DIVISION_NAMES",
    "POLICY_VALUES",
    "SCHEMA",
    "Base",
    "CommitteePost",
    "EscalationRun",
    "Household",
    "HouseholdMember",
    "MemberService",
    "Need",
    "ServicePlatform",
    "Visit",
]
