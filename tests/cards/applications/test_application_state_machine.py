"""The application state machine, without a database."""

import pytest

from canlian.cards.applications.state_machine import (
    APPLICATION_TRANSITIONS,
    ApplicationAction,
    allowed_application_actions,
    next_application_status,
)
from canlian.cards.transitions import IllegalTransition
from canlian.common.events.cards import ApplicationStatus


def test_an_application_needs_assessment_and_approval_before_issue() -> None:
    assert allowed_application_actions(ApplicationStatus.SUBMITTED) == ["assess"]
    with pytest.raises(IllegalTransition) as refused:
        next_application_status("assessed", ApplicationAction.ISSUE)
    assert "已评定" in refused.value.render_detail("zh")  # type: ignore[operator]
    assert "审核通过" in refused.value.render_detail("zh")  # type: ignore[operator]
    assert (ApplicationStatus.APPROVED, ApplicationAction.ISSUE) in APPLICATION_TRANSITIONS
    for closed in (ApplicationStatus.REJECTED, ApplicationStatus.ISSUED):
        assert allowed_application_actions(closed) == []
