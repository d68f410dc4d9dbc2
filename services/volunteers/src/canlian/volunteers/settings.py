"""Settings of the volunteers service."""

from __future__ import annotations

from pydantic import Field

from canlian.common.settings import PlatformSettings


class VolunteersSettings(PlatformSettings):
    record_max_age_days: int = Field(
        default=90,
        ge=1,
        le=3660,
        description="How many days back an offline service record may be submitted.",
    )
    clock_skew_minutes: int = Field(
        default=10,
        ge=0,
        le=720,
        description="How far in the future a check-out may lie (phones' clocks drift).",
    )
