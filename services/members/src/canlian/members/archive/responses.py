"""An archive entry as the API shows it: identifiers masked."""

from __future__ import annotations

from canlian.common.events.members import DisabilityRelation, MemberKind
from canlian.common.personal_data import PersonalDataProtector
from canlian.members.archive import service
from canlian.members.archive.models import Member
from canlian.members.archive.schemas import MemberRead


def member_read(protector: PersonalDataProtector, member: Member) -> MemberRead:
    return MemberRead(
        id=member.id,
        kind=MemberKind(member.kind),
        division_code=member.division_code,
        name=service.masked_name(protector, member),
        citizen_id=service.masked_citizen_id(protector, member),
        phone=service.masked_phone(protector, member),
        sex="male" if member.sex == "male" else "female",
        birth_year=member.birth_year,
        disability_relation=DisabilityRelation(member.disability_relation),
        disability_category=member.disability_category,
        disability_grade=member.disability_grade,
        education=member.education,
        in_talent_pool=member.in_talent_pool,
        reserve_cadre=member.reserve_cadre,
        version=member.version,
        created_at=member.created_at,
        updated_at=member.updated_at,
        updated_by=member.updated_by,
    )
