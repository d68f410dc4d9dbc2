"""rules.allowances: whose allowance the regional minimum judges (seed 000)."""

from decimal import Decimal

import pytest

from canlian.common import policy
from canlian.common.rules import allowances

VILLAGE = "150624100201"  # 村 (villagers' committee)
COMMUNITY = "150624100001"  # 社区 (residents' committee)
TOWNSHIP = "150624100000"


@pytest.mark.parametrize(
    ("code", "community", "village_post"),
    [
        (VILLAGE, False, True),
        (COMMUNITY, True, False),
        ("150624100199", True, False),
        ("150624100200", False, True),
        (TOWNSHIP, False, False),
        ("150624000000", False, False),
    ],
)
def test_villages_and_communities_by_nbs_code(
    code: str, community: bool, village_post: bool
) -> None:
    assert allowances.is_community(code) is community
    assert allowances.is_village_post(code) is village_post


def test_meets_minimum() -> None:
    assert allowances.meets_minimum(Decimal("99.99"), Decimal("100")) is False
    assert allowances.meets_minimum(Decimal("100"), Decimal("100")) is True
    assert allowances.meets_minimum(Decimal("0"), None) is None


@pytest.mark.parametrize(
    ("post", "status", "code", "compliant", "judged", "non_compliant"),
    [
        ("committee_member", "active", VILLAGE, False, True, True),
        ("committee_member", "active", VILLAGE, True, True, False),
        ("committee_member", "active", VILLAGE, None, False, False),  # no minimum set
        # A community member on a public-welfare post paid 0: not judged by the minimum.
        ("committee_member", "active", COMMUNITY, False, False, False),
        # Appointed, not yet at work (or suspended): paid nothing yet, not judged.
        ("committee_member", "appointed", VILLAGE, False, False, False),
        ("committee_member", "suspended", VILLAGE, False, False, False),
        ("committee_member", "active", TOWNSHIP, False, False, False),
        ("staff", "active", VILLAGE, False, False, False),
    ],
)
def test_who_is_judged_and_who_fails(
    post: str, status: str, code: str, compliant: bool | None, judged: bool, non_compliant: bool
) -> None:
    assert allowances.is_judged(post, status, code, compliant) is judged
    assert allowances.is_non_compliant(post, status, code, compliant) is non_compliant


@pytest.mark.parametrize(
    ("code", "public_welfare_villages", "applies"),
    [
        (VILLAGE, False, True),  # seed 000: 村专职委员误工补贴不低于地区标准
        (VILLAGE, True, False),  # seed 004: 村居(社区)专职委员纳入公益性岗位
        (COMMUNITY, False, False),
        (COMMUNITY, True, False),
        (TOWNSHIP, False, False),
    ],
)
def test_the_regional_post_rule_decides_whether_a_minimum_applies(
    code: str, public_welfare_villages: bool, applies: bool
) -> None:
    assert allowances.minimum_applies(code, public_welfare_villages) is applies


def test_the_post_rule_defaults_to_seed_000_and_takes_only_0_or_1() -> None:
    parameter = policy.VILLAGE_PUBLIC_WELFARE_POSTS
    assert (parameter.default, parameter.owner) == (Decimal(0), "members")
    assert parameter.seed.startswith("000:")
    assert [parameter.in_range(Decimal(v)) for v in ("0", "1", "2", "0.5")] == [
        True,
        True,
        False,
        False,
    ]
