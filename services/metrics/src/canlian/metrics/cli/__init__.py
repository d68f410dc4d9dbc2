"""`canlian metrics ...`: divisions for the denominators, the seeds' plans, reconciliation and
rebuilding the rollups from the event log."""

from __future__ import annotations

import typer

from canlian.metrics.cli import divisions, rebuild, reconcile, seed_plans

metrics_app = typer.Typer(
    name="metrics",
    help="规划指标 / plan indicators: divisions, seed plans, reconcile, rebuild.",
    no_args_is_help=True,
)
metrics_app.add_typer(divisions.divisions_app, name="divisions")
metrics_app.command("seed-plans")(seed_plans.seed_plans)
metrics_app.command("reconcile")(reconcile.reconcile_command)
metrics_app.command("rebuild")(rebuild.rebuild_command)
