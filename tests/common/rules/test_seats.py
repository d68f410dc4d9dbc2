"""Seats by kind of division (seed 003) and the policy-parameter resolution they read."""

from datetime import date
from decimal import Decimal

from canlian.common import policy
from canlian.common.events.members import Post
from canlian.common.rules import seats


def test_the_nbs_segment_tells_a_street_from_a_township() -> None:
    assert seats.kind_of("620102001000") == seats.DivisionKind.STREET  # 街道 001-099
    assert seats.kind_of("620102099000") == seats.DivisionKind.STREET
    assert seats.kind_of("620102100000") == seats.DivisionKind.TOWNSHIP  # 镇
    assert seats.kind_of("620102201000") == seats.DivisionKind.TOWNSHIP  # 乡
    assert seats.kind_of("620102001201") == seats.DivisionKind.VILLAGE
    assert seats.kind_of("620102000000") is None


def test_each_post_and_kind_reads_its_own_parameter() -> None:
    assert seats.seat_parameter(Post.COMMITTEE_MEMBER, "620102001000") is policy.SEATS_PER_STREET
    assert seats.seat_parameter(Post.COMMITTEE_MEMBER, "620102101000") is (
        policy.SEATS_PER_TOWNSHIP
    )
    assert seats.seat_parameter(Post.COMMITTEE_MEMBER, "620102101201") is policy.SEATS_PER_VILLAGE
    assert seats.seat_parameter(Post.LIAISON_OFFICER, "620102101201") is (
        policy.SEATS_PER_VILLAGE_LIAISON
    )
    assert seats.seat_parameter(Post.LIAISON_OFFICER, "620102101000") is None
    assert seats.seat_parameter(Post.STAFF, "620102101201") is None


def test_seed_defaults_are_within_their_ranges() -> None:
    assert policy.SEATS_PER_TOWNSHIP.default == policy.SEATS_PER_VILLAGE.default == 1
    assert policy.SEATS_PER_STREET.default == 5
    assert policy.SEATS_PER_STREET.minimum == 3
    assert policy.SEATS_PER_STREET.maximum == 5
    for parameter in policy.PARAMETERS.values():
        assert parameter.in_range(parameter.default), parameter.name
    assert not policy.SEATS_PER_STREET.in_range(Decimal(6))


def test_the_nearest_ancestor_value_in_force_on_the_date_applies() -> None:
    values = [
        policy.SetValue("620000000000", date(2020, 1, 1), Decimal(4)),  # the province
        policy.SetValue("620102000000", date(2024, 1, 1), Decimal(3)),  # the county, later
        policy.SetValue("620102000000", date(2026, 1, 1), Decimal(5)),  # and changed again
    ]
    street = "620102001000"
    parameter = policy.SEATS_PER_STREET
    assert policy.effective(parameter, values, street, date(2019, 6, 1)) == (Decimal(5), None)
    assert policy.effective(parameter, values, street, date(2023, 6, 1)) == (
        Decimal(4),
        "620000000000",
    )
    assert policy.effective(parameter, values, street, date(2025, 6, 1)) == (
        Decimal(3),
        "620102000000",
    )
    assert policy.effective(parameter, values, street, date(2026, 1, 1))[0] == Decimal(5)
    # Another county of the province inherits the province's value only.
    assert policy.effective(parameter, values, "620103001000", date(2025, 6, 1)) == (
        Decimal(4),
        "620000000000",
    )
