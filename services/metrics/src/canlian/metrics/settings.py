"""Settings of the metrics service."""

from __future__ import annotations

from pydantic import Field

from canlian.common.settings import PlatformSettings


class MetricsSettings(PlatformSettings):
    # Entities a rebuild folds in memory at once; a larger log is folded in several passes.
    rebuild_pass_size: int = Field(default=250_000, ge=1)
