"""A 409 of the cards service on the wire is the problem its OpenAPI documents."""

import pytest
from fastapi import FastAPI

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
