"""Events of the members service (topic `canlian.members`).

Filled in by the members domain; each class is past tense and versioned.
"""

from __future__ import annotations

TOPIC = "canlian.members"
