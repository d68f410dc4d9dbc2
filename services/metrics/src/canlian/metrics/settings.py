"""Settings of the metrics service."""

from __future__ import annotations

from pydantic import Field

from canlian.common.settings import PlatformSettings


class MetricsSettings(PlatformSettings):
    # Entities a rebuild folds in memory at once; a larger log is folded in several passes.
    rebuild_pass_size: int = Field(default=250_000, ge=1)
    # Bytes of indicator answers each process keeps (canlian.metrics.answers); 0 keeps none.
    answer_cache_bytes: int = Field(default=32 * 1024 * 1024, ge=0)
