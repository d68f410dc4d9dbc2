"""Domain rules of applications: submission, assessment by a designated institution,
review, and fulfilment when a card is issued for one."""

from __future__ import annotations

from datetime import timedelta

from canlian.cards.applications import repository
from canlian.cards.applications.models import Application
from canlian.cards.applications.problems import (
    ApplicationStillOpen,
    FeeWaiverNeedsPoverty,
    PersonDeceased,
    RejectionNeedsReason,
)
from canlian.cards.applications.schemas import ApplicationCreate, AssessmentCreate, ReviewCreate
from canlian.cards.applications.snapshot import application_snapshot
from canlian.cards.applications.state_machine import ApplicationAction, next_application_status
from canlian.cards.context import Context
from canlian.cards.dates import check_date
from canlian.cards.institutions.service import designated_for
from canlian.cards.persons.service import person_in_scope
from canlian.cards.versioning import touch
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events.cards import (
    ApplicationAssessed,
    ApplicationFulfilled,
    ApplicationReviewed,
    ApplicationStatus,
    ApplicationSubmitted,
)


async def application_in_scope(
    ctx: Context, application_id: int, *, lock: bool = False
) -> Application:
    application = await repository.get_application(ctx.session, application_id, lock=lock)
    if application is None or not ctx.principal.covers(application.division_code):
        raise OutsideScope(what="申请 / application")
    return application


async def submit_application(ctx: Context, data: ApplicationCreate) -> Application:
    person = await person_in_scope(ctx, data.person_id, lock=True)
    ctx.principal.ensure_covers(person.residence_division_code)
    if person.died_on is not None:
        raise PersonDeceased(died_on=person.died_on.isoformat())
    if data.fee_waived and not data.poor:
        raise FeeWaiverNeedsPoverty()
    today = ctx.today()
    applied_on = data.applied_on or today
    check_date(applied_on, today - timedelta(days=366), today, "applied_on", "申请日期")
    open_application = await repository.open_application_of(ctx.session, person.id)
    if open_application is not None:
        raise ApplicationStillOpen(application_id=open_application.id)
    now = utcnow()
    application = Application(
        person_id=person.id,
        division_code=person.residence_division_code,
        status=ApplicationStatus.SUBMITTED.value,
        applied_on=applied_on,
        home_visit=data.home_visit,
        poor=data.poor,
        fee_waived=data.fee_waived,
        note=data.note,
        version=1,
        created_at=now,
        updated_at=now,
    )
    ctx.session.add(application)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, ApplicationSubmitted(**application_snapshot(application)))
    return application


async def assess(
    ctx: Context, application_id: int, data: AssessmentCreate, precondition: Precondition
) -> Application:
    application = await application_in_scope(ctx, application_id, lock=True)
    ctx.principal.ensure_covers(application.division_code)
    precondition.check(application.version)
    target = next_application_status(application.status, ApplicationAction.ASSESS)
    check_date(data.assessed_on, application.applied_on, ctx.today(), "assessed_on", "评定日期")
    institution = await designated_for(ctx, data.institution_id, application.division_code)
    application.status = target.value
    application.institution_id = institution.id
    application.institution = institution.name
    application.assessor = data.assessor.strip()
    application.assessed_on = data.assessed_on
    application.category = int(data.category)
    application.grade = int(data.grade)
    touch(application)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, ApplicationAssessed(**application_snapshot(application)))
    return application


async def review(
    ctx: Context, application_id: int, data: ReviewCreate, precondition: Precondition
) -> Application:
    application = await application_in_scope(ctx, application_id, lock=True)
    ctx.principal.ensure_covers(application.division_code)
    precondition.check(application.version)
    action = ApplicationAction.APPROVE if data.decision == "approve" else ApplicationAction.REJECT
    target = next_application_status(application.status, action)
    reason = (data.reason or "").strip()
    if action is ApplicationAction.REJECT and not reason:
        raise RejectionNeedsReason()
    application.status = target.value
    application.reviewed_on = ctx.today()
    application.reviewer = ctx.principal.name or ctx.principal.subject
    application.rejection_reason = reason if action is ApplicationAction.REJECT else None
    touch(application)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, ApplicationReviewed(**application_snapshot(application)))
    return application


async def fulfil(
    ctx: Context, application: Application, target: ApplicationStatus, card_id: int
) -> None:
    """The application's card is issued: it records the card and is done."""
    application.status = target.value
    application.card_id = card_id
    touch(application)
    await ctx.session.flush()
    await ctx.outbox.add(ctx.session, ApplicationFulfilled(**application_snapshot(application)))
