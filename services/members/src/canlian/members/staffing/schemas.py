"""Response bodies of the staffing questions."""

from __future__ import annotations

from pydantic import BaseModel, Field

from canlian.common.events.members import PostLevel


class VacancyRead(BaseModel):
    division_code: str = Field(description="缺配专职委员的乡镇或村 / township or village")
    level: PostLevel = Field(description="乡镇或村 / township or village")
    organisation_id: str = Field(description="应配备的组织 / organisation to appoint to")
    organisation_name: str = Field(description="组织名称 / organisation name")


class TownshipSummary(BaseModel):
    township_code: str = Field(description="乡镇(街道)区划 / township")
    places: int = Field(description="应配专职委员的乡镇和村数 / places needing a member")
    vacancies: int = Field(description="未配备数 / places without an active member")
    active_committee_members: int = Field(description="在岗专职委员 / active committee members")
    allowance_non_compliant: int = Field(
        description="在岗村专职委员误工补贴低于标准 / active village members paid below the minimum"
    )
    public_welfare_posts: int = Field(description="公益性岗位 / in public-welfare posts")
    social_work_posts: int = Field(
        description="在岗乡镇(街道)专职委员纳入社工岗位人数(004)/ active township members on "
        "social-work posts (seed 004), the metrics indicator's numerator"
    )
    seats: int = Field(description="按政策应配专职委员名额 / committee-member seats by policy")
    vacant_seats: int = Field(description="空缺名额 / seats without an active member")


class PlaceSeatsRead(BaseModel):
    division_code: str = Field(description="乡镇(街道)或村 / township, street office or village")
    seats: int = Field(description="按政策应配名额 / seats the region's policy sets")
    policy: str | None = Field(description="设定名额的政策参数 / the policy parameter")
    active_committee_members: int = Field(description="在岗专职委员 / active committee members")
    vacant_seats: int = Field(description="空缺名额 / seats without an active member")
