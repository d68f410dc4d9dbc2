"""Why an organisation cannot take an appointment."""

from __future__ import annotations

from canlian.common.i18n import Message
from canlian.members.input_errors import MembersInputError


class UnknownOrganisation(MembersInputError):
    code = "unknown-organisation"
    field = "organisation_id"
    title = Message(zh="组织不存在", en="Unknown organisation")
    detail = Message(
        zh="组织登记中没有编号为 {organisation_id} 的组织;请核对编号,或先在组织登记中登记",
        en="The organisation registry has no organisation {organisation_id}; check the id or "
        "register it first",
    )


class OrganisationDissolved(MembersInputError):
    code = "organisation-dissolved"
    field = "organisation_id"
    title = Message(zh="组织已撤销", en="Organisation dissolved")
    detail = Message(
        zh="组织 {organisation_id} 已撤销,不能再聘任;请聘任到接续的组织",
        en="Organisation {organisation_id} is dissolved; appoint to its successor",
    )
