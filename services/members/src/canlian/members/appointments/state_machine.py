"""An appointment's status: appointed -> active <-> suspended, and dismissed / resigned from
any of them; the two ends are final (能进能出)."""

from __future__ import annotations

from canlian.common.events.members import AppointmentStatus
from canlian.members.appointments.problems import TransitionNotAllowed

# The statuses in which the person holds the post.
HOLDING = (AppointmentStatus.APPOINTED, AppointmentStatus.ACTIVE, AppointmentStatus.SUSPENDED)
LEFT = frozenset({AppointmentStatus.DISMISSED, AppointmentStatus.RESIGNED})
TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    AppointmentStatus.APPOINTED: frozenset(
        {AppointmentStatus.ACTIVE, AppointmentStatus.DISMISSED, AppointmentStatus.RESIGNED}
    ),
    AppointmentStatus.ACTIVE: frozenset(
        {AppointmentStatus.SUSPENDED, AppointmentStatus.DISMISSED, AppointmentStatus.RESIGNED}
    ),
    AppointmentStatus.SUSPENDED: frozenset(
        {AppointmentStatus.ACTIVE, AppointmentStatus.DISMISSED, AppointmentStatus.RESIGNED}
    ),
    AppointmentStatus.DISMISSED: frozenset(),
    AppointmentStatus.RESIGNED: frozenset(),
}
STATUS_NAMES = {
    AppointmentStatus.APPOINTED: "已聘任",
    AppointmentStatus.ACTIVE: "在岗",
    AppointmentStatus.SUSPENDED: "暂停",
    AppointmentStatus.DISMISSED: "解聘",
    AppointmentStatus.RESIGNED: "辞职",
}


def check_transition(current: AppointmentStatus, target: AppointmentStatus) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise TransitionNotAllowed(
            current=current.value,
            target=target.value,
            current_zh=STATUS_NAMES[current],
            target_zh=STATUS_NAMES[target],
            allowed=", ".join(sorted(allowed)) or "-",
            allowed_zh="、".join(STATUS_NAMES[s] for s in sorted(allowed)) or "无(已结束)",
        )
