"""The statistical report as a PDF for publication (信息公开): A4 landscape, the form's header
without personal names, each indicator group on its own page with the column headings
repeated. Chinese is set in WenQuanYi Micro Hei, embedded (Debian's fonts-wqy-microhei, which
scripts/install-test-servers.sh installs), so any reader shows it; without that file, in
reportlab's built-in STSong-Light CID font, which readers substitute from their own fonts."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from canlian.metrics.plans.targets import number_text
from canlian.metrics.regions import schemas as regions_schemas
from canlian.metrics.reports import rows
from canlian.metrics.reports.groups import grouped
from canlian.metrics.reports.statistical import StatisticalReport

EMBEDDED_FONT = "WenQuanYiMicroHei"
CID_FONT = "STSong-Light"
FONT_FILES = (
    os.environ.get("CANLIAN_REPORT_FONT", ""),
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def report_font() -> str:
    """Register the report's font once per process and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if EMBEDDED_FONT in registered:
        return EMBEDDED_FONT
    for candidate in FONT_FILES:
        if candidate and Path(candidate).is_file():
            pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, candidate, subfontIndex=0))
            return EMBEDDED_FONT
    if CID_FONT not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def statistical_pdf(report: StatisticalReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table
    from reportlab.platypus import TableStyle as Style

    font = report_font()
    page = landscape(A4)
    margin = 15 * mm
    usable = page[0] - 2 * margin
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    small = ParagraphStyle("small", fontName=font, fontSize=9.5, leading=13, alignment=1)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceAfter=4)
    title = rows.title(report)

    def decorate(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.drawString(margin, 8 * mm, f"{title} · {report.period_zh}")
        canvas.drawRightString(page[0] - margin, 8 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    header = rows.header_pairs(report, with_people=False)
    header_table = Table(
        [[Paragraph(f"{label}:{value}", cell_style) for label, value in header]],
        colWidths=[usable / len(header)] * len(header),
    )
    story: list[Any] = [
        Paragraph(title, title_style),
        Paragraph(rows.subtitle(report), small),
        Spacer(1, 4 * mm),
        header_table,
        Spacer(1, 4 * mm),
    ]
    widths = [usable * share / sum(rows.WIDTHS) for share in rows.WIDTHS]
    number = 0
    for index, (group, values) in enumerate(grouped(report.values)):
        if index:
            story.append(PageBreak())
        story.append(Paragraph(f"{index + 1}. {group}", heading))
        data: list[list[Any]] = [[Paragraph(f"<b>{text}</b>", cell_style) for text in rows.COLUMNS]]
        styles: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), font, 9.5),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4EE")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (2, 1), (-1, -1), "CENTER"),
        ]
        for value in values:
            number += 1
            data.append(
                [
                    str(number),
                    Paragraph(value.name_zh, cell_style),
                    rows.UNIT_ZH[value.unit],
                    rows.target_text(value),
                    number_text(value.value) if value.value is not None else "—",
                    number_text(value.gap) if value.gap is not None else "—",
                    rows.STATUS_ZH[value.status],
                    rows.source_text(value, report.words),
                ]
            )
            if value.status is regions_schemas.Status.BEHIND:
                styles.append(
                    (
                        "BACKGROUND",
                        (4, len(data) - 1),
                        (4, len(data) - 1),
                        colors.HexColor("#F8D7DA"),
                    )
                )
        story.append(Table(data, colWidths=widths, repeatRows=1, style=Style(styles)))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author=report.submission.reporting_unit if report.submission else "",
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
