"""The one problem of every state machine (applications, cards, transfer requests): an action
the current state does not allow, answered with the state and the actions allowed now."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canlian.common.errors import Conflict
from canlian.common.i18n import Message

_STATE_ZH = {
    "submitted": "已申请",
    "assessed": "已评定",
    "approved": "审核通过",
    "rejected": "审核不通过",
    "issued": "已发证",
    "valid": "有效",
    "expired": "已过期",
    "superseded": "已被新证替代",
    "cancelled": "已注销",
}

_ACTION_ZH = {
    "assess": "评定",
    "approve": "审核通过",
    "reject": "审核不通过",
    "issue": "发证",
    "replace": "换领",
    "reissue": "补办",
    "change": "变更",
    "transfer": "迁移",
    "cancel": "注销",
    "expire": "过期",
}


class IllegalTransition(Conflict):
    code = "illegal-transition"
    title = Message(zh="当前状态不允许此操作", en="Not allowed in the current state")
    detail = Message(
        zh="{what_zh}当前状态为“{state_zh}”,不能{action_zh};当前允许的操作:{allowed_zh}",
        en="The {what} is {state}; it cannot {action}. Allowed actions now: {allowed}",
    )

    def extensions(self) -> dict[str, Any]:
        return {"state": self.params["state"], "allowed_actions": self.params["allowed_list"]}


def illegal_transition(
    what: str,
    what_zh: str,
    state: str,
    action: str,
    allowed: list[str],
    names_zh: Mapping[str, str] | None = None,
) -> Exception:
    """`names_zh`: a machine's own Chinese names of states and actions, where the shared ones
    would read wrong (a transfer is rejected 已拒绝, an application 审核不通过)."""
    names = {**_STATE_ZH, **_ACTION_ZH, **(names_zh or {})}
    return IllegalTransition(
        what=what,
        what_zh=what_zh,
        state=state,
        state_zh=names.get(state, state),
        action=action,
        action_zh=names.get(action, action),
        allowed=", ".join(allowed) or "none",
        allowed_zh="、".join(names.get(item, item) for item in allowed) or "无",
        allowed_list=allowed,
    )
