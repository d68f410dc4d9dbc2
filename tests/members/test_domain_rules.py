"""Domain rules that need no database: plan periods, the nearest-ancestor allowance policy,
roster labels officials type."""

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from canlian.common.events.members import AppointmentStatus, Post, PostLevel
from canlian.members.schemas import DisabilityCategory, Education, RosterRow
from canlian.members.service import AllowancePolicy, plan_period, post_level_of

from .conftest import make_citizen_id


@pytest.mark.parametrize(
    ("on", "name", "start", "end"),
    [
        (date(2011, 1, 1), "十二五", 2011, 2015),
        (date(2015, 12, 31), "十二五", 2011, 2015),
        (date(2016, 1, 1), "十三五", 2016, 2020),
        (date(2026, 11, 24), "十五五", 2026, 2030),
    ],
)
def test_plan_periods_are_five_years_from_2011(on: date, name: str, start: int, end: int) -> None:
    period = plan_period(on)
    assert (period.name, period.start.year, period.end.year) == (name, start, end)


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


def _row(**changes: str) -> dict[str, str]:
    row = {
        "name": "李四",
        "citizen_id": make_citizen_id(4),
        "disability_relation": "残疾人",
        "disability_category": "肢体残疾",
        "education": "大专",
        "organisation_id": "assoc-1",
        "post": "专职委员",
        "selection_method": "公开考试",
        "contract_start": "2025.3.1",
        "contract_end": "20271231",
        "public_welfare_post": "是",
        "monthly_allowance_yuan": "100",
        "status": "在岗",
    }
    row.update(changes)
    return row


def test_roster_rows_accept_the_labels_officials_type() -> None:
    row = RosterRow.model_validate(_row())
    assert row.disability_category == DisabilityCategory.PHYSICAL
    assert row.education == Education.COLLEGE
    assert row.contract_start == date(2025, 3, 1)
    assert row.contract_end == date(2027, 12, 31)
    assert row.public_welfare_post is True
    assert row.status == AppointmentStatus.ACTIVE
    coded = RosterRow.model_validate(_row(disability_category="4", education="30", post="staff"))
    assert coded.disability_category == DisabilityCategory.PHYSICAL
    assert coded.post == Post.STAFF


def test_unknown_labels_say_which_ones_are_allowed() -> None:
    with pytest.raises(ValidationError) as caught:
        RosterRow.model_validate(_row(selection_method="考察", status="退休"))
    errors = {error["loc"][0]: error for error in caught.value.errors()}
    assert errors["selection_method"]["type"] == "roster_choice"
    assert "公开考试" in str(errors["selection_method"]["ctx"]["choices"])
    assert "在岗" in str(errors["status"]["ctx"]["choices"])
