"""What a portal sends and what it learns when it verifies a card."""

from __future__ import annotations

from pydantic import BaseModel, Field

from canlian.cards.bodies import StrictBody
from canlian.common.values import SaneDate

VALID_UNTIL_DESCRIPTION = (
    "证件上印的有效期截止日期(第二要素,须与证件一致)"
    " / the validity end date printed on the card (second factor; must match the card)"
)


class VerificationRequest(StrictBody):
    card_number: str = Field(
        max_length=40, description="20位残疾人证号 / the 20-character card number"
    )
    valid_until: SaneDate = Field(description=VALID_UNTIL_DESCRIPTION)


class Verification(BaseModel):
    """What another portal learns: valid or not, nothing else. The category and grade are
    the number's last two digits, which the portal sent."""

    valid: bool = Field(
        description="证件有效且证号、有效期均与证件一致 / the card is valid now, and its number "
        "and validity end date are the ones given"
    )
