"""Settings of the needs service. Regional figures (how often a household is visited, the
petition deadlines) are policy parameters (`canlian.common.policy`), not settings."""

from __future__ import annotations

from pydantic import Field

from canlian.common.settings import PlatformSettings


class NeedsSettings(PlatformSettings):
    visit_max_age_days: int = Field(
        default=90,
        ge=1,
        le=3660,
        description="How many days back an offline home visit may be recorded "
        "(VISIT_MAX_AGE_DAYS).",
    )
    need_step_days: int = Field(
        default=15,
        ge=1,
        le=365,
        description="Days each step of a need (assessment, referral) is due within, when "
        "no statutory deadline applies (NEED_STEP_DAYS).",
    )
    escalation_check_seconds: float = Field(
        default=3600,
        ge=1,
        le=86400,
        description="How often the workers look whether today's escalation of overdue needs "
        "has run; it runs once a China-time day (ESCALATION_CHECK_SECONDS).",
    )
