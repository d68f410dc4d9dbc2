from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from canlian.common import citizen_id
from canlian.common.citizen_id import CitizenId


def test_standard_test_vector() -> None:
    assert citizen_id.check_digit("11010519491231002") == "X"
    assert citizen_id.parse("11010519491231002x") == "11010519491231002X"
    assert citizen_id.birth_date("11010519491231002X") == date(1949, 12, 31)
    assert citizen_id.sex("11010519491231002X") == "female"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110105194912310021", "check digit"),
        ("11010519491231002", "18 characters"),
        ("1101051949123100AX", "17 digits"),
        ("110105194902300021", "birth date is not a real date"),
        ("000105194912310021", "province"),
    ],
)
def test_invalid_numbers_say_why(value: str, reason: str) -> None:
    with pytest.raises(citizen_id.InvalidCitizenId, match=reason):
        citizen_id.parse(value)


def test_future_birth_dates_are_refused() -> None:
    number = "110105" + "20990101" + "002"
    number += citizen_id.check_digit(number)
    with pytest.raises(citizen_id.InvalidCitizenId, match="out of range"):
        citizen_id.parse(number)


def test_pydantic_field_type_reports_its_own_error_type() -> None:
    class Person(BaseModel):
        id_number: CitizenId

    with pytest.raises(ValidationError) as raised:
        Person(id_number="110105194912310021")
    assert raised.value.errors()[0]["type"] == "citizen_id"
