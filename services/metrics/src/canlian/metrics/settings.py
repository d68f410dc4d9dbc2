"""Settings of the metrics service."""

from __future__ import annotations

from canlian.common.settings import PlatformSettings


class MetricsSettings(PlatformSettings):
    pass
