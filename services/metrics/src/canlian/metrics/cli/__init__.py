"""`canlian metrics ...`: divisions for the denominators, the seeds' plans, reconciliation and
rebuilding the rollups from the event log."""

from __future__ import annotations

import typer

from canlian.metrics.cli import divisions, rebuild, reconcile, seed_plans
from canlian.metrics.cli.divisions import load_divisions
from canlian.metrics.cli.seed_plans import define_seed_plans
from canlian.metrics.divisions.dataset import read_dataset

# tests/metrics/dashboard/test_dashboard.py reads these three from here.
__all__ = ["define_seed_plans", "load_divisions", "metrics_app", "read_dataset"]

metrics_app = typer.Typer(
    name="metrics",
    help="规划指标 / plan indicators: divisions, seed plans, reconcile, rebuild.",
    no_args_is_help=True,
)
metrics_app.add_typer(divisions.divisions_app, name="divisions")
metrics_app.command("seed-plans")(seed_plans.seed_plans)
metrics_app.command("reconcile")(reconcile.reconcile_command)
metrics_app.command("rebuild")(rebuild.rebuild_command)
