"""The members schema's `policy_values` table (declared by the kit)."""

from __future__ import annotations

from canlian.common.policy_values.table import policy_in_force_runs_table, policy_values_table
from canlian.members.db import Base

POLICY_VALUES = policy_values_table(Base.metadata)

IN_FORCE_RUNS = policy_in_force_runs_table(Base.metadata)
"""The days the daily in-force run claimed."""
