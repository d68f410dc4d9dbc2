"""The leader's and officials' confirmation and rejection of service records."""

import pytest

from canlian.testing.services import if_match
from tests.volunteers.conftest import (
    BATCH,
    CHENGGUAN,
    CHENGGUAN_VILLAGE,
    QILIHE,
    Api,
    days_ago,
    service_record,
    team_with_leader,
)

pytestmark = pytest.mark.postgres


async def test_leader_confirms_members_records_but_never_their_own(api: Api) -> None:
    _, member, leader = await team_with_leader(api)
    submitted = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(2), 3, person_times=4)]},
        headers=api.volunteer(member["id"]),
    )
    record_id = submitted.json()["results"][0]["record_id"]
    own = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(2), 2)]},
        headers=api.volunteer(leader["id"]),
    )
    own_id = own.json()["results"][0]["record_id"]

    pending = await api.client.get(
        "/v1/me/team/service-records", headers=api.volunteer(leader["id"])
    )
    assert {item["id"] for item in pending.json()["items"]} == {record_id, own_id}

    by_member = await api.client.post(
        f"/v1/service-records/{record_id}/confirm", headers=api.volunteer(member["id"])
    )
    assert by_member.status_code == 403
    assert by_member.json()["type"].endswith("/cannot-confirm-own-record")
    by_leader_own = await api.client.post(
        f"/v1/service-records/{own_id}/confirm", headers=api.volunteer(leader["id"])
    )
    assert by_leader_own.status_code == 403

    stranger = await api.register_by_station()
    by_stranger = await api.client.post(
        f"/v1/service-records/{record_id}/confirm", headers=api.volunteer(stranger["id"])
    )
    assert by_stranger.status_code == 404

    confirmed = await api.client.post(
        f"/v1/service-records/{record_id}/confirm",
        headers=await if_match(
            api.client, f"/v1/service-records/{record_id}", api.volunteer(leader["id"])
        ),
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    twice = await api.client.post(
        f"/v1/service-records/{record_id}/confirm", headers=api.volunteer(leader["id"])
    )
    assert twice.status_code == 409

    [event] = await api.events("cn.canlian.volunteers.service-record.confirmed")
    assert event.data["record_id"] == record_id
    assert event.data["minutes"] == 180
    assert event.data["hours"] == 3.0
    assert event.data["person_times"] == 4
    assert event.data["division_code"] == CHENGGUAN_VILLAGE
    assert event.data["version"] == 2
    # Served two days ago, confirmed today: counted in history on the day it was served.
    assert event.data["effective_on"] == event.data["served_on"]

    me = (await api.client.get("/v1/me", headers=api.volunteer(member["id"]))).json()
    assert me["confirmed_hours"] == 3.0
    assert me["person_times"] == 4


async def test_rejected_records_do_not_count_and_free_their_time(api: Api) -> None:
    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    start = days_ago(2)
    first = await api.client.post(BATCH, json={"records": [service_record(start, 2)]}, headers=me)
    record_id = first.json()["results"][0]["record_id"]
    rejected = await api.client.post(
        f"/v1/service-records/{record_id}/reject",
        json={"reason": "时间填写有误"},
        headers=await if_match(
            api.client, f"/v1/service-records/{record_id}", api.official(CHENGGUAN)
        ),
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "时间填写有误"
    corrected = await api.client.post(
        BATCH, json={"records": [service_record(start, 1.5)]}, headers=me
    )
    assert corrected.json()["accepted"] == 1
    profile = (await api.client.get("/v1/me", headers=me)).json()
    assert profile["confirmed_hours"] == 0
    assert await api.events("cn.canlian.volunteers.service-record.confirmed") == []


async def test_officials_confirm_only_within_their_region(api: Api) -> None:
    volunteer = await api.register_by_station()
    submitted = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(1), 1)]},
        headers=api.volunteer(volunteer["id"]),
    )
    record_id = submitted.json()["results"][0]["record_id"]
    outside = await api.client.post(
        f"/v1/service-records/{record_id}/confirm", headers=api.official(QILIHE)
    )
    assert outside.status_code == 404
    inside = await api.client.post(
        f"/v1/service-records/{record_id}/confirm",
        headers=await if_match(
            api.client, f"/v1/service-records/{record_id}", api.official(CHENGGUAN)
        ),
    )
    assert inside.status_code == 200


async def test_a_leader_reviews_many_records_at_once(api: Api) -> None:
    _, member, leader = await team_with_leader(api)
    submitted = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(days), 2) for days in (2, 3, 4)]},
        headers=api.volunteer(member["id"]),
    )
    first, second, third = (item["record_id"] for item in submitted.json()["results"])
    own = await api.client.post(
        BATCH,
        json={"records": [service_record(days_ago(2), 1)]},
        headers=api.volunteer(leader["id"]),
    )
    own_id = own.json()["results"][0]["record_id"]
    response = await api.client.post(
        "/v1/service-records/reviews",
        json={
            "decisions": [
                {"record_id": first, "decision": "confirm"},
                {"record_id": second, "decision": "reject", "reason": "签退时间不符"},
                {"record_id": third, "decision": "reject"},
                {"record_id": own_id, "decision": "confirm"},
                {"record_id": "no-such-record", "decision": "confirm"},
            ]
        },
        headers=api.volunteer(leader["id"]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["confirmed"], body["rejected"], body["failed"]) == (1, 1, 3)
    assert [item["status"] for item in body["results"]] == [
        "confirmed",
        "rejected",
        None,
        None,
        None,
    ]
    assert [item["reason"]["code"] for item in body["results"][2:]] == [
        "rejection-reason-required",
        "cannot-confirm-own-record",
        "not-found",
    ]
    member_records = await api.client.get(
        "/v1/me/service-records", params={"status": "pending"}, headers=api.volunteer(member["id"])
    )
    assert [item["id"] for item in member_records.json()["items"]] == [third]
    assert len(await api.events("cn.canlian.volunteers.service-record.confirmed")) == 1
