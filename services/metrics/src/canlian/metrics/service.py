"""Only for tests/metrics/dashboard/test_dashboard.py, which is being changed on another branch
and keeps its imports until that lands: the rollup consumer's handler under its old module.
Remove once that test imports `canlian.metrics.rollups.consumer`."""

from __future__ import annotations

from canlian.metrics.rollups.consumer import rollup_events

__all__ = ["rollup_events"]
