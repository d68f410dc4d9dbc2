"""The questions officials ask of their region: the organisation tree, uncovered villages,
coverage, township federations without a full-time chair, elections due, failing items."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from canlian.common.business_day import china_today
from canlian.common.dependencies import Session
from canlian.common.errors import InvalidInput
from canlian.common.events.org_registry import OrganisationKind
from canlian.common.i18n import Message
from canlian.common.pagination import Items, Page, Paging, paginate
from canlian.common.query_parameters import RegionOrDivision
from canlian.org_registry.api import AsOf, Reader, search_prefix
from canlian.org_registry.divisions.models import Division
from canlian.org_registry.divisions.schemas import DivisionRead
from canlian.org_registry.leadership.models import Term
from canlian.org_registry.organisations.models import Organisation
from canlian.org_registry.organisations.responses import summary
from canlian.org_registry.organisations.schemas import OrganisationSummary, StandardisationItem
from canlian.org_registry.organisations.standardisation import failing_spec
from canlian.org_registry.questions import repository, service
from canlian.org_registry.questions.schemas import (
    CoverageSummary,
    ElectionDue,
    OrganisationTreeNode,
)

# The registry's questions are reports, under /v1/reports/ as every service's are.
router = APIRouter(prefix="/v1", tags=["reports"])


async def _moved(request: Request) -> RedirectResponse:
    """/v1/questions/* (deprecated, the old name) answers 308 to the same /v1/reports/*."""
    target = request.url.path.replace("/v1/questions/", "/v1/reports/", 1)
    query = request.url.query
    return RedirectResponse(f"{target}?{query}" if query else target, status_code=308)


router.add_route("/v1/questions/{rest:path}", _moved, methods=["GET"], include_in_schema=False)

TREE_LIMIT = 5000


class TreeTooLarge(InvalidInput):
    code = "tree-too-large"
    title = Message(zh="组织树过大", en="Organisation tree too large")
    detail = Message(
        zh="该区划下的组织超过 {limit} 个;请选择更低一级的区划",
        en="More than {limit} organisations under this division; choose a lower division",
    )


@router.get(
    "/reports/organisation-tree",
    response_model=Items[OrganisationTreeNode],
    summary="区划下的组织树 / the organisation tree under a division",
)
async def organisation_tree(
    session: Session,
    principal: Reader,
    division: RegionOrDivision,
    include_dissolved: bool = False,
) -> Items[OrganisationTreeNode]:
    rows = await repository.organisations_within(
        session,
        search_prefix(principal, division),
        include_dissolved=include_dissolved,
        limit=TREE_LIMIT + 1,
    )
    if len(rows) > TREE_LIMIT:
        raise TreeTooLarge(limit=TREE_LIMIT)
    nodes = {row.id: OrganisationTreeNode(**summary(row).model_dump()) for row in rows}
    roots: list[OrganisationTreeNode] = []
    for row in rows:
        node = nodes[row.id]
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent else roots).append(node)
    return Items(items=roots)


@router.get(
    "/reports/uncovered-villages",
    response_model=Page[DivisionRead],
    summary="尚无残协覆盖的村(社区)/ villages not covered by any association",
    description="虚拟社区按地区政策参数 denominators.virtual_communities_counted 计入或不计入 / "
    "virtual communities count as the region's policy says",
)
async def uncovered_villages(
    session: Session,
    principal: Reader,
    paging: Paging,
    division: RegionOrDivision,
    as_of: AsOf = None,
) -> Page[DivisionRead]:
    prefix = search_prefix(principal, division)
    excluded = await service.excluded_villages(session, prefix, as_of)
    statement = repository.uncovered_villages_query(prefix, as_of, excluded)
    rows, cursor = await paginate(session, statement, [Division.code, Division.id], paging)
    return Page(items=[DivisionRead.model_validate(row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/coverage",
    response_model=CoverageSummary,
    summary="村(社区)残协覆盖率 / association coverage of villages",
)
async def coverage_summary(
    session: Session, principal: Reader, division: RegionOrDivision, as_of: AsOf = None
) -> CoverageSummary:
    prefix = search_prefix(principal, division)
    excluded = await service.excluded_villages(session, prefix, as_of)
    villages, covered = await repository.village_coverage_counts(session, prefix, as_of, excluded)
    return CoverageSummary(
        division_code=prefix.ljust(12, "0"),
        as_of=as_of,
        villages=villages,
        covered=covered,
        uncovered=villages - covered,
        coverage_rate=round(covered / villages, 4) if villages else 0.0,
    )


@router.get(
    "/reports/township-federations-without-full-time-chair",
    response_model=Page[OrganisationSummary],
    summary="未配备专职理事长的乡镇残联 / township federations without a full-time chair",
)
async def township_federations_without_full_time_chair(
    session: Session, principal: Reader, paging: Paging, division: RegionOrDivision
) -> Page[OrganisationSummary]:
    statement = repository.township_federations_without_full_time_chair_query(
        search_prefix(principal, division)
    )
    rows, cursor = await paginate(
        session, statement, [Organisation.division_code, Organisation.id], paging
    )
    return Page(items=[summary(row) for row in rows], next_cursor=cursor)


@router.get(
    "/reports/elections-due",
    response_model=Page[ElectionDue],
    summary="N天内(含已逾期)应换届的组织 / elections due within N days, overdue included",
)
async def elections_due(
    session: Session,
    principal: Reader,
    paging: Paging,
    division: RegionOrDivision,
    days: Annotated[int, Query(ge=0, le=3650, description="天数 / days ahead")] = 90,
) -> Page[ElectionDue]:
    today = china_today()
    statement = repository.elections_due_query(
        search_prefix(principal, division), today + timedelta(days=days)
    )
    rows, cursor = await paginate(
        session, statement, [Term.next_election_due, Organisation.id], paging
    )
    return Page(
        items=[
            ElectionDue(
                organisation_id=row.id,
                name=row.name,
                kind=OrganisationKind(row.kind),
                level=row.level,
                division_code=row.division_code,
                term_number=row.number,
                ends_on=row.ends_on,
                next_election_due=row.next_election_due,
                overdue=row.next_election_due < today,
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


@router.get(
    "/reports/standardisation-failures",
    response_model=Page[OrganisationSummary],
    summary="规范化建设某项未达标的组织 / organisations failing a standardisation item",
)
async def standardisation_failures(
    session: Session,
    principal: Reader,
    paging: Paging,
    item: Annotated[
        StandardisationItem,
        Query(
            description="sign牌子 seal章子 staff人员 funds经费 work工作 office办公场所 "
            "activity_room活动室 service_platform服务平台 demonstration_site示范点 "
            "premises场地 activity_funds年度活动经费 three_in_place专门协会三落实"
            "(经费达标、场地、人员)/ the item"
        ),
    ],
    division: RegionOrDivision,
    kind: OrganisationKind | None = None,
) -> Page[OrganisationSummary]:
    spec = failing_spec(item)
    kinds = spec.kinds
    if kind is not None:
        # An item that does not apply to the kind asked for fails nowhere.
        kinds = [kind.value] if not kinds or kind.value in kinds else ["-"]
    statement = repository.failing_query(
        search_prefix(principal, division),
        spec.flag,
        spec.minimum_funds_by_level,
        kinds,
        spec.all_of_flags,
    )
    rows, cursor = await paginate(
        session, statement, [Organisation.division_code, Organisation.id], paging
    )
    return Page(items=[summary(row) for row in rows], next_cursor=cursor)
