"""Settings of the cards service."""

from __future__ import annotations

from pydantic import Field

from canlian.common.settings import PlatformSettings


class CardsSettings(PlatformSettings):
    card_validity_years: int = Field(
        default=10,
        ge=1,
        le=50,
        description="残疾人证有效期(年)/ years a newly issued card stays valid "
        "(CARD_VALIDITY_YEARS)",
    )
    card_timezone: str = Field(
        default="Asia/Shanghai",
        description="Time zone that decides today's date for issue and expiry (CARD_TIMEZONE)",
    )
