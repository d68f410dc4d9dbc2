"""Rules of posts and the allowance policy that need no database."""

from decimal import Decimal

from canlian.common.events.members import Post, PostLevel
from canlian.members.appointments.allowances import AllowancePolicy
from canlian.members.appointments.posts import post_level_of


def test_the_nearest_regional_minimum_applies() -> None:
    policy = AllowancePolicy(
        {
            ("620000000000", PostLevel.VILLAGE): Decimal(100),
            ("620102000000", PostLevel.VILLAGE): Decimal(60),
        }
    )
    assert policy.minimum_for("620102001001", Post.COMMITTEE_MEMBER) == (
        Decimal(60),
        "620102000000",
    )
    assert policy.minimum_for("620103001001", Post.COMMITTEE_MEMBER) == (
        Decimal(100),
        "620000000000",
    )
    # Another province, another level, another post: no minimum applies.
    assert policy.minimum_for("330604001001", Post.COMMITTEE_MEMBER) == (None, None)
    assert policy.minimum_for("620102001000", Post.COMMITTEE_MEMBER) == (None, None)
    assert policy.minimum_for("620102001001", Post.STAFF) == (None, None)


def test_post_levels_follow_the_division_level() -> None:
    assert post_level_of("620102001000") == PostLevel.TOWNSHIP
    assert post_level_of("620102001001") == PostLevel.VILLAGE
    assert post_level_of("620102000000") is None
