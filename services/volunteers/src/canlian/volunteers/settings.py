"""Settings of the volunteers service."""

from __future__ import annotations

from canlian.common.settings import PlatformSettings


class VolunteersSettings(PlatformSettings):
    pass
