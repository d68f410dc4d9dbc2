"""The routes every kind of act mounts below its own: read one act, correct it, withdraw it,
list its versions (`add_act_routes`). Each kind names its operations, models and words, so
its part of the API reads as it always has."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common.concurrency import Precondition, etag
from canlian.common.dependencies import IfMatch, Runtime, Session
from canlian.common.pagination import Items
from canlian.org_registry.api import Official, Reader
from canlian.org_registry.context import Context, context_of
from canlian.org_registry.term_acts import service
from canlian.org_registry.term_acts.models import TermAct, TermActVersion
from canlian.org_registry.term_acts.schemas import ActVersionRead, ActWithdrawal, Correction
from canlian.org_registry.term_acts.service import ActKind

A = TypeVar("A", bound=TermAct)
V = TypeVar("V", bound=TermActVersion)
C = TypeVar("C", bound=Correction)

Endpoint = TypeVar("Endpoint", bound=Callable[..., Awaitable[Any]])
# service.correct or service.withdraw: the same route but for the body.
Change = Callable[[AsyncSession, Context, ActKind[A, V, C], int, Any, Precondition], Awaitable[A]]


@dataclass(frozen=True)
class Doc:
    summary: str
    description: str | None = None


@dataclass(frozen=True)
class ActRoutes(Generic[A, V, C]):
    """A kind's part: its path (`/budget-reviews`), the stem of its operation ids
    (`budget_review`: get_budget_review, correct_…, withdraw_…, budget_review_versions), the
    annotated path parameter, its models and words."""

    kind: ActKind[A, V, C]
    path: str
    name: str
    act_id: Any  # Annotated[int, Path(...)]: the kind's own description
    read_model: type[BaseModel]
    read: Callable[[AsyncSession, A], Awaitable[BaseModel]]
    correction: type[BaseModel]
    withdrawal: type[ActWithdrawal]
    version_read: type[ActVersionRead]
    correcting: Doc
    withdrawing: Doc
    listing_versions: Doc


def _typed(endpoint: Endpoint, **annotations: Any) -> Endpoint:
    # FastAPI reads a parameter's model and documentation from its annotation: the kind's own.
    endpoint.__annotations__.update(annotations)
    return endpoint


def add_act_routes(router: APIRouter, routes: ActRoutes[A, V, C]) -> None:
    kind = routes.kind
    one = f"{routes.path}/{{review_id}}"

    async def get_act(
        review_id: int, session: Session, principal: Reader, response: Response
    ) -> BaseModel:
        act = await service.get(session, principal, kind, review_id)
        response.headers["ETag"] = etag(act.version)
        return await routes.read(session, act)

    def changing(change: Change[A, V, C]) -> Callable[..., Awaitable[BaseModel]]:
        async def change_act(
            review_id: int,
            body: Any,
            session: Session,
            runtime: Runtime,
            principal: Official,
            precondition: IfMatch,
            response: Response,
        ) -> BaseModel:
            context = context_of(runtime, principal)
            act = await change(session, context, kind, review_id, body, precondition)
            response.headers["ETag"] = etag(act.version)
            return await routes.read(session, act)

        return change_act

    async def act_versions(
        review_id: int, session: Session, principal: Reader
    ) -> Items[ActVersionRead]:
        found = await service.versions(session, principal, kind, review_id)
        read = routes.version_read.model_validate
        return Items(items=[read(row, from_attributes=True) for row in found])

    router.add_api_route(
        one,
        _typed(get_act, review_id=routes.act_id),
        methods=["GET"],
        name=f"get_{routes.name}",
        response_model=routes.read_model,
    )
    changes: list[tuple[str, str, Change[A, V, C], type[BaseModel], Doc]] = [
        ("corrections", "correct", service.correct, routes.correction, routes.correcting),
        ("withdrawal", "withdraw", service.withdraw, routes.withdrawal, routes.withdrawing),
    ]
    for path, verb, change, body, doc in changes:
        router.add_api_route(
            f"{one}/{path}",
            _typed(changing(change), review_id=routes.act_id, body=body),
            methods=["POST"],
            name=f"{verb}_{routes.name}",
            response_model=routes.read_model,
            summary=doc.summary,
            description=doc.description,
        )
    router.add_api_route(
        f"{one}/versions",
        _typed(act_versions, review_id=routes.act_id),
        methods=["GET"],
        name=f"{routes.name}_versions",
        # The kind's own model, so the page keeps its published name.
        response_model=Items[routes.version_read],  # type: ignore[name-defined]
        summary=routes.listing_versions.summary,
    )
