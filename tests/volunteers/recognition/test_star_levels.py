"""Star levels by the default thresholds (no database)."""

import pytest

from canlian.volunteers.recognition.stars import DEFAULT_STAR_THRESHOLDS, star_level_for


@pytest.mark.parametrize(
    ("hours", "level"),
    [(0, 0), (99.99, 0), (100, 1), (299, 1), (300, 2), (1000, 4), (1499, 4), (1500, 5), (9e9, 5)],
)
def test_star_levels_by_default_thresholds(hours: float, level: int) -> None:
    assert star_level_for(hours, DEFAULT_STAR_THRESHOLDS) == level
