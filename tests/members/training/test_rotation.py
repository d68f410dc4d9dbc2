"""The yearly rotation's window and the education goals' parameters (seed 003)."""

from datetime import date

from canlian.common import policy
from canlian.members.training import rotation


def test_the_rotation_year_runs_from_new_year_to_the_date() -> None:
    assert rotation.rotation_year(date(2026, 6, 30)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert rotation.rotation_year(date(2027, 1, 1)) == (date(2027, 1, 1), date(2027, 1, 1))


def test_the_goals_are_the_seeds_70_and_50_percent() -> None:
    assert rotation.GOALS[rotation.COUNTY].default == 70
    assert rotation.GOALS[rotation.TOWNSHIP].default == 50
    assert "70%" in policy.EDUCATION_SEED
    assert "50%" in policy.EDUCATION_SEED
    assert {parameter.owner for parameter in rotation.GOALS.values()} == {"members"}


def test_a_share_of_nobody_is_zero() -> None:
    assert rotation.share(0, 0) == 0.0
    assert rotation.share(2, 3) == 0.6667
