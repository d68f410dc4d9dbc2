"""Where candidates and nearby needs are sought (no database)."""

from canlian.volunteers.needs.matching import candidate_pool
from canlian.volunteers.needs.service import nearby_prefix


def test_candidates_are_sought_within_the_city() -> None:
    assert candidate_pool("620102003004") == "6201"
    assert candidate_pool("620100000000") == "6201"
    assert candidate_pool("620000000000") == "62"


def test_nearby_needs_are_within_the_volunteers_county() -> None:
    assert nearby_prefix("620102003004") == "620102"
    assert nearby_prefix("620100000000") == "6201"
