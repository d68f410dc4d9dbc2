"""The transfer request's state machine: an open request is decided once, by one step."""

import pytest

from canlian.cards.transfers.state_machine import (
    TransferAction,
    allowed_transfer_actions,
    next_transfer_status,
)
from canlian.cards.transitions import IllegalTransition
from canlian.common.events.cards import TransferStatus


def test_an_open_request_is_accepted_rejected_or_withdrawn() -> None:
    assert allowed_transfer_actions("requested") == ["accept", "reject", "withdraw"]
    assert next_transfer_status("requested", TransferAction.ACCEPT) is TransferStatus.ACCEPTED
    assert next_transfer_status("requested", TransferAction.REJECT) is TransferStatus.REJECTED
    assert next_transfer_status("requested", TransferAction.WITHDRAW) is TransferStatus.WITHDRAWN


@pytest.mark.parametrize("decided", ["accepted", "rejected", "withdrawn"])
@pytest.mark.parametrize("action", list(TransferAction))
def test_a_decided_request_allows_nothing(decided: str, action: TransferAction) -> None:
    assert allowed_transfer_actions(decided) == []
    with pytest.raises(IllegalTransition) as refused:
        next_transfer_status(decided, action)
    assert refused.value.extensions() == {"state": decided, "allowed_actions": []}
    # The request's own words, not an application's (审核不通过).
    chinese = refused.value.render_detail("zh") or ""
    assert "迁移申请" in chinese
    assert {"accepted": "已接收", "rejected": "已拒绝", "withdrawn": "已撤回"}[decided] in chinese
