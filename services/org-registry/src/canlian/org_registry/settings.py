"""Settings of the org-registry service."""

from __future__ import annotations

from canlian.common.settings import PlatformSettings


class OrgRegistrySettings(PlatformSettings):
    pass
