"""Metrics keeps the owners' policy values from their PolicyValueSet events (PostgreSQL): every
value kept, a replay changes nothing, and the value in force resolves as the owner's does."""

from datetime import date
from decimal import Decimal

import pytest
from fastapi import FastAPI

from canlian.common import policy
from canlian.common.events import members, org_registry
from canlian.metrics.policies import repository
from canlian.metrics.rollups import policy_values as consumer
from canlian.testing.services import runtime_of

from ..conftest import envelope

pytestmark = pytest.mark.postgres

STREET = "620102001000"


async def test_values_are_kept_once_and_resolve_as_the_owner_resolves(rollback: FastAPI) -> None:
    events = [
        envelope(
            members.PolicyValueSet(
                parameter=policy.SEATS_PER_STREET.name,
                division_code="620102000000",
                effective_from=date(2024, 1, 1),
                value=Decimal(3),
                version=1,
            )
        ),
        envelope(
            members.PolicyValueSet(
                parameter=policy.SEATS_PER_STREET.name,
                division_code="620102000000",
                effective_from=date(2026, 1, 1),
                value=Decimal(4),
                version=2,
            )
        ),
        envelope(
            org_registry.PolicyValueSet(
                parameter=policy.COUNTY_ACTIVITY_FUNDS_MINIMUM.name,
                division_code="620000000000",
                effective_from=date(2020, 1, 1),
                value=Decimal(6000),
                version=1,
            )
        ),
    ]
    database = runtime_of(rollback).database
    for _ in range(2):  # a replay changes nothing
        async with database.session() as session:
            await consumer.apply_policy_values(session, events)
    async with database.session() as session:
        values = await repository.values_of(session, policy.PARAMETERS.values())
    streets = values.by_name[policy.SEATS_PER_STREET.name]
    assert sorted(item.version for item in streets) == [1, 2]
    assert values.effective(policy.SEATS_PER_STREET, STREET, date(2025, 6, 1)) == 3
    assert values.effective(policy.SEATS_PER_STREET, STREET, date(2026, 6, 1)) == 4
    assert values.effective(policy.SEATS_PER_STREET, "620103001000", date(2026, 6, 1)) == 5
    funds = policy.COUNTY_ACTIVITY_FUNDS_MINIMUM
    assert values.effective(funds, "620102000000", date(2021, 1, 1)) == 6000
