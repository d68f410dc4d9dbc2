"""What every act of a term refuses; each kind names the problem's code and words itself, as
its callers have always read them."""

from __future__ import annotations

from canlian.common.errors import Conflict


class ActWithdrawn(Conflict):
    """A withdrawn act is neither corrected nor withdrawn again: it is recorded anew. The
    detail takes `review_id` and `withdrawn_on`."""
