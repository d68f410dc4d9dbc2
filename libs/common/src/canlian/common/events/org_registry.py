"""Events of the org-registry service (topic `canlian.org-registry`).

Filled in by the org-registry domain; each class is past tense and versioned.
"""

from __future__ import annotations

TOPIC = "canlian.org-registry"
