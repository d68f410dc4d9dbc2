"""The application state machine: the table below is the whole truth of which action is
allowed in which state; any other pair is a 409 `illegal-transition` problem."""

from __future__ import annotations

from enum import StrEnum

from canlian.cards.transitions import illegal_transition
from canlian.common.events.cards import ApplicationStatus


class ApplicationAction(StrEnum):
    ASSESS = "assess"
    APPROVE = "approve"
    REJECT = "reject"
    ISSUE = "issue"


APPLICATION_TRANSITIONS: dict[tuple[ApplicationStatus, ApplicationAction], ApplicationStatus] = {
    (ApplicationStatus.SUBMITTED, ApplicationAction.ASSESS): ApplicationStatus.ASSESSED,
    # A re-assessment before review corrects the first one.
    (ApplicationStatus.ASSESSED, ApplicationAction.ASSESS): ApplicationStatus.ASSESSED,
    (ApplicationStatus.ASSESSED, ApplicationAction.APPROVE): ApplicationStatus.APPROVED,
    (ApplicationStatus.ASSESSED, ApplicationAction.REJECT): ApplicationStatus.REJECTED,
    (ApplicationStatus.APPROVED, ApplicationAction.ISSUE): ApplicationStatus.ISSUED,
}


def allowed_application_actions(status: str) -> list[str]:
    return [action.value for (state, action) in APPLICATION_TRANSITIONS if state == status]


def next_application_status(status: str, action: ApplicationAction) -> ApplicationStatus:
    target = APPLICATION_TRANSITIONS.get((ApplicationStatus(status), action))
    if target is None:
        raise illegal_transition(
            "application", "申请", status, action.value, allowed_application_actions(status)
        )
    return target
