"""The only contract between services: one module of past-tense events per domain.

Importing this package registers every event type, so an envelope can be turned back into
its typed payload anywhere.
"""

from canlian.common.events import cards, members, metrics, needs, org_registry, volunteers
from canlian.common.events.base import CloudEvent, DomainEvent

__all__ = [
    "CloudEvent",
    "DomainEvent",
    "cards",
    "members",
    "metrics",
    "needs",
    "org_registry",
    "volunteers",
]
