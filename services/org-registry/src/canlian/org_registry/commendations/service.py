"""Commendations: a region opens a round of a programme when its cycle (a regional policy
value) makes the year due; a federation nominates persons and organisations of its region; the
level above approves or rejects; an approved nomination is an honour. Each step is announced
(ids only) and audited."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events.org_registry import (
    CommendationDecided,
    CommendationNominated,
    CommendationProgramme,
    CommendationRoundOpened,
    NominationStatus,
    NomineeKind,
    OrganisationStatus,
)
from canlian.common.log import current_request_id
from canlian.org_registry.commendations import repository, rules
from canlian.org_registry.commendations.models import CommendationRound, Nomination
from canlian.org_registry.commendations.problems import (
    ApproverNotAbove,
    DecidedAlready,
    NominatedAlready,
    NominationNotFound,
    NominatorOutsideRound,
    NomineeDissolved,
    NomineeInvalid,
    RoundNotDue,
    RoundNotFound,
    YearOutOfRange,
)
from canlian.org_registry.commendations.schemas import (
    Decision,
    DecisionBody,
    NominationCreate,
    RoundCreate,
)
from canlian.org_registry.context import Context
from canlian.org_registry.organisations import repository as organisations_repository
from canlian.org_registry.organisations.models import ChangeRecord
from canlian.org_registry.organisations.service import readable
from canlian.org_registry.policies.repository import registry_values


def _record(
    session: AsyncSession,
    context: Context,
    action: str,
    object_type: str,
    object_id: str,
    division_code: str,
    after: dict[str, Any],
) -> None:
    organisations_repository.add_change_record(
        session,
        ChangeRecord(
            occurred_at=utcnow(),
            actor=context.principal.subject,
            actor_region=context.principal.region,
            action=action,
            object_type=object_type,
            object_id=object_id,
            division_code=division_code,
            before=None,
            after=json.dumps(after, ensure_ascii=False, default=str),
            request_id=current_request_id(),
        ),
    )


async def open_round(
    session: AsyncSession, context: Context, body: RoundCreate
) -> CommendationRound:
    context.principal.ensure_covers(body.division_code)
    latest = context.today.year + 1
    if not rules.EARLIEST_YEAR <= body.year <= latest:
        raise YearOutOfRange(year=body.year, latest=latest)
    programme = CommendationProgramme(body.programme)
    values = await registry_values(session)
    cycle = int(values.effective(rules.CYCLES[programme], body.division_code, context.today))
    held = await repository.years_held(session, programme.value, body.division_code)
    blocking = rules.blocking_year(body.year, held, cycle)
    if blocking is not None:
        raise RoundNotDue(
            division_code=body.division_code,
            programme=programme.value,
            programme_zh=rules.PROGRAMME_ZH[programme],
            cycle=cycle,
            held=blocking,
            year=body.year,
        )
    held_round = CommendationRound(
        id=str(uuid.uuid4()),
        programme=programme.value,
        division_code=body.division_code,
        year=body.year,
        title=body.title,
        cycle_years=cycle,
        version=1,
        opened_by=context.principal.subject,
        opened_at=utcnow(),
    )
    session.add(held_round)
    await session.flush()
    event = CommendationRoundOpened(
        round_id=held_round.id,
        version=1,
        programme=programme,
        division_code=held_round.division_code,
        year=held_round.year,
        cycle_years=cycle,
    )
    await context.outbox.add(session, event)
    _record(
        session,
        context,
        "commendation.round_opened",
        "commendation_round",
        held_round.id,
        held_round.division_code,
        {**event.model_dump(), "title": held_round.title},
    )
    return held_round


async def get_round(session: AsyncSession, context: Context, round_id: str) -> CommendationRound:
    found = await repository.round_of(session, round_id)
    if found is None:
        raise RoundNotFound(key=round_id)
    # A round is read by its region and the regions above or below it (who nominate).
    region = context.principal.region
    if not (
        divisions.is_within(found.division_code, region)
        or divisions.is_within(region, found.division_code)
    ):
        raise OutsideScope(what="评选 / round")
    return found


def _invalid(zh: str, en: str) -> NomineeInvalid:
    return NomineeInvalid(reason_zh=zh, reason_en=en)


async def _nominee(
    session: AsyncSession, context: Context, body: NominationCreate
) -> tuple[str, str, str]:
    """(nominee key, display name, division) of the nominee, within the nominator's region."""
    if body.nominee_kind == NomineeKind.ORGANISATION:
        if body.organisation_id is None or body.person_service or body.person_id:
            raise _invalid(
                "推荐组织须给出组织编号,且不带个人信息",
                "An organisation's nomination names organisation_id and no person",
            )
        if body.display_name is not None or body.division_code is not None:
            raise _invalid(
                "推荐组织时姓名和区划取自组织登记",
                "An organisation's name and division come from the registry",
            )
        organisation = await readable(session, context.principal, body.organisation_id)
        if organisation.status == OrganisationStatus.DISSOLVED.value:
            raise NomineeDissolved(
                organisation_id=organisation.id, dissolved_on=organisation.dissolved_on
            )
        return f"organisation:{organisation.id}", organisation.name, organisation.division_code
    if body.organisation_id is not None:
        raise _invalid("推荐个人时不带组织编号", "A person's nomination names no organisation_id")
    if (
        body.person_service is None
        or body.person_id is None
        or body.display_name is None
        or body.division_code is None
    ):
        raise _invalid(
            "推荐个人须给出所在服务、个人编号、姓名和区划",
            "A person's nomination names person_service, person_id, display_name and division_code",
        )
    context.principal.ensure_covers(body.division_code)
    return (
        f"{body.person_service.value}:{body.person_id}",
        body.display_name,
        body.division_code,
    )


async def nominate(
    session: AsyncSession, context: Context, round_id: str, body: NominationCreate
) -> Nomination:
    held_round = await get_round(session, context, round_id)
    region = context.principal.region
    if not divisions.is_within(region, held_round.division_code):
        raise NominatorOutsideRound(
            round_id=held_round.id, round_division=held_round.division_code, region=region
        )
    key, name, division_code = await _nominee(session, context, body)
    existing = await repository.nomination_of(session, held_round.id, key)
    if existing is not None:
        raise NominatedAlready(round_id=held_round.id, nomination_id=existing.id)
    nomination = Nomination(
        id=str(uuid.uuid4()),
        round_id=held_round.id,
        nominee_kind=body.nominee_kind.value,
        nominee_key=key,
        organisation_id=body.organisation_id,
        person_service=body.person_service.value if body.person_service else None,
        person_id=body.person_id,
        display_name=name,
        division_code=division_code,
        citation=body.citation,
        nominating_division_code=region,
        status=NominationStatus.NOMINATED.value,
        decided_by_division_code=None,
        decided_on=None,
        decision_note=None,
        version=1,
        nominated_by=context.principal.subject,
        nominated_at=utcnow(),
    )
    session.add(nomination)
    await session.flush()
    event = CommendationNominated(
        nomination_id=nomination.id,
        version=1,
        round_id=held_round.id,
        programme=CommendationProgramme(held_round.programme),
        year=held_round.year,
        nominee_kind=body.nominee_kind,
        organisation_id=nomination.organisation_id,
        person_service=nomination.person_service,
        person_id=nomination.person_id,
        division_code=division_code,
        nominating_division_code=region,
    )
    await context.outbox.add(session, event)
    _record(
        session,
        context,
        "commendation.nominated",
        "commendation_nomination",
        nomination.id,
        division_code,
        event.model_dump(),
    )
    return nomination


async def get_nomination(
    session: AsyncSession, context: Context, nomination_id: str, *, for_update: bool = False
) -> Nomination:
    found = await repository.nomination(session, nomination_id, for_update=for_update)
    if found is None:
        raise NominationNotFound(key=nomination_id)
    if not context.principal.covers(found.division_code):
        raise OutsideScope(what="推荐 / nomination")
    return found


async def decide(
    session: AsyncSession,
    context: Context,
    nomination_id: str,
    body: DecisionBody,
    precondition: Precondition,
) -> Nomination:
    nomination = await get_nomination(session, context, nomination_id, for_update=True)
    region = context.principal.region
    if not rules.may_approve(region, nomination.nominating_division_code):
        raise ApproverNotAbove(
            nomination_id=nomination.id,
            nominating_division=nomination.nominating_division_code,
            region=region,
        )
    precondition.check(nomination.version)
    if nomination.status != NominationStatus.NOMINATED.value:
        raise DecidedAlready(nomination_id=nomination.id, status=nomination.status)
    held_round = await get_round(session, context, nomination.round_id)
    status = (
        NominationStatus.APPROVED
        if body.decision == Decision.APPROVED
        else NominationStatus.REJECTED
    )
    nomination.status = status.value
    nomination.decided_by_division_code = region
    nomination.decided_on = context.today
    nomination.decision_note = body.note
    nomination.version += 1
    await session.flush()
    event = CommendationDecided(
        nomination_id=nomination.id,
        version=nomination.version,
        round_id=held_round.id,
        programme=CommendationProgramme(held_round.programme),
        year=held_round.year,
        status=status,
        nominee_kind=NomineeKind(nomination.nominee_kind),
        organisation_id=nomination.organisation_id,
        person_service=nomination.person_service,
        person_id=nomination.person_id,
        division_code=nomination.division_code,
        decided_by_division_code=region,
        decided_on=context.today,
    )
    await context.outbox.add(session, event)
    _record(
        session,
        context,
        f"commendation.{status.value}",
        "commendation_nomination",
        nomination.id,
        nomination.division_code,
        {**event.model_dump(), "note": body.note},
    )
    return nomination
