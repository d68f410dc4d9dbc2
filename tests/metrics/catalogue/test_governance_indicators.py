"""Seed 003's governance in the indicators: township federations that passed acceptance (a
re-inspection replaces the inspection it follows) and assessments that renewed the contract."""

from datetime import date
from decimal import Decimal

import httpx
import pytest

from canlian.common.events.members import AssessmentDecided, AssessmentDecision, AssessmentGrade
from canlian.common.events.org_registry import (
    AcceptanceResult,
    InspectionSuperseded,
    OrganisationKind,
    StandardisationInspected,
)

from ..conftest import (
    CHENGGUAN,
    GANSU,
    QILIHE_TOWNSHIP,
    TOWNSHIP,
    VILLAGE_A,
    Apply,
    by_indicator,
    organisation,
)

pytestmark = pytest.mark.postgres


def inspected(inspection_id: str, code: str, result: AcceptanceResult) -> StandardisationInspected:
    return StandardisationInspected(
        inspection_id=inspection_id,
        version=1,
        organisation_id=f"org-{code}",
        division_code=code,
        level=4,
        kind=OrganisationKind.FEDERATION,
        checklist_id=None,
        inspector_division_code=CHENGGUAN,
        inspected_on=date(2026, 6, 1),
        total_score=Decimal(86),
        pass_mark=80,
        result=result,
        valid_until=date(2029, 6, 1),
    )


def decided(assessment_id: str, decision: AssessmentDecision) -> AssessmentDecided:
    return AssessmentDecided(
        assessment_id=assessment_id,
        version=1,
        member_id="1",
        appointment_id=assessment_id,
        division_code=VILLAGE_A,
        year=2025,
        performance_weight=Decimal(50),
        combined_score=Decimal(80),
        grade=AssessmentGrade.COMPETENT,
        decision=decision,
        decided_on=date(2026, 1, 10),
    )


async def test_acceptance_and_renewals_show_in_the_indicators(
    client: httpx.AsyncClient, official: dict[str, str], apply: Apply
) -> None:
    federation = OrganisationKind.FEDERATION
    await apply(
        organisation("t1", kind=federation, division=TOWNSHIP, level=4),
        organisation("t2", kind=federation, division=QILIHE_TOWNSHIP, level=4),
        inspected("i1", TOWNSHIP, AcceptanceResult.PASSED_WITH_CONDITIONS),
        inspected("i2", QILIHE_TOWNSHIP, AcceptanceResult.PASSED),
        decided("a1", AssessmentDecision.RENEW),
        decided("a2", AssessmentDecision.DISMISS),
    )

    async def value(code: str) -> tuple[int, int, float | None]:
        body = (await client.get(f"/v1/regions/{GANSU}/indicators", headers=official)).json()
        found = by_indicator(body, code)
        return found["numerator"], found["denominator"], found["value"]

    assert await value("townships-passing-acceptance") == (1, 2, 50.0)
    assert await value("contracts-renewed-after-assessment") == (1, 2, 50.0)
    # The conditional pass is re-inspected and passes: the first inspection no longer counts.
    await apply(
        InspectionSuperseded(
            inspection_id="i1",
            version=2,
            organisation_id=f"org-{TOWNSHIP}",
            division_code=TOWNSHIP,
            superseded_by="i3",
        ),
        inspected("i3", TOWNSHIP, AcceptanceResult.PASSED),
    )
    assert await value("townships-passing-acceptance") == (2, 2, 100.0)
