"""A need the needs service refers to the volunteers opens one volunteers' need (linked to
its source, in the household's village, of the mapped kind, without personal data); a
confirmed service record serves it and announces `ReferredNeedFulfilled`; the source closed
or sent elsewhere meanwhile cancels it; nobody raises a referred need by hand."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from canlian.common.events.base import CloudEvent
from canlian.common.events.needs import (
    Channel,
    NeedAssessed,
    NeedClosed,
    NeedEscalated,
    NeedReferred,
    NeedStatus,
    ReferralTarget,
    ServiceKind,
)
from canlian.common.events.volunteers import ReferredNeedFulfilled
from canlian.testing.services import if_match, runtime_of
from canlian.volunteers.clock import CHINA
from canlian.volunteers.needs.referrals import apply_need_events
from tests.volunteers.conftest import BATCH, CHENGGUAN_VILLAGE, Api, service_record

pytestmark = pytest.mark.postgres


def referral(
    need_id: str,
    *,
    version: int = 3,
    category: ServiceKind = ServiceKind.CARE,
    target: ReferralTarget = ReferralTarget.VOLUNTEERS,
    due_on: date | None = None,
    closed: bool = False,
    escalated: bool = False,
    assessed: bool = False,
) -> CloudEvent:
    today = datetime.now(UTC).date()
    fields = {
        "need_id": need_id,
        "version": version,
        "household_id": "hh-1",
        "division_code": CHENGGUAN_VILLAGE,
        "category": category,
        "channel": Channel.WALK_IN,
        "status": NeedStatus.CLOSED
        if closed
        else NeedStatus.ASSESSED
        if assessed
        else NeedStatus.REFERRED,
        "recorded_on": today,
        "due_on": due_on or today + timedelta(days=15),
        "reports": 1,
        "referral_target": None if assessed else target,
        "platform_id": None,
        "petition_acceptance_due": None,
        "petition_closing_due": None,
        "closed_on": today if closed else None,
        "closed_within_deadline": True if closed else None,
        "satisfaction": None,
    }
    kind = (
        NeedClosed
        if closed
        else NeedEscalated
        if escalated
        else NeedAssessed
        if assessed
        else NeedReferred
    )
    event = kind(**fields)
    return CloudEvent.wrap(event, source="/canlian/needs")


async def deliver(api: Api, events: Sequence[CloudEvent]) -> None:
    """What the consumer does with a batch from the bus: one transaction."""
    async with runtime_of(api.app).database.session() as session:
        await apply_need_events(session, events)
        await session.flush()


async def referred_needs(api: Api) -> list[dict[str, object]]:
    listed = await api.client.get("/v1/needs?region=620102000000", headers=api.official())
    assert listed.status_code == 200, listed.text
    return [item for item in listed.json()["items"] if item["requested_by"] == "referral"]


async def test_a_referral_to_the_volunteers_opens_one_need_there(api: Api) -> None:
    event = referral("src-1", category=ServiceKind.CARE)
    await deliver(api, [event])
    await deliver(api, [referral("src-1", version=4)])  # referred again: still one need
    await deliver(api, [referral("src-2", target=ReferralTarget.DEPARTMENT)])
    [need] = await referred_needs(api)
    assert need["source_need_id"] == "src-1"
    assert (need["division_code"], need["kind"], need["status"]) == (
        CHENGGUAN_VILLAGE,
        "daily_care",
        "open",
    )
    assert need["description"] is None
    assert "托养照料" in str(need["title"])


async def test_a_confirmed_record_serves_the_referred_need_and_says_so(api: Api) -> None:
    await deliver(api, [referral("src-3", category=ServiceKind.LEGAL_AID)])
    [need] = await referred_needs(api)
    volunteer = await api.register_by_station(skills=["legal_aid"])
    me = api.volunteer(volunteer["id"])
    accepted = await api.client.post(
        f"/v1/me/needs/{need['id']}/accept",
        headers=await if_match(api.client, f"/v1/me/needs/{need['id']}", me),
    )
    assert accepted.status_code == 200, accepted.text
    start = datetime.now(UTC) - timedelta(hours=3)
    submitted = await api.client.post(
        BATCH,
        json={"records": [service_record(start, 2, need_id=need["id"], service_kind=None)]},
        headers=me,
    )
    assert submitted.json()["accepted"] == 1, submitted.text
    record_id = submitted.json()["results"][0]["record_id"]
    assert await api.events(ReferredNeedFulfilled.event_type) == []  # pending is not served
    confirmed = await api.client.post(
        f"/v1/service-records/{record_id}/confirm",
        headers=await if_match(api.client, f"/v1/service-records/{record_id}", api.official()),
    )
    assert confirmed.status_code == 200, confirmed.text
    served = await api.client.get(f"/v1/needs/{need['id']}", headers=api.official())
    assert served.json()["status"] == "closed"
    [event] = await api.events(ReferredNeedFulfilled.event_type)
    assert event.subject == "src-3"
    assert event.data["volunteer_need_id"] == need["id"]
    assert event.data["service_kind"] == "legal_aid"
    assert event.data["fulfilled_on"] == start.astimezone(CHINA).date().isoformat()
    assert "王小明" not in event.model_dump_json()  # the volunteer's name stays here


async def test_the_source_closed_meanwhile_cancels_the_open_need(api: Api) -> None:
    await deliver(api, [referral("src-4")])
    await deliver(api, [referral("src-4", version=5, closed=True)])
    [need] = await referred_needs(api)
    assert need["status"] == "cancelled"
    assert await api.events(ReferredNeedFulfilled.event_type) == []


async def test_an_older_snapshot_delivered_after_the_referral_cancels_nothing(
    api: Api,
) -> None:
    """The step before the referral (its assessment) applied after it, as a redelivery or a
    batch committed out of turn would: the need it opened stays open."""
    await deliver(api, [referral("src-5", version=3)])
    await deliver(api, [referral("src-5", version=2, assessed=True)])
    [need] = await referred_needs(api)
    assert need["status"] == "open"


async def test_a_need_referred_again_after_its_closing_opens_a_new_one(api: Api) -> None:
    """Reopened after an unsatisfied rating (or sent elsewhere and back), a need referred to
    the volunteers again is a new referral: a new volunteers' need opens. A later snapshot
    that is no new referral (an escalation) opens none."""
    await deliver(api, [referral("src-6")])
    await deliver(api, [referral("src-6", version=5, closed=True)])
    await deliver(api, [referral("src-6", version=6, escalated=True)])
    [cancelled] = await referred_needs(api)
    assert cancelled["status"] == "cancelled"
    await deliver(
        api, [referral("src-6", version=9), referral("src-6", version=10, escalated=True)]
    )
    await deliver(api, [referral("src-6", version=11, escalated=True)])
    needs = await referred_needs(api)
    assert sorted(str(n["status"]) for n in needs) == ["cancelled", "open"]
    assert {n["source_need_id"] for n in needs} == {"src-6"}


async def test_nobody_raises_a_referred_need_by_hand(api: Api) -> None:
    starts = datetime.now(UTC) + timedelta(days=1)
    response = await api.client.post(
        "/v1/needs",
        json={
            "division_code": CHENGGUAN_VILLAGE,
            "kind": "companionship",
            "title": "陪同就医",
            "requested_by": "referral",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
        },
        headers={**api.official(), "Accept-Language": "en"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith("/referral-only-by-event")


async def test_a_batch_whose_newest_is_a_later_step_still_opens_the_need(api: Api) -> None:
    await deliver(api, [referral("src-5", version=3), referral("src-5", version=4, escalated=True)])
    [need] = await referred_needs(api)
    assert (need["source_need_id"], need["status"]) == ("src-5", "open")
