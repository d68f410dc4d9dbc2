"""Setting and resolving the needs service's policy parameters for a region."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions, policy
from canlian.common.db.metadata import utcnow
from canlian.needs.context import Context
from canlian.needs.policies import repository
from canlian.needs.policies.models import PolicyValue
from canlian.needs.policies.problems import UnknownParameter, ValueAlreadySet, ValueOutOfRange

OWNER = "needs"


def parameter_named(name: str) -> policy.Parameter:
    parameter = policy.PARAMETERS.get(name)
    if parameter is None or parameter.owner != OWNER:
        raise UnknownParameter(parameter=name)
    return parameter


async def effective(
    session: AsyncSession, parameter: policy.Parameter, division_code: str, on: date
) -> tuple[Decimal, str | None]:
    """The value in force for the division on the date and the region that set it."""
    rows = await repository.values_along(session, parameter.name, divisions.lineage(division_code))
    values = [policy.SetValue(r.division_code, r.effective_from, r.value) for r in rows]
    return policy.effective(parameter, values, division_code, on)


async def set_value(
    context: Context, name: str, division_code: str, effective_from: date, value: Decimal
) -> PolicyValue:
    context.principal.ensure_covers(division_code)
    parameter = parameter_named(name)
    if not parameter.in_range(value):
        raise ValueOutOfRange(
            parameter=name,
            minimum=parameter.minimum,
            maximum=parameter.maximum,
            unit=parameter.unit,
        )
    if await repository.get(context.session, name, division_code, effective_from):
        raise ValueAlreadySet(
            parameter=name, division_code=division_code, effective_from=effective_from
        )
    row = PolicyValue(
        parameter=name,
        division_code=division_code,
        effective_from=effective_from,
        value=value,
        set_by=context.principal.subject,
        set_at=utcnow(),
    )
    context.session.add(row)
    await context.session.flush()
    return row
