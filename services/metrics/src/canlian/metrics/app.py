"""The metrics service: `uvicorn --factory canlian.metrics.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from canlian.common.app_factory import create_service_app
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.settings import load_settings
from canlian.metrics.answers.cache import AnswerCache
from canlian.metrics.answers.changes import keep_version
from canlian.metrics.answers.middleware import KeptAnswerMiddleware
from canlian.metrics.answers.versions import VersionWatch
from canlian.metrics.catalogue.routes import router as catalogue_router
from canlian.metrics.dashboard.routes import STATIC_DIR
from canlian.metrics.dashboard.routes import router as dashboard_router
from canlian.metrics.evaluations.routes import router as evaluations_router
from canlian.metrics.models import Base
from canlian.metrics.plans.routes import router as plans_router
from canlian.metrics.plans.uploads import REPORTED_VALUES_IMPORT
from canlian.metrics.reconciliation.routes import router as reconciliation_router
from canlian.metrics.regions.routes import router as regions_router
from canlian.metrics.reports.routes import router as reports_router
from canlian.metrics.rollups.consumer import ROLLUP_CONSUMER
from canlian.metrics.rollups.observability import observe_lag
from canlian.metrics.rollups.policy_values import POLICY_VALUES_CONSUMER
from canlian.metrics.rollups.routes import router as rollups_router
from canlian.metrics.settings import MetricsSettings
from canlian.metrics.submissions.routes import router as submissions_router
from canlian.metrics.township_scores.routes import router as township_scores_router

service_descriptor = ServiceDescriptor(
    name="metrics",
    schema="metrics",
    title="规划指标 / Plan indicators",
    default_port=8005,
    package="canlian.metrics",
)


def create_app(settings: MetricsSettings | None = None, *, run_consumer: bool = True) -> FastAPI:
    settings = settings or load_settings(MetricsSettings)
    if not isinstance(settings, MetricsSettings):
        # The platform's settings alone (the all-in-one runner, the contract tests): the
        # metrics ones from the environment or their defaults.
        settings = MetricsSettings(**settings.model_dump())
    app = create_service_app(
        service_descriptor,
        settings,
        Base.metadata,
        [
            catalogue_router,
            regions_router,
            reports_router,
            plans_router,
            submissions_router,
            evaluations_router,
            township_scores_router,
            rollups_router,
            reconciliation_router,
            dashboard_router,
        ],
        consumers=([ROLLUP_CONSUMER, POLICY_VALUES_CONSUMER] if run_consumer else []),
        import_kinds=[REPORTED_VALUES_IMPORT],
        inner_middleware=[KeptAnswerMiddleware],
        description=(
            "规划指标:各业务服务的事件实时汇总到村、乡镇、县、市、省和全国,"
            "配合规划目标、下钻、历史与报表。/ Plan indicators rolled up live from village to "
            "nation, with targets, drill-down, history, reports and a dashboard at /dashboard."
        ),
    )
    runtime = app.state.runtime
    versions = VersionWatch(runtime.database)
    keep_version(runtime.database, moved=versions.moved_here)
    runtime.serving_tasks.append(("read-model-version", versions.run))
    app.state.answer_versions = versions
    app.state.answers = AnswerCache(settings.answer_cache_bytes)
    # The lag metric is observed when the rollup transaction has committed.
    runtime.database.on_commit(observe_lag)
    app.mount("/dashboard/static", StaticFiles(directory=STATIC_DIR), name="dashboard-static")
    return app
