"""Events of the cards service (topic `canlian.cards`).

Filled in by the cards domain; each class is past tense and versioned.
"""

from __future__ import annotations

TOPIC = "canlian.cards"
