"""Setting a region's value of a policy parameter: scope first, then role, range and the
version read; the value is kept beside the earlier ones, audited and announced, and the owner
re-evaluates what the parameter governs in the same transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.audit import record_audit
from canlian.common.auth import ADMIN, Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.events.base import DomainEvent
from canlian.common.policy import PARAMETERS, Parameter, Values, owned_by
from canlian.common.policy_values import repository
from canlian.common.policy_values.problems import (
    UNIT_ZH,
    PolicyAdministratorRequired,
    PolicyValueOutOfRange,
    UnknownPolicy,
)
from canlian.common.runtime import ServiceRuntime

AUDIT_ACTION = "policy-value.set"


@dataclass(frozen=True)
class Change:
    """A value just set, as the owner's re-evaluation sees it."""

    parameter: Parameter
    division_code: str
    effective_from: date
    values: Values  # every stored value of the owner's parameters, the new one included
    before: Values  # the same without the new one
    principal: Principal  # who set it: the re-evaluated objects' versions are theirs


Reevaluate = Callable[[AsyncSession, ServiceRuntime, Change], Awaitable[tuple[int, int]]]
"""The owner's re-evaluation: (objects re-checked, objects whose outcome changed)."""


def owned_parameter(owner: str, name: str) -> Parameter:
    parameter = PARAMETERS.get(name)
    if parameter is None or parameter.owner != owner:
        raise UnknownPolicy(name=name)
    return parameter


def check_value(parameter: Parameter, value: Decimal) -> None:
    if not parameter.in_range(value):
        raise PolicyValueOutOfRange(
            name=parameter.name,
            title_zh=parameter.title_zh,
            title_en=parameter.title_en,
            minimum=str(parameter.minimum),
            maximum=str(parameter.maximum),
            unit=parameter.unit,
            unit_zh=UNIT_ZH.get(parameter.unit, parameter.unit),
            whole_zh="是" if parameter.whole_number else "否",
            whole_en="yes" if parameter.whole_number else "no",
            value=str(value),
        )


async def set_value(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    *,
    table: Table,
    event: type[DomainEvent],
    parameter: Parameter,
    division_code: str,
    effective_from: date,
    value: Decimal,
    reason: str,
    precondition: Precondition,
    reevaluate: Reevaluate | None,
) -> tuple[dict[str, Any], int, int]:
    """Save the value (a new version of the region's values) and re-evaluate; the saved row
    as a mapping, the objects re-checked and those whose outcome changed."""
    principal.ensure_covers(division_code)
    if not principal.has_role(ADMIN):
        raise PolicyAdministratorRequired()
    check_value(parameter, value)
    await repository.lock_region(session, parameter.name, division_code)
    version = await repository.region_version(session, table, parameter.name, division_code)
    precondition.check(version)
    row: dict[str, Any] = {
        "parameter": parameter.name,
        "division_code": division_code,
        "effective_from": effective_from,
        "value": value,
        "set_by": principal.subject,
        "reason": reason,
        "version": version + 1,
        "created_at": utcnow(),
    }
    await repository.add_value(
        session,
        table,
        name=parameter.name,
        division_code=division_code,
        effective_from=effective_from,
        value=value,
        set_by=principal.subject,
        reason=reason,
        version=version + 1,
        created_at=row["created_at"],
    )
    await record_audit(
        session,
        runtime.tables,
        principal,
        action=AUDIT_ACTION,
        object_type="policy-value",
        object_id=f"{parameter.name}@{division_code}"[:100],
        reason=f"{effective_from.isoformat()} = {value}: {reason}",
    )
    await runtime.outbox.add(
        session,
        event.model_validate(
            {
                "parameter": parameter.name,
                "division_code": division_code,
                "effective_from": effective_from,
                "value": value,
                "version": version + 1,
            }
        ),
    )
    reevaluated = changed = 0
    if reevaluate is not None:
        names = [owned.name for owned in owned_by(parameter.owner)]
        values = await repository.values_of(session, table, names)
        before = Values(
            {
                name: [
                    item
                    for item in items
                    if not (
                        name == parameter.name
                        and item.division_code == division_code
                        and item.version == version + 1
                    )
                ]
                for name, items in values.by_name.items()
            }
        )
        change = Change(parameter, division_code, effective_from, values, before, principal)
        reevaluated, changed = await reevaluate(session, runtime, change)
    return row, reevaluated, changed


async def bring_into_force(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    *,
    table: Table,
    owner: str,
    after: date,
    until: date,
    reevaluate: Reevaluate | None,
) -> list[tuple[str, str, int, int]]:
    """Re-evaluate what the values that came into force in (after, until] govern, within the
    caller's scope (a daily run: a value set for a later date changes nothing stored until
    then). Each: (parameter, region, objects re-checked, objects changed)."""
    if not principal.has_role(ADMIN):
        raise PolicyAdministratorRequired()
    names = [parameter.name for parameter in owned_by(owner)]
    values = await repository.values_of(session, table, names)
    done: list[tuple[str, str, int, int]] = []
    for name, code in await repository.coming_into_force(session, table, names, after, until):
        if reevaluate is None or not principal.covers(code):
            continue
        before = Values(
            {
                key: [item for item in items if key != name or item.effective_from <= after]
                for key, items in values.by_name.items()
            }
        )
        parameter = PARAMETERS[name]
        change = Change(parameter, code, until, values, before, principal)
        rechecked, changed = await reevaluate(session, runtime, change)
        done.append((name, code, rechecked, changed))
    return done
