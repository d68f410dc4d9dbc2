"""A station's roster (花名册导入): every row checked before anything is written."""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import ValidationError

from canlian.common import tabular_import
from canlian.common.auth import Principal
from canlian.common.errors import InvalidInput
from canlian.common.events.volunteers import RegistrationChannel, Skill
from canlian.common.i18n import Message
from canlian.common.tabular_import import (
    Column,
    ImportReport,
    RowError,
    errors_from_validation,
    read_table,
)
from canlian.volunteers.context import Context
from canlian.volunteers.db import new_id
from canlian.volunteers.registration.schemas import StationRegistration
from canlian.volunteers.registration.service import register
from canlian.volunteers.volunteers import repository

ROSTER_COLUMNS = (
    Column("name", ("姓名",)),
    Column("phone", ("手机号码", "手机号", "联系电话", "电话")),
    Column("citizen_id", ("公民身份号码", "身份证号码", "身份证号"), required=False),
    Column("division_code", ("区划代码", "所在区划代码", "村(社区)代码")),
    Column("skills", ("技能", "服务特长", "特长"), required=False),
)

# The words stations write in a roster's skills column.
SKILL_WORDS: dict[str, Skill] = {
    "手语": Skill.SIGN_LANGUAGE,
    "康复": Skill.REHABILITATION,
    "康复训练": Skill.REHABILITATION,
    "法律援助": Skill.LEGAL_AID,
    "法律": Skill.LEGAL_AID,
    "陪伴": Skill.COMPANIONSHIP,
    "精神慰藉": Skill.COMPANIONSHIP,
    "出行": Skill.TRANSPORT,
    "接送": Skill.TRANSPORT,
    "出行接送": Skill.TRANSPORT,
    "生活照料": Skill.DAILY_CARE,
    "心理疏导": Skill.PSYCHOLOGICAL_SUPPORT,
    "心理": Skill.PSYCHOLOGICAL_SUPPORT,
    "助学": Skill.EDUCATION,
    "助学辅导": Skill.EDUCATION,
    "就业帮扶": Skill.EMPLOYMENT,
    "就业": Skill.EMPLOYMENT,
    "医疗": Skill.MEDICAL,
    "医疗保健": Skill.MEDICAL,
    "助读": Skill.READING,
    "读书读报": Skill.READING,
    "无障碍改造": Skill.ACCESSIBILITY,
    "无障碍": Skill.ACCESSIBILITY,
}
_SKILL_SEPARATORS = re.compile(r"[,,、;;/\s]+")


class RosterRejected(tabular_import.ImportRejected):
    title = Message(zh="花名册有错误,未导入任何数据", en="The roster has errors; nothing imported")


class EmptyRoster(InvalidInput):
    code = "empty-roster"
    title = Message(zh="花名册没有数据行", en="The roster has no rows")
    detail = Message(zh="表头下没有任何数据行", en="There are no rows under the header")


def parse_skills(text: str | None) -> tuple[list[Skill], list[str]]:
    """Skills from a roster cell (codes or the Chinese words), and the words not understood."""
    skills: set[Skill] = set()
    unknown: list[str] = []
    for word in _SKILL_SEPARATORS.split(text or ""):
        if not word:
            continue
        if word in Skill.__members__.values():
            skills.add(Skill(word))
        elif word in SKILL_WORDS:
            skills.add(SKILL_WORDS[word])
        else:
            unknown.append(word)
    return sorted(skills), unknown


async def import_roster(
    context: Context,
    principal: Principal,
    content: bytes,
    filename: str,
    *,
    dry_run: bool,
    all_or_nothing: bool,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ImportReport:
    """Register a station's roster: every row is checked (fields, region scope, numbers
    already registered or repeated in the file) before anything is written. `progress`
    hears ("validate", rows checked, rows) then ("import", rows written, rows to write)."""
    errors: list[RowError] = []
    rows = list(read_table(content, filename, ROSTER_COLUMNS, errors))
    if not rows:
        raise EmptyRoster()
    valid: list[tuple[int, StationRegistration]] = []
    unchanged: list[int] = []
    seen: dict[str, int] = {}
    for checked, row in enumerate(rows):
        if progress:
            progress("validate", checked, len(rows))
        row_errors = [error for error in errors if error.row == row.number]
        skills, unknown = parse_skills(row.values.get("skills"))
        if unknown:
            row_errors.append(
                RowError(
                    row=row.number,
                    field="skills",
                    reason=f"未知技能:{'、'.join(unknown)};可用:{'、'.join(SKILL_WORDS)}",
                )
            )
        try:
            body = StationRegistration.model_validate(
                {
                    "name": row.values.get("name"),
                    "phone": row.values.get("phone"),
                    "citizen_id": row.values.get("citizen_id"),
                    "division_code": row.values.get("division_code"),
                    "skills": skills,
                }
            )
        except ValidationError as error:
            row_errors.extend(errors_from_validation(row.number, error))
            _record_row_errors(errors, row_errors)
            continue
        if not row_errors and await _registered_as_is(context, body):
            # The volunteer is registered with this phone, ID and place already: a roster
            # imported twice writes nothing the second time.
            unchanged.append(row.number)
            continue
        row_errors.extend(await _roster_row_conflicts(context, principal, row.number, body, seen))
        _record_row_errors(errors, row_errors)
        if not row_errors:
            valid.append((row.number, body))
    invalid = len({error.row for error in errors})
    write = not dry_run and (not errors or not all_or_nothing)
    imported = 0
    if write:
        for _number, body in valid:
            await register(
                context, principal, body, volunteer_id=new_id(), channel=RegistrationChannel.STATION
            )
            imported += 1
            if progress:
                progress("import", imported, len(valid))
    report = ImportReport(
        total_rows=len(rows),
        valid_rows=len(rows) - invalid,
        invalid_rows=invalid,
        imported_rows=imported,
        unchanged=unchanged,
        dry_run=dry_run,
        errors=sorted(errors, key=lambda error: (error.row, error.field)),
    )
    if not dry_run and all_or_nothing and errors:
        raise RosterRejected(report)
    return report


async def _registered_as_is(context: Context, body: StationRegistration) -> bool:
    """A volunteer holds the row's phone with the same name, citizen ID (or none) and place."""
    protector = context.personal_data
    found = await repository.volunteer_by_phone_index(context.session, protector.index(body.phone))
    if found is None:
        return False
    citizen_index = protector.index(body.citizen_id) if body.citizen_id else None
    return (
        found.citizen_id_index == citizen_index
        and found.division_code == body.division_code
        and protector.decrypt(found.name_encrypted) == body.name
    )


def _record_row_errors(errors: list[RowError], row_errors: list[RowError]) -> None:
    known = {(error.row, error.field, error.reason) for error in errors}
    for error in row_errors:
        if (error.row, error.field, error.reason) not in known:
            errors.append(error)


async def _roster_row_conflicts(
    context: Context,
    principal: Principal,
    number: int,
    body: StationRegistration,
    seen: dict[str, int],
) -> list[RowError]:
    problems: list[RowError] = []
    if not principal.covers(body.division_code):
        problems.append(
            RowError(
                row=number,
                field="division_code",
                reason=f"区划 {body.division_code} 不在您的管辖范围 {principal.region} 内",
            )
        )
    protector = context.personal_data
    identities = [("phone", body.phone, "手机号码")]
    if body.citizen_id:
        identities.append(("citizen_id", body.citizen_id, "公民身份号码"))
    for field, value, label in identities:
        index = protector.index(value)
        if index in seen:
            problems.append(
                RowError(row=number, field=field, reason=f"{label}与第 {seen[index]} 行重复")
            )
            continue
        seen[index] = number
        taken = (
            await repository.phone_taken(context.session, index, None)
            if field == "phone"
            else await repository.citizen_id_taken(context.session, index)
        )
        if taken:
            problems.append(RowError(row=number, field=field, reason=f"{label}已登记为志愿者"))
    return problems
