"""Roster rows accept the labels officials type (no database)."""

from datetime import date

import pytest
from pydantic import ValidationError

from canlian.common.events.members import AppointmentStatus, Post
from canlian.members.archive.schemas import DisabilityCategory, Education
from canlian.members.roster.imports import _row_rules
from canlian.members.roster.schemas import RosterRow
from canlian.members.roster.template import roster_template

from ..conftest import (
    make_citizen_id,
)


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


def test_a_row_on_a_social_work_post_and_one_on_both_schemes() -> None:
    assert "社工岗位" in roster_template().decode("utf-8-sig").splitlines()[0]
    social = RosterRow.model_validate(_row(public_welfare_post="否", social_work_post="是"))
    assert (social.public_welfare_post, social.social_work_post) == (False, True)
    assert RosterRow.model_validate(_row()).social_work_post is False  # the column is optional
    both = RosterRow.model_validate(_row(social_work_post="是"))
    assert [error.code for error in _row_rules(both)] == ["two-post-schemes"]
    assert _row_rules(social) == []
