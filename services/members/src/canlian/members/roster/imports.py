"""Roster import: validate every row first (the same rules as the API, against the database and
the rows before it); by default write nothing unless all rows pass."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.auth import Principal
from canlian.common.business_day import back_dated
from canlian.common.errors import ProblemError
from canlian.common.events.members import MemberAppointed, MemberRegistered
from canlian.common.events.org_registry import OrganisationStatus
from canlian.common.runtime import ServiceRuntime
from canlian.common.tabular_import import (
    ImportReport,
    RowError,
    errors_from_validation,
    read_table,
)
from canlian.members.appointments import repository as appointments_repository
from canlian.members.appointments.allowances import AllowancePolicy
from canlian.members.appointments.models import Appointment
from canlian.members.appointments.posts import seat_keys
from canlian.members.appointments.problems import AlreadyHoldsPost, PostOccupied
from canlian.members.appointments.schemas import AppointmentCreate
from canlian.members.appointments.service import (
    check_contract,
    check_post,
    check_post_scheme,
    new_appointment,
    seats_filled,
    snapshots,
)
from canlian.members.archive import repository as archive_repository
from canlian.members.archive.models import Member
from canlian.members.archive.schemas import MemberCreate
from canlian.members.archive.service import check_disability, member_snapshot, new_member
from canlian.members.input_errors import MembersInputError
from canlian.members.organisations import repository as organisations_repository
from canlian.members.organisations.models import Organisation
from canlian.members.organisations.problems import OrganisationDissolved, UnknownOrganisation
from canlian.members.policies import repository as policies_repository
from canlian.members.roster.problems import (
    DuplicateInFile,
    RosterInvalid,
    RowOutsideScope,
    SeatTakenInFile,
)
from canlian.members.roster.schemas import RosterRow
from canlian.members.roster.template import ROSTER_COLUMNS

Progress = Callable[[str, int, int], None]


def _row_error(row: int, error: ProblemError, field: str | None = None) -> RowError:
    name = field or (error.field if isinstance(error, MembersInputError) else "-")
    return RowError(row=row, field=name, reason=error.render_detail("zh") or error.title.zh)


def _row_rules(row: RosterRow) -> list[MembersInputError]:
    found: list[MembersInputError] = []
    try:
        check_disability(row.disability_relation, row.disability_category, row.disability_grade)
    except MembersInputError as error:
        found.append(error)
    try:
        check_contract(row.contract_start, row.contract_end)
    except MembersInputError as error:
        found.append(error)
    try:
        check_post(row.post)
    except MembersInputError as error:
        found.append(error)
    try:
        check_post_scheme(row.public_welfare_post, row.social_work_post)
    except MembersInputError as error:
        found.append(error)
    return found


@dataclass
class _Candidate:
    number: int
    row: RosterRow
    organisation: Organisation
    index: str
    seat: str | None  # the key of the seat the row takes


async def import_roster(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    content: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    all_or_nothing: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    errors: list[RowError] = []
    source = list(read_table(content, filename, ROSTER_COLUMNS, errors))
    bad_rows = {error.row for error in errors}
    parsed: list[tuple[int, RosterRow]] = []
    for done, line in enumerate(source, start=1):
        values = {name: value for name, value in line.values.items() if value is not None}
        try:
            row = RosterRow.model_validate(values)
        except ValidationError as error:
            errors.extend(errors_from_validation(line.number, error))
            bad_rows.add(line.number)
            continue
        finally:
            if progress:
                progress("validate", done, len(source))
        if line.number not in bad_rows:
            parsed.append((line.number, row))

    unchanged: list[int] = []
    candidates = await _check_rows(session, runtime, principal, parsed, errors, bad_rows, unchanged)
    errors.sort(key=lambda error: error.row)
    report = ImportReport(
        total_rows=len(source),
        valid_rows=len(candidates) + len(unchanged),
        invalid_rows=len(bad_rows),
        imported_rows=0,
        unchanged=unchanged,
        dry_run=dry_run,
        errors=errors,
    )
    if dry_run:
        return report
    if errors and all_or_nothing:
        raise RosterInvalid(invalid=len(bad_rows), total=len(source), report=report)
    await _write_rows(session, runtime, principal, candidates, progress)
    return report.model_copy(update={"imported_rows": len(candidates)})


async def _check_rows(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    parsed: Sequence[tuple[int, RosterRow]],
    errors: list[RowError],
    bad_rows: set[int],
    unchanged: list[int],
) -> list[_Candidate]:
    """The domain rules of every row, against the database and the rows before it; rows
    whose post the person holds already go to `unchanged`."""
    protector = runtime.personal_data
    organisations = await organisations_repository.organisations_by_id(
        session, sorted({row.organisation_id for _, row in parsed})
    )
    indexes = {number: protector.index(row.citizen_id) for number, row in parsed}
    known = await archive_repository.members_by_citizen_index(
        session, sorted(set(indexes.values()))
    )
    held = await appointments_repository.held_posts(
        session, [member.id for member in known.values()]
    )
    values = await policies_repository.members_values(session)
    seats_of = {
        number: seat_keys(
            row.organisation_id, organisation.division_code, row.post, row.contract_start, values
        )
        for number, row in parsed
        if (organisation := organisations.get(row.organisation_id)) is not None
    }
    taken = await appointments_repository.seats_taken(
        session, sorted({key for keys, _, _ in seats_of.values() for key in keys})
    )
    first_row_of_person: dict[str, int] = {}
    first_row_of_seat: dict[str, int] = {}
    candidates: list[_Candidate] = []
    for number, row in parsed:
        problems: list[RowError] = []
        index = indexes[number]
        organisation = organisations.get(row.organisation_id)
        try:
            if organisation is None:
                raise UnknownOrganisation(organisation_id=row.organisation_id)
            if organisation.status == OrganisationStatus.DISSOLVED:
                raise OrganisationDissolved(organisation_id=row.organisation_id)
            for code in (organisation.division_code, row.division_code):
                if code is not None and not principal.covers(code):
                    raise RowOutsideScope(region=code, scope=principal.region)
        except MembersInputError as error:
            problems.append(_row_error(number, error))
        problems.extend(_row_error(number, error) for error in _row_rules(row))
        if index in first_row_of_person:
            problems.append(_row_error(number, DuplicateInFile(row=first_row_of_person[index])))
        member = known.get(index)
        keys, count, parameter = seats_of.get(number, ([], 0, None))
        free = [key for key in keys if key not in taken and key not in first_row_of_seat]
        seat = free[0] if free else None
        holding = held.get((member.id, row.organisation_id, row.post)) if member else None
        if holding is not None and not problems:
            # The person holds this post here already: the row is recorded, a roster imported
            # twice writes nothing the second time.
            unchanged.append(number)
            first_row_of_person.setdefault(index, number)
            continue
        if holding is not None:
            problems.append(
                _row_error(
                    number,
                    AlreadyHoldsPost(organisation_id=row.organisation_id, appointment_id=holding),
                    "organisation_id",
                )
            )
        elif keys and seat is None and count > 1:
            problems.append(
                _row_error(number, seats_filled(row.organisation_id, count, parameter), "post")
            )
        elif keys and seat is None and keys[0] in taken:
            holder = await appointments_repository.seat_holder(session, keys[0])
            problems.append(
                _row_error(
                    number,
                    PostOccupied(
                        organisation_id=row.organisation_id, holder=holder.id if holder else "-"
                    ),
                    "post",
                )
            )
        elif keys and seat is None:
            problems.append(_row_error(number, SeatTakenInFile(row=first_row_of_seat[keys[0]])))
        first_row_of_person.setdefault(index, number)
        if seat is not None:
            first_row_of_seat.setdefault(seat, number)
        if problems:
            errors.extend(problems)
            bad_rows.add(number)
            continue
        assert organisation is not None
        candidates.append(_Candidate(number, row, organisation, index, seat))
    return candidates


async def _write_rows(
    session: AsyncSession,
    runtime: ServiceRuntime,
    principal: Principal,
    candidates: Sequence[_Candidate],
    progress: Progress | None,
) -> None:
    """Write every row in a few batched flushes, then one event per new person and per
    appointment, all in the request's single transaction."""
    policy = await AllowancePolicy.load(session)
    known = await archive_repository.members_by_citizen_index(
        session, sorted({candidate.index for candidate in candidates})
    )
    new_members: list[Member] = []
    appointments: list[Appointment] = []
    for done, candidate in enumerate(candidates, start=1):
        row = candidate.row
        member = known.get(candidate.index)
        if member is None:
            member = new_member(
                runtime.personal_data,
                MemberCreate(
                    kind=row.kind,
                    division_code=row.division_code or candidate.organisation.division_code,
                    name=row.name,
                    citizen_id=row.citizen_id,
                    phone=row.phone,
                    disability_relation=row.disability_relation,
                    disability_category=row.disability_category,
                    disability_grade=row.disability_grade,
                    education=row.education,
                ),
                candidate.index,
                principal.subject,
            )
            known[candidate.index] = member
            new_members.append(member)
        appointments.append(
            new_appointment(
                principal,
                member,
                candidate.organisation,
                AppointmentCreate(
                    organisation_id=row.organisation_id,
                    post=row.post,
                    selection_method=row.selection_method,
                    contract_start=row.contract_start,
                    contract_end=row.contract_end,
                    public_welfare_post=row.public_welfare_post,
                    social_work_post=row.social_work_post,
                    monthly_allowance_yuan=row.monthly_allowance_yuan,
                    social_insurance_subsidy=row.social_insurance_subsidy,
                    status=row.status,
                    reason=f"花名册导入第 {candidate.number} 行 / roster import row "
                    f"{candidate.number}",
                ),
                policy,
                seat=candidate.seat,
            )
        )
        if progress:
            progress("import", done, len(candidates))
    # Set-based writes of objects the session never tracks: a province's roster would spend
    # most of its time in the unit of work's bookkeeping for each object.
    await archive_repository.insert_members(session, new_members)
    await appointments_repository.insert_appointments(session, appointments)
    total = len(new_members) + len(appointments)
    # The events in two set-based writes (one COPY each on PostgreSQL), not one INSERT each.
    await runtime.outbox.add_many(
        session, [MemberRegistered(**member_snapshot(member)) for member in new_members]
    )
    if progress and new_members:
        progress("events", len(new_members), total)
    events = await snapshots(session, [(row, row.member) for row in appointments])
    # An appointment of the roster counts from its own start date.
    await runtime.outbox.add_many(
        session,
        [
            MemberAppointed(**event, effective_on=back_dated(event["status_since"]))
            for event in events
        ],
    )
    if progress and total:
        progress("events", total, total)
