"""Recruitment by open examination over HTTP on a real PostgreSQL: an announcement for a street
office's committee members, applicants kept masked, scores, the ranking with the region's
weight and the preference for disabled persons and relatives, selections in rank order that
appoint through the seats policy, and the archive showing how each member was selected."""

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from canlian.common import auth, policy
from canlian.common.settings import PlatformSettings
from canlian.members.archive.models import Member
from canlian.testing.services import bearer, if_match, runtime_of

from ..conftest import (
    COUNTY,
    SeedOrganisation,
    count_rows,
    make_citizen_id,
    member_body,
    outbox_envelopes,
)

pytestmark = pytest.mark.postgres

STREET = "620102001000"  # segment 001-099: a street office, 3-5 committee members (003)
OTHER_COUNTY = "620103000000"
SEATS = policy.SEATS_PER_STREET.name
WEIGHT = policy.RECRUITMENT_WRITTEN_EXAM_WEIGHT.name


@pytest.fixture
def county_admin(postgres_settings: PlatformSettings) -> dict[str, str]:
    return bearer(postgres_settings, roles=[auth.ADMIN], region=COUNTY, subject="county-admin")


def round_body(organisation_id: str, seats: int = 4, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "title": "城关区2025年公开招聘街道残疾人专职委员公告",
        "division_code": COUNTY,
        "announced_on": "2025-03-01",
        "applications_close_on": "2025-03-15",
        "exam_on": "2025-03-29",
        "posts": [{"organisation_id": organisation_id, "post": "committee_member", "seats": seats}],
    }
    body.update(overrides)
    return body


def selection_body() -> dict[str, object]:
    return {
        "contract_start": "2025-04-01",
        "contract_end": "2027-03-31",
        "public_welfare_post": True,
        "monthly_allowance_yuan": "1800.00",
        "social_insurance_subsidy": True,
        "status": "active",
    }


async def set_policy(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, value: int
) -> None:
    url = f"/v1/policies/{name}/regions/{COUNTY}"
    response = await client.put(
        f"{url}/values/2025-01-01",
        json={"value": value, "reason": "城关区残联文件〔2025〕3号"},
        headers=await if_match(client, url, headers),
    )
    assert response.status_code == 200, response.text


async def announce(
    client: httpx.AsyncClient, headers: dict[str, str], organisation_id: str, seats: int = 4
) -> dict[str, Any]:
    response = await client.post(
        "/v1/recruitment-rounds", json=round_body(organisation_id, seats), headers=headers
    )
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/v1/recruitment-rounds/{response.json()['id']}"
    body: dict[str, Any] = response.json()
    return body


async def apply(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    found: dict[str, Any],
    sequence: int,
    relation: str,
    name: str = "李明",
) -> int:
    person = member_body(sequence, name=name, disability_relation=relation)
    if relation != "disabled":
        person.pop("disability_category")
        person.pop("disability_grade")
    for field in ("kind", "division_code"):
        person.pop(field)
    response = await client.post(
        "/v1/recruitment-applicants",
        json={"round_id": found["id"], "offered_post_id": found["posts"][0]["id"], **person},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/v1/recruitment-applicants/{response.json()['id']}"
    applicant_id: int = response.json()["id"]
    return applicant_id


async def score(
    client: httpx.AsyncClient, headers: dict[str, str], applicant_id: int, written: str, oral: str
) -> httpx.Response:
    url = f"/v1/recruitment-applicants/{applicant_id}"
    return await client.put(
        f"{url}/scores",
        json={"written_score": written, "interview_score": oral},
        headers=await if_match(client, url, headers),
    )


async def rank(client: httpx.AsyncClient, headers: dict[str, str], round_id: int) -> httpx.Response:
    url = f"/v1/recruitment-rounds/{round_id}"
    return await client.post(f"{url}/ranking", headers=await if_match(client, url, headers))


async def select_applicant(
    client: httpx.AsyncClient, headers: dict[str, str], applicant_id: int
) -> httpx.Response:
    url = f"/v1/recruitment-applicants/{applicant_id}"
    return await client.post(
        f"{url}/selection", json=selection_body(), headers=await if_match(client, url, headers)
    )


async def test_a_round_ranks_with_the_preference_and_appoints_up_to_the_seats_policy(
    client: httpx.AsyncClient,
    members_app: FastAPI,
    official: dict[str, str],
    county_admin: dict[str, str],
    seed_organisation: SeedOrganisation,
    postgres_settings: PlatformSettings,
) -> None:
    await set_policy(client, county_admin, SEATS, 3)  # the street takes three, the round offers 4
    await seed_organisation("street-fed", division_code=STREET, level=4)
    found = await announce(client, official, "street-fed")
    assert found["status"] == "announced"
    assert found["posts"][0]["seats"] == 4

    # B was in the archive already: the selection keeps that entry.
    known = await client.post(
        "/v1/members",
        json=member_body(62, division_code=STREET, disability_relation="disabled"),
        headers=official,
    )
    assert known.status_code == 201, known.text
    a = await apply(client, official, found, 61, "none", name="赵一")  # 80/70 -> 75
    b = await apply(client, official, found, 62, "disabled", name="钱二")  # 70/80 -> 75
    c = await apply(client, official, found, 63, "relative", name="孙三")  # 90/90 -> 90
    d = await apply(client, official, found, 64, "none", name="李四")  # 85/85 -> 85
    e = await apply(client, official, found, 65, "none", name="周五")  # never scored
    for applicant, written, oral in ((a, "80", "70"), (b, "70", "80"), (c, "90", "90")):
        assert (await score(client, official, applicant, written, oral)).status_code == 200
    assert (await score(client, official, d, "85", "85")).status_code == 200

    shown = (await client.get(f"/v1/recruitment-applicants/{a}", headers=official)).json()
    assert shown["name"] != "赵一"
    assert "赵" in shown["name"]
    assert shown["citizen_id"] != make_citizen_id(61)

    early = await select_applicant(client, official, c)
    assert early.status_code == 409
    assert early.json()["type"].endswith("/round-not-ranked")

    ranked = await rank(client, official, found["id"])
    assert ranked.status_code == 200, ranked.text
    assert ranked.json()["written_exam_weight"] == "50.00"  # no regional value: the seed's 50
    assert ranked.json()["ranking_rule"] == "combined_then_disabled_or_relative"
    ranking = (
        await client.get(f"/v1/recruitment-rounds/{found['id']}/ranking", headers=official)
    ).json()["items"]
    assert [(item["id"], item["rank"], item["combined_score"]) for item in ranking] == [
        (c, 1, "90.00"),
        (d, 2, "85.00"),
        (b, 3, "75.00"),
        (a, 4, "75.00"),
    ]
    assert [item["preference_applied"] for item in ranking] == [False, False, True, False]
    unranked = (await client.get(f"/v1/recruitment-applicants/{e}", headers=official)).json()
    assert unranked["rank"] is None

    # 择优录取: in rank order only.
    skipped = await select_applicant(client, official, a)
    assert skipped.status_code == 409
    assert skipped.json()["type"].endswith("/higher-ranked-waiting")
    assert skipped.json()["waiting_applicant_id"] == c  # the best still waiting
    assert (
        (await select_applicant(client, official, e))
        .json()["type"]
        .endswith("/applicant-not-ranked")
    )

    appointments: dict[int, dict[str, Any]] = {}
    for applicant in (c, d, b):
        chosen = await select_applicant(client, official, applicant)
        assert chosen.status_code == 201, chosen.text
        selected = chosen.json()
        assert chosen.headers["Location"] == f"/v1/appointments/{selected['appointment_id']}"
        assert selected["selection_method"] == "open_examination"
        appointment = await client.get(chosen.headers["Location"], headers=official)
        assert appointment.json()["selection_method"] == "open_examination"
        assert appointment.json()["recruitment_round_id"] == found["id"]
        assert appointment.json()["organisation_id"] == "street-fed"
        appointments[applicant] = selected
    assert appointments[b]["member_id"] == known.json()["id"]
    assert appointments[b]["preference_applied"] is True

    # The round offers a fourth place, the region's policy allows three seats: 409 naming it.
    members_before = await count_rows(members_app, Member)
    fourth = await select_applicant(client, official, a)
    assert fourth.status_code == 409, fourth.text
    assert fourth.json()["type"].endswith("/seats-filled")
    assert fourth.json()["policy"] == SEATS
    assert fourth.json()["policy_value"] == 3
    assert await count_rows(members_app, Member) == members_before
    still = (await client.get(f"/v1/recruitment-applicants/{a}", headers=official)).json()
    assert still["status"] == "applied"
    assert still["appointment_id"] is None
    after = (await client.get(f"/v1/recruitment-rounds/{found['id']}", headers=official)).json()
    assert after["posts"][0]["selected"] == 3

    # The archive shows how the member came to the post.
    entry = await client.get(f"/v1/members/{appointments[c]['member_id']}", headers=official)
    assert entry.status_code == 200
    assert entry.json()["selections"] == [
        {
            "appointment_id": appointments[c]["appointment_id"],
            "organisation_id": "street-fed",
            "post": "committee_member",
            "selection_method": "open_examination",
            "recruitment_round_id": found["id"],
            "contract_start": "2025-04-01",
            "status": "active",
        }
    ]
    assert entry.json()["name"] != "孙三"

    # The ranking is fixed once selections are made.
    again = await rank(client, official, found["id"])
    assert again.status_code == 409
    assert again.json()["type"].endswith("/round-has-selections")

    envelopes = await outbox_envelopes(members_app)
    types = [envelope["type"] for envelope in envelopes]
    assert types.count("cn.canlian.members.recruitment-round.announced") == 1
    assert types.count("cn.canlian.members.recruitment-applicant.scored") == 4
    assert types.count("cn.canlian.members.recruitment-round.ranked") == 1
    selected_events = [
        envelope["data"]
        for envelope in envelopes
        if envelope["type"] == "cn.canlian.members.recruitment-applicant.selected"
    ]
    assert [(event["applicant_id"], event["rank"]) for event in selected_events] == [
        (str(c), 1),
        (str(d), 2),
        (str(b), 3),
    ]
    recruitment = [
        json.dumps(envelope, ensure_ascii=False)
        for envelope in envelopes
        if "recruitment" in envelope["type"]
    ]
    for name, sequence in (("赵一", 61), ("钱二", 62), ("孙三", 63)):
        assert not any(name in text or make_citizen_id(sequence) in text for text in recruitment)

    # Unmasked only with the scope and a reason, and audited.
    denied = await client.get(f"/v1/recruitment-applicants/{a}/personal-data", headers=official)
    assert denied.status_code == 403
    auditor = bearer(
        postgres_settings, region=COUNTY, scopes=[auth.PERSONAL_DATA_READ], subject="auditor"
    )
    revealed = await client.get(
        f"/v1/recruitment-applicants/{a}/personal-data",
        headers={**auditor, "X-Access-Reason": quote("核对报名材料")},
    )
    assert revealed.status_code == 200, revealed.text
    assert revealed.json()["name"] == "赵一"
    assert revealed.json()["citizen_id"] == make_citizen_id(61)
    runtime = runtime_of(members_app)
    async with runtime.database.session() as session:
        rows = (
            await session.execute(
                select(
                    runtime.tables.audit_log.c.actor,
                    runtime.tables.audit_log.c.object_type,
                    runtime.tables.audit_log.c.reason,
                )
            )
        ).all()
    assert ("auditor", "recruitment_applicant", "核对报名材料") in [tuple(row) for row in rows]


async def test_the_regional_weight_decides_the_combined_score(
    client: httpx.AsyncClient,
    official: dict[str, str],
    county_admin: dict[str, str],
    seed_organisation: SeedOrganisation,
) -> None:
    await seed_organisation("street-w", division_code=STREET, level=4)
    await set_policy(client, county_admin, WEIGHT, 20)
    found = await announce(client, official, "street-w", seats=1)
    strong_exam = await apply(client, official, found, 71, "none")
    strong_interview = await apply(client, official, found, 72, "none")
    assert (await score(client, official, strong_exam, "90", "60")).status_code == 200
    assert (await score(client, official, strong_interview, "60", "85")).status_code == 200
    ranked = await rank(client, official, found["id"])
    assert ranked.status_code == 200, ranked.text
    assert ranked.json()["written_exam_weight"] == "20.00"
    ranking = (
        await client.get(f"/v1/recruitment-rounds/{found['id']}/ranking", headers=official)
    ).json()["items"]
    # 60×0.2 + 85×0.8 = 80 beats 90×0.2 + 60×0.8 = 66.
    assert [(item["id"], item["combined_score"]) for item in ranking] == [
        (strong_interview, "80.00"),
        (strong_exam, "66.00"),
    ]
    late = await score(client, official, strong_exam, "95", "95")
    assert late.status_code == 409
    assert late.json()["type"].endswith("/round-already-ranked")


async def test_bad_inputs_other_regions_and_stale_writes_are_refused(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
    postgres_settings: PlatformSettings,
) -> None:
    await seed_organisation("street-x", division_code=STREET, level=4)
    await seed_organisation("county-fed", division_code=COUNTY, level=3)
    en = {**official, "Accept-Language": "en"}
    disordered = await client.post(
        "/v1/recruitment-rounds",
        json=round_body("street-x", exam_on="2025-03-10"),
        headers=en,
    )
    assert disordered.status_code == 422
    assert disordered.json()["type"].endswith("/recruitment-dates-out-of-order")
    assert "applications close" in disordered.json()["detail"]
    not_a_post = await client.post(
        "/v1/recruitment-rounds", json=round_body("county-fed"), headers=official
    )
    assert not_a_post.status_code == 422
    assert not_a_post.json()["type"].endswith("/post-not-recruited")
    twice = round_body("street-x")
    twice["posts"] = [twice["posts"][0], twice["posts"][0]]  # type: ignore[index]
    assert (
        (await client.post("/v1/recruitment-rounds", json=twice, headers=official))
        .json()["type"]
        .endswith("/post-offered-twice")
    )
    for bad in (
        round_body("street-x", title=""),
        round_body("street-x", posts=[]),
        round_body("street-x", seats=0),
        round_body("street-x", division_code="999999999999"),
        {**round_body("street-x"), "surplus": 1},
    ):
        assert (
            await client.post("/v1/recruitment-rounds", json=bad, headers=official)
        ).status_code == 422, bad

    found = await announce(client, official, "street-x")
    applicant = await apply(client, official, found, 81, "disabled")
    again = await client.post(
        "/v1/recruitment-applicants",
        json={
            "round_id": found["id"],
            "offered_post_id": found["posts"][0]["id"],
            "name": "王五",
            "citizen_id": make_citizen_id(81),
            "disability_relation": "none",
        },
        headers=official,
    )
    assert again.status_code == 409
    assert again.json()["applicant_id"] == applicant
    unknown_post = await client.post(
        "/v1/recruitment-applicants",
        json={
            "round_id": found["id"],
            "offered_post_id": str(int(found["posts"][0]["id"]) + 1000),
            "name": "王五",
            "citizen_id": make_citizen_id(82),
            "disability_relation": "none",
        },
        headers=official,
    )
    assert unknown_post.status_code == 422
    assert unknown_post.json()["type"].endswith("/offered-post-unknown")
    no_category = await client.post(
        "/v1/recruitment-applicants",
        json={
            "round_id": found["id"],
            "offered_post_id": found["posts"][0]["id"],
            "name": "王五",
            "citizen_id": make_citizen_id(83),
            "disability_relation": "disabled",
        },
        headers=official,
    )
    assert no_category.status_code == 422

    for written, oral in (("101", "50"), ("-1", "50"), ("50", "100.5"), ("50", "abc")):
        refused = await score(client, official, applicant, written, oral)
        assert refused.status_code == 422, (written, oral)
    url = f"/v1/recruitment-applicants/{applicant}"
    scores = {"written_score": "80", "interview_score": "80"}
    missing = await client.put(f"{url}/scores", json=scores, headers=official)
    assert missing.status_code == 428
    stale = await client.put(f"{url}/scores", json=scores, headers={**official, "If-Match": '"9"'})
    assert stale.status_code == 412
    assert (await score(client, official, applicant, "100", "0")).status_code == 200

    elsewhere = bearer(postgres_settings, region=OTHER_COUNTY, subject="other-clerk")
    for path in (f"/v1/recruitment-rounds/{found['id']}", url, f"{url}/personal-data"):
        response = await client.get(path, headers=elsewhere)
        assert response.status_code in (403, 404), path
    assert (await client.get("/v1/recruitment-applicants", headers=elsewhere)).json()["items"] == []
    outside = await client.get(
        "/v1/recruitment-rounds", params={"region": COUNTY}, headers=elsewhere
    )
    assert outside.status_code == 403
    foreign_round = await client.post(
        "/v1/recruitment-rounds",
        json=round_body("street-x", division_code=OTHER_COUNTY),
        headers=official,
    )
    assert foreign_round.status_code == 403


async def test_a_withdrawn_applicant_makes_way_for_the_next_in_rank_order(
    client: httpx.AsyncClient,
    official: dict[str, str],
    seed_organisation: SeedOrganisation,
) -> None:
    await seed_organisation("street-y", division_code=STREET, level=4)
    found = await announce(client, official, "street-y", seats=1)
    first = await apply(client, official, found, 91, "none")
    second = await apply(client, official, found, 92, "relative")
    assert (await score(client, official, first, "90", "90")).status_code == 200
    assert (await score(client, official, second, "80", "80")).status_code == 200
    assert (await rank(client, official, found["id"])).status_code == 200
    waiting = await select_applicant(client, official, second)
    assert waiting.json()["type"].endswith("/higher-ranked-waiting")

    url = f"/v1/recruitment-applicants/{first}"
    withdrawn = await client.post(
        f"{url}/withdrawal",
        json={"reason": "本人放弃"},
        headers=await if_match(client, url, official),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    refused = await select_applicant(client, official, first)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/applicant-withdrawn")
    chosen = await select_applicant(client, official, second)
    assert chosen.status_code == 201, chosen.text
    assert chosen.json()["rank"] == 2
    # A reason is required text (2 to 500 characters).
    again = await client.post(
        f"{url}/withdrawal",
        json={"reason": "x"},
        headers=await if_match(client, url, official),
    )
    assert again.status_code == 422
