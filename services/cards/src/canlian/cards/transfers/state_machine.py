"""The transfer request's state machine: only an open request is decided, once."""

from __future__ import annotations

from enum import StrEnum

from canlian.cards.transitions import illegal_transition
from canlian.common.events.cards import TransferStatus


class TransferAction(StrEnum):
    ACCEPT = "accept"  # the receiving county
    REJECT = "reject"  # the receiving county, with a reason
    WITHDRAW = "withdraw"  # the sending county


TRANSFER_TRANSITIONS: dict[tuple[TransferStatus, TransferAction], TransferStatus] = {
    (TransferStatus.REQUESTED, TransferAction.ACCEPT): TransferStatus.ACCEPTED,
    (TransferStatus.REQUESTED, TransferAction.REJECT): TransferStatus.REJECTED,
    (TransferStatus.REQUESTED, TransferAction.WITHDRAW): TransferStatus.WITHDRAWN,
}

_NAMES_ZH = {
    "requested": "待接收",
    "accepted": "已接收",
    "rejected": "已拒绝",
    "withdrawn": "已撤回",
    "accept": "接收",
    "reject": "拒绝",
    "withdraw": "撤回",
}


def allowed_transfer_actions(status: str) -> list[str]:
    return [action.value for (state, action) in TRANSFER_TRANSITIONS if state == status]


def next_transfer_status(status: str, action: TransferAction) -> TransferStatus:
    target = TRANSFER_TRANSITIONS.get((TransferStatus(status), action))
    if target is None:
        raise illegal_transition(
            "transfer request",
            "迁移申请",
            status,
            action.value,
            allowed_transfer_actions(status),
            _NAMES_ZH,
        )
    return target
