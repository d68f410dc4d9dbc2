"""A region's figures on PostgreSQL: values with inherited targets, drill-down, as-of, trend,
daily snapshots and the caller's scope."""

import httpx
import pytest

from canlian.common import auth
from canlian.common.settings import PlatformSettings
from canlian.testing.services import bearer

from ..conftest import (
    CHENGGUAN,
    COVERAGE,
    GANSU,
    LANZHOU,
    QILIHE,
    by_indicator,
    create_plan,
)

pytestmark = pytest.mark.postgres


async def test_region_values_with_inherited_and_overridden_targets(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    province = await client.get(
        f"/v1/regions/{GANSU}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    assert province.status_code == 200
    coverage = by_indicator(province.json(), COVERAGE)
    assert coverage["numerator"] == 3
    assert coverage["denominator"] == 5
    assert coverage["value"] == 60.0
    assert coverage["target"] == {
        "comparator": "ge",
        "value": 100.0,
        "milestone": "final",
        "set_on": GANSU,
        "applies_to": None,
        "share": None,
    }
    assert coverage["status"] == "behind"
    assert coverage["gap"] == 40.0
    midterm = await client.get(
        f"/v1/regions/{GANSU}/indicators",
        params={"plan": "gs-12th", "milestone": "midterm"},
        headers=official,
    )
    assert by_indicator(midterm.json(), COVERAGE)["status"] == "met"
    # Qilihe overrides the province's target; Chengguan inherits it.
    qilihe = await client.get(
        f"/v1/regions/{QILIHE}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    item = by_indicator(qilihe.json(), COVERAGE)
    assert item["target"]["set_on"] == QILIHE
    assert item["gap"] == pytest.approx(50 - 100 / 3, abs=1e-3)
    chengguan = await client.get(
        f"/v1/regions/{CHENGGUAN}/indicators", params={"plan": "gs-12th"}, headers=official
    )
    assert by_indicator(chengguan.json(), COVERAGE)["status"] == "met"
    assert by_indicator(chengguan.json(), COVERAGE)["target"]["set_on"] == GANSU


async def test_drill_down_sorts_children_by_gap(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    response = await client.get(
        f"/v1/regions/{LANZHOU}/indicators/{COVERAGE}/children",
        params={"plan": "gs-12th", "limit": 1},
        headers=official,
    )
    assert response.status_code == 200
    page = response.json()
    assert [child["region"]["code"] for child in page["children"]] == [QILIHE]
    assert page["children"][0]["region"]["name"] == "七里河区"
    assert page["children"][0]["value"]["status"] == "behind"
    rest = await client.get(
        f"/v1/regions/{LANZHOU}/indicators/{COVERAGE}/children",
        params={"plan": "gs-12th", "limit": 1, "cursor": page["next_cursor"]},
        headers=official,
    )
    assert [child["region"]["code"] for child in rest.json()["children"]] == [CHENGGUAN]
    assert rest.json()["next_cursor"] is None


async def test_as_of_and_trend_over_the_plan(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    as_of = await client.get(
        f"/v1/regions/{GANSU}/indicators",
        params={"plan": "gs-12th", "as_of": "2013-12-31"},
        headers=official,
    )
    assert by_indicator(as_of.json(), COVERAGE)["value"] == 20.0
    trend = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/trend",
        params={"plan": "gs-12th"},
        headers=official,
    )
    assert trend.status_code == 200
    points = trend.json()["points"]
    assert [point["year"] for point in points] == [2011, 2012, 2013, 2014, 2015]
    assert [point["value"] for point in points] == [0.0, 20.0, 20.0, 60.0, 60.0]
    assert [point["target"] for point in points] == [60.0, 60.0, 60.0, 100.0, 100.0]


async def test_region_scope_hides_other_counties(
    client: httpx.AsyncClient, postgres_settings: PlatformSettings, gansu: None
) -> None:
    chengguan = bearer(postgres_settings, roles=[auth.OFFICIAL], region=CHENGGUAN)
    assert (
        await client.get(f"/v1/regions/{CHENGGUAN}/indicators", headers=chengguan)
    ).status_code == 200
    other = await client.get(f"/v1/regions/{QILIHE}/indicators", headers=chengguan)
    assert other.status_code == 404
    assert (await client.get(f"/v1/regions/{GANSU}", headers=chengguan)).status_code == 404


async def test_which_counties_of_the_province_are_behind(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    await create_plan(client, official)
    response = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/children",
        params={"plan": "gs-12th", "level": "county"},
        headers=official,
    )
    assert response.status_code == 200
    children = response.json()["children"]
    assert [(c["region"]["name"], c["value"]["status"]) for c in children] == [
        ("七里河区", "behind"),
        ("城关区", "met"),
    ]
    above = await client.get(
        f"/v1/regions/{QILIHE}/indicators/{COVERAGE}/children",
        params={"level": "city"},
        headers=official,
    )
    assert above.status_code == 422
    assert above.json()["type"].endswith("/level-not-below")


async def test_daily_snapshots_over_a_range(
    client: httpx.AsyncClient, official: dict[str, str], gansu: None
) -> None:
    response = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/daily",
        params={"from": "2014-04-30", "to": "2014-06-02"},
        headers=official,
    )
    assert response.status_code == 200
    points = {point["day"]: point["value"] for point in response.json()["items"]}
    assert len(points) == 34
    assert (points["2014-04-30"], points["2014-05-01"], points["2014-06-01"]) == (20.0, 40.0, 60.0)
    backwards = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/daily",
        params={"from": "2014-06-02", "to": "2014-04-30"},
        headers=official,
    )
    assert backwards.status_code == 422
    reported = await client.get(
        f"/v1/regions/{GANSU}/indicators/employment-rate/daily",
        params={"start": "2014-01-01", "end": "2014-01-02"},
        headers=official,
    )
    assert reported.json()["type"].endswith("/not-a-derived-indicator")  # old names still read
    missing = await client.get(
        f"/v1/regions/{GANSU}/indicators/{COVERAGE}/daily",
        params={"from": "2014-04-30"},
        headers=official,
    )
    assert missing.status_code == 422
    assert [error["field"] for error in missing.json()["errors"]] == ["query.to"]
