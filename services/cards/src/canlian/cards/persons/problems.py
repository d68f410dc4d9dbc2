"""Problems of registering and correcting persons."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class PersonAlreadyRegistered(Conflict):
    code = "person-already-registered"
    detail = Message(
        zh="该公民身份号码已登记(人员编号 {person_id}),请使用 /v1/persons/lookup 查询",
        en="This citizen ID is already registered (person {person_id}); "
        "use /v1/persons/lookup to find it",
    )


class PersonRegisteredElsewhere(Conflict):
    code = "person-registered-elsewhere"
    detail = Message(
        zh="该公民身份号码已在其他地区登记。如此人已迁入本地,请由原登记地办理证件迁移",
        en="This citizen ID is registered in another region; if the person has moved here, "
        "the region holding the record transfers the card",
    )


class NothingToUpdate(InvalidInput):
    code = "nothing-to-update"
    detail = Message(zh="请至少提供 name 或 phone 之一", en="Give at least one of name and phone")
