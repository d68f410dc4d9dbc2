"""What a line of the statistical report says: one indicator's unit, target, value, gap and
status, as both formats print them."""

from __future__ import annotations

from canlian.common.division_words import NATIONAL, RegionWords, label
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.days import BEIJING
from canlian.metrics.plans.targets import COMPARATOR_SIGN, number_text
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.reports.statistical import StatisticalReport

UNIT_ZH = catalogue_schemas.UNIT_ZH

STATUS_ZH = {
    regions_schemas.Status.MET: "达标",
    regions_schemas.Status.BEHIND: "未达标",
    regions_schemas.Status.NO_TARGET: "未设目标",
    regions_schemas.Status.NO_DATA: "无数据",
}

SOURCE_ZH = {
    catalogue_schemas.IndicatorKind.DERIVED: "系统汇总",
    catalogue_schemas.IndicatorKind.REPORTED: "部门填报",
}

COLUMNS = ("序号", "指标名称", "计量单位", "目标值", "实际值", "差距", "达标情况", "数据来源")

# Relative widths of the columns (characters in the workbook, shares of the page in the PDF).
WIDTHS = (6, 52, 10, 12, 12, 10, 10, 12)


def target_text(value: regions_schemas.IndicatorValue) -> str:
    target = value.target
    if target is None:
        return ""
    return f"{COMPARATOR_SIGN[target.comparator.value]}{number_text(target.value)}"


def source_text(value: regions_schemas.IndicatorValue, words: RegionWords = NATIONAL) -> str:
    text = SOURCE_ZH[value.kind]
    if value.kind == catalogue_schemas.IndicatorKind.REPORTED and value.period is not None:
        text += f"({value.period})"
    counted = value.completeness
    if counted is not None and not counted.complete:
        # Summed from the counties: say how many are in it, so no one reads it as the whole.
        county = words.localise("县")
        text += f"不完整:{counted.counties_in}/{counted.counties}{county}"
    return text


def title(report: StatisticalReport) -> str:
    name = report.region.name or report.region.code
    plan = report.plan.name
    return f"{plan if plan.startswith(name) else name + plan}执行情况统计表"


def subtitle(report: StatisticalReport) -> str:
    state = "已审核锁定" if report.locked else "未经审核,数据截至制表日"
    region = label(report.region.code, report.region.name)
    return (
        f"{region} · {report.period_zh} · 数据截至 {report.as_of.year} 年 {report.as_of.month} 月 "
        f"{report.as_of.day} 日 · {state}"
    )


def header_pairs(report: StatisticalReport, *, with_people: bool) -> list[tuple[str, str]]:
    """The form's header block; `with_people` False for publication (no personal names)."""
    submission = report.submission
    pending = "(尚未上报)"
    pairs = [
        ("表号", submission.form_number if submission else pending),
        ("制表机关", submission.issuing_authority if submission else pending),
        ("填报单位", submission.reporting_unit if submission else pending),
        ("计量单位", "见各指标"),
        (
            "报出日期",
            submission.submitted_at.astimezone(BEIJING).date().isoformat()
            if submission
            else pending,
        ),
    ]
    if with_people:
        pairs += [
            ("单位负责人", submission.unit_head if submission else ""),
            ("统计负责人", submission.statistics_head if submission else ""),
            ("填表人", submission.preparer if submission else ""),
        ]
    return pairs
