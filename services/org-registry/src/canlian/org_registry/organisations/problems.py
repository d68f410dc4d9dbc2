"""Problems an organisation's registration, change or dissolution can meet."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput, NotFound
from canlian.common.i18n import Message


class WrongLevelForKind(InvalidInput):
    code = "wrong-level-for-kind"
    title = Message(zh="组织类型与区划层级不符", en="Organisation kind does not fit the level")
    detail = Message(
        zh="{kind_zh}只能设在{allowed_zh};{division} 是{level_zh}。{hint_zh}",
        en="A {kind} can only sit at {allowed}; {division} is a {level}. {hint}",
    )


class SpecialCategoryMismatch(InvalidInput):
    code = "special-category-mismatch"
    title = Message(zh="专门协会类别有误", en="Special association category is wrong")
    detail = Message(
        zh="专门协会必须填写 special_category(blind/deaf/physical/intellectual/mental),"
        "其他组织不能填写",
        en="special_category is required for a special association "
        "(blind/deaf/physical/intellectual/mental) and not allowed for other kinds",
    )


class DateInFuture(InvalidInput):
    code = "date-in-future"
    title = Message(zh="日期不能晚于今天", en="Date is in the future")
    detail = Message(
        zh="{field} {value} 晚于今天;请登记已发生的事实",
        en="{field} {value} is after today; record what has happened",
    )


class CoverageOutsideTownship(InvalidInput):
    code = "coverage-outside-township"
    title = Message(zh="覆盖的村级区划不在同一乡级区划", en="Covered village outside the township")
    detail = Message(
        zh="残协所在的 {division} 属于 {township},但 {village} 属于 {other};"
        "联合残协只能覆盖同一乡级区划的村级区划",
        en="The association's village {division} is in township {township} but {village} is in "
        "{other}; a joint association can only cover villages of one township",
    )


class CoverageNotVillage(InvalidInput):
    code = "coverage-not-village"
    title = Message(zh="覆盖的区划不是村级区划", en="Covered division is not a village")
    detail = Message(
        zh="{village} 是{level_zh}区划;残协只能覆盖村级区划(村、社区、嘎查)",
        en="{village} is a {level} division; an association covers villages only",
    )


class CoverageNotAllowed(InvalidInput):
    code = "coverage-not-allowed"
    title = Message(zh="只有残协可以覆盖村级区划", en="Only associations cover villages")
    detail = Message(
        zh="covered_divisions 只适用于村级残协(kind=association)",
        en="covered_divisions applies to village associations (kind=association) only",
    )


class VillageAlreadyCovered(Conflict):
    code = "village-already-covered"
    title = Message(zh="已有残协覆盖", en="Village already covered")
    detail = Message(
        zh="{village} 已由残协「{association}」({association_id})覆盖;"
        "一个村级区划只能属于一个残协,请先调整该残协的覆盖范围",
        en="Village {village} is already covered by association '{association}' "
        "({association_id}); change that association's coverage first",
    )


class FederationExists(Conflict):
    code = "federation-exists"
    title = Message(zh="该区划已有残联", en="Federation already exists")
    detail = Message(
        zh="区划 {division} 已有残联「{name}」({id});同一区划只能有一个存续的残联",
        en="Division {division} already has the federation '{name}' ({id}); "
        "only one may exist per division",
    )


class SpecialAssociationExists(Conflict):
    code = "special-association-exists"
    title = Message(zh="该专门协会已存在", en="Special association already exists")
    detail = Message(
        zh="区划 {division} 已有 {category} 专门协会「{name}」({id})",
        en="Division {division} already has the {category} special association '{name}' ({id})",
    )


class NoAssociationForGroup(Conflict):
    code = "no-association-for-group"
    title = Message(zh="尚无覆盖的残协", en="No association covers the village")
    detail = Message(
        zh="{division} 还没有残协;残疾人小组设在残协之下,请先登记覆盖该{word}的残协",
        en="No association covers village {division}; register the association first, "
        "groups sit under it",
    )


class OrganisationNotFound(NotFound):
    code = "organisation-not-found"
    detail = Message(zh="未找到组织 {key}", en="No organisation {key} was found")


class OrganisationDissolvedAlready(Conflict):
    code = "organisation-dissolved"
    title = Message(zh="组织已撤销", en="Organisation is dissolved")
    detail = Message(
        zh="组织 {id} 已于 {dissolved_on} 撤销,不能再修改",
        en="Organisation {id} was dissolved on {dissolved_on} and cannot change",
    )


class ActiveChildren(Conflict):
    code = "active-children"
    title = Message(zh="仍有下级组织", en="Organisation still has active children")
    detail = Message(
        zh="组织 {id} 仍有 {count} 个存续的下级组织;请先撤销或调整这些下级组织",
        en="Organisation {id} still has {count} active child organisation(s); dissolve or "
        "move them first",
    )


class DissolvedBeforeEstablished(InvalidInput):
    code = "dissolved-before-established"
    title = Message(zh="撤销日期早于成立日期", en="Dissolved before established")
    detail = Message(
        zh="撤销日期 {dissolved_on} 早于成立日期 {established_on}",
        en="dissolved_on {dissolved_on} is before established_on {established_on}",
    )


class DemonstrationSiteByAcceptance(Conflict):
    code = "demonstration-site-by-acceptance"
    title = Message(zh="示范点须验收合格后确定", en="Demonstration sites follow acceptance")
    detail = Message(
        zh="示范点只能在验收合格后通过 POST /v1/organisations/<id>/demonstration-site 确定",
        en="A demonstration site is designated only after passing acceptance, through "
        "POST /v1/organisations/<id>/demonstration-site",
    )
