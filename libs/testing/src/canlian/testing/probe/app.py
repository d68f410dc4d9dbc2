from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import auth
from canlian.common.app_factory import create_service_app
from canlian.common.citizen_id import CitizenId
from canlian.common.db.metadata import utcnow
from canlian.common.dependencies import Idempotent, Runtime, Session
from canlian.common.descriptor import ServiceDescriptor
from canlian.common.divisions import DivisionCode
from canlian.common.errors import NotFound, OutsideScope
from canlian.common.events.base import CloudEvent
from canlian.common.pagination import Page, Paging, paginate
from canlian.common.runtime import ConsumerSpec
from canlian.common.settings import PlatformSettings
from canlian.testing.probe.events import TOPIC, ProbeRecorded
from canlian.testing.probe.models import Base, Probe, Tally

service_descriptor = ServiceDescriptor(
    name="probe",
    schema="probe",
    title="探针 / Probe",
    default_port=8099,
    package="canlian.testing.probe",
)

Official = Annotated[auth.Principal, Depends(auth.require_roles(auth.OFFICIAL))]


class ProbeCreate(BaseModel):
    region: DivisionCode
    label: str = Field(min_length=1, max_length=100)
    citizen_id: CitizenId | None = None


class ProbeRead(BaseModel):
    id: int
    region: str
    label: str


router = APIRouter(prefix="/v1/probes")


@router.post("", status_code=201, response_model=ProbeRead)
async def create_probe(
    body: ProbeCreate,
    session: Session,
    runtime: Runtime,
    principal: Official,
    idempotent: Idempotent,
) -> object:
    principal.ensure_covers(body.region)
    probe = Probe(region=body.region, label=body.label, created_at=utcnow())
    session.add(probe)
    await session.flush()
    await runtime.outbox.add(
        session, ProbeRecorded(probe_id=probe.id, region=probe.region, label=probe.label)
    )
    return await idempotent.respond(ProbeRead(id=probe.id, region=probe.region, label=probe.label))


@router.get("", response_model=Page[ProbeRead])
async def list_probes(
    session: Session,
    principal: Official,
    paging: Paging,
    label: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[ProbeRead]:
    statement = select(Probe).where(Probe.region.startswith(principal.region_prefix))
    if label:
        statement = statement.where(Probe.label == label)
    rows, cursor = await paginate(session, statement, [Probe.created_at, Probe.id], paging)
    return Page(
        items=[ProbeRead(id=row.id, region=row.region, label=row.label) for row in rows],
        next_cursor=cursor,
    )


@router.get("/{probe_id}", response_model=ProbeRead)
async def get_probe(probe_id: int, session: Session, principal: Official) -> ProbeRead:
    probe = await session.get(Probe, probe_id)
    if probe is None:
        raise NotFound(what="probe", key=probe_id)
    if not principal.covers(probe.region):
        raise OutsideScope(what="probe")
    return ProbeRead(id=probe.id, region=probe.region, label=probe.label)


async def tally_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """The consumer's effect: count applications per label (so duplicates would show)."""
    for event in events:
        payload = event.payload()
        assert isinstance(payload, ProbeRecorded)
        tally = await session.get(Tally, payload.label)
        if tally is None:
            session.add(Tally(label=payload.label, applied=1))
        else:
            tally.applied += 1
        await session.flush()


def create_app(settings: PlatformSettings | None = None, *, with_consumer: bool = False) -> FastAPI:
    consumers = [ConsumerSpec("probe-tally", [TOPIC], tally_events)] if with_consumer else []
    return create_service_app(
        service_descriptor,
        settings or PlatformSettings(),
        Base.metadata,
        [router],
        consumers=consumers,
    )
