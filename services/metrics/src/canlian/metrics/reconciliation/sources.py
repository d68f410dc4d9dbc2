"""The source services' snapshot endpoints, shaped as their events."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from canlian.common.events import cards, members, needs, org_registry, volunteers
from canlian.common.events.base import DomainEvent


@dataclass(frozen=True)
class Source:
    """A source service's snapshot endpoint, shaped as one of its events."""

    service: str
    path: str
    event: type[DomainEvent]
    kind: str  # entity kind in the rollups


SOURCES = [
    Source(
        "org-registry",
        "/v1/organisation-snapshots",
        org_registry.OrganisationChanged,
        "org-registry.organisation",
    ),
    Source(
        "org-registry",
        "/v1/federation-staff-snapshots",
        org_registry.FederationStaffChanged,
        "org-registry.federation-staff",
    ),
    Source(
        "org-registry",
        "/v1/inspection-snapshots",
        org_registry.StandardisationInspected,
        "org-registry.standardisation",
    ),
    Source(
        "org-registry",
        "/v1/budget-review-snapshots",
        org_registry.BudgetReportReviewCorrected,
        "org-registry.budget-report",
    ),
    Source(
        "org-registry",
        "/v1/midterm-review-snapshots",
        org_registry.MidTermReviewCorrected,
        "org-registry.midterm-review",
    ),
    Source("org-registry", "/v1/term-snapshots", org_registry.TermHeld, "org-registry.term"),
    Source("cards", "/v1/card-snapshots", cards.CardIssued, "cards.card"),
    Source("cards", "/v1/application-snapshots", cards.ApplicationSubmitted, "cards.application"),
    Source(
        "members", "/v1/appointment-snapshots", members.AppointmentChanged, "members.appointment"
    ),
    Source("members", "/v1/member-snapshots", members.MemberChanged, "members.member"),
    Source("members", "/v1/training-snapshots", members.MemberTrained, "members.training"),
    Source(
        "members",
        "/v1/assessment-decision-snapshots",
        members.AssessmentDecided,
        "members.assessment",
    ),
    # Asked of the volunteers service (issue #6): snapshots shaped as its events.
    Source(
        "volunteers",
        "/v1/volunteer-snapshots",
        volunteers.VolunteerChanged,
        "volunteers.volunteer",
    ),
    Source(
        "volunteers",
        "/v1/service-record-snapshots",
        volunteers.ServiceRecordConfirmed,
        "volunteers.service-record",
    ),
    Source("needs", "/v1/household-snapshots", needs.HouseholdChanged, "needs.household"),
    Source("needs", "/v1/visit-snapshots", needs.HomeVisitRecorded, "needs.visit"),
    Source("needs", "/v1/need-snapshots", needs.NeedReferred, "needs.need"),
    Source("needs", "/v1/platform-snapshots", needs.PlatformChanged, "needs.platform"),
]


class SourceMissing(Exception):
    """The source service does not offer this snapshot endpoint (yet)."""


async def fetch_snapshots(
    http: httpx.AsyncClient, source: Source, token: str, region: str | None
) -> list[DomainEvent]:
    """Every current snapshot from a source service's API, page by page."""
    found: list[DomainEvent] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        if region:
            params["region"] = region
        response = await http.get(
            source.path, params=params, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code == 404 and cursor is None:
            raise SourceMissing(source.path)
        response.raise_for_status()
        page = response.json()
        found.extend(source.event.model_validate(item) for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return found
