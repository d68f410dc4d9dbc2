"""Over random small workloads (townships with or without a federation, villages and
communities shared out among joint associations, members in every status, allowances around
the minimum, posts public-welfare, social-work or neither), the members reports and what the
metrics mappers make of the same appointments agree on which places are staffed, whose
allowance is below the minimum and how many township members hold social-work posts."""

import itertools
from collections import Counter

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canlian.common import auth
from canlian.common.events.members import MemberAppointed
from canlian.common.settings import PlatformSettings
from canlian.metrics.contributions.members import COMMITTEE_MEMBER, appointment_contribution
from canlian.testing.services import bearer, if_match

from ..conftest import SeedOrganisation, all_pages, appoint

pytestmark = pytest.mark.postgres

STATUSES = st.sampled_from([None, "active", "active", "appointed", "suspended"])
SCHEMES = st.sampled_from(["public_welfare", "social_work", "neither"])
_counties = itertools.count(10)  # each example works in a county of its own: 620110, 620111...
_people = itertools.count(1)  # and with people of its own (one transaction for all examples)


Member = tuple[str | None, str, str]
"""A member's status (None: nobody appointed), monthly allowance and post scheme."""
Workload = list[tuple[bool, Member, list[list[int]], list[Member]]]
"""Per township: a federation?, its member, village groups (each one association, NBS last
segments: 001-003 communities, 201-204 villages), each association's member."""


def _scheme(scheme: str) -> dict[str, bool]:
    return {
        "public_welfare_post": scheme == "public_welfare",
        "social_work_post": scheme == "social_work",
    }


@st.composite
def townships(draw: st.DrawFn) -> Workload:
    found: Workload = []
    for _ in range(draw(st.integers(1, 2))):
        villages = draw(
            st.lists(
                st.sampled_from([1, 2, 3, 201, 202, 203, 204]), min_size=1, max_size=5, unique=True
            )
        )
        groups: dict[int, list[int]] = {}
        for village in villages:
            groups.setdefault(draw(st.integers(0, 2)), []).append(village)
        members = [
            (draw(STATUSES), draw(st.sampled_from(["0", "60", "100", "150"])), draw(SCHEMES))
            for _ in groups
        ]
        township_member = (draw(STATUSES), "1500", draw(SCHEMES))
        found.append((draw(st.booleans()), township_member, list(groups.values()), members))
    return found


async def _indicator(
    client: httpx.AsyncClient, headers: dict[str, str], county: str
) -> tuple[Counter[str], set[int], Counter[str]]:
    snapshots = await all_pages(client, "/v1/appointment-snapshots", headers, within=county)
    staffed: set[str] = set()
    below: set[int] = set()
    social_work: Counter[str] = Counter()
    for snapshot in snapshots:
        mapped = appointment_contribution(MemberAppointed.model_validate(snapshot))
        counters = {counter for (_, counter) in mapped.contribution}
        staffed.update(
            code for (code, counter) in mapped.contribution if counter == COMMITTEE_MEMBER
        )
        if "committee_members.village_posts" in counters and (
            "committee_members.allowance_compliant" not in counters
        ):
            below.add(int(str(snapshot["appointment_id"])))
        for code, counter in mapped.contribution:
            if counter == "committee_members.social_work_post":
                social_work[code[:9] + "000"] += 1
    return Counter(code[:9] + "000" for code in staffed), below, social_work


async def _appoint(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    organisation_id: str,
    code: str,
    status: str,
    **body: object,
) -> None:
    """Appointed or active as recorded; suspended through the state machine."""
    created = await appoint(
        client,
        headers,
        next(_people),
        organisation_id,
        code,
        status="active" if status == "suspended" else status,
        **body,
    )
    if status == "suspended":
        moved = await client.post(
            f"/v1/appointments/{created['id']}/transitions",
            json={"status": "suspended", "effective_on": "2025-03-01", "reason": "病休"},
            headers=await if_match(client, f"/v1/appointments/{created['id']}", headers),
        )
        assert moved.status_code == 200, moved.text


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(workload=townships())
async def test_report_and_indicator_agree_on_random_workloads(
    client: httpx.AsyncClient,
    seed_organisation: SeedOrganisation,
    postgres_settings: PlatformSettings,
    workload: Workload,
) -> None:
    county = f"6201{next(_counties):02d}000000"
    headers = bearer(postgres_settings, roles=[auth.OFFICIAL], region=county, subject="clerk")
    minimum = await client.put(
        f"/v1/allowance-minimums/{county[:6]}/village",
        json={"monthly_minimum_yuan": "100"},
        headers=headers,
    )
    assert minimum.status_code == 200, minimum.text
    for number, (has_federation, township_member, groups, members) in enumerate(workload, 1):
        township = f"{county[:6]}{number:03d}000"
        if has_federation:
            key = f"{county}-fed-{number}"
            await seed_organisation(key, kind="federation", level=4, division_code=township)
            status, allowance, scheme = township_member
            if status is not None:
                await _appoint(
                    client,
                    headers,
                    key,
                    township,
                    status,
                    **_scheme(scheme),
                    monthly_allowance_yuan=allowance,
                )
        for index, (villages, (member_status, allowance, scheme)) in enumerate(
            zip(groups, members, strict=True)
        ):
            codes = [f"{township[:9]}{village:03d}" for village in villages]
            key = f"{county}-assoc-{number}-{index}"
            await seed_organisation(key, division_code=codes[0], covered=codes)
            if member_status is not None:
                await _appoint(
                    client,
                    headers,
                    key,
                    codes[0],
                    member_status,
                    **_scheme(scheme),
                    monthly_allowance_yuan=allowance,
                )

    summary = await client.get(
        "/v1/reports/by-township", params={"region": county}, headers=headers
    )
    assert summary.status_code == 200, summary.text
    report = Counter(
        {
            row["township_code"]: row["places"] - row["vacancies"]
            for row in summary.json()["items"]
            if row["places"] - row["vacancies"]
        }
    )
    listed = await all_pages(client, "/v1/reports/allowance-non-compliance", headers, region=county)
    staffed, below, social_work = await _indicator(client, headers, county)
    assert report == staffed
    assert {int(str(item["id"])) for item in listed} == below
    assert sum(row["allowance_non_compliant"] for row in summary.json()["items"]) == len(below)
    assert social_work == Counter(
        {row["township_code"]: row["social_work_posts"] for row in summary.json()["items"]}
    )
