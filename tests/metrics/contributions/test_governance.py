"""Issue 16's governance indicators from the events: committee members selected by open
examination, contracts ending in the year renewed after the assessment, the average township
target score per county and disabled cadres among federations' cadres, rolled up the
hierarchy and counted once however often an event comes and in whatever order."""

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.events import members, metrics, org_registry
from canlian.metrics.reconciliation import service as reconciliation
from canlian.testing.services import runtime_of

from ..conftest import (
    CHENGGUAN,
    GANSU,
    QILIHE,
    QILIHE_TOWNSHIP,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_C,
    Apply,
    by_indicator,
    envelope,
)

pytestmark = pytest.mark.postgres

CODES = (
    "committee-members-open-examination",
    "contracts-ending-renewed-after-assessment",
    "average-township-score",
    "disabled-cadres-among-federation-cadres",
)
# A second township of 城关区, scored but not among the divisions loaded.
TOWNSHIP_2 = "620102002000"


def appointment(
    appointment_id: str,
    version: int,
    method: members.SelectionMethod,
    *,
    division: str = VILLAGE_A,
    status: members.AppointmentStatus = members.AppointmentStatus.ACTIVE,
) -> members.AppointmentSnapshot:
    chosen: type[members.AppointmentSnapshot] = (
        members.MemberAppointed if version == 1 else members.AppointmentChanged
    )
    if status in (members.AppointmentStatus.DISMISSED, members.AppointmentStatus.RESIGNED):
        chosen = members.MemberLeft
    return chosen.model_validate(
        {
            "appointment_id": appointment_id,
            "version": version,
            "member_id": f"m-{appointment_id}",
            "organisation_id": "o1",
            "division_code": division,
            "post_level": members.PostLevel.VILLAGE,
            "post": members.Post.COMMITTEE_MEMBER,
            "member_kind": members.MemberKind.COMMITTEE_MEMBER,
            "member_disability_relation": members.DisabilityRelation.DISABLED,
            "status": status,
            "status_since": date(2025, 3, 1),
            "holds_post": status is members.AppointmentStatus.ACTIVE,
            "selection_method": method,
            "contract_start": date(2025, 3, 1),
            "contract_end": date(2026, 2, 28),
            "public_welfare_post": True,
            "monthly_allowance_yuan": Decimal(300),
            "social_insurance_subsidy": False,
            "allowance_minimum_yuan": None,
            "allowance_compliant": None,
        }
    )


def decided(
    assessment_id: str, decision: members.AssessmentDecision, contract_end: date | None
) -> members.AssessmentDecided:
    renewed = decision is members.AssessmentDecision.RENEW and contract_end is not None
    return members.AssessmentDecided(
        assessment_id=assessment_id,
        version=1,
        member_id="m1",
        appointment_id=assessment_id,
        division_code=VILLAGE_C,
        year=2025,
        performance_weight=Decimal(50),
        combined_score=Decimal(80),
        grade=members.AssessmentGrade.COMPETENT,
        decision=decision,
        decided_on=date(2026, 1, 10),
        contract_end_before=contract_end,
        contract_end_after=date(2027, 2, 28) if renewed else contract_end,
    )


def staff(
    staff_id: str,
    version: int,
    employment: org_registry.StaffEmployment,
    disabled: bool,
    *,
    division: str = CHENGGUAN,
    left_on: date | None = None,
) -> org_registry.FederationStaffSnapshot:
    chosen: type[org_registry.FederationStaffSnapshot] = (
        org_registry.FederationStaffJoined if version == 1 else org_registry.FederationStaffChanged
    )
    return chosen(
        staff_id=staff_id,
        version=version,
        organisation_id=f"federation-{division}",
        division_code=division,
        employment=employment,
        is_disabled=disabled,
        on_executive_council=False,
        joined_on=date(2020, 1, 1),
        left_on=left_on,
    )


def scored(
    sheet_id: str, county: str, year: int, totals: dict[str, str], version: int = 2
) -> metrics.TownshipsScored:
    results = [
        metrics.TownshipResult(
            township_code=code,
            total=Decimal(total),
            grade=metrics.TownshipGrade.GOOD,
            rank=rank,
        )
        for rank, (code, total) in enumerate(totals.items(), start=1)
    ]
    average = sum((result.total for result in results), Decimal(0)) / len(results)
    return metrics.TownshipsScored(
        sheet_id=sheet_id,
        version=version,
        county_code=county,
        year=year,
        results=results,
        average=average.quantize(Decimal("0.1")),
    )


async def values(
    client: httpx.AsyncClient, official: dict[str, str], region: str = GANSU
) -> dict[str, tuple[int | None, int | None, float | None]]:
    response = await client.get(f"/v1/regions/{region}/indicators", headers=official)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return {
        code: (found["numerator"], found["denominator"], found["value"])
        for code in CODES
        for found in [by_indicator(body, code)]
    }


async def test_the_governance_events_become_indicators_counted_once(
    client: httpx.AsyncClient,
    official: dict[str, str],
    apply: Apply,
    gansu: None,
    rollback: FastAPI,
) -> None:
    method = members.SelectionMethod
    decision = members.AssessmentDecision
    employment = org_registry.StaffEmployment
    first_sheet = envelope(scored("s1", CHENGGUAN, 2025, {TOWNSHIP: "90.5", TOWNSHIP_2: "70"}))
    await apply(
        appointment("ap1", 1, method.OPEN_EXAMINATION),
        appointment("ap2", 1, method.TRANSFER),
        appointment("ap3", 1, method.OPEN_EXAMINATION, division=VILLAGE_C),
        appointment("ap4", 1, method.ELECTION, division=VILLAGE_C),
        # Left the post: counts in neither share.
        appointment("ap5", 1, method.OPEN_EXAMINATION),
        appointment("ap5", 2, method.OPEN_EXAMINATION, status=members.AppointmentStatus.RESIGNED),
        decided("as1", decision.RENEW, date(2025, 12, 31)),
        decided("as2", decision.DISMISS, date(2025, 6, 30)),
        decided("as3", decision.IMPROVEMENT_PLAN, date(2025, 12, 31)),
        # Its contract runs on past the assessed year: not among the contracts ending.
        decided("as4", decision.RENEW, date(2027, 2, 28)),
        staff("st1", 1, employment.CADRE, True),
        staff("st2", 1, employment.CADRE, False),
        staff("st3", 1, employment.CADRE, False, division=QILIHE),
        staff("st4", 1, employment.SECONDED, True),  # not a cadre: not counted
        staff("st5", 1, employment.CADRE, True, division=QILIHE),
        first_sheet,
        scored("s2", QILIHE, 2025, {QILIHE_TOWNSHIP: "80"}),
    )
    # Redelivered, and versions older than those counted: nothing changes.
    await apply(
        first_sheet,
        appointment("ap5", 1, method.OPEN_EXAMINATION),
        appointment("ap2", 1, method.OPEN_EXAMINATION, division=VILLAGE_C),
    )
    found = await values(client, official)
    assert found["committee-members-open-examination"] == (2, 4, 50.0)
    assert found["contracts-ending-renewed-after-assessment"] == (1, 3, 33.3333)
    # (90.5 + 70 + 80) / 3 townships; the counter keeps tenths of a point.
    assert found["average-township-score"] == (2405, 3, 80.1667)
    assert found["disabled-cadres-among-federation-cadres"] == (2, 4, 50.0)
    # Per county: 城关区 averages its own two townships.
    chengguan = await values(client, official, CHENGGUAN)
    assert chengguan["average-township-score"] == (1605, 2, 80.25)
    assert chengguan["committee-members-open-examination"] == (1, 2, 50.0)
    qilihe = await values(client, official, QILIHE)
    assert qilihe["disabled-cadres-among-federation-cadres"] == (1, 2, 50.0)
    assert qilihe["contracts-ending-renewed-after-assessment"] == (1, 3, 33.3333)

    await apply(
        # A later year's scoring replaces the township's earlier total; an old one arriving
        # late does not bring it back.
        scored("s3", CHENGGUAN, 2026, {TOWNSHIP: "95", TOWNSHIP_2: "85"}),
        scored("s1", CHENGGUAN, 2025, {TOWNSHIP: "10", TOWNSHIP_2: "10"}, version=3),
        staff("st5", 2, employment.CADRE, True, division=QILIHE, left_on=date(2026, 5, 1)),
        staff("st2", 2, employment.CADRE, True),
        appointment("ap2", 2, method.OPEN_EXAMINATION),
    )
    chengguan = await values(client, official, CHENGGUAN)
    assert chengguan["average-township-score"] == (1800, 2, 90.0)
    assert chengguan["disabled-cadres-among-federation-cadres"] == (2, 2, 100.0)
    assert chengguan["committee-members-open-examination"] == (2, 2, 100.0)
    found = await values(client, official)
    assert found["disabled-cadres-among-federation-cadres"] == (2, 3, 66.6667)
    assert found["average-township-score"] == (2600, 3, 86.6667)
    async with runtime_of(rollback).database.session() as session:
        report = await reconciliation.reconcile_contributions(session)
    assert report.differences == []
