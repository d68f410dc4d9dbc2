"""An evaluation as a PDF for publication (信息公开): A4 landscape, set as the statistical
report is (`reports.publication.report_font`: WenQuanYi Micro Hei embedded, else reportlab's
STSong-Light): the title, the figures' source, each indicator's locked value against the
milestone's target with its status, the conclusion, and the approving level. Accounts of
the drafter and approver are on the JSON page, not in the publication."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from canlian.metrics.catalogue.schemas import UNIT_ZH
from canlian.metrics.days import BEIJING
from canlian.metrics.evaluations import schemas
from canlian.metrics.evaluations.service import KIND_ZH
from canlian.metrics.plans.targets import COMPARATOR_SIGN, number_text
from canlian.metrics.reports.publication import report_font

OUTCOME_ZH = {
    schemas.Outcome.MET: "达标",
    schemas.Outcome.NOT_MET: "未达标",
    schemas.Outcome.NO_TARGET: "未设目标",
    schemas.Outcome.INCOMPLETE: "数据不全",
}

COLUMNS = ("序号", "指标名称", "计量单位", "目标值", "实际值", "差距", "达标情况")
WIDTHS = (6, 60, 10, 12, 12, 10, 10)


def title(evaluation: schemas.EvaluationRead) -> str:
    name = evaluation.region.name or evaluation.region.code
    plan = evaluation.plan_name
    return f"{plan if plan.startswith(name) else name + plan}{KIND_ZH[evaluation.kind]}报告"


def _target_text(item: schemas.IndicatorOutcome) -> str:
    if item.comparator is None or item.target is None:
        return ""
    return f"{COMPARATOR_SIGN[item.comparator.value]}{number_text(item.target)}"


def _number(value: float | None) -> str:
    return number_text(value) if value is not None else "—"


def evaluation_pdf(evaluation: schemas.EvaluationRead, approving_unit: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table
    from reportlab.platypus import TableStyle as Style

    font = report_font()
    page = landscape(A4)
    margin = 15 * mm
    usable = page[0] - 2 * margin
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    small = ParagraphStyle("small", fontName=font, fontSize=9.5, leading=13, alignment=1)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16)
    heading_text = title(evaluation)

    def decorate(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.drawString(margin, 8 * mm, heading_text)
        canvas.drawRightString(page[0] - margin, 8 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    counts = evaluation.counts
    if evaluation.approved_at is not None:
        state = (
            f"{approving_unit}审定 · "
            f"{evaluation.approved_at.astimezone(BEIJING).date().isoformat()}"
        )
    else:
        state = "草稿,尚未审定"
    story: list[Any] = [
        Paragraph(escape(heading_text), title_style),
        Paragraph(
            escape(
                f"{KIND_ZH[evaluation.kind]}({evaluation.year} 年)· 依据 {evaluation.year} "
                f"年审核锁定的上报数据(第 {evaluation.submission_version} 版)· {state}"
            ),
            small,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                f"达标 {counts[schemas.Outcome.MET]} 项,未达标 {counts[schemas.Outcome.NOT_MET]} "
                f"项,数据不全 {counts[schemas.Outcome.INCOMPLETE]} 项,未设目标 "
                f"{counts[schemas.Outcome.NO_TARGET]} 项"
            ),
            body,
        ),
        Spacer(1, 3 * mm),
        Paragraph("一、各项指标", heading),
    ]
    data: list[list[Any]] = [[Paragraph(f"<b>{text}</b>", cell_style) for text in COLUMNS]]
    styles: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, 9.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4EE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (2, 1), (-1, -1), "CENTER"),
    ]
    # The indicators the plan sets a target for first, then those without one.
    ordered = sorted(evaluation.indicators, key=lambda item: item.target is None)
    for number, item in enumerate(ordered, start=1):
        data.append(
            [
                str(number),
                Paragraph(escape(item.name_zh), cell_style),
                UNIT_ZH[item.unit],
                _target_text(item),
                _number(item.value),
                _number(item.gap),
                OUTCOME_ZH[item.status],
            ]
        )
        if item.status is schemas.Outcome.NOT_MET:
            row = len(data) - 1
            styles.append(("BACKGROUND", (6, row), (6, row), colors.HexColor("#F8D7DA")))
    widths = [usable * share / sum(WIDTHS) for share in WIDTHS]
    story += [
        Table(data, colWidths=widths, repeatRows=1, style=Style(styles)),
        Spacer(1, 6 * mm),
        Paragraph("二、评估结论", heading),
        # The conclusion keeps its line breaks (free text); a paragraph would fold them.
        Paragraph(escape(evaluation.conclusion).replace("\n", "<br/>"), body),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=heading_text,
        author=approving_unit,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
