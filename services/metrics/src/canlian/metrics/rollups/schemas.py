"""Response bodies of the rollups' operations (field descriptions in Chinese and English)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ParkedEventRead(BaseModel):
    event_id: str = Field(description="事件编号 / event id")
    event_type: str = Field(description="事件类型 / event type")
    dataschema: str = Field(description="事件模式及版本 / schema and version")
    reason: str = Field(description="暂存原因 / why it was parked")
    parked_at: datetime = Field(description="暂存时间 / parked at")


class ParkedReplay(BaseModel):
    tried: int = Field(description="重试的事件数 / events tried")
    applied: int = Field(description="已汇总并移出暂存 / rolled up and released")
    still_parked: int = Field(description="仍无法处理 / still parked")
    stale: int = Field(description="其中版本已过时 / of the applied, older than the rollups")
