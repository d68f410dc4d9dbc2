"""Verification for other portals on a real PostgreSQL."""

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.testing.services import if_match, runtime_of
from tests.cards.conftest import Desk, make_citizen_id

pytestmark = pytest.mark.postgres


async def test_portal_verifies_a_card_and_learns_nothing_personal(
    desk: Desk, portal: dict[str, str], cards_app: FastAPI
) -> None:
    citizen_id = make_citizen_id(21)
    card = await desk.card_for(citizen_id, category=2, grade=1)
    number = citizen_id + "21"
    until = {"valid_until": card["valid_until"]}
    verified = await desk.client.get(f"/v1/verifications/{number}", params=until, headers=portal)
    assert verified.status_code == 200
    # Valid or not, nothing else: the category and grade are the number's own digits.
    assert verified.json() == {"valid": True}
    wrong_grade = await desk.client.get(
        f"/v1/verifications/{citizen_id}22", params=until, headers=portal
    )
    assert wrong_grade.json()["valid"] is False
    official = await desk.client.get(
        f"/v1/verifications/{number}", params=until, headers=desk.headers
    )
    assert official.status_code == 403
    malformed = await desk.client.get(
        f"/v1/verifications/{citizen_id}81", params=until, headers=portal
    )
    assert malformed.status_code == 422
    assert malformed.json()["type"].endswith("/invalid-card-number")
    assert citizen_id not in malformed.text
    too_short = await desk.client.get(
        f"/v1/verifications/{citizen_id}", params=until, headers=portal
    )
    assert too_short.status_code == 422
    assert citizen_id not in too_short.text
    in_body = await desk.client.post(
        "/v1/verifications", json={"card_number": number, **until}, headers=portal
    )
    assert in_body.json() == verified.json()
    await desk.client.post(
        f"/v1/cards/{card['id']}/cancel",
        json={"reason": "emigration"},
        headers=await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers),
    )
    after = await desk.client.get(f"/v1/verifications/{number}", params=until, headers=portal)
    assert after.json() == {"valid": False}
    runtime = runtime_of(cards_app)
    audit = runtime.tables.audit_log
    async with runtime.database.session() as session:
        checks = (
            await session.execute(
                select(audit.c.object_id, audit.c.reason)
                .where(audit.c.actor == "bus-portal", audit.c.action == "card.verified")
                .order_by(audit.c.id)
            )
        ).all()
    # Malformed numbers are refused before any look-up, so four checks are on record.
    assert [tuple(row) for row in checks] == [
        (str(card["id"]), "valid"),
        ("-", "not valid"),
        (str(card["id"]), "valid"),
        ("-", "not valid"),
    ]
