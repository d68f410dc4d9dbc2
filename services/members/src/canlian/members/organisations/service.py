"""The registry's events feed the local read model; appointments go only to usable organisations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.events.base import CloudEvent
from canlian.common.events.org_registry import OrganisationSnapshot, OrganisationStatus
from canlian.members.organisations import repository
from canlian.members.organisations.models import Organisation
from canlian.members.organisations.problems import OrganisationDissolved, UnknownOrganisation


@dataclass(frozen=True)
class Moved:
    """An organisation the registry moved to another division (村级建制调整), or whose
    coverage changed (`moved` false): the posts held there follow it."""

    organisation_id: str
    division_code: str
    moved: bool = True


async def usable_organisation(session: AsyncSession, organisation_id: str) -> Organisation:
    organisation = await repository.organisation(session, organisation_id)
    if organisation is None:
        raise UnknownOrganisation(organisation_id=organisation_id)
    if organisation.status == OrganisationStatus.DISSOLVED:
        raise OrganisationDissolved(organisation_id=organisation_id)
    return organisation


async def apply_organisation_snapshots(
    session: AsyncSession, events: Sequence[CloudEvent]
) -> list[Moved]:
    """Keep the newest snapshot of each organisation; an event whose version is not newer than
    the stored one is stale and ignored. A batch is applied with one look-up and one flush, so
    a registry replay goes quickly. Returns the organisations that moved division or
    changed the villages they cover."""
    newest: dict[str, OrganisationSnapshot] = {}
    for envelope in events:
        if not envelope.known:
            continue
        payload = envelope.payload()
        if not isinstance(payload, OrganisationSnapshot):
            continue
        kept = newest.get(payload.organisation_id)
        if kept is None or payload.version > kept.version:
            newest[payload.organisation_id] = payload
    if not newest:
        return []
    stored = await repository.organisations_by_id(session, sorted(newest))
    covered_before = await repository.coverage_of(session, sorted(stored))
    coverage: dict[str, list[str]] = {}
    moved: list[Moved] = []
    now = datetime.now(UTC)
    for organisation_id, snapshot in newest.items():
        current = stored.get(organisation_id)
        if current is not None and current.version >= snapshot.version:
            continue
        if current is None:
            current = Organisation(organisation_id=organisation_id)
            session.add(current)
        elif current.division_code != snapshot.division_code:
            moved.append(Moved(organisation_id, snapshot.division_code))
        current.version = snapshot.version
        current.name = snapshot.name
        current.kind = snapshot.kind
        current.level = snapshot.level
        current.division_code = snapshot.division_code
        current.status = snapshot.status
        current.dissolved_on = snapshot.dissolved_on
        current.updated_at = now
        coverage[organisation_id] = snapshot.covered_divisions or [snapshot.division_code]
        before = covered_before.get(organisation_id)
        if (
            before is not None
            and before != set(coverage[organisation_id])
            and not any(found.organisation_id == organisation_id for found in moved)
        ):
            # A joint association's member serves every village it covers (rules.staffing).
            moved.append(Moved(organisation_id, snapshot.division_code, moved=False))
    await session.flush()
    await repository.replace_coverage(session, coverage)
    await session.flush()
    return moved
