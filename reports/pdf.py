"""The claim paper as a PDF to print, sign and stamp, drawn with matplotlib's PDF backend.

Why matplotlib: it is already a dependency (the charts), it embeds the CJK font it draws with
(``reports.fonts``) and it needs no system library; a page here is a few dozen texts and lines.
A :class:`~reports.filing.Filing` is laid out in two passes:

1. **layout**: blocks (title, facts in two columns, section headings, table rows, wrapped
   notes, closing lines) are placed top down on landscape A4 pages; a table that runs over a
   page goes on under its header row repeated;
2. **drawing**: each page is a figure (texts, and thin rules round every table cell), with
   第 N 页，共 M 页 at its foot, written one after another into one PDF.

>>> from reports.filing import Filing
>>> filing_pdf(Filing("申报单", [("编号", "1")], []), lambda key, **v: key)[:5]
b'%PDF-'
"""

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from canteen.money import format_yuan
from reports import fonts
from reports.filing import Filing, Table, Words

PDF_TYPE = "application/pdf"
WIDTH, HEIGHT = 842.0, 595.0
"""Landscape A4 in points."""
MARGIN = 42.0
BODY = 9.0
"""Font size of tables and notes, in points."""
ROW = 15.0
LINE = 13.0
UNIT = 4.7
"""Points per character of a column's width (a Chinese character takes two)."""


@dataclass
class _Page:
    ops: list[Callable[[Figure], None]] = field(default_factory=list)


class _Layout:
    """Places blocks top down, starting a new page when the next one does not fit."""

    def __init__(self) -> None:
        self.pages: list[_Page] = [_Page()]
        self.y = HEIGHT - MARGIN

    def room(self, height: float) -> bool:
        return self.y - height >= 44

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = HEIGHT - MARGIN

    def need(self, height: float) -> None:
        if not self.room(height):
            self.new_page()

    def text(
        self, x: float, text: str, size: float = BODY, bold: bool = False, ha: str = "left"
    ) -> None:
        y = self.y

        def draw(fig: Figure) -> None:
            fig.text(
                x / WIDTH,
                y / HEIGHT,
                text,
                fontsize=size,
                fontweight="bold" if bold else "normal",
                fontfamily=fonts.families(),
                va="top",
                ha=ha,
            )

        self.pages[-1].ops.append(draw)

    def rule(self, x0: float, x1: float, y0: float, y1: float) -> None:
        def draw(fig: Figure) -> None:
            xs, ys = [x0 / WIDTH, x1 / WIDTH], [y0 / HEIGHT, y1 / HEIGHT]
            fig.add_artist(Line2D(xs, ys, linewidth=0.5, color="black"))

        self.pages[-1].ops.append(draw)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, points: float) -> list[str]:
    """``text`` cut into lines that fit ``points`` at the body size."""
    most = max(1, int(points / UNIT))
    lines, line = [], ""
    for char in text:
        if _width(line + char) > most:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def _cell(value: object, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "fen" and isinstance(value, int):
        return format_yuan(value, grouped=True)
    return str(value)


def _table(layout: _Layout, table: Table, t: Words) -> None:
    keys = ["seq"] + [c.key for c in table.columns]
    kinds = ["int"] + [c.kind for c in table.columns]
    widths = [5.0] + [float(c.width) for c in table.columns]
    scale = (WIDTH - 2 * MARGIN) / sum(widths)  # a form: every table the page's width
    edges = [MARGIN]
    for w in widths:
        edges.append(edges[-1] + w * scale)
    header = [t("paper_seq")] + [c.title for c in table.columns]

    def row(values: list[str], bold: bool = False, header: bool = False) -> None:
        top, bottom = layout.y, layout.y - ROW
        for i, value in enumerate(values):
            numeric = kinds[i] in ("int", "fen") and not header and (i or not bold)
            x = edges[i + 1] - 3 if numeric else edges[i] + 3
            layout.y = top - 3
            layout.text(x, value, bold=bold, ha="right" if numeric else "left")
        for x in edges:
            layout.rule(x, x, top, bottom)
        layout.rule(edges[0], edges[-1], top, top)
        layout.rule(edges[0], edges[-1], bottom, bottom)
        layout.y = bottom

    layout.need(2 * ROW)
    row(header, bold=True, header=True)
    for values in table.rows:
        if not layout.room(ROW):
            layout.new_page()
            row(header, bold=True, header=True)
        row([_cell(values.get(k), kind) for k, kind in zip(keys, kinds, strict=True)])
    if table.totals is not None:
        layout.need(ROW)
        totals = {"seq": t("paper_total"), **table.totals}
        row([_cell(totals.get(k), kind) for k, kind in zip(keys, kinds, strict=True)], True)


def _paragraph(layout: _Layout, text: str, size: float = BODY, bold: bool = False) -> None:
    for line in _wrap(text, WIDTH - 2 * MARGIN):
        layout.need(LINE)
        layout.text(MARGIN, line, size=size, bold=bold)
        layout.y -= LINE * size / BODY


def filing_pdf(paper: Filing, t: Words) -> bytes:
    """The filing as a PDF: title block, sections, closing; numbered pages."""
    layout = _Layout()
    layout.text(WIDTH / 2, paper.title, size=16, bold=True, ha="center")
    layout.y -= 30
    half = (WIDTH - 2 * MARGIN) / 2
    for i in range(0, len(paper.facts), 2):
        for j, (label, value) in enumerate(paper.facts[i : i + 2]):
            fact = t("paper_fact", label=label, value=value)
            layout.text(MARGIN + j * half, fact, size=10)
        layout.y -= LINE + 2
    for section in paper.sections:
        layout.y -= 8
        layout.need(LINE + ROW * 2)
        layout.text(MARGIN, section.heading, size=10.5, bold=True)
        layout.y -= LINE + 4
        if section.table is not None:
            _table(layout, section.table, t)
            layout.y -= 4
        for note in section.notes:
            _paragraph(layout, note)
    layout.y -= 10
    layout.need(sum(len(_wrap(line, WIDTH - 2 * MARGIN)) for line in paper.closing) * 19)
    for n, line in enumerate(paper.closing):
        _paragraph(layout, line, size=10.5, bold=n < 2)
        layout.y -= 4
    return _draw(layout.pages, paper.title, t)


def _draw(pages: list[_Page], title: str, t: Words) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Title": title, "Creator": "canteen", "CreationDate": None}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for number, page in enumerate(pages, start=1):
            fig = Figure(figsize=(WIDTH / 72, HEIGHT / 72))
            for draw in page.ops:
                draw(fig)
            foot = t("paper_pdf_page", page=number, pages=len(pages))
            fig.text(0.5, 24 / HEIGHT, foot, fontsize=8, ha="center", fontfamily=fonts.families())
            pdf.savefig(fig)
    return buffer.getvalue()
