"""The statistical report as a workbook to print: A4 landscape, the form's header block,
indicator groups each starting a page, the column headings repeated, fit to the page width."""

from __future__ import annotations

import io

from canlian.metrics.catalogue import schemas as catalogue_schemas
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.reports import rows
from canlian.metrics.reports.groups import grouped
from canlian.metrics.reports.statistical import StatisticalReport

_CHINESE_NUMERALS = "一二三四五六七八九十"


def statistical_workbook(report: StatisticalReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="center", wrap_text=True)
    behind = PatternFill("solid", fgColor="F8D7DA")
    heading_fill = PatternFill("solid", fgColor="DDE4EE")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "统计表"
    width = len(rows.COLUMNS)
    sheet.cell(row=1, column=1, value=rows.title(report)).font = Font(size=15, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.cell(row=2, column=1, value=rows.subtitle(report)).alignment = Alignment(
        horizontal="center"
    )
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    # The header block: two lines of label-value pairs.
    pairs = rows.header_pairs(report, with_people=True)
    for index, (label, text) in enumerate(pairs):
        line, slot = divmod(index, 4)
        sheet.cell(row=3 + line, column=1 + 2 * slot, value=f"{label}:").font = bold
        sheet.cell(row=3 + line, column=2 + 2 * slot, value=text)
    heading_row = 6
    for column, text in enumerate(rows.COLUMNS, start=1):
        cell = sheet.cell(row=heading_row, column=column, value=text)
        cell.font, cell.fill, cell.alignment, cell.border = bold, heading_fill, centre, border
    row = heading_row + 1
    number = 0
    for group_index, (group, values) in enumerate(grouped(report.values)):
        if group_index:
            sheet.row_breaks.append(Break(id=row - 1))
        label = f"{_CHINESE_NUMERALS[group_index % 10]}、{group}"
        sheet.cell(row=row, column=1, value=label).font = bold
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).border = border
        row += 1
        for value in values:
            number += 1
            fmt = "0.0" if value.unit == catalogue_schemas.IndicatorUnit.PERCENT else "#,##0.##"
            cells = [
                number,
                value.name_zh,
                rows.UNIT_ZH[value.unit],
                rows.target_text(value),
                value.value,
                value.gap,
                rows.STATUS_ZH[value.status],
                rows.source_text(value, report.words),
            ]
            for column, content in enumerate(cells, start=1):
                cell = sheet.cell(row=row, column=column, value=content)
                cell.border = border
                cell.alignment = wrap if column == 2 else centre
                if column in (5, 6):
                    cell.number_format = fmt
            if value.status is regions_schemas.Status.BEHIND:
                sheet.cell(row=row, column=5).fill = behind
            row += 1
    for column, characters in enumerate(rows.WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = characters
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddHeader.center.text = rows.title(report)
    sheet.oddFooter.center.text = "第 &P 页,共 &N 页"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
