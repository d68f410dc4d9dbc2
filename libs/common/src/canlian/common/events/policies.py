"""What a policy value event carries (canlian.common.policy): a region's value of a parameter,
in force from a date. Each owning service announces its parameters' values on its own topic
(`members.PolicyValueSet`, `org_registry.PolicyValueSet`); a reader keeps every value, as
history matters, and resolves the one in force with `policy.effective`, as the owner does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field

from canlian.common.events.base import EventModel


class PolicyValueFields(EventModel):
    parameter: str = Field(description="parameter name, e.g. seats.street_committee_members")
    division_code: str = Field(description="12-digit region that set the value")
    effective_from: date = Field(description="business date the value is in force from")
    value: Decimal
    version: int = Field(
        ge=1,
        description="version of the region's values of the parameter after this one; for one "
        "date the highest version holds",
    )
