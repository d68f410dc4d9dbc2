"""The regional values the registry's rules read."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import policy
from canlian.common.policy_values import repository
from canlian.org_registry.policies.models import POLICY_VALUES

OWNER = "org-registry"


async def registry_values(session: AsyncSession) -> policy.Values:
    """Every stored value of the parameters the registry owns."""
    return await repository.values_of(
        session, POLICY_VALUES, [parameter.name for parameter in policy.owned_by(OWNER)]
    )
