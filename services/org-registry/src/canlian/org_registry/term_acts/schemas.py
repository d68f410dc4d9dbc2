"""The bodies every act of a term shares. Each kind subclasses them under its own name, with
its own example and words: the names are those of the published API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, Field

from canlian.common.values import Multiline
from canlian.org_registry.api import Strict


class Correction(Protocol):
    """A kind's correction body: the act as it should have been recorded, and why."""

    @property
    def reason(self) -> str: ...


class ActWithdrawal(Strict):
    reason: Annotated[str, Multiline(2000)] = Field(description="撤销理由 / why it is withdrawn")


class ActVersionRead(BaseModel):
    version: int
    change: Literal["recorded", "corrected", "withdrawn"]
    content: dict[str, Any] = Field(description="该版本的内容 / the act at this version")
    reason: str | None = Field(description="更正或撤销理由 / why it changed")
    recorded_by: str
    recorded_at: datetime
