"""The decision and its award list as an A4 PDF laid out per Nghị định 30/2020 (fpdf2).

Page 1: the two-column header (issuing body and number on the left, national motto and place and
date on the right, each with its rule), the title, the căn cứ in italics, "QUYẾT ĐỊNH:", the Điều,
then Nơi nhận (left, small type) level with the signature block (right). The Danh sách starts on a
new page with the header again (no number, no date), its title, the "(Kèm theo ...)" line and a
table grouped by award tier whose heading row repeats on every page. Page numbers are printed from
the second page of each part, top centre; every page carries the snapshot's short code in the foot,
and each part ends with a QR code of the verification URL.

Fonts: Times New Roman when installed, else Liberation Serif (metric-compatible), else DejaVu Serif
Condensed (close to Times in width), else DejaVu Serif (shipped with matplotlib). A family is used
only if it has all four styles and every Vietnamese letter; it is embedded as a subset.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace
from fpdf.enums import Align, VAlign

from council.documents.model import LIST_COLUMNS, MOTTO, MOTTO_NATION, DecisionDocument, group_heading
from council.documents.qr import qr_modules

__all__ = ["FontSet", "render_pdf", "resolve_fonts"]

# Page set-up in mm (DECISION-FORMAT.md §6.1): A4 portrait; margins top, bottom, left, right.
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20.0, 20.0, 30.0, 15.0
PAGE_WIDTH = 210.0
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
HEADER_LEFT_SHARE, CLOSING_LEFT_SHARE = 0.4, 0.45  # column shares of the header and closing tables
INDENT = 12.7  # first-line indent, 1.27 cm
PARAGRAPH_GAP = 6 * 25.4 / 72  # 6 pt after a paragraph
LINE_SPACING = 1.15  # multiple of the font size (1.0–1.5 allowed)
SIGNATURE_GAP = 25.0  # room for the signature and the seal
QR_SIZE = 16.0
TABLE_SIZE = 12  # pt; NĐ 30 gives none for tables, 12–13 is practice
# The tier column is wide enough for a tier such as “Đề nghị khen thưởng cấp trên” without breaking words.
COLUMN_WIDTHS = (11, 40, 29, 26, 19, 14, 26)  # mm, summing to TEXT_WIDTH
COLUMN_ALIGN = ("C", "L", "L", "L", "L", "R", "C")
VIETNAMESE_SAMPLE = "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸăâđêôơưĂÂĐÊÔƠƯ“”"
STYLES = ("", "B", "I", "BI")


@dataclass(frozen=True)
class FontSet:
    """A serif family: its name and the TrueType files for regular, bold, italic and bold italic."""

    name: str
    files: tuple[Path, Path, Path, Path]


def _family(name: str, folder: Path, pattern: str, suffixes: tuple[str, ...]) -> FontSet:
    """A FontSet whose four files are ``pattern`` formatted with each of the four style ``suffixes``."""
    regular, bold, italic, bold_italic = (folder / pattern.format(s) for s in suffixes)
    return FontSet(name, (regular, bold, italic, bold_italic))


def _candidates() -> Iterator[FontSet]:
    """Times New Roman (Linux core fonts, Windows, macOS), Liberation Serif, DejaVu Serif (Condensed)."""
    windows = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
    for folder in (Path("/usr/share/fonts/truetype/msttcorefonts"), Path("/usr/share/fonts/TTF"), windows):
        yield _family("Times New Roman", folder, "times{}.ttf", ("", "bd", "i", "bi"))
        yield _family(
            "Times New Roman", folder, "Times_New_Roman{}.ttf", ("", "_Bold", "_Italic", "_Bold_Italic")
        )
    mac = Path("/Library/Fonts")
    yield _family("Times New Roman", mac, "Times New Roman{}.ttf", ("", " Bold", " Italic", " Bold Italic"))
    styles = ("Regular", "Bold", "Italic", "BoldItalic")
    for folder in (
        Path("/usr/share/fonts/truetype/liberation2"),
        Path("/usr/share/fonts/truetype/liberation"),
    ):
        yield _family("Liberation Serif", folder, "LiberationSerif-{}.ttf", styles)
    suffixes = ("", "-Bold", "-Italic", "-BoldItalic")
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    yield _family("DejaVu Serif Condensed", dejavu, "DejaVuSerifCondensed{}.ttf", suffixes)
    yield _family(
        "DejaVu Serif", Path(matplotlib.get_data_path()) / "fonts" / "ttf", "DejaVuSerif{}.ttf", suffixes
    )


def _covers_vietnamese(path: Path) -> bool:
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap()
    return all(ord(c) in cmap for c in VIETNAMESE_SAMPLE)


@functools.cache
def resolve_fonts() -> FontSet:
    """The first installed serif family with four styles and full Vietnamese coverage.

    Liberation Serif 1.x lacks the Vietnamese letters and is skipped; 2.x has them.
    """
    for fontset in _candidates():
        if all(f.is_file() for f in fontset.files) and all(_covers_vietnamese(f) for f in fontset.files):
            return fontset
    raise RuntimeError("no serif font with Vietnamese letters found (not even matplotlib's DejaVu Serif)")


def _pt(size: float) -> float:
    """A font size in points as a length in mm."""
    return size * 25.4 / 72


class _DecisionPDF(FPDF):
    """FPDF with the decision's page numbers (per part, from its 2nd page) and verification foot."""

    def __init__(self, doc: DecisionDocument, fonts: FontSet) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        self.part_start = 1  # page number where the current part (decision, list) begins
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        for style, path in zip(STYLES, fonts.files, strict=True):
            self.add_font("serif", style, str(path))
        self.set_font("serif", "", 14)
        self.set_title(f"{doc.title} {doc.number_symbol.strip()}")
        self.set_author(f"{doc.parent_body} - {doc.issuing_body}")
        self.set_subject(doc.summary)
        self.set_lang("vi")
        self.set_line_width(0.25)

    def header(self) -> None:
        number = self.page_no() - self.part_start + 1
        if number > 1:
            self.set_font("serif", "", 14)
            self.set_xy(MARGIN_LEFT, 8)
            self.cell(TEXT_WIDTH, 7, str(number), align="C")
            self.set_xy(MARGIN_LEFT, MARGIN_TOP)

    def footer(self) -> None:
        self.set_font("serif", "I", 8)
        self.set_xy(MARGIN_LEFT, -12)
        self.cell(TEXT_WIDTH, 4, f"Mã xác thực: {self.doc.code} · {self.doc.verify_url}", align="C")

    # --- drawing helpers ------------------------------------------------------------------------

    def lines(self, text: str, *, x: float, w: float, size: float, style: str = "", align: str = "C") -> None:
        """A block of wrapped text at ``x`` of width ``w``, from the current y."""
        self.set_font("serif", style, size)
        self.set_x(x)
        self.multi_cell(w, _pt(size) * LINE_SPACING, text, align=align, new_x="LEFT", new_y="NEXT")

    def rule(self, *, centre: float, length: float, gap: float = 1.0) -> None:
        """A solid rule of ``length`` centred on ``centre``, ``gap`` below the current y."""
        y = self.get_y() + gap
        self.line(centre - length / 2, y, centre + length / 2, y)
        self.set_y(y + 1)

    def fitted_size(self, text: str, style: str, width: float, sizes: tuple[float, ...]) -> float:
        """The largest of ``sizes`` at which ``text`` fits on one line of ``width``."""
        for size in sizes:
            self.set_font("serif", style, size)
            if self.get_string_width(text) <= width - 1:
                return size
        return sizes[-1]

    def centred_text(
        self, text: str, *, x: float, w: float, baseline: float, size: float, style: str
    ) -> None:
        """One line centred in [x, x+w] with its baseline at ``baseline``."""
        self.set_font("serif", style, size)
        self.text(x + (w - self.get_string_width(text)) / 2, baseline, text)

    def paragraph(self, parts: list[tuple[str, str]], *, indent: float = INDENT, size: float = 14) -> None:
        """A justified paragraph with a first-line indent, made of (style, text) runs."""
        with (
            self.text_columns(text_align="J", line_height=LINE_SPACING) as cols,
            cols.paragraph(first_line_indent=indent, bottom_margin=PARAGRAPH_GAP) as par,
        ):
            for style, text in parts:
                self.set_font("serif", style, size)
                par.write(text)

    def qr(self, x: float, y: float, size: float) -> None:
        """The verification QR code as vector squares, ``size`` mm wide with its quiet zone."""
        draw_qr(self, self.doc.verify_url, x, y, size)


def _header(pdf: _DecisionPDF, *, with_number: bool) -> None:
    """The two-column header: body and rule (and number) left; motto and rule (and date) right."""
    doc = pdf.doc
    left_w = TEXT_WIDTH * HEADER_LEFT_SHARE
    right_x, right_w = MARGIN_LEFT + left_w, TEXT_WIDTH - left_w
    top = pdf.get_y()
    pdf.lines(doc.parent_body, x=MARGIN_LEFT, w=left_w, size=13)
    pdf.lines(doc.issuing_body, x=MARGIN_LEFT, w=left_w, size=13, style="B")
    pdf.set_font("serif", "B", 13)
    body_width = min(pdf.get_string_width(doc.issuing_body), left_w)
    pdf.rule(centre=MARGIN_LEFT + left_w / 2, length=body_width * 0.45, gap=1.6)
    left_end = pdf.get_y()
    pdf.set_y(top)
    nation_size = pdf.fitted_size(MOTTO_NATION, "B", right_w, (13, 12, 11))
    pdf.lines(MOTTO_NATION, x=right_x, w=right_w, size=nation_size, style="B")
    pdf.lines(MOTTO, x=right_x, w=right_w, size=14, style="B")
    pdf.set_font("serif", "B", 14)
    pdf.rule(centre=right_x + right_w / 2, length=pdf.get_string_width(MOTTO), gap=1.6)
    bottom = max(left_end, pdf.get_y())
    if with_number:
        baseline = bottom + 7
        pdf.centred_text(doc.number_line, x=MARGIN_LEFT, w=left_w, baseline=baseline, size=13, style="")
        date_size = pdf.fitted_size(doc.place_date, "I", right_w, (14, 13, 12))
        pdf.centred_text(doc.place_date, x=right_x, w=right_w, baseline=baseline, size=date_size, style="I")
        bottom = baseline + 2
    pdf.set_xy(MARGIN_LEFT, bottom + 6)


def _title(pdf: _DecisionPDF, heading: str, summary: str, note: str = "") -> None:
    """A bold centred heading and summary, an optional italic note, and a short rule."""
    pdf.lines(heading, x=MARGIN_LEFT, w=TEXT_WIDTH, size=14, style="B")
    pdf.lines(summary, x=MARGIN_LEFT, w=TEXT_WIDTH, size=14, style="B")
    if note:
        pdf.lines(note, x=MARGIN_LEFT, w=TEXT_WIDTH, size=14, style="I")
    pdf.set_font("serif", "B", 14)
    width = min(pdf.get_string_width(summary), TEXT_WIDTH)
    pdf.rule(centre=MARGIN_LEFT + TEXT_WIDTH / 2, length=max(width / 3, 30), gap=2.5)
    pdf.ln(5)


def _body(pdf: _DecisionPDF) -> None:
    """Authority line, căn cứ in italics, "QUYẾT ĐỊNH:" and the Điều."""
    doc = pdf.doc
    pdf.lines(doc.authority, x=MARGIN_LEFT, w=TEXT_WIDTH, size=14, style="B")
    pdf.ln(3)
    for ground in doc.grounds:
        pdf.paragraph([("I", ground)])
    pdf.ln(1)
    pdf.lines("QUYẾT ĐỊNH:", x=MARGIN_LEFT, w=TEXT_WIDTH, size=14, style="B")
    pdf.ln(3)
    for number, article in enumerate(doc.articles, start=1):
        pdf.paragraph([("B", f"Điều {number}. "), ("", article)])


def _closing(pdf: _DecisionPDF) -> None:
    """Nơi nhận (left, small type) level with the signature block (right), then the QR code."""
    doc = pdf.doc
    left_w = TEXT_WIDTH * CLOSING_LEFT_SHARE
    right_x, right_w = MARGIN_LEFT + left_w, TEXT_WIDTH - left_w
    signature = 3 * _pt(14) * LINE_SPACING + SIGNATURE_GAP
    recipients = _pt(12) * LINE_SPACING + len(doc.recipients) * _pt(11) * LINE_SPACING + 3 + QR_SIZE
    if pdf.get_y() + 4 + max(signature, recipients) > pdf.h - MARGIN_BOTTOM:
        pdf.add_page()
    top = pdf.get_y() + 4
    pdf.set_y(top)
    pdf.lines("Nơi nhận:", x=MARGIN_LEFT, w=left_w, size=12, style="BI", align="L")
    for line in doc.recipients:
        pdf.lines(line, x=MARGIN_LEFT, w=left_w, size=11, align="L")
    left_end = pdf.get_y()
    pdf.set_y(top)
    pdf.lines(doc.signing_authority, x=right_x, w=right_w, size=14, style="B")
    pdf.lines(doc.signer_title, x=right_x, w=right_w, size=14, style="B")
    pdf.ln(SIGNATURE_GAP)
    pdf.lines(doc.signer_name, x=right_x, w=right_w, size=14, style="B")
    right_end = pdf.get_y()
    _verification(pdf, y=left_end + 3)
    pdf.set_y(max(pdf.get_y(), right_end))


def _verification(pdf: _DecisionPDF, *, y: float) -> None:
    """The QR code with the short code and the URL beside it, at the left margin."""
    if y + QR_SIZE > pdf.h - MARGIN_BOTTOM:
        pdf.add_page()
        y = pdf.get_y()
    pdf.qr(MARGIN_LEFT - 1, y, QR_SIZE)
    pdf.set_xy(MARGIN_LEFT + QR_SIZE + 1, y + 3)
    pdf.set_font("serif", "", 9)
    text = f"Mã xác thực: {pdf.doc.code}\nTra cứu: {pdf.doc.verify_url}"
    pdf.multi_cell(
        TEXT_WIDTH * CLOSING_LEFT_SHARE - QR_SIZE,
        3.8,
        text,
        align="L",
        wrapmode="CHAR",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(max(pdf.get_y(), y + QR_SIZE))


def _award_list(pdf: _DecisionPDF) -> None:
    """The Danh sách on a new page: header, title block and the table grouped by tier."""
    doc = pdf.doc
    pdf.part_start = pdf.page_no() + 1
    pdf.add_page()
    _header(pdf, with_number=False)
    _title(pdf, doc.list_heading, doc.list_title, doc.list_reference)
    _table(pdf)
    pdf.ln(3)
    pdf.lines(doc.total_line, x=MARGIN_LEFT, w=TEXT_WIDTH, size=13, align="L")
    _verification(pdf, y=pdf.get_y() + 4)


def _table(pdf: _DecisionPDF) -> None:
    """The award table: bold heading row repeated on each page, a bold row per tier, STT running on."""
    pdf.set_font("serif", "", TABLE_SIZE)
    bold = FontFace(emphasis="BOLD")
    align = tuple(Align.coerce(a) for a in COLUMN_ALIGN)
    stt = 0
    with pdf.table(
        col_widths=COLUMN_WIDTHS,
        width=TEXT_WIDTH,
        text_align=align,
        v_align=VAlign.T,
        line_height=_pt(TABLE_SIZE) * 1.15,
        padding=(1, 1),
        headings_style=bold,
        repeat_headings=1,
    ) as table:
        heading = table.row()
        for column in LIST_COLUMNS:
            heading.cell(column, align=Align.C, v_align=VAlign.M)
        for index, group in enumerate(pdf.doc.award_groups):
            table.row().cell(
                group_heading(index, group.tier), colspan=len(LIST_COLUMNS), style=bold, align=Align.L
            )
            for row in group.rows:
                stt += 1
                cells = row.cells(stt, group.tier)
                table.row(cells)


def render_pdf(doc: DecisionDocument) -> bytes:
    """The decision (page 1 onwards) and its award list (from a new page) as PDF bytes."""
    pdf = _DecisionPDF(doc, resolve_fonts())
    pdf.add_page()
    _header(pdf, with_number=True)
    _title(pdf, doc.title, doc.summary)
    _body(pdf)
    _closing(pdf)
    _award_list(pdf)
    return bytes(pdf.output())


def draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` as vector squares at (``x``, ``y``), ``size`` mm wide with its quiet zone."""
    runs = qr_modules(url)
    modules = max(r[1] + r[2] for r in runs) + 1
    unit = size / (modules + 4)
    pdf.set_fill_color(0)
    for row, column, length in runs:
        pdf.rect(x + (column + 2) * unit, y + (row + 2) * unit, length * unit, unit, style="F")
