"""A 409 of the cards service on the wire is the problem its OpenAPI documents, and a client
generated from that document reads it as one."""

import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from canlian.cards.settings import CardsSettings
from canlian.common import auth
from canlian.testing.generated_clients import generate_client, in_process_client
from canlian.testing.services import rolled_back
from tests.cards.conftest import CHENGGUAN, Desk, make_citizen_id
from tests.common.test_openapi_contract import assert_documented_problem

pytestmark = pytest.mark.postgres


async def test_a_409_matches_the_documented_problem(desk: Desk, cards_app: FastAPI) -> None:
    citizen_id = make_citizen_id(917)
    await desk.register(citizen_id)
    again = await desk.client.post(
        "/v1/persons",
        json={"citizen_id": citizen_id, "name": "王小明", "residence_division_code": CHENGGUAN},
        headers=desk.headers,
    )
    assert again.status_code == 409
    assert_documented_problem(cards_app.openapi(), "/v1/persons", "post", again)


async def test_the_generated_client_reads_a_409_as_a_problem(
    cards_app: FastAPI, cards_settings: CardsSettings, tmp_path: Path
) -> None:
    module = generate_client(cards_app, tmp_path, "cards_client_409")
    register: Any = importlib.import_module("cards_client_409.api.persons.register_person")
    models: Any = importlib.import_module("cards_client_409.models")
    token = auth.issue_token(
        cards_settings, subject="clerk-cg", roles=[auth.OFFICIAL], region=CHENGGUAN
    )
    body = models.PersonCreate.from_dict(
        {"citizen_id": make_citizen_id(918), "name": "李四", "residence_division_code": CHENGGUAN}
    )
    async with rolled_back(cards_app):
        client = in_process_client(module, cards_app, token)
        first = await register.asyncio_detailed(client=client, body=body)
        again = await register.asyncio_detailed(client=client, body=body)
    assert first.status_code == 201, first.content
    assert isinstance(first.parsed, models.PersonRead)
    assert again.status_code == 409
    assert isinstance(again.parsed, models.Problem)
    assert again.parsed.type_.endswith("/person-already-registered")
