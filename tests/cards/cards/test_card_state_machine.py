"""The card state machine, without a database."""

import pytest

from canlian.cards.cards.state_machine import (
    CARD_TRANSITIONS,
    CardAction,
    allowed_card_actions,
    next_card_status,
)
from canlian.cards.transitions import IllegalTransition
from canlian.common.events.cards import CardStatus


def test_every_card_action_outside_the_table_is_refused_naming_state_and_allowed_actions() -> None:
    for status in CardStatus:
        allowed = allowed_card_actions(status)
        for action in CardAction:
            if (status, action) in CARD_TRANSITIONS:
                assert next_card_status(status, action) is CARD_TRANSITIONS[(status, action)]
                assert action.value in allowed
                continue
            with pytest.raises(IllegalTransition) as refused:
                next_card_status(status, action)
            problem = refused.value
            assert problem.status == 409
            assert problem.extensions() == {"state": status.value, "allowed_actions": allowed}
            assert status.value in problem.render_detail("en")  # type: ignore[operator]


def test_the_card_lifecycle_table() -> None:
    assert allowed_card_actions(CardStatus.VALID) == [
        "replace",
        "reissue",
        "change",
        "transfer",
        "cancel",
        "expire",
    ]
    assert allowed_card_actions(CardStatus.EXPIRED) == ["replace", "cancel"]
    assert allowed_card_actions(CardStatus.SUPERSEDED) == []
    assert allowed_card_actions(CardStatus.CANCELLED) == []
