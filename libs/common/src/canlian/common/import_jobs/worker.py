"""The worker every service process with import jobs runs: claim a job, run it, end it.

A claim is a short transaction of its own (the oldest claimable job, `FOR UPDATE SKIP LOCKED`
on PostgreSQL so replicas never take the same one). The import then runs in one session,
as the synchronous route's, and the job's report is written in that same transaction with
the run's claim token: the import's rows and the job's success commit together or not at
all, and a run that lost its claim (taken as dead, claimed again) rolls its import back.
Progress and a heartbeat go out every second from a task of their own, in their own short
transactions. Not on SQLite: the import's transaction holds its only write lock (BEGIN
IMMEDIATE), so progress shows at the end there; the embedded default is one process, whose
one worker is the only claimer.

A job whose worker stopped reporting (the process died; its import's transaction died with
it, so nothing of it was written) is claimed again once, then failed as interrupted: running
it again is safe, and a second death says the file itself is what kills the process (memory),
which must not take every replica down in turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, Table

from canlian.common.audit import record_audit
from canlian.common.auth import Principal
from canlian.common.db.metadata import utcnow
from canlian.common.errors import ProblemError
from canlian.common.import_jobs import repository
from canlian.common.import_jobs.kinds import ImportKind, ImportRun, ProgressTracker
from canlian.common.import_jobs.problems import (
    ImportCrashed,
    ImportInterrupted,
    UnknownImportKind,
    problem_record,
)
from canlian.common.import_jobs.table import FAILED, RUNNING, SUCCEEDED

if TYPE_CHECKING:
    from canlian.common.runtime import ServiceRuntime

logger = logging.getLogger("canlian.import_jobs")

MAX_ATTEMPTS = 2
PROGRESS_SECONDS = 1.0
AUDIT_OBJECT = "import_job"


def principal_of(job: Row[Any]) -> Principal:
    roles = job.principal_roles if isinstance(job.principal_roles, list) else []
    return Principal(
        subject=job.principal_subject,
        roles=frozenset(str(role) for role in roles),
        region=job.region,
        issuer=job.principal_issuer,
    )


class ClaimLost(Exception):
    """The job was claimed again meanwhile: this run's import must not commit."""


class ImportJobWorker:
    def __init__(self, runtime: ServiceRuntime, table: Table, kinds: Sequence[ImportKind]) -> None:
        self.runtime = runtime
        self.table = table
        self.kinds: Mapping[str, ImportKind] = {kind.name: kind for kind in kinds}
        self.progress_seconds = PROGRESS_SECONDS

    async def run(self) -> None:
        """Until cancelled: run claimable jobs one after another, look again every poll."""
        poll = self.runtime.settings.canlian_import_poll_seconds
        delay = poll
        while True:
            try:
                ran = await self.run_once()
                delay = poll
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # The database away (or not migrated yet): said once a while, not every poll.
                logger.warning("import worker: cannot claim jobs (%s); retrying", error)
                delay = min(delay * 2, 30.0)
                ran = False
            if not ran:
                await asyncio.sleep(delay)

    async def run_once(self) -> bool:
        """Claim one job and run it to its end; False when there was none to claim."""
        claim = str(uuid.uuid4())
        job = await self.claim(claim)
        if job is None:
            return False
        await self.execute(job, claim)
        return True

    async def claim(self, claim: str) -> Row[Any] | None:
        """The next job, now running under `claim` (jobs given up on are failed on the way)."""
        stale = timedelta(seconds=self.runtime.settings.canlian_import_stale_seconds)
        while True:
            async with self.runtime.database.session() as session:
                now = utcnow()
                found = await repository.next_claimable(session, self.table, now - stale)
                if found is None:
                    return None
                if found.status == RUNNING and found.attempts >= MAX_ATTEMPTS:
                    problem = problem_record(ImportInterrupted(attempts=found.attempts))
                    await repository.give_up(session, self.table, found, problem, now)
                    logger.warning("import job %s: interrupted, failed", found.id)
                    continue
                taken = await repository.take(session, self.table, found, claim, now)
                if taken is not None:
                    return taken

    async def execute(self, job: Row[Any], claim: str) -> None:
        kind = self.kinds.get(job.kind)
        if kind is None:
            await self._fail(job, claim, problem_record(UnknownImportKind(kind=job.kind)))
            return
        tracker = ProgressTracker(job.rows_total, kind.phases)
        try:
            content = self.runtime.personal_data.unseal(job.content or b"", job.id)
        except Exception:  # another key, or damaged: it would fail every attempt alike
            logger.exception("import job %s: the upload cannot be opened", job.id)
            await self._fail(job, claim, problem_record(ImportCrashed(job_id=job.id)))
            return
        run = ImportRun(
            job_id=job.id,
            principal=principal_of(job),
            content=content,
            filename=job.filename,
            options=job.options if isinstance(job.options, dict) else {},
            progress=tracker,
        )
        reporter = _Reporter(self, job.id, claim, tracker)
        try:
            async with self.runtime.database.session() as session:
                report = await kind.run(session, self.runtime, run)
                tracker.finish(report.total_rows)
                await reporter.stop()
                ended = await repository.finish(
                    session,
                    self.table,
                    job.id,
                    claim,
                    status=SUCCEEDED,
                    now=utcnow(),
                    report=report.model_dump(mode="json"),
                    rows_done=tracker.rows_done,
                    rows_total=tracker.rows_total,
                )
                if not ended:
                    raise ClaimLost()
                await self._audit(session, job, run.principal, SUCCEEDED)
        except ClaimLost:
            logger.warning("import job %s: claimed again meanwhile; this run rolled back", job.id)
        except ProblemError as error:
            await reporter.stop()
            await self._fail(job, claim, problem_record(error), tracker)
        except asyncio.CancelledError:
            await reporter.stop()
            with contextlib.suppress(Exception):
                await asyncio.shield(self._release(job.id, claim))
            raise
        except Exception:
            await reporter.stop()
            logger.exception("import job %s failed", job.id)
            await self._fail(job, claim, problem_record(ImportCrashed(job_id=job.id)), tracker)
        finally:
            await reporter.stop()

    async def _fail(
        self,
        job: Row[Any],
        claim: str,
        problem: dict[str, Any],
        tracker: ProgressTracker | None = None,
    ) -> None:
        async with self.runtime.database.session() as session:
            ended = await repository.finish(
                session,
                self.table,
                job.id,
                claim,
                status=FAILED,
                now=utcnow(),
                error=problem,
                rows_done=tracker.rows_done if tracker else None,
                rows_total=tracker.rows_total if tracker else None,
            )
            if ended:
                await self._audit(session, job, principal_of(job), FAILED)

    async def _release(self, job_id: str, claim: str) -> None:
        async with self.runtime.database.session() as session:
            await repository.release(session, self.table, job_id, claim)

    async def _audit(self, session: Any, job: Row[Any], principal: Principal, status: str) -> None:
        await record_audit(
            session,
            self.runtime.tables,
            principal,
            action=f"import-job.{status}",
            object_type=AUDIT_OBJECT,
            object_id=job.id,
            reason=job.kind,
        )


class _Reporter:
    """Every second: the run's heartbeat, and the rows done when they moved. Stopped between
    two updates, never in the middle of one."""

    def __init__(
        self, worker: ImportJobWorker, job_id: str, claim: str, tracker: ProgressTracker
    ) -> None:
        self._worker = worker
        self._job_id = job_id
        self._claim = claim
        self._tracker = tracker
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        if worker.runtime.database.dialect != "sqlite":
            self._task = asyncio.create_task(self._run(), name=f"import-job-progress-{job_id}")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is None:
            return
        with contextlib.suppress(Exception):
            await self._task

    async def _run(self) -> None:
        shown = (-1, -1)
        worker = self._worker
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), worker.progress_seconds)
                return
            tracker = self._tracker
            current = (tracker.rows_done, tracker.rows_total or -1)
            try:
                async with worker.runtime.database.session() as session:
                    await repository.record_progress(
                        session,
                        worker.table,
                        self._job_id,
                        self._claim,
                        rows_done=tracker.rows_done if current != shown else None,
                        rows_total=tracker.rows_total,
                        now=utcnow(),
                    )
                shown = current
            except Exception as error:  # SQLite: the import holds the write lock; next time
                logger.debug("import job %s: progress not recorded (%s)", self._job_id, error)
