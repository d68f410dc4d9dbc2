"""Service platforms: registered within the caller's region, changed against the version
read; a referral takes a free place of an open platform (409 naming the capacity when none is
left) and closing the need gives it back."""

from __future__ import annotations

from typing import Any

from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events.needs import (
    PlatformChanged,
    PlatformKind,
    PlatformRegistered,
    PlatformService,
)
from canlian.needs.context import Context
from canlian.needs.db import new_id
from canlian.needs.platforms import repository
from canlian.needs.platforms.models import ServicePlatform
from canlian.needs.platforms.problems import (
    CapacityBelowOccupied,
    PlatformClosed,
    PlatformFull,
    PlatformNameTaken,
)
from canlian.needs.platforms.schemas import PlatformChange, PlatformCreate


async def platform_in_scope(
    context: Context, platform_id: str, *, for_update: bool = False
) -> ServicePlatform:
    platform = await repository.get(context.session, platform_id, for_update=for_update)
    if platform is None or not context.principal.covers(platform.division_code):
        raise OutsideScope(what="服务平台")
    return platform


def snapshot(platform: ServicePlatform) -> dict[str, Any]:
    """The platform's state as its events carry it."""
    return {
        "platform_id": platform.id,
        "version": platform.version,
        "division_code": platform.division_code,
        "kind": PlatformKind(platform.kind),
        "services": [PlatformService(s) for s in platform.services],
        "capacity": platform.capacity,
        "occupied": platform.occupied,
        "staff": platform.staff,
        "open": platform.open,
    }


async def _announce(context: Context, platform: ServicePlatform, *, registered: bool) -> None:
    event_type = PlatformRegistered if registered else PlatformChanged
    await context.outbox.add(context.session, event_type(**snapshot(platform)))


async def register(context: Context, body: PlatformCreate) -> ServicePlatform:
    context.principal.ensure_covers(body.division_code)
    if await repository.by_name(context.session, body.division_code, body.name) is not None:
        raise PlatformNameTaken(division_code=body.division_code, name=body.name)
    now = utcnow()
    platform = ServicePlatform(
        id=new_id(),
        name=body.name,
        kind=body.kind.value,
        division_code=body.division_code,
        services=sorted({s.value for s in body.services}),
        capacity=body.capacity,
        occupied=0,
        staff=body.staff,
        open=body.open,
        created_at=now,
        updated_at=now,
        version=1,
    )
    context.session.add(platform)
    await context.session.flush()
    await _announce(context, platform, registered=True)
    return platform


async def _changed(context: Context, platform: ServicePlatform) -> None:
    platform.version += 1
    platform.updated_at = utcnow()
    await context.session.flush()
    await _announce(context, platform, registered=False)


async def change(
    context: Context, platform_id: str, body: PlatformChange, precondition: Precondition
) -> ServicePlatform:
    platform = await platform_in_scope(context, platform_id, for_update=True)
    precondition.check(platform.version)
    if body.name is not None and body.name != platform.name:
        if await repository.by_name(context.session, platform.division_code, body.name):
            raise PlatformNameTaken(division_code=platform.division_code, name=body.name)
        platform.name = body.name
    if body.capacity is not None:
        if body.capacity < platform.occupied:
            raise CapacityBelowOccupied(occupied=platform.occupied)
        platform.capacity = body.capacity
    if body.services is not None:
        platform.services = sorted({s.value for s in body.services})
    if body.staff is not None:
        platform.staff = body.staff
    if body.open is not None:
        platform.open = body.open
    await _changed(context, platform)
    return platform


async def take_place(context: Context, platform_id: str) -> ServicePlatform:
    """A referral's place; the row lock keeps two referrals from taking the last one."""
    platform = await platform_in_scope(context, platform_id, for_update=True)
    if not platform.open:
        raise PlatformClosed(name=platform.name)
    if platform.occupied >= platform.capacity:
        raise PlatformFull(name=platform.name, capacity=platform.capacity)
    platform.occupied += 1
    await _changed(context, platform)
    return platform


async def free_place(context: Context, platform_id: str) -> None:
    platform = await repository.get(context.session, platform_id, for_update=True)
    if platform is None or platform.occupied == 0:
        return
    platform.occupied -= 1
    await _changed(context, platform)
