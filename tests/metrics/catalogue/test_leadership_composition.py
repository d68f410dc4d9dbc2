"""Leadership composition compliance is an indicator: compliant federations over all of them."""

import httpx
import pytest

from canlian.common.events.org_registry import OrganisationKind

from ..conftest import (
    CHENGGUAN,
    GANSU,
    LANZHOU,
    QILIHE,
    TOWNSHIP,
    Apply,
    by_indicator,
    organisation,
)

pytestmark = pytest.mark.postgres
INDICATOR = "leadership-composition-compliance"


async def test_compliant_federations_over_all_federations(
    client: httpx.AsyncClient, official: dict[str, str], apply: Apply
) -> None:
    federation = OrganisationKind.FEDERATION
    await apply(
        organisation("t1", kind=federation, division=TOWNSHIP, level=4, leadership_compliant=True),
        organisation("c1", kind=federation, division=CHENGGUAN, level=3, leadership_compliant=True),
        organisation("c2", kind=federation, division=QILIHE, level=3),
        organisation("city", kind=federation, division=LANZHOU, level=2),
    )
    definition = await client.get(f"/v1/indicators/{INDICATOR}", headers=official)
    assert definition.status_code == 200, definition.text
    assert definition.json()["numerator"] == ["federations.leadership_compliant"]
    province = await client.get(f"/v1/regions/{GANSU}/indicators", headers=official)
    value = by_indicator(province.json(), INDICATOR)
    assert (value["numerator"], value["denominator"], value["value"]) == (2, 4, 50.0)
    assert isinstance(value["numerator"], int)
