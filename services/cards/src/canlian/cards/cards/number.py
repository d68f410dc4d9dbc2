"""The card number: the 18-character citizen ID, the category and the grade. It is never
stored: it is derived from the encrypted citizen ID when shown (masked), and a keyed hash of
it serves verification."""

from __future__ import annotations

from typing import Any

from canlian.cards.cards.models import Card
from canlian.cards.persons.models import Person
from canlian.common import citizen_id
from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message
from canlian.common.personal_data import (
    PersonalDataProtector,
    mask_citizen_id,
)


class InvalidCardNumber(InvalidInput):
    """The number holds a citizen ID: the problem names the route, not the requested URL."""

    code = "invalid-card-number"
    detail = Message(
        zh="残疾人证号应为20位:18位公民身份号码 + 1位类别(1-7)+ 1位等级(1-4):{reason_zh}",
        en="A card number is 20 characters: the 18-character citizen ID, category 1-7 and "
        "grade 1-4: {reason}",
    )

    def extensions(self) -> dict[str, Any]:
        return {"instance": "/v1/verifications/{card_number}"}


def card_number(citizen_id_value: str, category: int, grade: int) -> str:
    return f"{citizen_id_value}{category}{grade}"


def parse_card_number(value: str) -> tuple[str, int, int]:
    """Split and check a 20-character card number; raises InvalidCardNumber."""
    number = value.strip().upper()
    if len(number) != 20:
        raise InvalidCardNumber(reason="must have 20 characters", reason_zh="长度应为20位")
    try:
        holder = citizen_id.parse(number[:18])
    except citizen_id.InvalidCitizenId as error:
        raise InvalidCardNumber(
            reason=f"citizen ID part: {error.reason}", reason_zh=f"身份号码部分{error.reason_zh}"
        ) from None
    category, grade = number[18], number[19]
    if category not in "1234567" or grade not in "1234":
        raise InvalidCardNumber(
            reason="the last two digits must be category 1-7 and grade 1-4",
            reason_zh="末两位应为类别(1-7)和等级(1-4)",
        )
    return holder, int(category), int(grade)


def card_number_masked(pii: PersonalDataProtector, person: Person, card: Card) -> str:
    return mask_citizen_id(
        card_number(pii.decrypt(person.citizen_id_encrypted), card.category, card.grade)
    )
