"""What every request body of the cards API shares: unknown fields are refused, and ids are
64-bit keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# Ids are 64-bit keys; anything larger is refused as input, not sent to the database.
MAX_ID = 2**63 - 1


class StrictBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
