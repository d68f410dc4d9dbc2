"""The presidium's budget reviews (seed 002) and the mid-term reviews (seeds 000, 003) as
indicators of their year: a fact is keyed by its year in the counter's name, so a year's
indicator never needs it to lapse; corrections and withdrawals restate it, redelivered or
older versions change nothing, and the as-of history counts each from its own date."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from canlian.common.events import org_registry
from canlian.common.events.org_registry import OrganisationKind

from ..conftest import CHENGGUAN, LANZHOU, QILIHE, TOWNSHIP, Apply, envelope, organisation

pytestmark = pytest.mark.postgres

APPROVED = org_registry.BudgetDecision.APPROVED
RETURNED = org_registry.BudgetDecision.RETURNED
AT = datetime(2026, 3, 20, 2, 0, tzinfo=UTC)
LATER = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)


async def federations(apply: Apply) -> None:
    """Two county federations and a township one under Lanzhou."""
    await apply(
        *[
            envelope(
                organisation(
                    name,
                    kind=OrganisationKind.FEDERATION,
                    division=division,
                    level=level,
                    established_on=date(2010, 1, 1),
                ),
                at=datetime(2010, 1, 1, tzinfo=UTC),
            )
            for name, division, level in (
                ("f-cg", CHENGGUAN, 3),
                ("f-qlh", QILIHE, 3),
                ("f-town", TOWNSHIP, 4),
            )
        ]
    )


def budget(
    review_id: str,
    division: str,
    decision: org_registry.BudgetDecision,
    *,
    version: int = 1,
    year: int = 2025,
    reviewed_on: date = date(2026, 3, 18),
    corrected: bool = False,
) -> org_registry.BudgetReportReviewed | org_registry.BudgetReportReviewCorrected:
    event = (
        org_registry.BudgetReportReviewCorrected if corrected else org_registry.BudgetReportReviewed
    )
    return event(
        review_id=review_id,
        version=version,
        organisation_id=f"org-{division}",
        division_code=division,
        level=3,
        term_number=7,
        year=year,
        reviewed_on=reviewed_on,
        budget_yuan=Decimal("100"),
        executed_yuan=Decimal("95"),
        decision=decision,
    )


def budget_withdrawn(
    review_id: str, division: str, version: int
) -> org_registry.BudgetReportReviewWithdrawn:
    return org_registry.BudgetReportReviewWithdrawn(
        review_id=review_id,
        version=version,
        organisation_id=f"org-{division}",
        division_code=division,
        term_number=7,
        year=2025,
        withdrawn_on=date(2026, 5, 6),
    )


async def indicator(
    client: httpx.AsyncClient,
    official: dict[str, str],
    code: str,
    region: str = LANZHOU,
    as_of: date | None = None,
) -> dict[str, Any]:
    params = {"as_of": as_of.isoformat()} if as_of else {}
    response = await client.get(f"/v1/regions/{region}/indicators", params=params, headers=official)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = next(
        item for item in response.json()["indicators"] if item["indicator"] == code
    )
    return found


async def shares(
    client: httpx.AsyncClient, official: dict[str, str], code: str, as_of: date | None = None
) -> tuple[int | None, int | None]:
    found = await indicator(client, official, code, as_of=as_of)
    return found["numerator"], found["denominator"]


async def test_federations_whose_years_budget_report_was_approved(
    client: httpx.AsyncClient, official: dict[str, str], apply: Apply, gansu: None
) -> None:
    await federations(apply)
    await apply(
        envelope(budget("b1", CHENGGUAN, APPROVED), at=AT),
        # A second term of the same federation approving the same year: one federation.
        envelope(budget("b2", CHENGGUAN, APPROVED, reviewed_on=date(2026, 3, 19)), at=AT),
        envelope(budget("b3", QILIHE, RETURNED), at=AT),
        envelope(budget("b4", TOWNSHIP, APPROVED, year=2024, reviewed_on=date(2025, 3, 1)), at=AT),
    )
    assert await shares(client, official, "budget-reports-approved-2025") == (1, 3)
    found = await indicator(client, official, "budget-reports-approved-2025")
    assert (found["unit"], found["value"]) == ("percent", pytest.approx(33.3333, abs=1e-3))
    assert await shares(client, official, "budget-reports-approved-2024") == (1, 3)
    # Counted from the day the presidium reviewed it, in its year's indicator only.
    early = date(2026, 3, 17)
    assert await shares(client, official, "budget-reports-approved-2025", early) == (0, 3)
    assert await shares(client, official, "budget-reports-approved-2024", early) == (1, 3)

    # Qilihe's return corrected to an approval; redelivered, the older version does nothing.
    await apply(envelope(budget("b3", QILIHE, APPROVED, version=2, corrected=True), at=LATER))
    await apply(envelope(budget("b3", QILIHE, RETURNED), at=AT))
    assert await shares(client, official, "budget-reports-approved-2025") == (2, 3)
    assert await shares(client, official, "budget-reports-approved-2025", early) == (0, 3)
    # The correction restates the review's own date on: approved from 18 March.
    assert await shares(client, official, "budget-reports-approved-2025", date(2026, 3, 18)) == (
        2,
        3,
    )

    # Withdrawn, one of Chengguan's two: still approved by the other; then both.
    await apply(envelope(budget_withdrawn("b1", CHENGGUAN, 2), at=LATER))
    assert await shares(client, official, "budget-reports-approved-2025") == (2, 3)
    await apply(envelope(budget_withdrawn("b2", CHENGGUAN, 2), at=LATER))
    assert await shares(client, official, "budget-reports-approved-2025") == (1, 3)
    # Before the withdrawals it was counted: the history keeps what held then.
    assert await shares(client, official, "budget-reports-approved-2025", date(2026, 5, 5)) == (
        2,
        3,
    )
    assert await shares(client, official, "budget-reports-approved-2026") == (0, 3)


def term(
    organisation_id: str, division: str, starts_on: date, ends_on: date, **fields: Any
) -> org_registry.TermHeld:
    return org_registry.TermHeld(
        organisation_id=organisation_id,
        version=2,
        division_code=division,
        level=3,
        kind=fields.pop("kind", OrganisationKind.FEDERATION),
        term_number=fields.pop("term_number", 1),
        starts_on=starts_on,
        ends_on=ends_on,
        next_election_due=ends_on,
    )


def midterm(
    review_id: str, division: str, *, version: int = 1, corrected: bool = False, **fields: Any
) -> org_registry.MidTermReviewed | org_registry.MidTermReviewCorrected:
    event = org_registry.MidTermReviewCorrected if corrected else org_registry.MidTermReviewed
    return event(
        review_id=review_id,
        version=version,
        organisation_id=f"org-{division}",
        division_code=division,
        level=3,
        term_number=1,
        middle_of_term=fields.pop("middle_of_term", date(2024, 7, 1)),
        reviewer_division_code=LANZHOU,
        reviewed_on=fields.pop("reviewed_on", date(2024, 9, 10)),
        result=fields.pop("result", org_registry.MidTermResult.FAIRLY_GOOD),
        adjustment_recommended=False,
    )


async def test_terms_at_their_middle_in_a_year_and_those_reviewed(
    client: httpx.AsyncClient, official: dict[str, str], apply: Apply, gansu: None
) -> None:
    held = datetime(2022, 1, 1, 2, 0, tzinfo=UTC)
    await apply(
        # Middle 2024-07-01 (the registry's: half the term's 1,825 days on).
        envelope(term("org-cg", CHENGGUAN, date(2022, 1, 1), date(2026, 12, 31)), at=held),
        # Middle 2025-07-02.
        envelope(term("org-qlh", QILIHE, date(2023, 1, 1), date(2027, 12, 31)), at=held),
        # Not a federation: no mid-term review is due.
        envelope(
            term(
                "assoc",
                TOWNSHIP,
                date(2022, 1, 1),
                date(2026, 12, 31),
                kind=OrganisationKind.ASSOCIATION,
            ),
            at=held,
        ),
    )
    assert await shares(client, official, "midterm-reviews-done-2024") == (0, 1)
    assert await shares(client, official, "midterm-reviews-done-2025") == (0, 1)
    reviewed_at = datetime(2024, 9, 11, 2, 0, tzinfo=UTC)
    await apply(envelope(midterm("m1", CHENGGUAN), at=reviewed_at))
    assert await shares(client, official, "midterm-reviews-done-2024") == (1, 1)
    assert (await indicator(client, official, "midterm-reviews-done-2024"))["value"] == 100
    assert await shares(client, official, "midterm-reviews-done-2025") == (0, 1)
    assert await shares(client, official, "midterm-reviews-done-2024", date(2024, 9, 9)) == (0, 1)

    corrected_at = datetime(2024, 10, 8, 2, 0, tzinfo=UTC)
    fair = org_registry.MidTermResult.FAIR
    await apply(
        envelope(midterm("m1", CHENGGUAN, version=2, corrected=True, result=fair), at=corrected_at)
    )
    await apply(envelope(midterm("m1", CHENGGUAN), at=reviewed_at))  # redelivered, older
    assert await shares(client, official, "midterm-reviews-done-2024") == (1, 1)
    withdrawn = org_registry.MidTermReviewWithdrawn(
        review_id="m1",
        version=3,
        organisation_id="org-cg",
        division_code=CHENGGUAN,
        term_number=1,
        withdrawn_on=date(2024, 11, 1),
    )
    await apply(envelope(withdrawn, at=datetime(2024, 11, 1, 2, 0, tzinfo=UTC)))
    assert await shares(client, official, "midterm-reviews-done-2024") == (0, 1)
    assert await shares(client, official, "midterm-reviews-done-2024", date(2024, 10, 31)) == (1, 1)


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2022, 1, 1), date(2026, 12, 31)),
        (date(2023, 6, 30), date(2028, 6, 29)),
        (date(2024, 2, 29), date(2024, 3, 1)),
    ],
)
def test_the_middle_is_the_registrys(starts_on: date, ends_on: date) -> None:
    """The term is due in its middle's year as the registry computes the middle (its review
    before then is refused)."""
    from canlian.metrics.contributions.reviews import middle_of
    from canlian.org_registry.midterm_reviews import rules

    assert middle_of(starts_on, ends_on) == rules.middle_of(starts_on, ends_on)
