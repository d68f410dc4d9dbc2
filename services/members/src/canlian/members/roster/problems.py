"""What the roster import reports: the whole file refused, or a row's own problems."""

from __future__ import annotations

from typing import Any

from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message
from canlian.common.tabular_import import ImportReport
from canlian.members.input_errors import MembersInputError


class RosterInvalid(InvalidInput):
    code = "roster-invalid"
    title = Message(zh="花名册有错误,未导入", en="The roster has errors; nothing was imported")
    detail = Message(
        zh="{invalid} 行有错误(共 {total} 行),见 report.errors;改正后重新上传,"
        "或先用 dry_run=true 校验",
        en="{invalid} of {total} rows have errors (see report.errors); fix them and upload "
        "again, or check first with dry_run=true",
    )

    def extensions(self) -> dict[str, Any]:
        report: ImportReport = self.params["report"]
        return {"report": report.model_dump(mode="json")}


class DuplicateInFile(MembersInputError):
    code = "duplicate-in-file"
    field = "citizen_id"
    detail = Message(zh="与第 {row} 行为同一人(公民身份号码重复)", en="Same person as row {row}")


class SeatTakenInFile(MembersInputError):
    code = "seat-taken-in-file"
    field = "organisation_id"
    detail = Message(
        zh="该组织的此岗位只设1人,已由第 {row} 行占用",
        en="This single-seat post is taken by row {row}",
    )


class RowOutsideScope(MembersInputError):
    code = "region-outside-scope"
    field = "organisation_id"
    detail = Message(
        zh="区划 {region} 不在您的管辖范围 {scope} 内", en="Division {region} is outside {scope}"
    )
