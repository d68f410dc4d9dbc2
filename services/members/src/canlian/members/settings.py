"""Settings of the members service."""

from __future__ import annotations

from canlian.common.settings import PlatformSettings


class MembersSettings(PlatformSettings):
    pass
