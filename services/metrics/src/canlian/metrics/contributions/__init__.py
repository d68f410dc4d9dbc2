"""One module per source domain: how each of its event types maps to counters. Importing the
package registers every mapper (`mappers.MAPPERS`) and every counter's description."""

from canlian.metrics.contributions import (
    cards,
    divisions,
    members,
    needs,
    org_registry,
    reviews,
    township_scores,
    volunteers,
)

__all__ = [
    "cards",
    "divisions",
    "members",
    "needs",
    "org_registry",
    "reviews",
    "township_scores",
    "volunteers",
]
