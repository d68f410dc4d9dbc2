"""Class 13, kit part (bad values stored): one text type for names and titles, a phone type,
dates within 1900..2100, finite numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from canlian.common import validation_messages
from canlian.common.values import (
    FiniteDecimal,
    FiniteFloat,
    HumanText,
    Phone,
    SaneDate,
    human_text,
)


class Body(BaseModel):
    name: HumanText = "名称"
    short: human_text(10) = "短"  # type: ignore[valid-type]
    phone: Phone = "13812345678"
    born: SaneDate = date(1980, 1, 1)
    target: FiniteDecimal = Decimal(1)
    ratio: FiniteFloat = 0.5


@pytest.mark.parametrize(
    "name",
    [
        "张\x00三",
        "张三\n",
        "a\tb",
        "\u202e张三",
        "张\u2066三\u2069",
        "张\u200b三",
        "\ufeff张三",
        "张\u2028三",
        "   ",
        "",
        "\u3000",
        "名" * 201,
    ],
)
def test_names_refuse_control_bidi_zero_width_blank_and_long_text(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Body(name=name)
    error = refused.value.errors()[0]
    assert error["type"] in ("human_text",)
    assert validation_messages.render(dict(error), "zh").startswith("文本无效")


def test_names_are_nfc_trimmed_and_single_spaced() -> None:
    assert Body(name="  e\u0301cole   du  village ").name == "\u00e9cole du village"
    assert Body(name="城关区残联").name == "城关区残联"
    assert Body(short="十个字以内的名称").short == "十个字以内的名称"
    with pytest.raises(ValidationError):
        Body(short="超过十个字的一个很长的名称")


@pytest.mark.parametrize("phone", ["+++++++", "1234", "138123456789", "abc", "0931-81", "++86"])
def test_phones_must_be_phones(phone: str) -> None:
    with pytest.raises(ValidationError):
        Body(phone=phone)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("138 1234 5678", "13812345678"),
        ("0931-8123456", "09318123456"),
        ("+86 138 1234 5678", "+8613812345678"),
    ],
)
def test_phones_are_normalised(given: str, stored: str) -> None:
    assert Body(phone=given).phone == stored


@pytest.mark.parametrize("born", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_dates_lie_between_1900_and_2100(born: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Body.model_validate({"born": born})
    assert "1900-01-01" in validation_messages.render(dict(refused.value.errors()[0]), "zh")


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "inf", "nan"])
def test_numbers_are_finite(number: str) -> None:
    with pytest.raises(ValidationError):
        Body.model_validate({"target": number})
    with pytest.raises(ValidationError):
        Body.model_validate({"ratio": number})
    with pytest.raises(ValidationError):
        Body.model_validate_json(f'{{"ratio": {number if number != "inf" else "Infinity"}}}')
