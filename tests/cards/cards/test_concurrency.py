"""At most one valid card per person, also when requests race (real PostgreSQL, real commits).

These tests commit, so they work in their own region (鄂托克旗, 150624) and clean up after.
"""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from canlian.cards.app import create_app, service_descriptor
from canlian.cards.applications.models import Application
from canlian.cards.cards import repository
from canlian.cards.cards.models import Card
from canlian.cards.dates import add_years
from canlian.cards.institutions.models import Institution
from canlian.cards.persons.models import Person
from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.testing.services import api_client, bearer, if_match, rebuild_schema, runtime_of
from tests.cards.conftest import Desk, make_citizen_id

pytestmark = pytest.mark.postgres

OTOG = "150624000000"
OTOG_VILLAGE = "150624100001"
RACERS = 8


async def _clean(app: FastAPI) -> None:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        await session.execute(delete(Card).where(Card.division_code.startswith("150624")))
        await session.execute(
            delete(Application).where(Application.division_code.startswith("150624"))
        )
        await session.execute(
            delete(Person).where(Person.residence_division_code.startswith("150624"))
        )
        await session.execute(
            delete(Institution).where(Institution.division_code.startswith("150624"))
        )
        outbox = runtime.tables.outbox
        await session.execute(
            delete(outbox).where(outbox.c.envelope.contains('"division_code":"150624'))
        )


@pytest.fixture
async def committing_desk(cards_app: FastAPI, cards_settings: CardsSettings) -> AsyncIterator[Desk]:
    headers = bearer(cards_settings, roles=[auth.OFFICIAL], region=OTOG, subject="clerk-otog")
    try:
        async with api_client(cards_app) as client:
            yield Desk(client, headers, home=OTOG_VILLAGE)
    finally:
        await _clean(cards_app)


async def _valid_cards_of(app: FastAPI, person_id: str) -> int:
    async with runtime_of(app).database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Card)
            .where(Card.person_id == int(person_id), Card.status == "valid")
        )
    return int(count or 0)


async def test_racing_registrations_of_one_citizen_id_give_one_person_and_409s(
    committing_desk: Desk, cards_app: FastAPI
) -> None:
    desk = committing_desk
    body = {"citizen_id": make_citizen_id(500, area="150624"), "name": "王五"}
    responses = await asyncio.gather(
        *(
            desk.client.post(
                "/v1/persons",
                json={**body, "residence_division_code": OTOG_VILLAGE},
                headers=desk.headers,
            )
            for _ in range(RACERS)
        )
    )
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 409: RACERS - 1}
    (created,) = (response.json() for response in responses if response.status_code == 201)
    for response in responses:
        if response.status_code == 409:
            assert response.json()["type"].endswith("/person-already-registered")
            assert str(created["id"]) in response.json()["detail"]
    async with runtime_of(cards_app).database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Person)
            .where(Person.residence_division_code.startswith("150624"))
        )
    assert count == 1


async def _issue_racing(desk: Desk, application_id: int) -> list[httpx.Response]:
    """Every racer read the same version of the application, then all issue at once."""
    path = f"/v1/applications/{application_id}"
    headers = await if_match(desk.client, path, desk.headers)
    return list(
        await asyncio.gather(
            *(
                desk.client.post(f"{path}/card", json={"generation": "smart"}, headers=headers)
                for _ in range(RACERS)
            )
        )
    )


async def test_concurrent_issue_requests_give_one_card_and_412s(
    committing_desk: Desk, cards_app: FastAPI
) -> None:
    desk = committing_desk
    person = await desk.register(make_citizen_id(501, area="150624"))
    application = await desk.approved_application(person["id"])
    responses = await _issue_racing(desk, application["id"])
    statuses = Counter(response.status_code for response in responses)
    # The others wait for the winner's row lock, then find the application changed.
    assert statuses == {201: 1, 412: RACERS - 1}
    for response in responses:
        if response.status_code == 412:
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"].endswith("/precondition-failed")
    again = await desk.issue(application["id"])  # read afresh: the application is issued
    assert again.status_code == 409
    assert again.json()["state"] == "issued"
    assert await _valid_cards_of(cards_app, person["id"]) == 1


async def test_concurrent_lifecycle_steps_on_one_card_leave_one_valid_card(
    committing_desk: Desk, cards_app: FastAPI
) -> None:
    desk = committing_desk
    card = await desk.card_for(make_citizen_id(502, area="150624"))
    # Every racer read the same version of the card.
    headers = await if_match(desk.client, f"/v1/cards/{card['id']}", desk.headers)
    reissues = [
        desk.client.post(f"/v1/cards/{card['id']}/reissue", json={}, headers=headers)
        for _ in range(RACERS // 2)
    ]
    replaces = [
        desk.client.post(
            f"/v1/cards/{card['id']}/replace", json={"generation": "smart"}, headers=headers
        )
        for _ in range(RACERS // 2)
    ]
    # A fresh smart card cannot be replaced (422) but can be reissued: one reissue wins, the
    # others find the card changed since they read it (412).
    responses = await asyncio.gather(*reissues, *replaces)
    created = [response for response in responses if response.status_code == 201]
    assert len(created) == 1
    assert all(response.status_code in (201, 409, 412, 422) for response in responses)
    assert all(r.status_code < 500 for r in responses)
    assert await _valid_cards_of(cards_app, card["person_id"]) == 1


async def test_the_partial_unique_index_refuses_a_second_valid_card(
    committing_desk: Desk, cards_app: FastAPI
) -> None:
    desk = committing_desk
    card = await desk.card_for(make_citizen_id(503, area="150624"))
    async with runtime_of(cards_app).database.session() as session:
        original = await session.get(Card, int(card["id"]))
        assert original is not None
        values = {
            column.key: getattr(original, column.key)
            for column in Card.__table__.columns
            if column.key != "id"
        }
        session.add(Card(**values))
        with pytest.raises(IntegrityError):
            await session.flush()
        await session.rollback()
        # A card in any other state may sit beside the valid one.
        session.add(Card(**{**values, "status": "cancelled"}))
        await session.flush()
        await session.rollback()


async def test_when_the_check_loses_a_race_the_index_answers_with_a_409_and_nothing_is_written(
    cards_app: FastAPI,
    client: httpx.AsyncClient,
    desk: Desk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    card = await desk.card_for(make_citizen_id(504))
    second = await desk.approved_application(card["person_id"], category=1, grade=1)

    async def no_card(*_args: object) -> None:
        return None

    # As if another request committed its card between our check and our insert.
    monkeypatch.setattr(repository, "valid_card_of", no_card)
    response = await desk.issue(second["id"])
    assert response.status_code == 409
    assert response.json()["type"].endswith("/person-has-valid-card")
    monkeypatch.undo()
    after = await client.get(f"/v1/applications/{second['id']}", headers=desk.headers)
    assert after.json()["status"] == "approved"
    assert after.json()["card_id"] is None


async def test_concurrent_issue_on_the_embedded_database_too(tmp_path: Path) -> None:
    # Also a service configured for five-year cards (CARD_VALIDITY_YEARS).
    settings = CardsSettings(canlian_data_dir=tmp_path, card_validity_years=5)
    await rebuild_schema(service_descriptor, settings)
    app = create_app(settings)
    try:
        headers = bearer(settings, roles=[auth.OFFICIAL], region=OTOG)
        async with api_client(app) as client:
            desk = Desk(client, headers, home=OTOG_VILLAGE)
            person = await desk.register(make_citizen_id(505, area="150624"))
            application = await desk.approved_application(person["id"])
            responses = await _issue_racing(desk, application["id"])
        assert Counter(response.status_code for response in responses) == {
            201: 1,
            412: RACERS - 1,
        }
        assert await _valid_cards_of(app, person["id"]) == 1
        (issued,) = [response.json() for response in responses if response.status_code == 201]
        issued_on = date.fromisoformat(issued["issued_on"])
        assert issued["valid_until"] == add_years(issued_on, 5).isoformat()
    finally:
        await runtime_of(app).database.dispose()
