"""Two clerks appointing to the last seat of a post at the same moment: one wins, the other
gets a 409, never one holder too many (the seat's unique index decides, not only the service's
check): a village's one seat, and a street office's fifth (seed 003: 3-5 per 街道)."""

import asyncio
import uuid

import pytest
from sqlalchemy import delete, func, select

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.members.app import apply_organisation_events, create_app
from canlian.members.models import (
    Appointment,
    Member,
    Organisation,
    OrganisationCoverage,
    StatusChange,
)
from canlian.testing.services import api_client, bearer, runtime_of

from .conftest import appointment_body, make_citizen_id, member_body, organisation_event

pytestmark = pytest.mark.postgres

REGION = "330604000000"
VILLAGE = "330604002001"
STREET = "330604002000"  # segment 001-099: a street office, five seats by default


@pytest.mark.parametrize(("division_code", "held_before"), [(VILLAGE, 0), (STREET, 4)])
async def test_concurrent_appointments_to_the_last_seat(
    members_app: object, postgres_settings: PlatformSettings, division_code: str, held_before: int
) -> None:
    app = create_app(postgres_settings)  # commits for real: separate connections race
    runtime = runtime_of(app)
    organisation_id = f"race-{uuid.uuid4()}"
    headers = bearer(postgres_settings, roles=[auth.OFFICIAL], region=REGION)
    try:
        async with runtime.database.session() as session:
            await apply_organisation_events(
                session, [organisation_event(organisation_id, division_code=division_code)]
            )
        async with api_client(app) as client:
            member_ids = []
            for sequence in range(1, held_before + 3):
                created = await client.post(
                    "/v1/members",
                    json=member_body(
                        sequence,
                        division_code=VILLAGE,
                        citizen_id=make_citizen_id(sequence, area="330604"),
                    ),
                    headers=headers,
                )
                assert created.status_code == 201, created.text
                member_ids.append(created.json()["id"])
            for member_id in member_ids[:held_before]:
                before = await client.post(
                    f"/v1/members/{member_id}/appointments",
                    json=appointment_body(organisation_id),
                    headers=headers,
                )
                assert before.status_code == 201, before.text
            responses = await asyncio.gather(
                *(
                    client.post(
                        f"/v1/members/{member_id}/appointments",
                        json=appointment_body(organisation_id),
                        headers=headers,
                    )
                    for member_id in member_ids[held_before:]
                )
            )
        assert sorted(response.status_code for response in responses) == [201, 409]
        async with runtime.database.read_session() as session:
            holders = await session.scalar(
                select(func.count())
                .select_from(Appointment)
                .where(Appointment.organisation_id == organisation_id)
            )
        assert holders == held_before + 1
    finally:
        async with runtime.database.session() as session:
            for model in (StatusChange, Appointment, Member, OrganisationCoverage, Organisation):
                await session.execute(delete(model))
            for table in (runtime.tables.outbox, runtime.tables.idempotency_keys):
                await session.execute(delete(table))
        await runtime.database.dispose()
