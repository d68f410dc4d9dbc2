"""Queries about persons. Functions take the request's session and never commit; the one
that runs on its own takes the database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Insert, Select, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.cards.persons.models import Person
from canlian.common.db.database import Database
from canlian.common.db.dialect import (
    analyze,
    insert_ignoring_conflicts,
    insert_in_bulk,
    matching,
    reserve_ids,
)


async def person_by_index(session: AsyncSession, citizen_id_index: str) -> Person | None:
    result = await session.scalars(
        select(Person).where(Person.citizen_id_index == citizen_id_index)
    )
    return result.first()


_PERSON_COLUMNS = tuple(column.key for column in Person.__table__.columns if column.key != "id")

_ADD_PERSON: dict[str, Insert] = {}  # per dialect: built and compiled once


def _add_person_statement(dialect: str) -> Insert:
    statement = _ADD_PERSON.get(dialect)
    if statement is None:
        table = _persons_table()
        statement = insert_ignoring_conflicts(dialect, table, ["citizen_id_index"]).returning(
            table.c.id
        )
        _ADD_PERSON[dialect] = statement
    return statement


def _person_values(person: Person) -> dict[str, object]:
    # The values go as parameters: .values(...) would build a bound parameter for each of
    # them on every call.
    return {column: getattr(person, column) for column in _PERSON_COLUMNS}


async def add_person_unless_registered(session: AsyncSession, person: Person) -> bool:
    """Insert a new person unless the citizen ID is registered already (False then, and
    nothing written): one statement where a look-up and then an insert took two round
    trips. On success `person` gets its id; it is not added to the session."""
    statement = _add_person_statement(session.get_bind().dialect.name)
    new_id = (await session.execute(statement, _person_values(person))).scalar_one_or_none()
    return _took_id(person, new_id)


async def add_person_on_its_own(database: Database, person: Person) -> bool:
    """The same insert committed by itself, outside any session: for a request whose whole
    unit of work it is."""
    statement = _add_person_statement(database.dialect)
    return _took_id(person, await database.scalar_on_its_own(statement, _person_values(person)))


def _took_id(person: Person, new_id: int | None) -> bool:
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


class PersonRef(NamedTuple):
    """A person as a bulk import needs it: no object, no decryption."""

    id: int
    residence_division_code: str


async def person_refs_by_indexes(
    session: AsyncSession, indexes: Sequence[str]
) -> dict[str, PersonRef]:
    found: dict[str, PersonRef] = {}
    table = _persons_table()
    statement = select(table.c.citizen_id_index, table.c.id, table.c.residence_division_code)
    for condition in matching(session, table.c.citizen_id_index, sorted(set(indexes))):
        rows = await session.execute(statement.where(condition))
        found.update({row[0]: PersonRef(row[1], row[2]) for row in rows})
    return found


BULK_PERSON_COLUMNS = (
    "id",
    "citizen_id_encrypted",
    "citizen_id_index",
    "name_encrypted",
    "phone_encrypted",
    "sex",
    "birth_date",
    "residence_division_code",
    "version",
    "created_at",
    "updated_at",
)
"""The columns of a record `insert_persons` takes, in order."""


async def reserve_person_ids(session: AsyncSession, count: int) -> list[int]:
    return await reserve_ids(session, _persons_table(), count)


async def analyze_persons(session: AsyncSession) -> None:
    """Planner statistics after a bulk import."""
    await analyze(session, [_persons_table()])


async def insert_persons(session: AsyncSession, records: Sequence[Sequence[Any]]) -> None:
    """New persons in one set-based write (COPY on PostgreSQL), ids from `reserve_person_ids`;
    a citizen ID registered meanwhile raises IntegrityError."""
    await insert_in_bulk(session, _persons_table(), BULK_PERSON_COLUMNS, records)


def _persons_table() -> Table:
    table = Person.__table__
    assert isinstance(table, Table)
    return table


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
