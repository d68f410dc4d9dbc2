"""Settings of the members service."""

from __future__ import annotations

from canlian.common.settings import PlatformSettings


class MembersSettings(PlatformSettings):
    """Nothing beyond the platform's: regional policies (allowance minimums) are data, set
    per region through the API, not settings."""
