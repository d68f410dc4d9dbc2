"""Offline batches of service records: accepted exactly once, duplicates, rejections."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.volunteers.conftest import (
    BATCH,
    Api,
    days_ago,
    record_count,
    service_record,
)

pytestmark = pytest.mark.postgres


async def test_a_retried_batch_is_accepted_exactly_once_with_a_result_per_record(
    api: Api,
) -> None:
    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    good = service_record(days_ago(3), 2.5)
    second = service_record(days_ago(2), 1)
    backwards = service_record(days_ago(1), -1)
    too_long = service_record(days_ago(5), 25)
    overlapping = service_record(days_ago(3) + timedelta(hours=1), 2)
    batch = {"records": [good, second, backwards, too_long, overlapping]}

    first = await api.client.post(BATCH, json=batch, headers=me)
    assert first.status_code == 200, first.text
    result = first.json()
    assert (result["accepted"], result["duplicates"], result["rejected"]) == (2, 0, 3)
    outcomes = {item["client_id"]: item for item in result["results"]}
    assert outcomes[good["client_id"]]["outcome"] == "accepted"
    assert outcomes[good["client_id"]]["status"] == "pending"
    assert outcomes[backwards["client_id"]]["reason"]["code"] == "check-out-before-check-in"
    assert outcomes[too_long["client_id"]]["reason"]["code"] == "record-too-long"
    assert outcomes[overlapping["client_id"]]["reason"]["code"] == "record-overlaps"
    assert "签退时间须晚于签到时间" in outcomes[backwards["client_id"]]["reason"]["message"]

    # The app lost the response and sends the same batch again (no Idempotency-Key).
    retry = await api.client.post(BATCH, json=batch, headers={**me, "Accept-Language": "en"})
    again = retry.json()
    assert (again["accepted"], again["duplicates"], again["rejected"]) == (0, 2, 3)
    retried = {item["client_id"]: item for item in again["results"]}
    assert retried[good["client_id"]]["record_id"] == outcomes[good["client_id"]]["record_id"]
    assert (
        "Check-out must come after check-in" in retried[backwards["client_id"]]["reason"]["message"]
    )
    assert await record_count(api, volunteer["id"]) == 2

    hours = await api.client.get("/v1/me/service-records", headers=me)
    assert sorted(item["hours"] for item in hours.json()["items"]) == [1.0, 2.5]


async def test_a_client_id_reused_for_other_content_is_rejected(api: Api) -> None:
    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    record = service_record(days_ago(2), 2, client_id="phone-1-0001")
    assert (await api.client.post(BATCH, json={"records": [record]}, headers=me)).json()[
        "accepted"
    ] == 1
    changed = {**record, "person_times": 9}
    result = (await api.client.post(BATCH, json={"records": [changed]}, headers=me)).json()
    assert result["results"][0]["reason"]["code"] == "client-id-reused"
    assert await record_count(api, volunteer["id"]) == 1


async def test_future_and_stale_records_and_unaccepted_needs_are_rejected(api: Api) -> None:
    volunteer = await api.register_by_station()
    need = await api.create_need()
    records = [
        service_record(datetime.now(UTC) + timedelta(hours=2), 1),
        service_record(days_ago(200), 1),
        service_record(days_ago(1), 1, need_id=need["id"]),
        service_record(days_ago(2), 1, service_kind=None),
    ]
    result = (
        await api.client.post(
            BATCH, json={"records": records}, headers=api.volunteer(volunteer["id"])
        )
    ).json()
    assert [item["reason"]["code"] for item in result["results"]] == [
        "record-in-future",
        "record-too-old",
        "need-not-accepted",
        "service-kind-required",
    ]
    assert await record_count(api, volunteer["id"]) == 0


async def test_a_malformed_batch_is_refused_whole(api: Api) -> None:
    volunteer = await api.register_by_station()
    good = service_record(days_ago(2), 1)
    bad = service_record(days_ago(3), 1, service_kind="juggling")
    response = await api.client.post(
        BATCH, json={"records": [good, bad]}, headers=api.volunteer(volunteer["id"])
    )
    assert response.status_code == 422
    assert await record_count(api, volunteer["id"]) == 0


async def test_a_client_id_repeated_within_one_batch_counts_once(api: Api) -> None:
    volunteer = await api.register_by_station()
    record = service_record(days_ago(2), 1, client_id="same")
    other = {**record, "person_times": 7}
    result = (
        await api.client.post(
            BATCH, json={"records": [record, record, other]}, headers=api.volunteer(volunteer["id"])
        )
    ).json()
    assert [item["outcome"] for item in result["results"]] == ["accepted", "duplicate", "rejected"]
    assert result["results"][2]["reason"]["code"] == "client-id-reused"
    assert await record_count(api, volunteer["id"]) == 1
