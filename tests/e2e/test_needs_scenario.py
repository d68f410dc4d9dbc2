"""Issue 15's whole chain across services, each a uvicorn process on real PostgreSQL and Kafka:
a village committee member appointed in the members service (the needs service knows them
from the members' events) visits a household with two disabled card holders (cards service)
and finds two needs; one takes a place at the township's 残疾人之家 and is closed by an
official, the other is served by a volunteer in the volunteers service and closes back in the
needs service; the household rates both, and the county's indicators in the metrics service
show the visit, the needs closed in time, the satisfaction and the household files. An overdue
petition escalates. The bad inputs on the way (each also tested in tests/needs) are refused
on the running platform too."""

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from canlian.common import auth
from canlian.common.business_day import china_today
from canlian.testing.workloads import CardFlows, citizen_id

from ..faults.rig import FaultRig
from .steps import eventually, ok, with_etag
from .test_platform_flow import load_gansu_divisions

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

GANSU = "620000000000"
COUNTY = "620102000000"  # 城关区, the rig's official's county
TOWNSHIP = "620102003000"  # 雁南街道
VILLAGE = "620102003004"  # 沙洼河社区, the committee member's area
OTHER_VILLAGE = "620102003005"  # 张苏滩社区, same township, outside the member's area
INDICATORS_WAIT_SECONDS = 30.0


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[FaultRig]:
    rig = FaultRig(
        tmp_path,
        services=("org-registry", "members", "cards", "needs", "volunteers", "metrics"),
    )
    try:
        rig.start()
        load_gansu_divisions(rig)
        yield rig
    finally:
        rig.stop()


async def _step(
    client: httpx.AsyncClient, headers: dict[str, str], need_url: str, step: str, body: object
) -> httpx.Response:
    return await client.post(
        f"{need_url}/{step}", json=body, headers=await with_etag(client, need_url, headers)
    )


async def _committee_member(client: httpx.AsyncClient, urls: dict[str, str]) -> tuple[str, str]:
    """A village association in the registry, a committee member appointed to it in the
    members service; the needs service learns the member's area from the members' events."""
    association = await ok(
        await client.post(
            f"{urls['org-registry']}/v1/organisations",
            json={"name": "沙洼河社区残疾人协会", "kind": "association", "division_code": VILLAGE},
        ),
        201,
    )

    async def known() -> bool:
        listed = await client.get(f"{urls['members']}/v1/organisations")
        return association["id"] in listed.text

    await eventually(known, "the members service learning of the association")
    member = await ok(
        await client.post(
            f"{urls['members']}/v1/members",
            json={
                "kind": "committee_member",
                "division_code": VILLAGE,
                "name": "李秀英",
                "citizen_id": citizen_id(5151),
                "disability_relation": "disabled",
                "disability_category": 2,
                "disability_grade": 3,
                "education": "60",
            },
        ),
        201,
    )
    appointment = await ok(
        await client.post(
            f"{urls['members']}/v1/members/{member['id']}/appointments",
            json={
                "organisation_id": association["id"],
                "post": "committee_member",
                "selection_method": "open_examination",
                "contract_start": "2025-01-01",
                "contract_end": "2027-12-31",
                "public_welfare_post": True,
                "monthly_allowance_yuan": "1200.00",
                "social_insurance_subsidy": True,
                "status": "active",
            },
        ),
        201,
    )
    member_id = str(member["id"])

    async def area() -> list[str] | None:
        read = await client.get(f"{urls['needs']}/v1/committee-members/{member_id}/area")
        return list(read.json()["served_divisions"]) if read.status_code == 200 else None

    assert await eventually(area, "the needs service learning of the member") == [VILLAGE]
    return member_id, str(appointment["id"])


async def _card_holders(client: httpx.AsyncClient, cards_url: str) -> list[str]:
    """Two card holders of the village, issued through the cards service; their person ids."""
    flows = CardFlows(httpx.AsyncClient(base_url=cards_url, headers=client.headers, timeout=30))
    flows.county, flows.village = COUNTY, VILLAGE
    try:
        card_ids = [await flows.issue(n) for n in (801, 802)]
    finally:
        await flows.client.aclose()
    holders = []
    for card_id in card_ids:
        card = await ok(await client.get(f"{cards_url}/v1/cards/{card_id}"))
        holders.append(str(card["person_id"]))
    return holders


async def _county_indicators(client: httpx.AsyncClient, metrics_url: str) -> dict[str, Any]:
    read = await ok(await client.get(f"{metrics_url}/v1/regions/{COUNTY}/indicators"))
    return {item["indicator"]: item for item in read["indicators"]}


async def test_a_visit_finds_two_needs_both_met_in_time_and_the_county_sees_it(
    platform: FaultRig,
) -> None:
    official = platform.official()
    urls = {name: service.url for name, service in platform.services.items()}
    needs_url = urls["needs"]
    async with httpx.AsyncClient(headers=official, timeout=30) as client:
        member_id, appointment_id = await _committee_member(client, urls)
        holders = await _card_holders(client, urls["cards"])

        household = await ok(
            await client.post(
                f"{needs_url}/v1/households",
                json={
                    "division_code": VILLAGE,
                    "address": "甘肃省兰州市城关区雁南街道沙洼河社区8号",
                    "flags": ["multiple_disabled"],
                    "members": [
                        {"name": "王德明", "relation": "head"},
                        {
                            "name": "王一",
                            "relation": "child",
                            "disabled": True,
                            "person_id": holders[0],
                        },
                        {
                            "name": "王二",
                            "relation": "child",
                            "disabled": True,
                            "person_id": holders[1],
                        },
                    ],
                },
            ),
            201,
        )
        assert household["flags"] == ["multiple_disabled"]
        assert household["next_visit_due"] is not None
        outside = await ok(
            await client.post(
                f"{needs_url}/v1/households",
                json={
                    "division_code": OTHER_VILLAGE,
                    "address": "甘肃省兰州市城关区雁南街道张苏滩社区3号",
                    "flags": [],
                    "members": [{"name": "赵六", "relation": "head", "disabled": True}],
                },
            ),
            201,
        )

        # The member may not visit outside their area.
        today = china_today().isoformat()
        refused = await client.post(
            f"{needs_url}/v1/visits",
            json={
                "member_id": member_id,
                "client_id": "visit-outside",
                "household_id": outside["id"],
                "visited_on": today,
                "met": "赵六",
                "findings": "入户了解情况",
            },
        )
        assert refused.status_code == 403, refused.text

        # The visit, recorded offline and uploaded twice: accepted exactly once.
        batch: dict[str, Any] = {
            "member_id": member_id,
            "visits": [
                {
                    "client_id": "tablet-7:visit-1",
                    "household_id": household["id"],
                    "visited_on": today,
                    "met": "王德明",
                    "findings": "两名残疾子女,一人需日间照料,一人需法律咨询",
                    "needs": [
                        {"category": "care", "description": "王一需要日间照料"},
                        {"category": "legal_aid", "description": "王二需要法律咨询"},
                    ],
                }
            ],
        }
        first = await ok(await client.post(f"{needs_url}/v1/visits/batch", json=batch))
        assert (first["accepted"], first["duplicates"]) == (1, 0), first
        again = await ok(await client.post(f"{needs_url}/v1/visits/batch", json=batch))
        assert (again["accepted"], again["duplicates"]) == (0, 1), again
        assert again["results"][0]["visit_id"] == first["results"][0]["visit_id"]
        visit = await ok(
            await client.get(f"{needs_url}/v1/visits/{first['results'][0]['visit_id']}")
        )
        assert visit["on_schedule"] is True
        listed = await ok(
            await client.get(f"{needs_url}/v1/visits", params={"household_id": household["id"]})
        )
        assert len(listed["items"]) == 1
        found = {}
        for need_id in visit["need_ids"]:
            need = await ok(await client.get(f"{needs_url}/v1/needs/{need_id}"))
            found[need["category"]] = need
        assert sorted(found) == ["care", "legal_aid"]
        care_url = f"{needs_url}/v1/needs/{found['care']['id']}"
        legal_url = f"{needs_url}/v1/needs/{found['legal_aid']['id']}"

        # The first need takes the township 残疾人之家's one place.
        home = await ok(
            await client.post(
                f"{needs_url}/v1/platforms",
                json={
                    "name": "雁南街道残疾人之家",
                    "kind": "home_of_disabled",
                    "division_code": TOWNSHIP,
                    "services": ["day_care", "community_rehabilitation"],
                    "capacity": 1,
                    "staff": 2,
                },
            ),
            201,
        )
        await ok(
            await _step(client, official, care_url, "assessment", {"assessment": "需日间照料"})
        )
        referral = {"target": "platform", "platform_id": home["id"]}
        await ok(await _step(client, official, care_url, "referral", referral))
        taken = await ok(await client.get(f"{needs_url}/v1/platforms/{home['id']}"))
        assert (taken["occupied"], taken["free"]) == (1, 0)

        # No free place for another household's need: 409 naming the capacity.
        other = await ok(
            await client.post(
                f"{needs_url}/v1/needs",
                json={
                    "household_id": outside["id"],
                    "category": "care",
                    "channel": "walk_in",
                    "description": "赵六需要日间照料",
                },
            ),
            201,
        )
        other_url = f"{needs_url}/v1/needs/{other['id']}"
        await ok(await _step(client, official, other_url, "assessment", {"assessment": "需照料"}))
        full = await _step(client, official, other_url, "referral", referral)
        assert full.status_code == 409, full.text
        assert full.json()["type"].endswith("/platform-full")
        assert "1 个名额" in full.json()["detail"]

        # The second need goes to the volunteers and is served there.
        await ok(
            await _step(client, official, legal_url, "assessment", {"assessment": "需法律咨询"})
        )
        await ok(await _step(client, official, legal_url, "referral", {"target": "volunteers"}))
        await _served_by_a_volunteer(client, platform, urls["volunteers"], found["legal_aid"]["id"])

        async def closed_by_volunteers() -> dict[str, Any] | None:
            read = await ok(await client.get(legal_url))
            return read if read["status"] == "closed" else None

        legal = await eventually(closed_by_volunteers, "the volunteers' closing in needs")
        assert legal["closed_within_deadline"] is True

        # The first is closed by the official: never without an outcome.
        no_outcome = await _step(client, official, care_url, "close", {})
        assert no_outcome.status_code == 422, no_outcome.text
        care = await ok(
            await _step(client, official, care_url, "close", {"outcome": "已入托残疾人之家"})
        )
        assert care["closed_within_deadline"] is True
        freed = await ok(await client.get(f"{needs_url}/v1/platforms/{home['id']}"))
        assert freed["occupied"] == 0

        # The household rates both.
        for url, rating in ((care_url, "satisfied"), (legal_url, "basically_satisfied")):
            rated = await ok(
                await _step(client, official, url, "satisfaction", {"satisfaction": rating})
            )
            assert rated["satisfaction"] == rating

        # The county's indicators show it, through the events alone.
        started = time.monotonic()
        expected = {
            "household-visits-on-schedule": (1, 1),
            "needs-closed-in-time": (2, 2),
            "need-satisfaction-rate": (2, 2),
            "household-file-rate": (2, 2),
        }

        async def shown() -> dict[str, Any] | None:
            values = await _county_indicators(client, urls["metrics"])
            seen = {
                code: (values[code]["numerator"], values[code]["denominator"]) for code in expected
            }
            return values if seen == expected else None

        try:
            values = await eventually(shown, "the county's indicators", INDICATORS_WAIT_SECONDS)
        except AssertionError:
            values = await _county_indicators(client, urls["metrics"])
            raise AssertionError(
                {
                    code: (values[code]["numerator"], values[code]["denominator"])
                    for code in expected
                }
            ) from None
        print(f"needs indicators at the county after {time.monotonic() - started:.1f} s")
        for code in expected:
            assert values[code]["value"] == 100.0, values[code]

        # Petitions: never dated tomorrow; one received 20 days ago is overdue and escalates.
        tomorrow = (china_today() + timedelta(days=1)).isoformat()
        petition = {
            "household_id": outside["id"],
            "category": "legal_aid",
            "channel": "petition",
            "description": "赵六网上信访反映低保问题",
        }
        future = await client.post(
            f"{needs_url}/v1/needs", json={**petition, "petition": {"received_on": tomorrow}}
        )
        assert future.status_code == 422, future.text
        received = (china_today() - timedelta(days=20)).isoformat()
        overdue = await ok(
            await client.post(
                f"{needs_url}/v1/needs", json={**petition, "petition": {"received_on": received}}
            ),
            201,
        )
        assert overdue["handling_division"] == TOWNSHIP
        escalated = await ok(await client.post(f"{needs_url}/v1/needs/escalations"))
        assert overdue["id"] in escalated["need_ids"]
        assert other["id"] not in escalated["need_ids"]  # not overdue
        now = await ok(await client.get(f"{needs_url}/v1/needs/{overdue['id']}"))
        assert (now["handling_division"], now["escalations"]) == (COUNTY, 1)

        # The member resigns in the members service: the needs service stops their visits.
        appointment_url = f"{urls['members']}/v1/appointments/{appointment_id}"
        await ok(
            await client.post(
                f"{appointment_url}/transitions",
                json={"status": "resigned", "effective_on": today, "reason": "本人辞职"},
                headers=await with_etag(client, appointment_url, official),
            )
        )

        async def left() -> bool:
            read = await client.get(f"{needs_url}/v1/committee-members/{member_id}/area")
            return read.status_code != 200

        await eventually(left, "the needs service learning of the resignation")
        after = await client.post(
            f"{needs_url}/v1/visits",
            json={**batch["visits"][0], "client_id": "after-resigning", "member_id": member_id},
        )
        assert after.status_code == 422, after.text

    # Every source service's data agrees with the metrics service's rollups.
    async def agreed() -> bool:
        outcome = await platform.reconcile()
        return not outcome.rollups.differences and not outcome.source

    try:
        await eventually(agreed, "agreement of the rollups with the sources", 30)
    except AssertionError:
        outcome = await platform.reconcile()
        raise AssertionError((outcome.rollups.differences, outcome.source[:10])) from None
    checked = (await platform.reconcile()).sources_checked
    assert any(item.startswith("/v1/need-snapshots") for item in checked), checked


async def _served_by_a_volunteer(
    client: httpx.AsyncClient, platform: FaultRig, volunteers_url: str, source_need_id: str
) -> None:
    """The volunteers service opens its need from the event; a volunteer accepts it and
    records service, an official confirms the record."""

    async def opened() -> dict[str, Any] | None:
        listed = await ok(
            await client.get(f"{volunteers_url}/v1/needs", params={"region": VILLAGE})
        )
        return next((n for n in listed["items"] if n["source_need_id"] == source_need_id), None)

    need = await eventually(opened, "the volunteers' need")
    assert (need["division_code"], need["kind"]) == (VILLAGE, "legal_aid")
    volunteer = await ok(
        await client.post(
            f"{volunteers_url}/v1/volunteers",
            json={
                "name": "陈律",
                "phone": "13912340000",
                "division_code": VILLAGE,
                "skills": ["legal_aid"],
            },
        ),
        201,
    )
    token = auth.issue_token(
        platform.settings, subject=volunteer["id"], roles=[auth.VOLUNTEER], region=GANSU
    )
    me = {"Authorization": f"Bearer {token}"}
    mine = f"{volunteers_url}/v1/me/needs/{need['id']}"
    await ok(await client.post(f"{mine}/accept", headers=await with_etag(client, mine, me)))
    start = datetime.now(UTC) - timedelta(hours=2)
    submitted = await ok(
        await client.post(
            f"{volunteers_url}/v1/me/service-records/batch",
            json={
                "records": [
                    {
                        "client_id": "legal-1",
                        "need_id": need["id"],
                        "checked_in_at": start.isoformat(),
                        "checked_out_at": (start + timedelta(hours=1)).isoformat(),
                        "person_times": 1,
                    }
                ]
            },
            headers=me,
        )
    )
    assert submitted["accepted"] == 1, submitted
    record_url = f"{volunteers_url}/v1/service-records/{submitted['results'][0]['record_id']}"
    official = {"Authorization": client.headers["Authorization"]}
    await ok(
        await client.post(
            f"{record_url}/confirm", headers=await with_etag(client, record_url, official)
        )
    )
