"""Every table of the metrics service on one `Base`, all in its own schema `metrics`: importing
this module registers each concept's models, so `Base.metadata` is complete (the app, Alembic's
environment and the migration tests read it from here)."""

from __future__ import annotations

from canlian.common.import_jobs.table import import_jobs_table
from canlian.metrics.answers import models as answers_models
from canlian.metrics.catalogue import models as catalogue_models
from canlian.metrics.db import Base
from canlian.metrics.divisions import models as divisions_models
from canlian.metrics.evaluations import models as evaluations_models
from canlian.metrics.plans import models as plans_models
from canlian.metrics.policies import models as policies_models
from canlian.metrics.rankings import models as rankings_models
from canlian.metrics.rollups import models as rollups_models
from canlian.metrics.submissions import models as submissions_models
from canlian.metrics.township_scores import models as township_scores_models

# The reported-values upload's background jobs (canlian.common.import_jobs).
IMPORT_JOBS = import_jobs_table(Base.metadata)

__all__ = [
    "IMPORT_JOBS",
    "Base",
    "answers_models",
    "catalogue_models",
    "divisions_models",
    "evaluations_models",
    "plans_models",
    "policies_models",
    "rankings_models",
    "rollups_models",
    "submissions_models",
    "township_scores_models",
]
