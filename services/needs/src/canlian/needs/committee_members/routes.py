"""Officials look up where a committee member may visit."""

from __future__ import annotations

from fastapi import APIRouter

from canlian.common.errors import OutsideScope
from canlian.needs.committee_members import service
from canlian.needs.committee_members.problems import UnknownCommitteeMember
from canlian.needs.committee_members.schemas import MemberArea
from canlian.needs.dependencies import IdPath, OfficialContext

router = APIRouter(prefix="/v1/committee-members", tags=["committee-members 专职委员"])


@router.get(
    "/{member_id}/area",
    response_model=MemberArea,
    summary="专职委员的服务范围 / Where a committee member serves",
)
async def member_area(member_id: IdPath, context: OfficialContext) -> MemberArea:
    try:
        area = await service.member_area(context.session, member_id)
    except UnknownCommitteeMember:
        raise OutsideScope(what="专职委员") from None
    visible = [place for place in area if context.principal.covers(place)]
    if not visible:
        raise OutsideScope(what="专职委员")
    return MemberArea(member_id=member_id, served_divisions=visible)
