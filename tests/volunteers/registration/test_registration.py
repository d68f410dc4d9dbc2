"""Registration from the app and by a station, profile, scope and masking."""

import uuid

import pytest
from sqlalchemy import func, select

from canlian.testing.services import if_match, runtime_of
from canlian.volunteers.volunteers.models import Volunteer
from tests.volunteers.conftest import (
    CHENGGUAN,
    CHENGGUAN_VILLAGE,
    QILIHE,
    Api,
    fresh_phone,
)

pytestmark = pytest.mark.postgres


def _self_body(**fields: object) -> dict[str, object]:
    return {
        "name": "李秀英",
        "phone": fresh_phone(),
        "citizen_id": "11010519491231002X",
        "division_code": CHENGGUAN_VILLAGE,
        "skills": ["sign_language", "companionship"],
        "availability": [{"weekday": 6, "period": "morning"}],
        **fields,
    }


async def _count(api: Api) -> int:
    async with runtime_of(api.app).database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Volunteer)) or 0)


async def test_self_registration_uses_the_token_subject_and_masks_personal_data(api: Api) -> None:
    subject = str(uuid.uuid4())
    body = _self_body()
    response = await api.client.post(
        "/v1/me/registration", json=body, headers=api.volunteer(subject)
    )
    assert response.status_code == 201, response.text
    profile = response.json()
    assert profile["id"] == subject
    assert profile["channel"] == "self"
    assert profile["name"] == "李**"
    assert profile["phone"] == str(body["phone"])[:3] + "****" + str(body["phone"])[-4:]
    assert profile["citizen_id"] == "11****************"
    assert profile["skills"] == ["companionship", "sign_language"]
    assert profile["availability"] == [{"weekday": 6, "period": "morning"}]
    assert profile["star_level"] == 0

    me = await api.client.get("/v1/me", headers=api.volunteer(subject))
    assert me.json() == profile

    [event] = await api.events("cn.canlian.volunteers.volunteer.registered")
    data = event.data
    assert data["volunteer_id"] == subject
    assert data["division_code"] == CHENGGUAN_VILLAGE
    assert data["sign_language"] is True
    assert data["version"] == 1
    text = event.model_dump_json()
    for secret in ("李秀英", str(body["phone"]), "002X"):
        assert secret not in text


async def test_registering_twice_or_with_a_taken_phone_is_a_conflict(api: Api) -> None:
    subject = str(uuid.uuid4())
    body = _self_body()
    first = await api.client.post("/v1/me/registration", json=body, headers=api.volunteer(subject))
    assert first.status_code == 201
    again = await api.client.post(
        "/v1/me/registration", json=_self_body(citizen_id=None), headers=api.volunteer(subject)
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/volunteer-already-registered")
    other = await api.client.post(
        "/v1/me/registration",
        json=_self_body(phone=body["phone"], citizen_id=None),
        headers=api.volunteer(str(uuid.uuid4())),
    )
    assert other.status_code == 409
    assert other.json()["type"].endswith("/phone-already-registered")
    assert await _count(api) == 1


async def test_idempotent_retry_of_a_registration_replays_the_response(api: Api) -> None:
    subject = str(uuid.uuid4())
    headers = {**api.volunteer(subject), "Idempotency-Key": str(uuid.uuid4())}
    body = _self_body()
    first = await api.client.post("/v1/me/registration", json=body, headers=headers)
    second = await api.client.post("/v1/me/registration", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    assert await _count(api) == 1


async def test_unknown_skill_and_bad_phone_are_explained_and_nothing_is_written(api: Api) -> None:
    response = await api.client.post(
        "/v1/me/registration",
        json=_self_body(skills=["juggling"], phone="12345"),
        headers={**api.volunteer(str(uuid.uuid4())), "Accept-Language": "en"},
    )
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert "sign_language" in errors["body.skills.0"]
    assert "mobile number" in errors["body.phone"]
    assert await _count(api) == 0


async def test_repeated_skills_are_refused(api: Api) -> None:
    response = await api.client.post(
        "/v1/me/registration",
        json=_self_body(skills=["legal_aid", "legal_aid"]),
        headers=api.volunteer(str(uuid.uuid4())),
    )
    assert response.status_code == 422
    assert "重复" in response.json()["detail"]


async def test_an_official_cannot_register_outside_the_region(api: Api) -> None:
    response = await api.client.post(
        "/v1/volunteers",
        json=_self_body(division_code="330604000000"),
        headers=api.official(CHENGGUAN),
    )
    assert response.status_code == 403
    assert await _count(api) == 0


async def test_a_volunteer_sees_only_themselves_and_officials_only_their_region(api: Api) -> None:
    volunteer = await api.register_by_station()
    other = await api.register_by_station()
    # No endpoint takes another volunteer's id with a volunteer token.
    response = await api.client.get(
        f"/v1/volunteers/{other['id']}", headers=api.volunteer(volunteer["id"])
    )
    assert response.status_code == 403
    assert (
        await api.client.get("/v1/volunteers", headers=api.volunteer(volunteer["id"]))
    ).status_code == 403
    outside = await api.client.get(
        f"/v1/volunteers/{volunteer['id']}", headers=api.official(QILIHE)
    )
    assert outside.status_code == 404
    inside = await api.client.get(
        f"/v1/volunteers/{volunteer['id']}", headers=api.official(CHENGGUAN)
    )
    assert inside.status_code == 200
    unregistered = await api.client.get("/v1/me", headers=api.volunteer(str(uuid.uuid4())))
    assert unregistered.status_code == 404
    assert unregistered.json()["type"].endswith("/volunteer-not-registered")


async def test_profile_changes_and_leaving_emit_state_carrying_events(api: Api) -> None:
    volunteer = await api.register_by_station()
    me = api.volunteer(volunteer["id"])
    changed = await api.client.patch(
        "/v1/me",
        json={"skills": ["sign_language", "transport"]},
        headers=await if_match(api.client, "/v1/me", me),
    )
    assert changed.status_code == 200
    assert changed.json()["skills"] == ["sign_language", "transport"]
    assert changed.json()["version"] == 2
    empty = await api.client.patch(
        "/v1/me", json={}, headers=await if_match(api.client, "/v1/me", me)
    )
    assert empty.status_code == 422
    left = await api.client.post(
        "/v1/me/leave",
        json={"reason": "工作调动"},
        headers=await if_match(api.client, "/v1/me", me),
    )
    assert left.json()["status"] == "left"
    [changed_event] = await api.events("cn.canlian.volunteers.volunteer.changed")
    [left_event] = await api.events("cn.canlian.volunteers.volunteer.left")
    assert changed_event.data["skills"] == ["sign_language", "transport"]
    assert left_event.data["status"] == "left"
    assert left_event.data["version"] == 3
    again = await api.client.patch(
        "/v1/me", json={"skills": []}, headers=await if_match(api.client, "/v1/me", me)
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/volunteer-has-left")
    back = await api.client.post("/v1/me/rejoin", headers=await if_match(api.client, "/v1/me", me))
    assert back.json()["status"] == "active"
    assert back.json()["left_on"] is None
    twice = await api.client.post(
        f"/v1/volunteers/{volunteer['id']}/rejoin",
        headers=await if_match(api.client, f"/v1/volunteers/{volunteer['id']}", api.official()),
    )
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("/volunteer-not-left")


async def test_unmasked_contact_needs_the_scope_and_a_reason_and_is_audited(api: Api) -> None:
    volunteer = await api.register_by_station(phone="13912345678")
    path = f"/v1/volunteers/{volunteer['id']}/contact"
    assert (await api.client.get(path, headers=api.official())).status_code == 403
    allowed = api.official(scopes=["personal-data:read"])
    assert (await api.client.get(path, headers=allowed)).status_code == 422
    response = await api.client.get(
        path, headers={**allowed, "X-Access-Reason": "arrange a service visit"}
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "13912345678"
    assert response.json()["name"] == "王小明"
    runtime = runtime_of(api.app)
    async with runtime.database.session() as session:
        audited = await session.scalar(
            select(func.count())
            .select_from(runtime.tables.audit_log)
            .where(runtime.tables.audit_log.c.object_id == volunteer["id"])
        )
    assert audited == 1


async def test_official_lists_volunteers_by_skill_in_a_region(api: Api) -> None:
    signer = await api.register_by_station(skills=["sign_language"])
    await api.register_by_station(skills=["transport"])
    await api.register_by_station(QILIHE + "", skills=["sign_language"])
    page = await api.client.get(
        "/v1/volunteers",
        params={"division": CHENGGUAN, "skill": "sign_language"},
        headers=api.official(),
    )
    assert page.status_code == 200
    assert [item["id"] for item in page.json()["items"]] == [signer["id"]]
    assert page.json()["items"][0]["name"] == "王**"


async def test_a_volunteer_must_live_within_the_team_division(api: Api) -> None:
    team_id = await api.create_team(CHENGGUAN)
    response = await api.client.post(
        "/v1/volunteers",
        json=_self_body(division_code=QILIHE, team_id=team_id, citizen_id=None),
        headers=api.official(),
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/outside-division")
    assert await _count(api) == 0


async def test_control_characters_and_malformed_ids_are_refused_not_500(api: Api) -> None:
    official = api.official()
    name = await api.client.post(
        "/v1/volunteers", json=_self_body(name="王\x00明"), headers=official
    )
    assert name.status_code == 422
    assert "控制字符" in name.json()["detail"]
    path = await api.client.get("/v1/volunteers/abc%00def", headers=official)
    assert path.status_code == 422
    reviews = await api.client.post(
        "/v1/service-records/reviews",
        json={"decisions": [{"record_id": ":\x00", "decision": "confirm"}]},
        headers=official,
    )
    assert reviews.status_code == 422
    assert await _count(api) == 0
