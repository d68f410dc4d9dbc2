"""rules.full_time_chair: a township federation's executive council role, the registry's."""

from canlian.common.rules import full_time_chair


def test_asked_of_township_federations_only() -> None:
    assert full_time_chair.applies("federation", 4)
    assert not full_time_chair.applies("federation", 3)
    assert not full_time_chair.applies("association", 4)


def test_a_council_member_in_the_role() -> None:
    assert full_time_chair.has_full_time_chair(["chair", "full_time_chair"])
    assert not full_time_chair.has_full_time_chair(["chair", "member"])
    assert not full_time_chair.has_full_time_chair([])
    assert "org-registry" in full_time_chair.RECORDED_AT
