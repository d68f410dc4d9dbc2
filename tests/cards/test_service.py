"""Domain rules of the cards service, without a database: the state machines, card numbers,
validity dates, how register cells are read."""

from datetime import date

import pytest
from pydantic import ValidationError

from canlian.cards import service
from canlian.cards.service import (
    APPLICATION_TRANSITIONS,
    CARD_TRANSITIONS,
    ApplicationAction,
    CardAction,
    IllegalTransition,
    ImportRow,
    InvalidCardNumber,
)
from canlian.common.events.cards import ApplicationStatus, CardGeneration, CardStatus

VECTOR = "11010519491231002X"  # the GB 11643 test vector


def test_every_card_action_outside_the_table_is_refused_naming_state_and_allowed_actions() -> None:
    for status in CardStatus:
        allowed = service.allowed_card_actions(status)
        for action in CardAction:
            if (status, action) in CARD_TRANSITIONS:
                assert (
                    service.next_card_status(status, action) is CARD_TRANSITIONS[(status, action)]
                )
                assert action.value in allowed
                continue
            with pytest.raises(IllegalTransition) as refused:
                service.next_card_status(status, action)
            problem = refused.value
            assert problem.status == 409
            assert problem.extensions() == {"state": status.value, "allowed_actions": allowed}
            assert status.value in problem.render_detail("en")  # type: ignore[operator]


def test_the_card_lifecycle_table() -> None:
    assert service.allowed_card_actions(CardStatus.VALID) == [
        "replace",
        "reissue",
        "change",
        "transfer",
        "cancel",
        "expire",
    ]
    assert service.allowed_card_actions(CardStatus.EXPIRED) == ["replace", "cancel"]
    assert service.allowed_card_actions(CardStatus.SUPERSEDED) == []
    assert service.allowed_card_actions(CardStatus.CANCELLED) == []


def test_an_application_needs_assessment_and_approval_before_issue() -> None:
    assert service.allowed_application_actions(ApplicationStatus.SUBMITTED) == ["assess"]
    with pytest.raises(IllegalTransition) as refused:
        service.next_application_status("assessed", ApplicationAction.ISSUE)
    assert "已评定" in refused.value.render_detail("zh")  # type: ignore[operator]
    assert "审核通过" in refused.value.render_detail("zh")  # type: ignore[operator]
    assert (ApplicationStatus.APPROVED, ApplicationAction.ISSUE) in APPLICATION_TRANSITIONS
    for closed in (ApplicationStatus.REJECTED, ApplicationStatus.ISSUED):
        assert service.allowed_application_actions(closed) == []


def test_card_numbers_are_the_citizen_id_then_category_then_grade() -> None:
    assert service.card_number(VECTOR, 4, 2) == VECTOR + "42"
    assert service.parse_card_number(VECTOR.lower() + "42") == (VECTOR, 4, 2)


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        (VECTOR + "4", "20"),
        (VECTOR[:17] + "1" + "42", "check digit"),
        (VECTOR + "82", "category 1-7"),
        (VECTOR + "40", "grade 1-4"),
    ],
)
def test_bad_card_numbers_say_what_is_wrong(number: str, fragment: str) -> None:
    with pytest.raises(InvalidCardNumber) as refused:
        service.parse_card_number(number)
    assert fragment in refused.value.render_detail("en")  # type: ignore[operator]


def test_validity_adds_whole_years_and_handles_29_february() -> None:
    assert service.add_years(date(2026, 11, 24), 10) == date(2036, 11, 24)
    assert service.add_years(date(2024, 2, 29), 10) == date(2034, 2, 28)
    assert service.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_register_cells_accept_the_words_officials_type() -> None:
    row = ImportRow.model_validate(
        {
            "citizen_id": VECTOR.lower(),
            "name": "张三",
            "card_number": VECTOR + "63",
            "category": "精神残疾",
            "grade": "三级",
            "issued_on": "2020-01-02",
            "division_code": "110105",
            "generation": "智能化残疾人证",
        }
    )
    assert (row.citizen_id, int(row.category), int(row.grade)) == (VECTOR, 6, 3)
    assert row.generation is CardGeneration.SMART
    assert row.division_code == "110105000000"
    blank = ImportRow.model_validate({**row.model_dump(), "generation": None})
    assert blank.generation is CardGeneration.SECOND_GENERATION
    with pytest.raises(ValidationError) as refused:
        ImportRow.model_validate({**row.model_dump(), "category": "八", "grade": "零级"})
    assert {error["loc"][0] for error in refused.value.errors()} == {"category", "grade"}
