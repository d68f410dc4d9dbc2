"""Randomised offline batches (seeded, so reproducible): whatever order, time zones, repeats
and retries the app sends, the kept records never overlap, never exceed 24 hours, and a
resent batch adds nothing."""

import itertools
import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select

from canlian.testing.services import runtime_of
from canlian.volunteers.service_records.models import ServiceRecord
from tests.volunteers.conftest import Api

pytestmark = pytest.mark.postgres

BATCH = "/v1/me/service-records/batch"


def _random_records(rng: random.Random, count: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).replace(microsecond=0)
    records: list[dict[str, Any]] = []
    for number in range(count):
        if records and rng.random() < 0.15:
            records.append(dict(rng.choice(records)))  # the app sends a record twice
            continue
        zone = timezone(timedelta(hours=rng.randint(-12, 14)))
        start = (now - timedelta(minutes=rng.randint(60, 10 * 24 * 60))).astimezone(zone)
        minutes = rng.choice([-30, 0, 45, 90, 180, 600, 1440, 1441, 2000])
        records.append(
            {
                "client_id": f"c{number}",
                "service_kind": "companionship",
                "checked_in_at": start.isoformat(),
                "checked_out_at": (start + timedelta(minutes=minutes)).isoformat(),
                "person_times": rng.randint(0, 5),
            }
        )
    return records


@pytest.mark.parametrize("seed", range(8))
async def test_random_batches_keep_the_rules(api: Api, seed: int) -> None:
    rng = random.Random(seed)
    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    records = _random_records(rng, 40)
    accepted: set[str] = set()
    cut_one, cut_two = sorted(rng.sample(range(1, len(records)), 2))
    for chunk in (records[:cut_one], records[cut_one:cut_two], records[cut_two:]):
        response = await api.client.post(BATCH, json={"records": chunk}, headers=me)
        assert response.status_code == 200, response.text
        for item in response.json()["results"]:
            if item["outcome"] == "accepted":
                accepted.add(item["client_id"])
            if item["outcome"] == "rejected":
                assert item["reason"]["code"]
                assert item["reason"]["message"]

    assert accepted  # the generator yields valid records too, so some must stand
    async with runtime_of(api.app).database.session() as session:
        kept = list(
            (
                await session.scalars(
                    select(ServiceRecord)
                    .where(ServiceRecord.volunteer_id == volunteer["id"])
                    .order_by(ServiceRecord.checked_in_at)
                )
            ).all()
        )
    assert {record.client_id for record in kept} == accepted
    for record in kept:
        assert timedelta(0) < record.checked_out_at - record.checked_in_at <= timedelta(hours=24)
    for earlier, later in itertools.pairwise(kept):
        assert earlier.checked_out_at <= later.checked_in_at

    retry = await api.client.post(BATCH, json={"records": records}, headers=me)
    assert retry.json()["accepted"] == 0
    assert {
        item["client_id"] for item in retry.json()["results"] if item["outcome"] == "duplicate"
    } == accepted
