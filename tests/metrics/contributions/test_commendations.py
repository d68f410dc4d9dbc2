"""The commendation series' honours from the registry's events (seed 004: 爱心 every 2 years,
自强 once in five): an approved nomination is an honour of its programme at the nominee's
division, rolled up; a rejected one is only a nomination; redelivered or older events change
nothing, and the as-of history counts an honour from the day it was approved."""

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from canlian.common.events import org_registry

from ..conftest import CHENGGUAN, GANSU, QILIHE, TOWNSHIP, VILLAGE_A, VILLAGE_C, Apply, envelope

pytestmark = pytest.mark.postgres

Programme = org_registry.CommendationProgramme
Kind = org_registry.NomineeKind
NOMINATED_AT = datetime(2025, 11, 3, 2, 0, tzinfo=UTC)
DECIDED_ON = date(2026, 1, 12)
DECIDED_AT = datetime(2026, 1, 12, 2, 0, tzinfo=UTC)


def nominee(kind: Kind, division: str, name: str) -> dict[str, Any]:
    if kind is Kind.PERSON:
        return {"person_service": "members", "person_id": name, "division_code": division}
    return {"organisation_id": name, "division_code": division}


def nominated(
    nomination_id: str, programme: Programme, kind: Kind, division: str
) -> org_registry.CommendationNominated:
    return org_registry.CommendationNominated(
        nomination_id=nomination_id,
        version=1,
        round_id=f"round-{programme.value}",
        programme=programme,
        year=2025,
        nominee_kind=kind,
        nominating_division_code=CHENGGUAN,
        **nominee(kind, division, f"n-{nomination_id}"),
    )


def decided(
    nomination_id: str, programme: Programme, kind: Kind, division: str, approved: bool
) -> org_registry.CommendationDecided:
    status = org_registry.NominationStatus
    return org_registry.CommendationDecided(
        nomination_id=nomination_id,
        version=2,
        round_id=f"round-{programme.value}",
        programme=programme,
        year=2025,
        status=status.APPROVED if approved else status.REJECTED,
        nominee_kind=kind,
        decided_by_division_code="620100000000",
        decided_on=DECIDED_ON,
        **nominee(kind, division, f"n-{nomination_id}"),
    )


async def counters(
    client: httpx.AsyncClient, official: dict[str, str], region: str, as_of: date | None = None
) -> dict[str, int]:
    params = {"as_of": as_of.isoformat()} if as_of else {}
    response = await client.get(f"/v1/regions/{region}/counters", params=params, headers=official)
    assert response.status_code == 200, response.text
    return {
        item["counter"]: int(item["value"])
        for item in response.json()["items"]
        if item["counter"].startswith("commendations.")
    }


async def test_approved_nominations_are_honours_of_their_series(
    client: httpx.AsyncClient, official: dict[str, str], apply: Apply, gansu: None
) -> None:
    nominations = [
        ("c1", Programme.CARING, Kind.PERSON, VILLAGE_A, True),
        ("c2", Programme.CARING, Kind.ORGANISATION, TOWNSHIP, True),
        ("c3", Programme.CARING, Kind.PERSON, VILLAGE_A, False),  # rejected
        ("s1", Programme.SELF_RELIANCE, Kind.PERSON, VILLAGE_C, True),  # 七里河区
    ]
    await apply(
        *[envelope(nominated(*row[:4]), at=NOMINATED_AT) for row in nominations],
        envelope(
            org_registry.CommendationRoundOpened(
                round_id="round-caring",
                version=1,
                programme=Programme.CARING,
                division_code=CHENGGUAN,
                year=2025,
                cycle_years=2,
            ),
            at=NOMINATED_AT,
        ),
    )
    await apply(*[envelope(decided(*row), at=DECIDED_AT) for row in nominations])
    # Redelivered, and the older nominations after the decisions: nothing changes.
    await apply(
        envelope(decided(*nominations[0]), at=DECIDED_AT),
        *[envelope(nominated(*row[:4]), at=NOMINATED_AT) for row in nominations],
    )

    chengguan = {
        "commendations.nominations": 3,
        "commendations.honours": 2,
        "commendations.honours.caring": 2,
        "commendations.honours.persons": 1,
        "commendations.honours.organisations": 1,
    }
    assert await counters(client, official, CHENGGUAN) == chengguan
    assert await counters(client, official, QILIHE) == {
        "commendations.nominations": 1,
        "commendations.honours": 1,
        "commendations.honours.self_reliance": 1,
        "commendations.honours.persons": 1,
    }
    assert await counters(client, official, GANSU) == {
        "commendations.nominations": 4,
        "commendations.honours": 3,
        "commendations.honours.caring": 2,
        "commendations.honours.self_reliance": 1,
        "commendations.honours.persons": 2,
        "commendations.honours.organisations": 1,
    }
    # Before the approvals: nominations, no honours yet.
    assert await counters(client, official, GANSU, date(2025, 12, 31)) == {
        "commendations.nominations": 4
    }
    assert await counters(client, official, GANSU, DECIDED_ON) == await counters(
        client, official, GANSU
    )

    response = await client.get(f"/v1/regions/{GANSU}/indicators", headers=official)
    assert response.status_code == 200, response.text
    found = {item["indicator"]: item for item in response.json()["indicators"]}
    assert found["caring-series-honours"]["value"] == 2
    assert found["self-reliance-series-honours"]["value"] == 1
    assert found["caring-series-honours"]["denominator"] is None
