"""Needs, matching, accepting and declining, closing."""

from datetime import UTC, datetime, timedelta

import pytest

from canlian.testing.services import if_match
from tests.volunteers.conftest import (
    CHENGGUAN,
    CHENGGUAN_OTHER_VILLAGE,
    CHENGGUAN_TOWNSHIP,
    CHENGGUAN_VILLAGE,
    QILIHE,
    TIANSHUI,
    Api,
)

pytestmark = pytest.mark.postgres

# 2026-12-05 is a Saturday; 02:00 UTC is 10:00 China time, a Saturday morning.
SATURDAY_MORNING = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


async def test_matching_ranks_by_skills_then_availability_then_nearness(api: Api) -> None:
    saturday = [{"weekday": 6, "period": "morning"}]
    sunday = [{"weekday": 7, "period": "morning"}]
    both_skills_near = await api.register_by_station(
        CHENGGUAN_VILLAGE, skills=["sign_language", "transport"], availability=saturday
    )
    both_skills_far = await api.register_by_station(
        QILIHE, skills=["sign_language", "transport"], availability=saturday
    )
    both_skills_busy_day = await api.register_by_station(
        CHENGGUAN_VILLAGE, skills=["sign_language", "transport"], availability=sunday
    )
    one_skill_neighbour = await api.register_by_station(
        CHENGGUAN_OTHER_VILLAGE, skills=["sign_language"], availability=saturday
    )
    no_skill = await api.register_by_station(CHENGGUAN_VILLAGE, skills=["legal_aid"])
    other_city = await api.register_by_station(
        TIANSHUI, skills=["sign_language", "transport"], availability=saturday
    )
    need = await api.create_need(
        kind="sign_language",
        skills=["transport"],
        starts_at=SATURDAY_MORNING,
        ends_at=SATURDAY_MORNING + timedelta(hours=2),
    )
    response = await api.client.get(
        f"/v1/needs/{need['id']}/candidates", headers=api.official(CHENGGUAN)
    )
    assert response.status_code == 200, response.text
    ranked = response.json()["items"]
    assert [item["volunteer_id"] for item in ranked] == [
        both_skills_near["id"],
        both_skills_far["id"],
        both_skills_busy_day["id"],
        one_skill_neighbour["id"],
        no_skill["id"],
    ]
    assert other_city["id"] not in {item["volunteer_id"] for item in ranked}
    first = ranked[0]
    assert (first["skills_matched"], first["skills_required"], first["available"]) == (2, 2, True)
    assert first["nearness"] == 5
    assert ranked[1]["nearness"] == 2  # same city only
    assert ranked[2]["available"] is False
    assert ranked[3]["nearness"] == 4  # same township


async def test_a_volunteer_accepts_a_need_once_and_clashing_needs_are_refused(api: Api) -> None:
    volunteer = await api.register_by_station(skills=["companionship"])
    me = api.volunteer(volunteer["id"])
    need = await api.create_need(volunteers_needed=1)
    listed = await api.client.get("/v1/me/needs", headers=me)
    assert [item["id"] for item in listed.json()["items"]] == [need["id"]]
    assert listed.json()["items"][0]["invited"] is False

    read = await if_match(api.client, f"/v1/me/needs/{need['id']}", me)
    accepted = await api.client.post(f"/v1/me/needs/{need['id']}/accept", headers=read)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    # A retry with the tag it read first changes nothing and is not refused as stale.
    twice = await api.client.post(f"/v1/me/needs/{need['id']}/accept", headers=read)
    assert twice.status_code == 200
    detail = await api.client.get(f"/v1/needs/{need['id']}", headers=api.official())
    assert detail.json()["volunteers_accepted"] == 1
    assert detail.json()["status"] == "matched"

    clash = await api.create_need(
        starts_at=datetime.fromisoformat(need["starts_at"]) + timedelta(hours=1)
    )
    refused = await api.client.post(
        f"/v1/me/needs/{clash['id']}/accept",
        headers=await if_match(api.client, f"/v1/me/needs/{clash['id']}", me),
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/overlapping-need")

    other = await api.register_by_station(skills=["companionship"])
    full = await api.client.post(
        f"/v1/me/needs/{need['id']}/accept",
        headers={**api.volunteer(other["id"]), "If-Match": "*"},
    )
    assert full.status_code == 409
    assert full.json()["type"].endswith("/need-not-open")


async def test_invitations_declines_and_withdrawals(api: Api) -> None:
    invited = await api.register_by_station(QILIHE, skills=["legal_aid"])
    need = await api.create_need(volunteers_needed=2)
    official = api.official(CHENGGUAN)
    local = await api.register_by_station(CHENGGUAN_VILLAGE)
    # An official of Chengguan cannot invite a Qilihe volunteer: outside their scope, and the
    # invitation of the local volunteer in the same request is not written either.
    outside = await api.client.post(
        f"/v1/needs/{need['id']}/invitations",
        json={"volunteer_ids": [local["id"], invited["id"]]},
        headers=official,
    )
    assert outside.status_code == 404
    answers = await api.client.get(f"/v1/needs/{need['id']}/assignments", headers=official)
    assert answers.json() == {"items": []}
    invitation = await api.client.post(
        f"/v1/needs/{need['id']}/invitations",
        json={"volunteer_ids": [invited["id"]]},
        headers=api.official(),
    )
    assert invitation.status_code == 201, invitation.text
    assert [item["volunteer_id"] for item in invitation.json()["items"]] == [invited["id"]]
    me = api.volunteer(invited["id"])
    listed = (await api.client.get("/v1/me/needs", headers=me)).json()["items"]
    assert [(item["id"], item["invited"]) for item in listed] == [(need["id"], True)]

    mine = f"/v1/me/needs/{need['id']}"
    assert (
        await api.client.post(f"{mine}/accept", headers=await if_match(api.client, mine, me))
    ).status_code == 200
    withdrawn = await api.client.post(
        f"{mine}/decline",
        json={"reason": "临时有事"},
        headers=await if_match(api.client, mine, me),
    )
    assert withdrawn.json()["status"] == "declined"
    detail = (await api.client.get(f"/v1/needs/{need['id']}", headers=api.official())).json()
    assert detail["volunteers_accepted"] == 0
    assert detail["status"] == "open"
    nothing = await api.client.post(
        f"{mine}/decline", json={"reason": "再次谢绝"}, headers=await if_match(api.client, mine, me)
    )
    assert nothing.status_code == 409

    stranger = await api.register_by_station(TIANSHUI)
    hidden = await api.client.post(
        f"{mine}/accept", headers={**api.volunteer(stranger["id"]), "If-Match": "*"}
    )
    assert hidden.status_code == 404


async def test_open_needs_without_a_volunteer_and_closing(api: Api) -> None:
    volunteer = await api.register_by_station()
    served = await api.create_need(CHENGGUAN_TOWNSHIP)
    unserved = await api.create_need(CHENGGUAN_VILLAGE)
    await api.client.post(
        f"/v1/me/needs/{served['id']}/accept",
        headers={**api.volunteer(volunteer["id"]), "If-Match": "*"},
    )
    official = api.official(CHENGGUAN)
    waiting = await api.client.get(
        "/v1/needs", params={"without_volunteer": "true"}, headers=official
    )
    assert [item["id"] for item in waiting.json()["items"]] == [unserved["id"]]

    refused = await api.client.post(
        f"/v1/needs/{unserved['id']}/close",
        json={"outcome": "served"},
        headers=await if_match(api.client, f"/v1/needs/{unserved['id']}", official),
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/no-volunteer-served")
    closed = await api.client.post(
        f"/v1/needs/{served['id']}/close",
        json={"outcome": "served"},
        headers=await if_match(api.client, f"/v1/needs/{served['id']}", official),
    )
    assert closed.json()["status"] == "closed"
    cancelled = await api.client.post(
        f"/v1/needs/{unserved['id']}/close",
        json={"outcome": "cancelled"},
        headers=await if_match(api.client, f"/v1/needs/{unserved['id']}", official),
    )
    assert cancelled.json()["status"] == "cancelled"
    again = await api.client.post(
        f"/v1/needs/{served['id']}/close",
        json={"outcome": "served"},
        headers=await if_match(api.client, f"/v1/needs/{served['id']}", official),
    )
    assert again.status_code == 409


async def test_bad_need_times_and_scope(api: Api) -> None:
    start = datetime.now(UTC) + timedelta(days=1)
    body = {
        "division_code": CHENGGUAN_VILLAGE,
        "kind": "transport",
        "title": "出行接送",
        "requested_by": "on_behalf",
        "starts_at": start.isoformat(),
        "ends_at": (start - timedelta(hours=1)).isoformat(),
    }
    backwards = await api.client.post("/v1/needs", json=body, headers=api.official())
    assert backwards.status_code == 422
    assert backwards.json()["type"].endswith("/need-times-invalid")
    naive = await api.client.post(
        "/v1/needs",
        json={**body, "starts_at": "2026-12-01T09:00:00", "ends_at": "2026-12-01T10:00:00"},
        headers=api.official(),
    )
    assert naive.status_code == 422
    far = await api.client.post(
        "/v1/needs",
        json={
            **body,
            "starts_at": "9999-12-31T20:00:00-10:00",
            "ends_at": "9999-12-31T22:00:00-10:00",
        },
        headers=api.official(),
    )
    assert far.status_code == 422
    assert far.json()["type"].endswith("/need-times-invalid")
    outside = await api.client.post(
        "/v1/needs",
        json={**body, "ends_at": (start + timedelta(hours=1)).isoformat()},
        headers=api.official(QILIHE),
    )
    assert outside.status_code == 403
    listed = await api.client.get("/v1/needs", headers=api.official())
    assert listed.json()["items"] == []


async def test_leaving_opens_the_places_the_volunteer_had_accepted(api: Api) -> None:
    volunteer = await api.register_by_station()
    need = await api.create_need()
    me = api.volunteer(volunteer["id"])
    await api.client.post(f"/v1/me/needs/{need['id']}/accept", headers={**me, "If-Match": "*"})
    assert (await api.client.get(f"/v1/needs/{need['id']}", headers=api.official())).json()[
        "status"
    ] == "matched"
    await api.client.post(
        "/v1/me/leave",
        json={"reason": "外出务工"},
        headers=await if_match(api.client, "/v1/me", me),
    )
    detail = (await api.client.get(f"/v1/needs/{need['id']}", headers=api.official())).json()
    assert (detail["status"], detail["volunteers_accepted"]) == ("open", 0)
    assignments = await api.client.get(
        f"/v1/needs/{need['id']}/assignments", headers=api.official()
    )
    assert [item["status"] for item in assignments.json()["items"]] == ["declined"]


async def test_answering_a_need_names_the_version_read(api: Api) -> None:
    volunteer = await api.register_by_station(skills=["companionship"])
    me = api.volunteer(volunteer["id"])
    need = await api.create_need(volunteers_needed=2)
    mine = f"/v1/me/needs/{need['id']}"
    read = await if_match(api.client, mine, me)
    missing = await api.client.post(f"{mine}/accept", headers=me)
    assert missing.status_code == 428, missing.text
    stale = await api.client.post(f"{mine}/accept", headers={**me, "If-Match": '"999"'})
    assert stale.status_code == 412, stale.text
    assert stale.headers["ETag"] == read["If-Match"]
    detail = await api.client.get(f"/v1/needs/{need['id']}", headers=api.official())
    assert detail.json()["volunteers_accepted"] == 0
    accepted = await api.client.post(f"{mine}/accept", headers=read)
    assert accepted.status_code == 200, accepted.text
    declining = {"reason": "临时有事"}
    # The tag read before accepting is stale now: the place taken changed the need.
    stale_decline = await api.client.post(f"{mine}/decline", json=declining, headers=read)
    assert stale_decline.status_code == 412, stale_decline.text
    no_tag = await api.client.post(f"{mine}/decline", json=declining, headers=me)
    assert no_tag.status_code == 428, no_tag.text
    detail = await api.client.get(f"/v1/needs/{need['id']}", headers=api.official())
    assert detail.json()["volunteers_accepted"] == 1
    withdrawn = await api.client.post(
        f"{mine}/decline", json=declining, headers=await if_match(api.client, mine, me)
    )
    assert withdrawn.json()["status"] == "declined"
