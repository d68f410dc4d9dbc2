"""The statistical report as CSV and as a workbook to print."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from canlian.common.division_words import label
from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.days import BEIJING
from canlian.metrics.plans.targets import COMPARATOR_SIGN, number_text
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.reports.service import Report

_STATUS_ZH = {
    regions_schemas.Status.MET: "达标",
    regions_schemas.Status.BEHIND: "未达标",
    regions_schemas.Status.NO_TARGET: "未设目标",
    regions_schemas.Status.NO_DATA: "无数据",
}


def _report_title(report: Report) -> str:
    name = label(report.region.code, report.region.name)
    plan = f"{report.plan.name}({report.plan.code})" if report.plan is not None else "实时"
    moment = report.as_of.isoformat() if report.as_of else datetime.now(BEIJING).date().isoformat()
    return f"{name} 残疾人组织建设规划指标统计表 · {plan} · 截至 {moment}"


def report_csv(report: Report) -> str:
    """Long format, one line per region and indicator (UTF-8 with BOM so Excel opens it)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "区划代码 region",
            "区划名称 name",
            "层级 level",
            "指标代码 indicator",
            "指标名称 indicator name",
            "单位 unit",
            "比较 comparator",
            "目标 target",
            "实际 value",
            "差距 gap",
            "状态 status",
            "目标设定区划 target set on",
        ]
    )
    for level in sorted(report.levels):
        for region, values in report.levels[level]:
            for value in values:
                target = value.target
                writer.writerow(
                    [
                        region.code,
                        region.name or "",
                        report.words.level_name(level),
                        value.indicator,
                        value.name_zh,
                        value.unit.value,
                        COMPARATOR_SIGN[target.comparator.value] if target else "",
                        number_text(target.value) if target else "",
                        number_text(value.value),
                        number_text(value.gap),
                        _STATUS_ZH[value.status],
                        target.set_on if target else "",
                    ]
                )
    return buffer.getvalue()


def report_workbook(report: Report) -> bytes:
    """Regions x indicators (target, value, gap), one sheet per level, formatted to print."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    behind_fill = PatternFill("solid", fgColor="F8D7DA")
    met_fill = PatternFill("solid", fgColor="D4EDDA")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    title = _report_title(report)
    for level in sorted(report.levels):
        level_name = report.words.level_name(level)
        sheet = workbook.create_sheet(level_name)
        columns = 2 + 3 * len(report.indicators)
        sheet.cell(row=1, column=1, value=title).font = Font(size=14, bold=True)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
        sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        sheet.cell(
            row=2,
            column=1,
            value=f"{level_name}区划 · 评估节点:"
            f"{'中期' if report.milestone is regions_schemas.Milestone.MIDTERM else '终期'}"
            " · 差距为距目标尚差的数值,达标为 0",
        )
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
        for column, text in ((1, "区划代码"), (2, "区划名称")):
            cell = sheet.cell(row=3, column=column, value=text)
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        for index, indicator in enumerate(report.indicators):
            first = 3 + 3 * index
            unit = "%" if indicator.unit == catalogue_schemas.IndicatorUnit.PERCENT else ""
            sheet.cell(
                row=3,
                column=first,
                value=f"{report.words.localise(indicator.name_zh)}{f'({unit})' if unit else ''}",
            )
            sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 2)
            for offset, text in enumerate(("目标", "实际", "差距")):
                sheet.cell(row=4, column=first + offset, value=text)
        for row in (3, 4):
            for column in range(1, columns + 1):
                cell = sheet.cell(row=row, column=column)
                cell.font = Font(bold=True)
                cell.fill = header_fill
                cell.alignment = centre
                cell.border = border
        sheet.row_dimensions[3].height = 48
        for row_index, (region, values) in enumerate(report.levels[level], start=5):
            sheet.cell(row=row_index, column=1, value=region.code)
            sheet.cell(row=row_index, column=2, value=region.name or "")
            for index, value in enumerate(values):
                first = 3 + 3 * index
                fmt = "0.0" if value.unit == catalogue_schemas.IndicatorUnit.PERCENT else "#,##0.##"
                target = value.target
                cells = (
                    sheet.cell(
                        row=row_index,
                        column=first,
                        value=(
                            f"{COMPARATOR_SIGN[target.comparator.value]}{number_text(target.value)}"
                            if target
                            else None
                        ),
                    ),
                    sheet.cell(row=row_index, column=first + 1, value=value.value),
                    sheet.cell(row=row_index, column=first + 2, value=value.gap),
                )
                for cell in cells[1:]:
                    cell.number_format = fmt
                if value.status is regions_schemas.Status.BEHIND:
                    cells[1].fill = behind_fill
                elif value.status is regions_schemas.Status.MET:
                    cells[1].fill = met_fill
            for column in range(1, columns + 1):
                sheet.cell(row=row_index, column=column).border = border
        sheet.column_dimensions["A"].width = 15
        sheet.column_dimensions["B"].width = 22
        for column in range(3, columns + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 10
        sheet.freeze_panes = "C5"
        sheet.print_title_rows = "3:4"
        sheet.print_title_cols = "A:B"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = "第 &P 页,共 &N 页"
        sheet.oddHeader.center.text = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
