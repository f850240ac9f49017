"""A household's file as a PDF (ReportLab, A4): each section a heading and a table, the
renovation's photos as thumbnails with when and where they were taken.

Chinese is written with ReportLab's built-in CID font STSong-Light (no font file shipped);
pages are left uncompressed, so a search of the file finds its text."""

from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from backend.core.display import day
from backend.dossiers.content import Dossier

FONT = "STSong-Light"
_WIDTH = A4[0] - 30 * mm


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1)
_HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=18, spaceBefore=8)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11)
_NOTE = ParagraphStyle("note", fontName=FONT, fontSize=8, leading=10, textColor=colors.grey)


def dossier_pdf(dossier: Dossier) -> bytes:
    _font()
    out = BytesIO()
    household = dossier.household
    title = _("Household file: %(label)s") % {"label": household.label}
    doc = SimpleDocTemplate(
        out, pagesize=A4, pageCompression=0, title=title,
        leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
    )  # fmt: skip
    story: list[object] = [Paragraph(escape(title), _TITLE), Spacer(1, 3 * mm)]
    story += _section(_("Household"), [[line.label, line.value] for line in dossier.basics])
    story += _section(
        _("Members"),
        dossier.members,
        [_("No."), _("Name"), _("Relationship"), _("Born"), _("Status")],
    )
    story += _section(_("Income by year"), dossier.incomes, dossier.income_headings)
    story += _section(
        _("Two no-worries, three guarantees and water, visit by visit"),
        [[day(v.on), v.by, *v.values] for v in dossier.visits],
        dossier.check_headings,
    )
    story += _section(
        _("Help"), [[_("Helper"), dossier.helper], [_("Assistance measures"), dossier.measures]]
    )
    for case in dossier.cases:
        heading = f"{case.title} · {case.state}"
        story += _section(
            heading,
            case.steps,
            [_("Step"), _("Level"), _("Decision"), _("By"), _("On"), _("Comment")],
        )
        if case.signatures:
            story.append(Paragraph(escape(_("Signed: ") + "; ".join(case.signatures)), _NOTE))
    story += _photos(dossier)
    story += _section(
        _("Problems found and how they closed"),
        dossier.flags,
        [_("Problem"), _("Details"), _("Opened"), _("Closed"), _("How")],
    )
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(escape(_("ID numbers, phones and health data are masked in this file.")), _NOTE)
    )
    doc.build(story)
    return out.getvalue()


def _section(
    heading: str, rows: Sequence[Sequence[str]], headings: Sequence[str] | None = None
) -> list[object]:
    parts: list[object] = [Paragraph(escape(heading), _HEADING)]
    if not rows:
        parts.append(Paragraph(escape(_("Nothing recorded.")), _NOTE))
        return parts
    data = [[Paragraph(escape(str(cell)), _CELL) for cell in row] for row in rows]
    if headings:
        data.insert(0, [Paragraph(f"<b>{escape(str(h))}</b>", _CELL) for h in headings])
    table = Table(
        data, colWidths=[_WIDTH / len(data[0])] * len(data[0]), repeatRows=1 if headings else 0
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke if headings else colors.white),
            ]
        )
    )
    parts.append(table)
    return parts


def _photos(dossier: Dossier) -> list[object]:
    """The renovation's photos, three to a row, each with its stage, time and place."""
    parts: list[object] = [Paragraph(escape(_("Renovation photos")), _HEADING)]
    cells: list[object] = []
    for photo in dossier.photos:
        picture: object = Paragraph(escape(_("no thumbnail")), _NOTE)
        if photo.path and default_storage.exists(photo.path):
            with default_storage.open(photo.path, "rb") as stream:
                picture = Image(
                    BytesIO(stream.read()), width=55 * mm, height=41 * mm, kind="proportional"
                )
        cells.append([picture, Paragraph(escape(f"{photo.stage} · {photo.caption}"), _NOTE)])
    if not cells:
        parts.append(Paragraph(escape(_("Nothing recorded.")), _NOTE))
        return parts
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    rows[-1] += [""] * (3 - len(rows[-1]))
    parts.append(Table(rows, colWidths=[_WIDTH / 3] * 3))
    return parts
