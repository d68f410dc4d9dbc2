"""Offline batches of service records, the leader's confirmation and star levels."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from canlian.testing.services import runtime_of
from canlian.volunteers.models import ServiceRecord
from tests.volunteers.conftest import CHENGGUAN, CHENGGUAN_VILLAGE, QILIHE, Api

pytestmark = pytest.mark.postgres

BATCH = "/v1/me/service-records/batch"


def _record(start: datetime, hours: float, **fields: Any) -> dict[str, Any]:
    return {
        "client_id": fields.pop("client_id", str(uuid.uuid4())),
        "service_kind": "companionship",
        "checked_in_at": start.isoformat(),
        "checked_out_at": (start + timedelta(hours=hours)).isoformat(),
        "person_times": 2,
        **fields,
    }


def _days_ago(days: int, hour: int = 1) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return base.replace(hour=hour) - timedelta(days=days)


async def _record_count(api: Api, volunteer_id: str) -> int:
    async with runtime_of(api.app).database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ServiceRecord)
            .where(ServiceRecord.volunteer_id == volunteer_id)
        )
    return int(count or 0)


async def _team_with_leader(api: Api) -> tuple[str, dict[str, Any], dict[str, Any]]:
    team_id = await api.create_team()
    member = await api.register_by_station(team_id=team_id)
    leader = await api.register_by_station(team_id=team_id)
    response = await api.client.put(
        f"/v1/teams/{team_id}/leader", json={"volunteer_id": leader["id"]}, headers=api.official()
    )
    assert response.status_code == 200, response.text
    return team_id, member, leader


async def test_a_retried_batch_is_accepted_exactly_once_with_a_result_per_record(
    api: Api,
) -> None:
    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    good = _record(_days_ago(3), 2.5)
    second = _record(_days_ago(2), 1)
    backwards = _record(_days_ago(1), -1)
    too_long = _record(_days_ago(5), 25)
    overlapping = _record(_days_ago(3) + timedelta(hours=1), 2)
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
    assert await _record_count(api, volunteer["id"]) == 2

    hours = await api.client.get("/v1/me/service-records", headers=me)
    assert sorted(item["hours"] for item in hours.json()["items"]) == [1.0, 2.5]


async def test_a_client_id_reused_for_other_content_is_rejected(api: Api) -> None:
    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    record = _record(_days_ago(2), 2, client_id="phone-1-0001")
    assert (await api.client.post(BATCH, json={"records": [record]}, headers=me)).json()[
        "accepted"
    ] == 1
    changed = {**record, "person_times": 9}
    result = (await api.client.post(BATCH, json={"records": [changed]}, headers=me)).json()
    assert result["results"][0]["reason"]["code"] == "client-id-reused"
    assert await _record_count(api, volunteer["id"]) == 1


async def test_future_and_stale_records_and_unaccepted_needs_are_rejected(api: Api) -> None:
    volunteer = await api.register_by_station()
    need = await api.create_need()
    records = [
        _record(datetime.now(UTC) + timedelta(hours=2), 1),
        _record(_days_ago(200), 1),
        _record(_days_ago(1), 1, need_id=need["id"]),
        _record(_days_ago(2), 1, service_kind=None),
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
    assert await _record_count(api, volunteer["id"]) == 0


async def test_a_malformed_batch_is_refused_whole(api: Api) -> None:
    volunteer = await api.register_by_station()
    good = _record(_days_ago(2), 1)
    bad = _record(_days_ago(3), 1, service_kind="juggling")
    response = await api.client.post(
        BATCH, json={"records": [good, bad]}, headers=api.volunteer(volunteer["id"])
    )
    assert response.status_code == 422
    assert await _record_count(api, volunteer["id"]) == 0


async def test_leader_confirms_members_records_but_never_their_own(api: Api) -> None:
    _, member, leader = await _team_with_leader(api)
    submitted = await api.client.post(
        BATCH,
        json={"records": [_record(_days_ago(2), 3, person_times=4)]},
        headers=api.volunteer(member["id"]),
    )
    record_id = submitted.json()["results"][0]["record_id"]
    own = await api.client.post(
        BATCH, json={"records": [_record(_days_ago(2), 2)]}, headers=api.volunteer(leader["id"])
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
        f"/v1/service-records/{record_id}/confirm", headers=api.volunteer(leader["id"])
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

    me = (await api.client.get("/v1/me", headers=api.volunteer(member["id"]))).json()
    assert me["confirmed_hours"] == 3.0
    assert me["person_times"] == 4


async def test_rejected_records_do_not_count_and_free_their_time(api: Api) -> None:
    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    start = _days_ago(2)
    first = await api.client.post(BATCH, json={"records": [_record(start, 2)]}, headers=me)
    record_id = first.json()["results"][0]["record_id"]
    rejected = await api.client.post(
        f"/v1/service-records/{record_id}/reject",
        json={"reason": "时间填写有误"},
        headers=api.official(CHENGGUAN),
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "时间填写有误"
    corrected = await api.client.post(BATCH, json={"records": [_record(start, 1.5)]}, headers=me)
    assert corrected.json()["accepted"] == 1
    profile = (await api.client.get("/v1/me", headers=me)).json()
    assert profile["confirmed_hours"] == 0
    assert await api.events("cn.canlian.volunteers.service-record.confirmed") == []


async def test_officials_confirm_only_within_their_region(api: Api) -> None:
    volunteer = await api.register_by_station()
    submitted = await api.client.post(
        BATCH, json={"records": [_record(_days_ago(1), 1)]}, headers=api.volunteer(volunteer["id"])
    )
    record_id = submitted.json()["results"][0]["record_id"]
    outside = await api.client.post(
        f"/v1/service-records/{record_id}/confirm", headers=api.official(QILIHE)
    )
    assert outside.status_code == 404
    inside = await api.client.post(
        f"/v1/service-records/{record_id}/confirm", headers=api.official(CHENGGUAN)
    )
    assert inside.status_code == 200


async def test_star_levels_follow_the_nearest_regional_policy(api: Api) -> None:
    official = api.official()
    county = await api.client.put(
        f"/v1/star-policies/{CHENGGUAN}",
        json={"thresholds_hours": [2, 4, 6, 8, 10]},
        headers=official,
    )
    assert county.status_code == 200, county.text
    province = await api.client.put(
        "/v1/star-policies/62", json={"thresholds_hours": [50, 60, 70, 80, 90]}, headers=official
    )
    assert province.status_code == 200
    effective = await api.client.get(f"/v1/star-policies/{CHENGGUAN_VILLAGE}", headers=official)
    assert effective.json()["thresholds_hours"] == [2, 4, 6, 8, 10]
    assert effective.json()["source_division_code"] == CHENGGUAN
    elsewhere = await api.client.get(f"/v1/star-policies/{QILIHE}", headers=official)
    assert elsewhere.json()["source_division_code"] == "620000000000"
    nation = api.official("000000000000")
    default = await api.client.get("/v1/star-policies/330604000000", headers=nation)
    assert default.json()["thresholds_hours"] == [100, 300, 600, 1000, 1500]
    assert default.json()["source_division_code"] is None
    outside = await api.client.get("/v1/star-policies/330604000000", headers=official)
    assert outside.status_code == 404

    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    submitted = await api.client.post(
        BATCH,
        json={"records": [_record(_days_ago(3), 4.5), _record(_days_ago(2), 1)]},
        headers=me,
    )
    first, second = (item["record_id"] for item in submitted.json()["results"])
    await api.client.post(f"/v1/service-records/{first}/confirm", headers=official)
    recognition = (await api.client.get("/v1/me/recognition", headers=me)).json()
    assert recognition["star_level"] == 2
    assert recognition["next_star_level"] == 3
    assert recognition["hours_to_next_star"] == 1.5
    await api.client.post(f"/v1/service-records/{second}/confirm", headers=official)
    assert (await api.client.get("/v1/me", headers=me)).json()["star_level"] == 2

    [reached] = await api.events("cn.canlian.volunteers.volunteer.star-level-reached")
    assert reached.data["star_level"] == 2
    assert reached.data["previous_star_level"] == 0
    assert reached.data["threshold_hours"] == 4
    assert reached.data["policy_division_code"] == CHENGGUAN


async def test_star_thresholds_must_increase(api: Api) -> None:
    response = await api.client.put(
        f"/v1/star-policies/{CHENGGUAN}",
        json={"thresholds_hours": [100, 300, 300, 1000, 1500]},
        headers=api.official(),
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/star-thresholds-not-increasing")
    outside = await api.client.put(
        "/v1/star-policies/33",
        json={"thresholds_hours": [1, 2, 3, 4, 5]},
        headers=api.official(CHENGGUAN),
    )
    assert outside.status_code == 403


async def test_sign_language_training_and_honours_are_recognised(api: Api) -> None:
    volunteer = await api.register_by_station(skills=["sign_language"])
    official = api.official()
    training = await api.client.post(
        f"/v1/volunteers/{volunteer['id']}/trainings",
        json={
            "kind": "sign_language",
            "title": "手语基础培训班",
            "hours": 40,
            "completed_on": "2026-06-30",
        },
        headers=official,
    )
    assert training.status_code == 201, training.text
    honour = await api.client.post(
        f"/v1/volunteers/{volunteer['id']}/honours",
        json={
            "title": "优秀助残志愿者",
            "level": "county",
            "awarded_by": "城关区残联",
            "awarded_on": "2026-10-01",
        },
        headers=official,
    )
    assert honour.status_code == 201
    future = await api.client.post(
        f"/v1/volunteers/{volunteer['id']}/honours",
        json={
            "title": "x荣誉",
            "level": "county",
            "awarded_by": "区残联",
            "awarded_on": "2099-01-01",
        },
        headers=official,
    )
    assert future.status_code == 422
    recognition = (
        await api.client.get("/v1/me/recognition", headers=api.volunteer(volunteer["id"]))
    ).json()
    assert [item["title"] for item in recognition["trainings"]] == ["手语基础培训班"]
    assert [item["title"] for item in recognition["honours"]] == ["优秀助残志愿者"]
    [trained] = await api.events("cn.canlian.volunteers.volunteer.trained")
    assert trained.data["sign_language_trained"] is True
    assert trained.data["training_kind"] == "sign_language"
    trained_list = await api.client.get(
        "/v1/volunteers", params={"sign_language_trained": "true"}, headers=official
    )
    assert [item["id"] for item in trained_list.json()["items"]] == [volunteer["id"]]


async def test_a_client_id_repeated_within_one_batch_counts_once(api: Api) -> None:
    volunteer = await api.register_by_station()
    record = _record(_days_ago(2), 1, client_id="same")
    other = {**record, "person_times": 7}
    result = (
        await api.client.post(
            BATCH, json={"records": [record, record, other]}, headers=api.volunteer(volunteer["id"])
        )
    ).json()
    assert [item["outcome"] for item in result["results"]] == ["accepted", "duplicate", "rejected"]
    assert result["results"][2]["reason"]["code"] == "client-id-reused"
    assert await _record_count(api, volunteer["id"]) == 1


async def test_a_leader_reviews_many_records_at_once(api: Api) -> None:
    _, member, leader = await _team_with_leader(api)
    submitted = await api.client.post(
        BATCH,
        json={"records": [_record(_days_ago(days), 2) for days in (2, 3, 4)]},
        headers=api.volunteer(member["id"]),
    )
    first, second, third = (item["record_id"] for item in submitted.json()["results"])
    own = await api.client.post(
        BATCH, json={"records": [_record(_days_ago(2), 1)]}, headers=api.volunteer(leader["id"])
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


async def test_snapshots_for_reconciliation_state_what_the_events_said(api: Api) -> None:
    _, member, leader = await _team_with_leader(api)
    submitted = await api.client.post(
        BATCH,
        json={"records": [_record(_days_ago(2), 2, person_times=3)]},
        headers=api.volunteer(member["id"]),
    )
    record_id = submitted.json()["results"][0]["record_id"]
    await api.client.post(
        f"/v1/service-records/{record_id}/confirm", headers=api.volunteer(leader["id"])
    )
    [event] = await api.events("cn.canlian.volunteers.service-record.confirmed")

    records = await api.client.get("/v1/service-record-snapshots", headers=api.official())
    assert records.status_code == 200, records.text
    assert records.json()["items"] == [event.data]

    volunteers = await api.client.get(
        "/v1/volunteer-snapshots", params={"within": CHENGGUAN}, headers=api.official()
    )
    by_id = {item["volunteer_id"]: item for item in volunteers.json()["items"]}
    assert by_id[member["id"]]["confirmed_minutes"] == 120
    assert "name" not in by_id[member["id"]]
    elsewhere = await api.client.get(
        "/v1/volunteer-snapshots", params={"within": "330604"}, headers=api.official()
    )
    assert elsewhere.status_code == 403
