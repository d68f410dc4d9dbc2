"""Problems of household files."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class HouseholdNotInVillage(InvalidInput):
    code = "household-not-in-village"
    title = Message(zh="户籍地应为村级区划", en="A household lives in a village or community")
    detail = Message(
        zh="{division_code} 不是村级区划(村、社区、嘎查)代码",
        en="{division_code} is not a village or community code",
    )


class PersonAlreadyInHousehold(Conflict):
    code = "person-already-in-household"
    title = Message(zh="该残疾人已在本户", en="Person already in this household")
    detail = Message(
        zh="残疾人 {person_id} 已是本户成员", en="Person {person_id} is already a member"
    )


class PersonIdOnlyForDisabled(InvalidInput):
    code = "person-id-only-for-disabled"
    title = Message(zh="仅残疾成员关联残疾人证人员", en="Only disabled members link a person")
    detail = Message(
        zh="person_id 只用于残疾成员,关联残疾人证系统中的人员",
        en="person_id links a disabled member to the cards service's person",
    )


class UnknownHouseholdMember(InvalidInput):
    code = "unknown-household-member"
    title = Message(zh="不是本户成员", en="Not a member of this household")
    detail = Message(zh="成员 {member_id} 不属于本户", en="Member {member_id} is not in it")


class ServiceEndsBeforeItStarts(InvalidInput):
    code = "service-ends-before-it-starts"
    title = Message(zh="结束日期早于开始日期", en="Ends before it starts")
    detail = Message(
        zh="结束日期 {until} 早于开始日期 {since}", en="Until {until} is before since {since}"
    )
