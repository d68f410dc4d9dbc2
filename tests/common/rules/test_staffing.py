"""rules.staffing: which places need a committee member and when one is staffed."""

import pytest

from canlian.common.rules import staffing

TOWNSHIP = "150624100000"
SEAT = "150624100201"
NEIGHBOUR = "150624100202"


def test_a_joint_associations_member_staffs_every_village_it_covers() -> None:
    places = staffing.staffed_places(
        "committee_member", "active", "association", 5, SEAT, [NEIGHBOUR, SEAT, SEAT]
    )
    assert places == [SEAT, NEIGHBOUR]


def test_an_association_without_recorded_coverage_staffs_its_own_village() -> None:
    assert staffing.places_served("association", 5, SEAT) == [SEAT]


def test_a_township_federation_staffs_its_township_only() -> None:
    assert staffing.places_served("federation", 4, TOWNSHIP, [SEAT]) == [TOWNSHIP]


@pytest.mark.parametrize(
    ("kind", "level"),
    [("federation", 3), ("special_association", 3), ("group", 5), ("enterprise_association", 3)],
)
def test_other_organisations_staff_no_place(kind: str, level: int) -> None:
    assert staffing.places_served(kind, level, SEAT) == []


@pytest.mark.parametrize(
    ("post", "status", "staffs"),
    [
        ("committee_member", "active", True),
        ("committee_member", "appointed", False),  # not yet at work
        ("committee_member", "suspended", False),
        ("committee_member", "resigned", False),
        ("staff", "active", False),
        ("full_time_chair", "active", False),
    ],
)
def test_only_an_active_committee_member_staffs(post: str, status: str, staffs: bool) -> None:
    assert staffing.staffs(post, status) is staffs
    expected = [SEAT, NEIGHBOUR] if staffs else []
    assert staffing.staffed_places(post, status, "association", 5, SEAT, [SEAT, NEIGHBOUR]) == (
        expected
    )
