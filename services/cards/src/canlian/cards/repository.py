"""Every query of the cards service. Functions take the request's session and never commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Insert, Select, Table, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.models import Application, Card, Institution, Person
from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.db.dialect import insert_ignoring_conflicts
from canlian.common.db.metadata import PlatformTables, utcnow
from canlian.common.events.cards import ApplicationStatus, CardStatus
from canlian.common.log import current_request_id

OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.SUBMITTED.value,
    ApplicationStatus.ASSESSED.value,
    ApplicationStatus.APPROVED.value,
)


async def person_by_index(session: AsyncSession, citizen_id_index: str) -> Person | None:
    result = await session.scalars(
        select(Person).where(Person.citizen_id_index == citizen_id_index)
    )
    return result.first()


_PERSON_COLUMNS = tuple(column.key for column in Person.__table__.columns if column.key != "id")
_ADD_PERSON: dict[str, Insert] = {}  # per dialect: built and compiled once


async def add_person_unless_registered(session: AsyncSession, person: Person) -> bool:
    """Insert a new person unless the citizen ID is registered already (False then, and
    nothing written): one statement where a look-up and then an insert took two round
    trips. On success `person` gets its id; it is not added to the session."""
    dialect = session.get_bind().dialect.name
    statement = _ADD_PERSON.get(dialect)
    if statement is None:
        table = Person.__table__
        assert isinstance(table, Table)
        statement = insert_ignoring_conflicts(session, table, ["citizen_id_index"]).returning(
            table.c.id
        )
        _ADD_PERSON[dialect] = statement
    # The values go as parameters: .values(...) would build a bound parameter for each of
    # them on every call.
    values = {column: getattr(person, column) for column in _PERSON_COLUMNS}
    new_id = (await session.execute(statement, values)).scalar_one_or_none()
    if new_id is None:
        return False
    person.id = new_id
    return True


async def persons_by_indexes(session: AsyncSession, indexes: Iterable[str]) -> dict[str, Person]:
    wanted = list(set(indexes))
    found: dict[str, Person] = {}
    # Chunks keep the parameter count under SQLite's and asyncpg's limits.
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = await session.scalars(select(Person).where(Person.citizen_id_index.in_(chunk)))
        found.update({person.citizen_id_index: person for person in rows})
    return found


def persons_query(region_prefix: str) -> Select[Any]:
    return select(Person).where(Person.residence_division_code.startswith(region_prefix))


async def get_person(session: AsyncSession, person_id: int, *, lock: bool = False) -> Person | None:
    statement = select(Person).where(Person.id == person_id)
    if lock:
        # Serialises every card-creating step of one person (SQLite serialises writers anyway).
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(statement)).first()


async def persons_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, Person]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await session.scalars(select(Person).where(Person.id.in_(wanted)))
    return {person.id: person for person in rows}


async def get_application(
    session: AsyncSession, application_id: int, *, lock: bool = False
) -> Application | None:
    statement = select(Application).where(Application.id == application_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(statement)).first()


async def open_application_of(session: AsyncSession, person_id: int) -> Application | None:
    statement = (
        select(Application)
        .where(
            Application.person_id == person_id,
            Application.status.in_(OPEN_APPLICATION_STATUSES),
        )
        .order_by(Application.id)
        .limit(1)
    )
    return (await session.scalars(statement)).first()


def applications_query(
    region_prefix: str, status: str | None = None, person_id: int | None = None
) -> Select[Any]:
    statement = select(Application).where(Application.division_code.startswith(region_prefix))
    if status is not None:
        statement = statement.where(Application.status == status)
    if person_id is not None:
        statement = statement.where(Application.person_id == person_id)
    return statement


def backlog_query(region_prefix: str) -> Select[Any]:
    """应发尽发: approved (assessed eligible) applications whose person holds no valid card."""
    holds_valid_card = exists().where(
        Card.person_id == Application.person_id, Card.status == CardStatus.VALID.value
    )
    return select(Application).where(
        Application.division_code.startswith(region_prefix),
        Application.status == ApplicationStatus.APPROVED.value,
        ~holds_valid_card,
    )


async def get_card(session: AsyncSession, card_id: int, *, lock: bool = False) -> Card | None:
    statement = select(Card).where(Card.id == card_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(statement)).first()


async def valid_card_of(session: AsyncSession, person_id: int) -> Card | None:
    statement = select(Card).where(
        Card.person_id == person_id, Card.status == CardStatus.VALID.value
    )
    return (await session.scalars(statement)).first()


async def person_ids_with_valid_cards(session: AsyncSession, person_ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(person_ids), 500):
        chunk = list(person_ids[start : start + 500])
        rows = await session.scalars(
            select(Card.person_id).where(
                Card.person_id.in_(chunk), Card.status == CardStatus.VALID.value
            )
        )
        found.update(rows)
    return found


async def cards_by_number_index(session: AsyncSession, number_index: str) -> list[Card]:
    rows = await session.scalars(
        select(Card).where(Card.number_index == number_index).order_by(Card.id.desc())
    )
    return list(rows)


def cards_query(
    region_prefix: str,
    *,
    status: str | None = None,
    generation: str | None = None,
    category: int | None = None,
    grade: int | None = None,
    person_id: int | None = None,
    valid_until_before: date | None = None,
) -> Select[Any]:
    conditions: list[Any] = [Card.division_code.startswith(region_prefix)]
    if status is not None:
        conditions.append(Card.status == status)
    if generation is not None:
        conditions.append(Card.generation == generation)
    if category is not None:
        conditions.append(Card.category == category)
    if grade is not None:
        conditions.append(Card.grade == grade)
    if person_id is not None:
        conditions.append(Card.person_id == person_id)
    if valid_until_before is not None:
        conditions.append(Card.valid_until <= valid_until_before)
    return select(Card).where(and_(*conditions))


async def due_for_expiry(
    session: AsyncSession, region_prefix: str, today: date, limit: int
) -> list[Card]:
    statement = (
        select(Card)
        .where(
            Card.division_code.startswith(region_prefix),
            Card.status == CardStatus.VALID.value,
            Card.valid_until < today,
        )
        .order_by(Card.id)
        .limit(limit)
        .with_for_update()
    )
    return list(await session.scalars(statement))


async def holders_by_category_grade(
    session: AsyncSession, region_prefix: str
) -> list[tuple[int, int, str, int]]:
    """(category, grade, generation, holders) of valid cards in the region."""
    statement = (
        select(Card.category, Card.grade, Card.generation, func.count())
        .where(
            Card.division_code.startswith(region_prefix),
            Card.status == CardStatus.VALID.value,
        )
        .group_by(Card.category, Card.grade, Card.generation)
        .order_by(Card.category, Card.grade, Card.generation)
    )
    rows = await session.execute(statement)
    return [(int(c), int(g), str(gen), int(n)) for c, g, gen, n in rows.all()]


async def get_institution(session: AsyncSession, institution_id: int) -> Institution | None:
    return await session.get(Institution, institution_id)


async def institution_named(
    session: AsyncSession, division_code: str, name: str
) -> Institution | None:
    statement = select(Institution).where(
        Institution.division_code == division_code, Institution.name == name
    )
    return (await session.scalars(statement)).first()


def institutions_query(region: str, active: bool | None) -> Select[Any]:
    """Institutions serving the region: designated inside it or by one of its ancestors."""
    statement = select(Institution).where(
        Institution.division_code.startswith(divisions.prefix(region))
        | Institution.division_code.in_(divisions.ancestors(region))
    )
    if active is not None:
        statement = statement.where(Institution.active == active)
    return statement


async def record_audit(
    session: AsyncSession,
    tables: PlatformTables,
    principal: Principal,
    *,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
) -> None:
    """An audit row in the same transaction as what it records."""
    await session.execute(
        tables.audit_log.insert().values(
            occurred_at=utcnow(),
            actor=principal.subject,
            actor_region=principal.region,
            action=action,
            object_type=object_type,
            object_id=object_id,
            reason=reason,
            request_id=current_request_id(),
        )
    )
