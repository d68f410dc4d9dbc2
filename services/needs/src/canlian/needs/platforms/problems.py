"""Problems of service platforms."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class PlatformFull(Conflict):
    code = "platform-full"
    title = Message(zh="服务平台已满", en="Platform full")
    detail = Message(
        zh="{name} 的 {capacity} 个名额已全部占用", en="All {capacity} places of {name} are taken"
    )


class PlatformClosed(Conflict):
    code = "platform-closed"
    title = Message(zh="服务平台未运营", en="Platform not open")
    detail = Message(zh="{name} 目前未运营", en="{name} is not open")


class PlatformNameTaken(Conflict):
    code = "platform-name-taken"
    title = Message(zh="同名服务平台已存在", en="Platform name taken")
    detail = Message(
        zh="{division_code} 已有名为 {name} 的服务平台",
        en="{division_code} already has a platform named {name}",
    )


class CapacityBelowOccupied(InvalidInput):
    code = "capacity-below-occupied"
    title = Message(zh="名额少于已占用数", en="Capacity below places taken")
    detail = Message(
        zh="已有 {occupied} 个名额被占用,名额不能少于此数",
        en="{occupied} places are taken; capacity cannot be lower",
    )
