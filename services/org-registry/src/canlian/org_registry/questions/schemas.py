"""Response bodies of the officials' questions (Chinese + English descriptions)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from canlian.common.events.org_registry import OrganisationKind
from canlian.org_registry.organisations.schemas import OrganisationSummary


class OrganisationTreeNode(OrganisationSummary):
    children: list[OrganisationTreeNode] = Field(default_factory=list)


class CoverageSummary(BaseModel):
    division_code: str
    as_of: date | None = Field(description="统计日期,空为当前 / as of this date; empty: now")
    villages: int = Field(description="村(社区)总数 / villages in force")
    covered: int = Field(description="已建残协覆盖 / covered by an association")
    uncovered: int
    coverage_rate: float = Field(description="覆盖率 0–1 / coverage rate")


class ElectionDue(BaseModel):
    organisation_id: str
    name: str
    kind: OrganisationKind
    level: int
    division_code: str
    term_number: int
    ends_on: date
    next_election_due: date
    overdue: bool = Field(description="已逾期 / already overdue")
