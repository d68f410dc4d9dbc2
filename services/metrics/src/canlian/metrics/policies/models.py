"""The metrics schema's copy of `policy_values` (declared by the kit, filled from events)."""

from __future__ import annotations

from canlian.common.policy_values.table import policy_values_table
from canlian.metrics.db import Base

POLICY_VALUES = policy_values_table(Base.metadata)
