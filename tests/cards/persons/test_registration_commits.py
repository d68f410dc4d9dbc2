"""How a registration commits, on a real PostgreSQL and not inside a test's rolled-back
transaction (which would hold every statement of the request, on its own or not): without
an idempotency key the insert commits by itself; with one, the person and the stored answer
are one unit of work."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select

from canlian.cards.persons.models import Person
from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.common.idempotency import IdempotentRequest
from canlian.testing.services import api_client, bearer, runtime_of
from tests.cards.conftest import CHENGGUAN, make_citizen_id

pytestmark = pytest.mark.postgres

KEY = "registration-commits-1"
CITIZEN_ID = make_citizen_id(90001)


@pytest.fixture
async def committing_client(
    cards_app: FastAPI, cards_settings: CardsSettings
) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests commit for real; what they leave is deleted afterwards."""
    headers = bearer(cards_settings, roles=[auth.OFFICIAL], region=CHENGGUAN, subject="commits")
    runtime = runtime_of(cards_app)
    try:
        async with api_client(cards_app, headers) as client:
            yield client
    finally:
        async with runtime.database.session() as session:
            index = runtime.personal_data.index(CITIZEN_ID)
            await session.execute(delete(Person).where(Person.citizen_id_index == index))
            keys = runtime.tables.idempotency_keys
            await session.execute(delete(keys).where(keys.c.key == KEY))


async def _stored_person_id(app: FastAPI) -> int | None:
    runtime = runtime_of(app)
    async with runtime.database.read_session() as session:
        index = runtime.personal_data.index(CITIZEN_ID)
        found = await session.scalar(select(Person.id).where(Person.citizen_id_index == index))
    return int(found) if found is not None else None


BODY = {"citizen_id": CITIZEN_ID, "name": "李四", "residence_division_code": CHENGGUAN}


async def test_with_a_key_the_person_commits_only_with_the_stored_answer(
    committing_client: httpx.AsyncClient, cards_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the answer could not be stored")

    headers = {"Idempotency-Key": KEY}
    with monkeypatch.context() as patch:
        patch.setattr(IdempotentRequest, "respond", failing)
        failed = await committing_client.post("/v1/persons", json=BODY, headers=headers)
    assert failed.status_code == 500
    # Nothing left behind for the retry to run into (a 409 instead of the first answer).
    assert await _stored_person_id(cards_app) is None
    first = await committing_client.post("/v1/persons", json=BODY, headers=headers)
    retried = await committing_client.post("/v1/persons", json=BODY, headers=headers)
    assert first.status_code == retried.status_code == 201
    assert retried.json() == first.json()
    assert str(await _stored_person_id(cards_app)) == first.json()["id"]


async def test_without_a_key_the_insert_commits_by_itself(
    committing_client: httpx.AsyncClient, cards_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("failed after the insert")

    with monkeypatch.context() as patch:
        patch.setattr(IdempotentRequest, "respond", failing)
        failed = await committing_client.post("/v1/persons", json=BODY)
    assert failed.status_code == 500
    # The one statement was the unit of work: committed before the failure that followed.
    stored = await _stored_person_id(cards_app)
    assert stored is not None
    again = await committing_client.post("/v1/persons", json=BODY)
    assert again.status_code == 409
    assert str(stored) in again.json()["detail"]
