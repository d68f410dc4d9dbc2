"""Whether a unit of work wrote, and a hook run inside every unit of work that did, just
before it commits.

A service that keeps answers in memory (metrics) moves a version row in the same
transaction as the write, so a reader in any process sees the version move exactly when the
data does. Writes are noticed wherever they go through the session, so that a new writer
cannot forget to say so: every INSERT, UPDATE or DELETE statement (ORM, Core or text), a
flush with changes, and the COPY helpers of `canlian.common.db.dialect`, which mark the
session themselves (`mark_written`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from sqlalchemy import Delete, Executable, Insert, Update, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker
from sqlalchemy.sql.elements import TextClause

_WROTE = "canlian.wrote"

# Text statements starting with one of these read only; any other (INSERT, UPDATE, DELETE,
# WITH ..., CREATE TEMP TABLE ...) counts as a write: when unsure, a write.
_READING_WORDS = frozenset({"SELECT", "EXPLAIN", "SHOW", "SET", "ANALYZE", "VALUES"})

WriteHook = Callable[[Session], None]


def mark_written(session: AsyncSession | Session) -> None:
    """Say that this unit of work wrote by a path the session does not see (COPY)."""
    session.info[_WROTE] = True


def written(session: Session) -> bool:
    """Whether this unit of work wrote so far, flushed or still pending."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def _is_write(state: ORMExecuteState) -> bool:
    if isinstance(state.statement, TextClause):
        return is_write_statement(state.statement)
    return state.is_insert or state.is_update or state.is_delete


def is_write_statement(statement: Executable) -> bool:
    if isinstance(statement, TextClause):
        words = statement.text.split(None, 1)
        return bool(words) and words[0].upper() not in _READING_WORDS
    return isinstance(statement, (Insert, Update, Delete))


# The session factories that have write hooks, so that a write outside any session (a
# statement on its own) can be refused where a hook would have missed it.
_WATCHED: weakref.WeakSet[sessionmaker[Session]] = weakref.WeakSet()


def watched(sessions: sessionmaker[Session]) -> bool:
    return sessions in _WATCHED


def on_write_commit(
    sessions: sessionmaker[Session], hook: WriteHook, *, committed: WriteHook | None = None
) -> None:
    """Run `hook(session)` in each unit of work of these sessions that wrote, before it
    commits: what the hook writes (through `session.connection()`) commits or rolls back
    with the rest; and `committed(session)` once it has committed."""

    def noticed_statement(state: ORMExecuteState) -> None:
        if not state.session.info.get(_WROTE) and _is_write(state):
            state.session.info[_WROTE] = True

    def flushing(session: Session, _context: object, _instances: object) -> None:
        if session.new or session.dirty or session.deleted:
            session.info[_WROTE] = True

    def committing(session: Session) -> None:
        if written(session):
            hook(session)

    def after_commit(session: Session) -> None:
        if committed is not None and written(session):
            committed(session)

    def ended(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            session.info.pop(_WROTE, None)

    _WATCHED.add(sessions)
    event.listen(sessions, "do_orm_execute", noticed_statement)
    event.listen(sessions, "before_flush", flushing)
    event.listen(sessions, "before_commit", committing)
    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_transaction_end", ended)
