"""What the archive refuses."""

from __future__ import annotations

from typing import Any

from canlian.common.errors import Conflict
from canlian.common.i18n import Message
from canlian.members.input_errors import MembersInputError


class DisabilityCategoryRequired(MembersInputError):
    code = "disability-category-required"
    field = "disability_category"
    title = Message(zh="缺少残疾类别", en="Disability category missing")
    detail = Message(
        zh="本人为残疾人时须填写残疾类别(1–7)", en="A disabled person needs a category (1-7)"
    )


class DisabilityCategoryNotApplicable(MembersInputError):
    code = "disability-category-not-applicable"
    field = "disability_category"
    title = Message(zh="残疾类别不适用", en="Disability category does not apply")
    detail = Message(
        zh="只有本人为残疾人时才填写残疾类别和等级",
        en="Category and grade are only for a person who is disabled",
    )


class AlreadyInArchive(Conflict):
    code = "already-in-archive"
    title = Message(zh="此人已在档案中", en="Already in the archive")
    detail = Message(
        zh="该公民身份号码已登记,档案编号 {member_id};请在该档案上添加聘任",
        en="This citizen ID is already registered as archive {member_id}; add the "
        "appointment to it",
    )

    def extensions(self) -> dict[str, Any]:
        return {"member_id": str(self.params["member_id"])}


class AlreadyInArchiveElsewhere(Conflict):
    """The entry lies outside the caller's scope: say that the number is taken, no more (no
    archive id, no division), so the answer is no oracle of other regions' records."""

    code = "already-in-archive"
    title = Message(zh="此人已在档案中", en="Already in the archive")
    detail = Message(
        zh="该公民身份号码已在其他地区登记;如此人调入本地,请由原登记地办理档案调动",
        en="This citizen ID is registered in another region; the region holding the entry "
        "moves it here",
    )
