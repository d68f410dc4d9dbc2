"""Rules of township target scoring: a county sets one 100-point sheet per year; the inspector
scores the qualitative items of each township; at year end the indicator items are scored
from each township's indicator values on 31 December, totals graded and ranked, and the sheet
closed. Each step is audited and announced."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from canlian.common import divisions
from canlian.common.auth import Principal
from canlian.common.concurrency import Precondition
from canlian.common.db.metadata import utcnow
from canlian.common.errors import OutsideScope
from canlian.common.events import metrics as events
from canlian.common.messaging.outbox import Outbox
from canlian.metrics.catalogue import repository as catalogue_repository
from canlian.metrics.divisions import repository as divisions_repository
from canlian.metrics.plans.repository import write_audit
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.regions.evaluation import region_indicators
from canlian.metrics.township_scores import export, repository, scoring
from canlian.metrics.township_scores.models import (
    ItemScore,
    ScoreSheet,
    SheetItem,
    TownshipResult,
)
from canlian.metrics.township_scores.problems import (
    ItemScoreInvalid,
    NotTownshipOfCounty,
    SheetExists,
    SheetInvalid,
    SheetNotFound,
    SheetNotScored,
    SheetScored,
)
from canlian.metrics.township_scores.schemas import (
    ItemKind,
    QualitativeScores,
    SheetCreate,
    SheetItemBody,
)

OPEN = "open"
SCORED = "scored"
TOTAL_POINTS = 100


def _invalid(zh: str, en: str) -> SheetInvalid:
    return SheetInvalid(reason_zh=zh, reason_en=en)


async def _check_items(session: AsyncSession, items: Sequence[SheetItemBody]) -> None:
    codes = [item.code for item in items]
    if len(set(codes)) != len(codes):
        raise _invalid("项目代码重复", "Item codes repeat")
    total = sum(item.points for item in items)
    if total != TOTAL_POINTS:
        raise _invalid(
            f"百分制:各项分值之和须为 100(现为 {total})",
            f"A 100-point sheet: the points must add up to 100 (they add up to {total})",
        )
    for item in items:
        linked = (item.indicator, item.comparator, item.target)
        if item.kind == ItemKind.QUALITATIVE:
            if any(part is not None for part in linked):
                raise _invalid(
                    f"定性项目 {item.code} 不关联指标",
                    f"Qualitative item {item.code} has no indicator",
                )
            continue
        if any(part is None for part in linked):
            raise _invalid(
                f"指标项目 {item.code} 须给出指标、比较方式和目标值",
                f"Indicator item {item.code} needs an indicator, a comparator and a target",
            )
        assert item.indicator is not None
        if await catalogue_repository.indicator(session, item.indicator) is None:
            raise _invalid(f"未知指标 {item.indicator}", f"Unknown indicator {item.indicator}")


async def create_sheet(
    session: AsyncSession, outbox: Outbox, principal: Principal, body: SheetCreate
) -> ScoreSheet:
    principal.ensure_covers(body.county)
    if divisions.level_of(body.county) != divisions.DivisionLevel.COUNTY:
        raise _invalid(
            f"{body.county} 不是县级区划:乡镇目标考核表由县(市、区)制定",
            f"{body.county} is not a county: a county sets its townships' sheet",
        )
    await _check_items(session, body.items)
    existing = await repository.sheet_of_year(session, body.county, body.year)
    if existing is not None:
        raise SheetExists(county=body.county, year=body.year, sheet_id=existing.id)
    sheet = ScoreSheet(
        county_code=body.county,
        year=body.year,
        title=body.title,
        status=OPEN,
        version=1,
        created_by=principal.subject,
        created_at=utcnow(),
        items=[
            SheetItem(
                position=n,
                code=item.code,
                title=item.title,
                points=item.points,
                kind=item.kind,
                indicator_code=item.indicator,
                comparator=item.comparator,
                target=item.target,
            )
            for n, item in enumerate(body.items)
        ],
    )
    session.add(sheet)
    await session.flush()
    await outbox.add(
        session,
        events.TownshipScoreSheetSet(
            sheet_id=str(sheet.id),
            version=1,
            county_code=sheet.county_code,
            year=sheet.year,
            items=[item.code for item in body.items],
            indicator_items=sum(1 for item in body.items if item.kind == ItemKind.INDICATOR),
        ),
    )
    await write_audit(
        session,
        principal,
        action="township-score-sheet.set",
        object_type="township_score_sheet",
        object_id=str(sheet.id),
        detail=f"{sheet.county_code} {sheet.year}: "
        + ", ".join(f"{item.code}={item.points}" for item in body.items),
    )
    return sheet


async def get_sheet(
    session: AsyncSession, principal: Principal, sheet_id: int, *, for_update: bool = False
) -> ScoreSheet:
    sheet = await repository.sheet(session, sheet_id, for_update=for_update)
    if sheet is None:
        raise SheetNotFound(key=sheet_id)
    if not principal.covers(sheet.county_code):
        raise OutsideScope(what="考核表 / score sheet")
    return sheet


async def _writable(
    session: AsyncSession, principal: Principal, sheet_id: int, precondition: Precondition
) -> ScoreSheet:
    sheet = await get_sheet(session, principal, sheet_id, for_update=True)
    precondition.check(sheet.version)
    if sheet.status == SCORED:
        raise SheetScored(sheet_id=sheet.id)
    return sheet


async def set_qualitative_scores(
    session: AsyncSession,
    principal: Principal,
    sheet_id: int,
    township: str,
    body: QualitativeScores,
    precondition: Precondition,
) -> ScoreSheet:
    sheet = await _writable(session, principal, sheet_id, precondition)
    if not (
        divisions.level_of(township) == divisions.DivisionLevel.TOWNSHIP
        and divisions.is_within(township, sheet.county_code)
    ):
        raise NotTownshipOfCounty(township=township, county=sheet.county_code)
    items = {item.code: item for item in sheet.items}
    given = [score.item for score in body.scores]
    if len(set(given)) != len(given):
        raise ItemScoreInvalid(reason_zh="项目重复", reason_en="An item repeats")
    now = utcnow()
    rows = []
    for score in body.scores:
        item = items.get(score.item)
        if item is None or item.kind != ItemKind.QUALITATIVE:
            raise ItemScoreInvalid(
                reason_zh=f"{score.item} 不是本表的定性项目",
                reason_en=f"{score.item} is not a qualitative item of the sheet",
            )
        if not Decimal(0) <= score.score <= item.points:
            raise ItemScoreInvalid(
                reason_zh=f"项目 {item.code} 的得分 {score.score} 须在 0 至 {item.points} 分之间",
                reason_en=f"The score {score.score} of item {item.code} must lie between 0 and "
                f"{item.points}",
            )
        rows.append(
            ItemScore(
                sheet_id=sheet.id,
                township_code=township,
                item_code=item.code,
                score=score.score.quantize(Decimal("0.1")),
                value=None,
                scored_by=principal.subject,
                scored_at=now,
            )
        )
    await repository.replace_item_scores(session, sheet.id, township, given, rows)
    sheet.version += 1
    await write_audit(
        session,
        principal,
        action="township-score-sheet.qualitative-scored",
        object_type="township_score_sheet",
        object_id=str(sheet.id),
        detail=f"{township}: " + ", ".join(f"{row.item_code}={row.score}" for row in rows),
    )
    return sheet


async def score_year_end(
    session: AsyncSession,
    outbox: Outbox,
    principal: Principal,
    sheet_id: int,
    precondition: Precondition,
) -> ScoreSheet:
    """Score every township of the county: indicator items from the values on 31 December of
    the year, qualitative items as the inspector scored them (none scored: 0)."""
    sheet = await _writable(session, principal, sheet_id, precondition)
    townships = await divisions_repository.divisions_at_level(
        session, divisions.prefix(sheet.county_code), int(divisions.DivisionLevel.TOWNSHIP)
    )
    stored = await repository.item_scores(session, sheet.id)
    qualitative = {(row.township_code, row.item_code): row.score for row in stored}
    indicator_items = [item for item in sheet.items if item.kind == ItemKind.INDICATOR]
    now = utcnow()
    totals: dict[str, Decimal] = {}
    for township in townships:
        values: dict[str, float | None] = {}
        if indicator_items:
            read = await region_indicators(
                session,
                principal,
                township.code,
                plan_code=None,
                as_of=date(sheet.year, 12, 31),
                milestone=regions_schemas.Milestone.FINAL,
            )
            values = {value.indicator: value.value for value in read.indicators}
        rows = []
        total = Decimal(0)
        for item in sheet.items:
            if item.kind == ItemKind.INDICATOR:
                assert item.indicator_code is not None
                assert item.comparator is not None
                assert item.target is not None
                value = values.get(item.indicator_code)
                score = scoring.indicator_score(item.points, item.comparator, item.target, value)
                rows.append(
                    ItemScore(
                        sheet_id=sheet.id,
                        township_code=township.code,
                        item_code=item.code,
                        score=score,
                        value=value,
                        scored_by=principal.subject,
                        scored_at=now,
                    )
                )
            else:
                score = qualitative.get((township.code, item.code), Decimal(0))
            total += score
        await repository.replace_item_scores(
            session, sheet.id, township.code, [item.code for item in indicator_items], rows
        )
        totals[township.code] = total
    ranks = scoring.ranks(totals)
    results = [
        TownshipResult(
            sheet_id=sheet.id,
            township_code=code,
            total=total,
            grade=scoring.grade_of(total),
            rank=ranks[code],
        )
        for code, total in totals.items()
    ]
    session.add_all(results)
    sheet.status = SCORED
    sheet.scored_at = now
    sheet.version += 1
    await session.flush()
    await outbox.add(
        session,
        events.TownshipsScored(
            sheet_id=str(sheet.id),
            version=sheet.version,
            county_code=sheet.county_code,
            year=sheet.year,
            results=[
                events.TownshipResult(
                    township_code=row.township_code,
                    total=row.total,
                    grade=events.TownshipGrade(row.grade),
                    rank=row.rank,
                )
                for row in sorted(results, key=lambda row: (row.rank, row.township_code))
            ],
            average=(
                (sum(totals.values(), Decimal(0)) / len(totals)).quantize(Decimal("0.1"))
                if totals
                else None
            ),
        ),
    )
    await write_audit(
        session,
        principal,
        action="township-score-sheet.scored",
        object_type="township_score_sheet",
        object_id=str(sheet.id),
        detail="; ".join(f"{row.township_code}={row.total} #{row.rank}" for row in results)[:4000],
    )
    return sheet


async def ranking(session: AsyncSession, principal: Principal, sheet_id: int) -> export.Ranking:
    """A scored sheet's townships in rank order with their item scores and names."""
    sheet = await get_sheet(session, principal, sheet_id)
    if sheet.status != SCORED:
        raise SheetNotScored(sheet_id=sheet.id)
    results = await repository.ranked_results(session, sheet.id)
    codes = [sheet.county_code, *(row.township_code for row in results)]
    names = await divisions_repository.divisions_by_code(session, codes)
    county = names.get(sheet.county_code)
    return export.Ranking(
        sheet=sheet,
        county_name=county.name if county else None,
        results=results,
        scores=await repository.item_scores(session, sheet.id),
        names={code: division.name for code, division in names.items()},
    )
