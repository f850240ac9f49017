"""A village's public-notice list as a PDF (ReportLab): a title, the lines under it, and a table.

Chinese is written with ReportLab's built-in CID font STSong-Light, which PDF readers supply:
no font file is shipped or embedded. The pages are left uncompressed: a notice is a page or two,
and its text stays readable to a search of the file (the tests check that no ID number is in it).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
# The columns' shares of the page's width: name, village, category, reason, notice dates.
_WIDTHS = (0.16, 0.16, 0.26, 0.2, 0.22)


@dataclass(frozen=True)
class NoticeSheet:
    title: str
    lines: Sequence[str]  # under the title: the village, the notice's dates
    headings: Sequence[str]
    rows: Sequence[Sequence[str]]
    empty: str  # said instead of the table when no household is on the notice
    footer: str = ""


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, alignment=1)
    line = ParagraphStyle("line", fontName=FONT, fontSize=11, leading=16, alignment=1)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=14)
    return title, line, cell


def notice_pdf(sheet: NoticeSheet) -> bytes:
    """The notice as the bytes of a PDF file (A4, portrait)."""
    title, line, cell = _styles()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        pageCompression=0,
        title=sheet.title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story: list[object] = [Paragraph(escape(sheet.title), title), Spacer(1, 4 * mm)]
    story += [Paragraph(escape(text), line) for text in sheet.lines]
    story.append(Spacer(1, 6 * mm))
    if sheet.rows:
        story.append(_table(sheet, cell, doc.width))
    else:
        story.append(Paragraph(escape(sheet.empty), line))
    if sheet.footer:
        story += [Spacer(1, 8 * mm), Paragraph(escape(sheet.footer), cell)]
    doc.build(story)
    return out.getvalue()


def _table(sheet: NoticeSheet, cell: ParagraphStyle, width: float) -> Table:
    header = [Paragraph(escape(text), cell) for text in sheet.headings]
    body = [[Paragraph(escape(text), cell) for text in row] for row in sheet.rows]
    table = Table([header, *body], colWidths=[share * width for share in _WIDTHS], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
