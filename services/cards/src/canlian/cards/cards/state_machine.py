"""The card state machine: the table below is the whole truth of which action is allowed in
which state; any other pair is a 409 `illegal-transition` problem. Also the window in
which a valid card may be replaced for expiry."""

from __future__ import annotations

from enum import StrEnum

from canlian.cards.transitions import illegal_transition
from canlian.common.events.cards import CardStatus

# A valid card may be replaced for expiry only this close to the end of its validity.
RENEWAL_WINDOW_DAYS = 180


class CardAction(StrEnum):
    REPLACE = "replace"
    REISSUE = "reissue"
    CHANGE = "change"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    EXPIRE = "expire"


CARD_TRANSITIONS: dict[tuple[CardStatus, CardAction], CardStatus] = {
    (CardStatus.VALID, CardAction.REPLACE): CardStatus.SUPERSEDED,
    (CardStatus.VALID, CardAction.REISSUE): CardStatus.SUPERSEDED,
    (CardStatus.VALID, CardAction.CHANGE): CardStatus.SUPERSEDED,
    (CardStatus.VALID, CardAction.TRANSFER): CardStatus.VALID,
    (CardStatus.VALID, CardAction.CANCEL): CardStatus.CANCELLED,
    (CardStatus.VALID, CardAction.EXPIRE): CardStatus.EXPIRED,
    (CardStatus.EXPIRED, CardAction.REPLACE): CardStatus.SUPERSEDED,
    (CardStatus.EXPIRED, CardAction.CANCEL): CardStatus.CANCELLED,
}


def allowed_card_actions(status: str) -> list[str]:
    return [action.value for (state, action) in CARD_TRANSITIONS if state == status]


def next_card_status(status: str, action: CardAction) -> CardStatus:
    target = CARD_TRANSITIONS.get((CardStatus(status), action))
    if target is None:
        raise illegal_transition(
            "card", "残疾人证", status, action.value, allowed_card_actions(status)
        )
    return target
