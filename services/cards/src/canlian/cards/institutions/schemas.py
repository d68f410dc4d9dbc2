"""Request and response bodies about designated assessment institutions."""

from __future__ import annotations

from pydantic import BaseModel, Field

from canlian.cards.bodies import StrictBody
from canlian.common.divisions import KnownDivisionCode
from canlian.common.ids import WireId
from canlian.common.values import HumanText


class InstitutionCreate(StrictBody):
    name: HumanText = Field(
        min_length=2, max_length=200, description="机构名称(如某某医院)/ institution name"
    )
    division_code: KnownDivisionCode = Field(
        description="指定它的市或县区划代码,服务该区划内的申请人 / the city or county that "
        "designates it; it assesses applicants living there"
    )


class InstitutionRead(BaseModel):
    id: WireId = Field(description="机构编号 / institution id")
    name: str = Field(description="机构名称 / name")
    division_code: str = Field(description="指定地区 / designating division")
    active: bool = Field(description="是否仍为指定机构 / still designated")
    version: int = Field(description="版本号 / version")
