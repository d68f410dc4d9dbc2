"""What a portal sends and what it learns when it verifies a card."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from canlian.cards.bodies import StrictBody
from canlian.common.events.cards import (
    DisabilityCategory,
    DisabilityGrade,
)


class VerificationRequest(StrictBody):
    card_number: str = Field(
        max_length=40, description="20位残疾人证号 / the 20-character card number"
    )


class Verification(BaseModel):
    """What another portal learns: valid or not and the minimum for 凭证享受优惠政策."""

    valid: bool = Field(description="是否有效 / valid now")
    category: DisabilityCategory | None = Field(description="残疾类别 / category (valid only)")
    grade: DisabilityGrade | None = Field(description="残疾等级 / grade (valid only)")
    valid_until: date | None = Field(description="有效期至 / valid until (valid only)")
