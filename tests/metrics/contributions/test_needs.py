"""The needs service's events in the indicators: household files per card holder, visits on
schedule, needs and petitions handled in time, satisfaction, the rehabilitation service rate
and townships with an open 残疾人之家, rolled up the hierarchy, counted once however often
an event comes and whatever order the versions come in."""

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from canlian.common.events import cards, needs
from canlian.metrics.reconciliation import service as reconciliation
from canlian.testing.services import runtime_of

from ..conftest import (
    CHENGGUAN,
    GANSU,
    QILIHE,
    QILIHE_TOWNSHIP,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_C,
    Apply,
    by_indicator,
    envelope,
)

pytestmark = pytest.mark.postgres

DAY = date(2026, 6, 1)
NEED_EVENTS: dict[needs.NeedStatus, type[needs.NeedSnapshot]] = {
    needs.NeedStatus.OPEN: needs.NeedRecorded,
    needs.NeedStatus.ASSESSED: needs.NeedAssessed,
    needs.NeedStatus.REFERRED: needs.NeedReferred,
    needs.NeedStatus.CLOSED: needs.NeedClosed,
}


def card(card_id: int, division: str) -> cards.CardIssued:
    return cards.CardIssued(
        card_id=card_id,
        person_id=card_id,
        version=1,
        division_code=division,
        status=cards.CardStatus.VALID,
        category=cards.DisabilityCategory.PHYSICAL,
        grade=cards.DisabilityGrade.SECOND,
        generation=cards.CardGeneration.SMART,
        issued_on=date(2024, 1, 2),
        valid_until=date(2034, 1, 2),
        source=cards.CardSource.APPLICATION,
        home_visit=False,
    )


def household(
    household_id: str,
    division: str,
    persons: list[str],
    *,
    version: int = 1,
    flags: tuple[needs.DifficultyFlag, ...] = (),
    rehabilitation: tuple[int, int] = (0, 0),
) -> needs.HouseholdRegistered | needs.HouseholdChanged:
    chosen = needs.HouseholdRegistered if version == 1 else needs.HouseholdChanged
    receiving, needed = rehabilitation
    services = [
        needs.ServiceCounts(
            kind=needs.ServiceKind.REHABILITATION, receiving=receiving, needed=needed
        )
    ]
    return chosen(
        household_id=household_id,
        version=version,
        division_code=division,
        flags=list(flags),
        members=len(persons) + 1,
        disabled_person_ids=persons,
        visit_interval_days=30 if flags else None,
        next_visit_due=DAY + timedelta(days=30) if flags else None,
        last_visited_on=None,
        services=services if receiving or needed else [],
    )


def visit(visit_id: str, on_schedule: bool | None) -> needs.HomeVisitRecorded:
    return needs.HomeVisitRecorded(
        visit_id=visit_id,
        version=1,
        household_id="h1",
        member_id="m1",
        division_code=VILLAGE_A,
        visited_on=DAY,
        needs_found=0,
        due_on=None if on_schedule is None else DAY,
        on_schedule=on_schedule,
    )


def need(
    need_id: str,
    version: int,
    status: needs.NeedStatus,
    *,
    event: type[needs.NeedSnapshot] | None = None,
    division: str = VILLAGE_A,
    **fields: Any,
) -> needs.NeedSnapshot:
    values: dict[str, Any] = {
        "need_id": need_id,
        "version": version,
        "household_id": "h1",
        "division_code": division,
        "category": needs.ServiceKind.REHABILITATION,
        "channel": needs.Channel.WALK_IN,
        "status": status,
        "recorded_on": DAY,
        "due_on": DAY + timedelta(days=15),
        "reports": 1,
        "referral_target": None,
        "platform_id": None,
        "petition_acceptance_due": None,
        "petition_closing_due": None,
        "closed_on": None,
        "closed_within_deadline": None,
        "satisfaction": None,
        **fields,
    }
    return (event or NEED_EVENTS[status]).model_validate(values)


def closed(need_id: str, version: int, in_time: bool, **fields: Any) -> needs.NeedSnapshot:
    status = needs.NeedStatus.CLOSED
    return need(need_id, version, status, closed_on=DAY, closed_within_deadline=in_time, **fields)


def petition(need_id: str, version: int, status: needs.NeedStatus, **fields: Any) -> Any:
    deadlines: dict[str, Any] = {
        "channel": needs.Channel.PETITION,
        "petition_acceptance_due": DAY + timedelta(days=15),
        "petition_closing_due": DAY + timedelta(days=75),
    }
    return need(need_id, version, status, **deadlines, **fields)


def platform(
    platform_id: str, division: str, *, version: int = 1, open: bool = True
) -> needs.PlatformRegistered | needs.PlatformChanged:
    chosen = needs.PlatformRegistered if version == 1 else needs.PlatformChanged
    return chosen(
        platform_id=platform_id,
        version=version,
        division_code=division,
        kind=needs.PlatformKind.HOME_OF_DISABLED,
        services=[needs.PlatformService.DAY_CARE],
        capacity=10,
        occupied=2,
        staff=3,
        open=open,
    )


async def values(
    client: httpx.AsyncClient, official: dict[str, str], region: str = GANSU
) -> dict[str, tuple[int | None, int | None, float | None]]:
    response = await client.get(f"/v1/regions/{region}/indicators", headers=official)
    assert response.status_code == 200, response.text
    body = response.json()
    return {
        code: (found["numerator"], found["denominator"], found["value"])
        for code in (
            "household-file-rate",
            "household-visits-on-schedule",
            "needs-closed-in-time",
            "petitions-accepted-in-time",
            "petitions-closed-in-time",
            "need-satisfaction-rate",
            "household-rehabilitation-service-rate",
            "township-home-of-disabled-coverage",
        )
        for found in [by_indicator(body, code)]
    }


async def test_the_needs_events_become_indicators_counted_once(
    client: httpx.AsyncClient,
    official: dict[str, str],
    apply: Apply,
    gansu: None,
    rollback: FastAPI,
) -> None:
    difficulty = (needs.DifficultyFlag.MULTIPLE_DISABLED,)
    status = needs.NeedStatus
    redelivered = envelope(visit("v1", True))
    first_closing = closed("n1", 2, True, satisfaction=needs.Satisfaction.UNSATISFIED)
    await apply(
        *(card(n, VILLAGE_A if n < 3 else VILLAGE_C) for n in range(4)),
        household("h1", VILLAGE_A, ["p1", "p2"], flags=difficulty, rehabilitation=(1, 1)),
        household(
            "h1", VILLAGE_A, ["p1", "p2"], version=2, flags=difficulty, rehabilitation=(2, 0)
        ),
        household("h2", VILLAGE_C, ["p3"], rehabilitation=(0, 1)),
        redelivered,
        visit("v2", False),
        visit("v3", None),
        need("n1", 1, status.OPEN),
        first_closing,
        need("n1", 3, status.OPEN, event=needs.NeedReopened, satisfaction="unsatisfied"),
        closed("n1", 4, False, satisfaction=needs.Satisfaction.SATISFIED),
        closed("n2", 2, True, satisfaction=needs.Satisfaction.BASICALLY_SATISFIED),
        need("n3", 1, status.OPEN, division=VILLAGE_B),
        petition("p1", 2, status.ASSESSED, assessed_on=DAY + timedelta(days=3)),
        petition("p2", 2, status.ASSESSED, assessed_on=DAY + timedelta(days=20)),
        petition(
            "p1",
            3,
            status.CLOSED,
            assessed_on=DAY + timedelta(days=3),
            closed_on=DAY,
            closed_within_deadline=True,
        ),
        platform("pl1", VILLAGE_A),
        platform("pl2", TOWNSHIP),
        platform("pl3", QILIHE_TOWNSHIP),
        platform("pl4", CHENGGUAN),  # a county's own covers none of its townships
    )
    # Redelivered, and versions older than those already counted: nothing changes.
    await apply(
        redelivered,
        envelope(visit("v1", True)),
        first_closing,
        household("h1", VILLAGE_A, ["p1"], flags=difficulty, rehabilitation=(1, 1)),
    )
    found = await values(client, official)
    assert found["household-file-rate"] == (3, 4, 75.0)
    assert found["household-visits-on-schedule"] == (1, 2, 50.0)
    # n1 (closed late the second time), n2 and p1 closed; p2 and n3 still open.
    assert found["needs-closed-in-time"] == (2, 3, 66.6667)
    assert found["petitions-accepted-in-time"] == (1, 2, 50.0)
    assert found["petitions-closed-in-time"] == (1, 1, 100.0)
    # n1's unsatisfied rating went with its reopening; its second closing is rated satisfied.
    assert found["need-satisfaction-rate"] == (2, 2, 100.0)
    assert found["household-rehabilitation-service-rate"] == (2, 3, 66.6667)
    # Two 残疾人之家 in 甲街道 cover it once; 乙街道 is covered by its own.
    assert found["township-home-of-disabled-coverage"] == (2, 2, 100.0)
    # Rolled up: 七里河区 holds h2 only (one card holder filed of its one card).
    qilihe = await values(client, official, QILIHE)
    assert qilihe["household-file-rate"] == (1, 1, 100.0)
    assert qilihe["household-rehabilitation-service-rate"] == (0, 1, 0.0)

    await apply(
        platform("pl1", VILLAGE_A, version=2, open=False),
        platform("pl3", QILIHE_TOWNSHIP, version=2, open=False),
        need("n1", 5, status.OPEN, event=needs.NeedReopened, satisfaction="unsatisfied"),
    )
    found = await values(client, official)
    assert found["township-home-of-disabled-coverage"] == (1, 2, 50.0)
    assert found["needs-closed-in-time"] == (2, 2, 100.0)
    assert found["need-satisfaction-rate"] == (1, 1, 100.0)
    async with runtime_of(rollback).database.session() as session:
        report = await reconciliation.reconcile_contributions(session)
    assert report.differences == []


async def test_needs_and_petitions_left_open_past_their_deadline_count_late(
    client: httpx.AsyncClient,
    official: dict[str, str],
    apply: Apply,
    gansu: None,
    rollback: FastAPI,
) -> None:
    status = needs.NeedStatus
    missed = needs.NeedDeadlineMissed
    late = DAY + timedelta(days=20)  # past the petitions' acceptance deadline
    await apply(
        need("b1", 1, status.OPEN),
        need("b1", 2, status.OPEN, event=missed, overdue=True),
        need("b3", 1, status.OPEN),
        closed("b3", 2, True),
        need("b4", 1, status.OPEN),  # open, its deadline still ahead: not counted
        petition("q1", 1, status.OPEN),
        petition("q1", 2, status.OPEN, event=missed, acceptance_overdue=True),
        petition("q2", 2, status.ASSESSED, assessed_on=DAY),
        petition("q2", 3, status.ASSESSED, event=missed, assessed_on=DAY, overdue=True),
        petition(
            "q3", 3, status.CLOSED, assessed_on=DAY, closed_on=DAY, closed_within_deadline=True
        ),
    )
    found = await values(client, official)
    # b1 and q2 open past their deadline count late beside the closed b3 and q3.
    assert found["needs-closed-in-time"] == (2, 4, 50.0)
    # q1 not accepted past its deadline is late; q2 and q3 accepted in time.
    assert found["petitions-accepted-in-time"] == (2, 3, 66.6667)
    assert found["petitions-closed-in-time"] == (1, 2, 50.0)

    escalated: dict[str, Any] = {
        "overdue": True,
        "escalations": 1,
        "due_on": DAY + timedelta(days=40),
    }
    await apply(
        # Counted late while open, then closed late: still one late need.
        closed("b1", 3, False, overdue=True),
        # Escalated, then closed by its new due date: the deadline it missed stays missed.
        need("b2", 1, status.OPEN),
        need("b2", 2, status.OPEN, event=missed, overdue=True),
        need("b2", 3, status.OPEN, event=needs.NeedEscalated, **escalated),
        closed("b2", 4, True, **escalated),
        # Accepted late after it was marked: counted once, late.
        petition("q1", 3, status.ASSESSED, assessed_on=late, acceptance_overdue=True),
        # Redelivered older versions change nothing.
        need("b1", 2, status.OPEN, event=missed, overdue=True),
        need("b3", 1, status.OPEN),
    )
    found = await values(client, official)
    assert found["needs-closed-in-time"] == (2, 5, 40.0)
    assert found["petitions-accepted-in-time"] == (2, 3, 66.6667)
    assert found["petitions-closed-in-time"] == (1, 2, 50.0)

    # Reopened, b2 starts a new round with its own deadline: out of both counts again.
    await apply(
        need(
            "b2",
            5,
            status.OPEN,
            event=needs.NeedReopened,
            satisfaction="unsatisfied",
            escalations=1,
        )
    )
    found = await values(client, official)
    assert found["needs-closed-in-time"] == (2, 4, 50.0)
    async with runtime_of(rollback).database.session() as session:
        report = await reconciliation.reconcile_contributions(session)
    assert report.differences == []
