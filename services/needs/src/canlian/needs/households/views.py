"""Household bodies built from rows: names and the address leave masked."""

from __future__ import annotations

from canlian.common.events.needs import DifficultyFlag, ServiceKind
from canlian.common.personal_data import PersonalDataProtector, mask_name
from canlian.needs.households.models import Household, HouseholdMember, MemberService
from canlian.needs.households.schemas import (
    HouseholdRead,
    HouseholdSummary,
    MemberRead,
    MemberServiceRead,
    Relation,
    ServiceStatus,
)

SHOWN_ADDRESS_CHARACTERS = 6


def mask_address(address: str) -> str:
    """The start (province, city or county) stays readable; the rest is hidden."""
    return address[:SHOWN_ADDRESS_CHARACTERS] + "****"


def household_summary(row: Household) -> HouseholdSummary:
    return HouseholdSummary(
        id=row.id,
        division_code=row.division_code,
        flags=[DifficultyFlag(flag) for flag in row.flags],
        visit_interval_days=row.visit_interval_days,
        last_visited_on=row.last_visited_on,
        next_visit_due=row.next_visit_due,
        version=row.version,
    )


def household_read(
    pii: PersonalDataProtector,
    row: Household,
    members: list[HouseholdMember],
    services: list[MemberService],
) -> HouseholdRead:
    by_member: dict[str, list[MemberServiceRead]] = {}
    for service in services:
        by_member.setdefault(service.member_id, []).append(
            MemberServiceRead(
                kind=ServiceKind(service.kind),
                status=ServiceStatus(service.status),
                since=service.since,
                until=service.until,
                source=service.source,
            )
        )
    return HouseholdRead(
        **household_summary(row).model_dump(),
        address=mask_address(pii.decrypt(row.address_ciphertext)),
        declared_flags=[DifficultyFlag(flag) for flag in row.declared_flags],
        registered_on=row.registered_on,
        members=[
            MemberRead(
                id=member.id,
                name=mask_name(pii.decrypt(member.name_ciphertext)),
                relation=Relation(member.relation),
                disabled=member.disabled,
                elderly=member.elderly,
                person_id=member.person_id,
                services=by_member.get(member.id, []),
            )
            for member in members
        ],
    )
