"""The needs schema's `policy_values` table (declared by the kit)."""

from __future__ import annotations

from canlian.common.policy_values.table import policy_values_table
from canlian.needs.db import Base

POLICY_VALUES = policy_values_table(Base.metadata)
