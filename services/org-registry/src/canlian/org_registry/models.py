"""Every table of the org-registry service on one metadata.

The kit reads `Base.metadata` from this module (app creation, Alembic's env, the migration
comparison), so it imports each concept's models; the tables themselves live with their concept.
"""

from __future__ import annotations

from canlian.org_registry.acceptance.models import (
    AcceptanceChecklist,
    ChecklistItem,
    Finding,
    Inspection,
)
from canlian.org_registry.budget_reviews.models import BudgetReview, BudgetReviewVersion
from canlian.org_registry.commendations.models import CommendationRound, Nomination
from canlian.org_registry.db import SCHEMA, Base
from canlian.org_registry.divisions.models import Division, DivisionChange
from canlian.org_registry.leadership.models import Body, BodyMember, Term
from canlian.org_registry.midterm_reviews.models import MidTermReview, MidTermReviewVersion
from canlian.org_registry.organisations.models import ChangeRecord, Coverage, Organisation
from canlian.org_registry.policies.models import POLICY_VALUES
from canlian.org_registry.staff.models import FederationStaff, GrassrootsDays

__all__ = [
    "POLICY_VALUES",
    "SCHEMA",
    "AcceptanceChecklist",
    "Base",
    "Body",
    "BodyMember",
    "BudgetReview",
    "BudgetReviewVersion",
    "ChangeRecord",
    "ChecklistItem",
    "CommendationRound",
    "Coverage",
    "Division",
    "DivisionChange",
    "FederationStaff",
    "Finding",
    "GrassrootsDays",
    "Inspection",
    "MidTermReview",
    "MidTermReviewVersion",
    "Nomination",
    "Organisation",
    "Term",
]
