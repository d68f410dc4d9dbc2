"""Problems of designating institutions and of naming one for an assessment."""

from __future__ import annotations

from canlian.common.errors import Conflict, InvalidInput
from canlian.common.i18n import Message


class InstitutionNotDesignated(InvalidInput):
    code = "institution-not-designated"
    detail = Message(
        zh="机构 {institution_id} 不是申请人所在地区({division_code})现行的指定评定机构;"
        "请从 GET /v1/institutions 中选择",
        en="Institution {institution_id} is not a designated assessment institution for "
        "{division_code} now; choose one from GET /v1/institutions",
    )


class InstitutionAlreadyDesignated(Conflict):
    code = "institution-already-designated"
    detail = Message(
        zh="该地区已指定同名机构(编号 {institution_id})",
        en="This region already designated an institution of that name ({institution_id})",
    )
