"""Response bodies of committee members."""

from __future__ import annotations

from pydantic import BaseModel, Field


class MemberArea(BaseModel):
    member_id: str = Field(description="专职委员编号(委员服务)/ member id (members service)")
    served_divisions: list[str] = Field(
        description="在任岗位服务的乡镇和村(社区)/ places the member's held posts serve"
    )
