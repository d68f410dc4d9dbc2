"""Events of the volunteers service (topic `canlian.volunteers`).

Filled in by the volunteers domain; each class is past tense and versioned.
"""

from __future__ import annotations

TOPIC = "canlian.volunteers"
