"""What household files, home visits, needs and service platforms count (needs events).

Every event carries its entity's whole state, so each entity contributes what its current
state says: a need closed, reopened and closed again counts once, as closed; a reopened one
not at all until it closes again or its new deadline passes. A need open past its deadline
counts late from the needs service's NeedDeadlineMissed on (its `overdue` state)."""

from __future__ import annotations

from canlian.common import divisions
from canlian.common.events import needs
from canlian.common.events.base import DomainEvent
from canlian.metrics.contributions.mappers import (
    COUNTER_DESCRIPTIONS,
    Contribution,
    Mapped,
    entity_key,
    event_division,
    mapper,
    tally,
)

HOME_OF_DISABLED = tally("@home_of_disabled")  # -> home_of_disabled.township

COUNTER_DESCRIPTIONS.update(
    {
        "needs.households": "建档家庭数(一户一档)/ household files",
        "needs.households_in_difficulty": "特殊困难残疾人家庭数 / households in special difficulty",
        "needs.households_scheduled": "有定期访视安排的家庭数 / households with regular visits due",
        "needs.filed_persons": "家庭档案中的持证残疾人数 / card holders in a household file",
        "needs.visits": "入户访视次数 / home visits",
        "needs.visits_due": "按计划应访的访视次数 / visits that were due by the schedule",
        "needs.visits_on_schedule": "其中按期访视的 / of them on schedule",
        "needs.recorded": "服务需求数 / needs recorded",
        "needs.closed": "已办结的服务需求数 / needs closed",
        "needs.closed_in_time": "其中按时办结的(未曾逾期)/ of them closed within the deadline, "
        "never found overdue",
        "needs.closing_due": "已办结或逾期未办结的服务需求数 / needs closed, or open past their "
        "deadline",
        "needs.rated": "已评价的办结需求数 / closed needs rated by the household",
        "needs.satisfied": "评价满意的 / rated satisfied",
        "needs.basically_satisfied": "评价基本满意的 / rated basically satisfied",
        "needs.petitions": "网络信访件数 / petitions",
        "needs.petitions_accepted": "已受理的信访件数 / petitions accepted",
        "needs.petitions_accepted_in_time": "其中按期受理的 / of them accepted within the "
        "statutory deadline",
        "needs.petitions_acceptance_due": "已受理或逾期未受理的信访件数 / petitions accepted, or "
        "not accepted past the statutory deadline",
        "needs.petitions_closed": "已办结的信访件数 / petitions closed",
        "needs.petitions_closed_in_time": "其中按期办结的(未曾逾期)/ of them closed within the "
        "statutory deadline, never found overdue",
        "needs.petitions_closing_due": "已办结或逾期未办结的信访件数 / petitions closed, or open "
        "past the statutory closing deadline",
        "needs.platforms_open": "运营中的服务平台数 / open service platforms",
        "needs.platform_capacity": "运营中服务平台的床位(名额)/ places of open platforms",
        "needs.platform_occupied": "其中已占用的 / of them taken",
        "home_of_disabled.township": "有运营中残疾人之家的乡镇(街道)数 / townships with an "
        "open 残疾人之家",
    }
)

for _kind in needs.ServiceKind:
    COUNTER_DESCRIPTIONS[f"needs.services_receiving.{_kind.value}"] = (
        f"已享受该服务的建档残疾人数({_kind.value})/ filed disabled members receiving {_kind.value}"
    )
    COUNTER_DESCRIPTIONS[f"needs.services_in_need.{_kind.value}"] = (
        f"有该服务需求的建档残疾人数(已享受+有需求未享受)({_kind.value})/ filed disabled "
        f"members in need of {_kind.value} (receiving or not yet)"
    )

for _platform_kind in needs.PlatformKind:
    COUNTER_DESCRIPTIONS[f"needs.platforms_open.{_platform_kind.value}"] = (
        f"运营中的服务平台数({_platform_kind.value})/ open platforms of kind {_platform_kind.value}"
    )


@mapper(needs.HouseholdRegistered, needs.HouseholdChanged)
def household_contribution(event: needs.HouseholdSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    code = event_division(event.division_code)
    contribution: Contribution = {(code, "needs.households"): 1}
    if event.flags:
        contribution[(code, "needs.households_in_difficulty")] = 1
    if event.visit_interval_days is not None:
        contribution[(code, "needs.households_scheduled")] = 1
    if event.disabled_person_ids:
        contribution[(code, "needs.filed_persons")] = len(event.disabled_person_ids)
    # 康复服务率 (003) over the file: those receiving a service of all who need it.
    for service in event.services:
        kind = service.kind.value
        if service.receiving:
            contribution[(code, f"needs.services_receiving.{kind}")] = service.receiving
        if service.receiving + service.needed:
            in_need = service.receiving + service.needed
            contribution[(code, f"needs.services_in_need.{kind}")] = in_need
    return Mapped(entity_key(event), event.version, contribution)


@mapper(needs.HomeVisitRecorded)
def visit_contribution(event: needs.HomeVisitRecorded) -> Mapped:
    code = event_division(event.division_code)
    contribution: Contribution = {(code, "needs.visits"): 1}
    # Only a visit the schedule made due says anything of keeping to it.
    if event.on_schedule is not None:
        contribution[(code, "needs.visits_due")] = 1
        if event.on_schedule:
            contribution[(code, "needs.visits_on_schedule")] = 1
    return Mapped(entity_key(event), event.version, contribution)


@mapper(
    needs.NeedRecorded,
    needs.NeedMerged,
    needs.NeedAssessed,
    needs.NeedReferred,
    needs.NeedClosed,
    needs.NeedEscalated,
    needs.NeedDeadlineMissed,
    needs.NeedRated,
    needs.NeedReopened,
)
def need_contribution(event: needs.NeedSnapshot) -> Mapped:
    """Counted where the household lives, whichever level answers for it now."""
    assert isinstance(event, DomainEvent)
    code = event_division(event.division_code)
    contribution: Contribution = {(code, "needs.recorded"): 1}
    closed = event.status is needs.NeedStatus.CLOSED
    petition = event.channel is needs.Channel.PETITION
    # Late once found open past the deadline (`overdue`, marked by the needs service's daily
    # job), however it closes later; the denominators hold the closed and the overdue open
    # ones, so a backlog lowers the rate. An escalated need closing by its new due date is
    # still late: the deadline it missed stays missed.
    in_time = closed and bool(event.closed_within_deadline) and not event.overdue
    if closed or event.overdue:
        contribution[(code, "needs.closing_due")] = 1
    if in_time:
        contribution[(code, "needs.closed_in_time")] = 1
    if closed:
        contribution[(code, "needs.closed")] = 1
        # A rating counts while the closing it rates stands (a reopened need's does not).
        if event.satisfaction is not None:
            contribution[(code, "needs.rated")] = 1
            if event.satisfaction is needs.Satisfaction.SATISFIED:
                contribution[(code, "needs.satisfied")] = 1
            elif event.satisfaction is needs.Satisfaction.BASICALLY_SATISFIED:
                contribution[(code, "needs.basically_satisfied")] = 1
    if petition:
        contribution[(code, "needs.petitions")] = 1
        # Acceptance is the petition's assessment; its deadline is the acceptance one.
        if event.assessed_on is not None:
            contribution[(code, "needs.petitions_accepted")] = 1
            due = event.petition_acceptance_due
            if due is not None and event.assessed_on <= due:
                contribution[(code, "needs.petitions_accepted_in_time")] = 1
        if event.assessed_on is not None or event.acceptance_overdue:
            contribution[(code, "needs.petitions_acceptance_due")] = 1
        if closed or event.overdue:
            contribution[(code, "needs.petitions_closing_due")] = 1
        if closed:
            contribution[(code, "needs.petitions_closed")] = 1
            if in_time:
                contribution[(code, "needs.petitions_closed_in_time")] = 1
    return Mapped(entity_key(event), event.version, contribution)


@mapper(needs.PlatformRegistered, needs.PlatformChanged)
def platform_contribution(event: needs.PlatformSnapshot) -> Mapped:
    assert isinstance(event, DomainEvent)
    key = entity_key(event)
    if not event.open:
        return Mapped(key, event.version, {})
    code = event_division(event.division_code)
    contribution: Contribution = {
        (code, "needs.platforms_open"): 1,
        (code, f"needs.platforms_open.{event.kind.value}"): 1,
    }
    if event.capacity:
        contribution[(code, "needs.platform_capacity")] = event.capacity
    if event.occupied:
        contribution[(code, "needs.platform_occupied")] = event.occupied
    # A township is covered by an open 残疾人之家 in it or in one of its villages, however
    # many there are (the tally); a county's own does not cover its townships.
    township = divisions.DivisionLevel.TOWNSHIP
    if event.kind is needs.PlatformKind.HOME_OF_DISABLED and divisions.level_of(code) >= township:
        contribution[(divisions.ancestor_at(code, township), HOME_OF_DISABLED)] = 1
    return Mapped(key, event.version, contribution)
