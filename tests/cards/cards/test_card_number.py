"""Card numbers, without a database."""

import pytest

from canlian.cards.cards.number import InvalidCardNumber, card_number, parse_card_number

VECTOR = "11010519491231002X"  # the GB 11643 test vector


def test_card_numbers_are_the_citizen_id_then_category_then_grade() -> None:
    assert card_number(VECTOR, 4, 2) == VECTOR + "42"
    assert parse_card_number(VECTOR.lower() + "42") == (VECTOR, 4, 2)


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
        parse_card_number(number)
    assert fragment in refused.value.render_detail("en")  # type: ignore[operator]
