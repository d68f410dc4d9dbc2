"""The county's ranked year-end township scores as a workbook: one row per township in rank
order, its name with its level word (镇 / 乡 / 街道 / 苏木), the total, the grade and each item's
score. Every cell an official typed (titles, names) is written formula-safe."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from canlian.common import division_words
from canlian.common.events.metrics import TownshipGrade
from canlian.common.spreadsheets import append_row
from canlian.metrics.township_scores.models import ItemScore, ScoreSheet, TownshipResult

GRADE_ZH = {
    TownshipGrade.EXCELLENT: "优秀",
    TownshipGrade.GOOD: "良好",
    TownshipGrade.SATISFACTORY: "合格",
    TownshipGrade.FAIL: "不合格",
}
TOWNSHIP = 4


@dataclass(frozen=True)
class Ranking:
    sheet: ScoreSheet
    county_name: str | None
    results: Sequence[TownshipResult]
    scores: Sequence[ItemScore]
    names: Mapping[str, str]


def rows(ranking: Ranking) -> list[list[object]]:
    """The heading and one row per township, as the workbook holds them."""
    items = ranking.sheet.items
    heading: list[object] = [
        "排名 rank",
        "区划代码 code",
        "乡镇(街道)township",
        "类别 level",
        "总分 total",
        "等次 grade",
        *(f"{item.title}({item.points}分)" for item in items),
    ]
    by_township: dict[str, dict[str, Decimal]] = {}
    for score in ranking.scores:
        by_township.setdefault(score.township_code, {})[score.item_code] = score.score
    body: list[list[object]] = [heading]
    for result in ranking.results:
        name = ranking.names.get(result.township_code)
        given = by_township.get(result.township_code, {})
        body.append(
            [
                result.rank,
                result.township_code,
                division_words.label(result.township_code, name),
                division_words.level_word(name, TOWNSHIP),
                float(result.total),
                GRADE_ZH[TownshipGrade(result.grade)],
                *(float(given.get(item.code, Decimal(0))) for item in items),
            ]
        )
    return body


def title(ranking: Ranking) -> str:
    county = division_words.label(ranking.sheet.county_code, ranking.county_name)
    return f"{county} {ranking.sheet.year} 年度乡镇(街道)目标考核排名 · {ranking.sheet.title}"


def workbook(ranking: Ranking) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{ranking.sheet.year}年度排名"
    append_row(sheet, [title(ranking)])
    sheet.cell(row=1, column=1).font = Font(size=14, bold=True)
    for row in rows(ranking):
        append_row(sheet, row)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDEF", (8, 16, 30, 8, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
