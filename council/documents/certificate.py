"""Giấy chứng nhận: one A4 landscape certificate per recognised dossier, all in one PDF (fpdf2).

Each page, inside a double frame: the national motto with its rule, the issuing body, the title
"GIẤY CHỨNG NHẬN", the dossier's title in bold between quotes, its authors and unit, its tier and
score, the decision it was recognised by ("(Theo Quyết định số ... ngày ... của ...)"); at the foot,
the place and date (italic) and the signature block on the right, the verification QR code and
the snapshot's short code on the left.

The fonts are the decision's (:func:`council.documents.pdf.resolve_fonts`), embedded as subsets. The
middle block shrinks (and, as a last resort for an absurdly long title, cuts the title short) so
that every certificate fits on its page inside the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from council.documents.model import MOTTO, MOTTO_NATION, AwardGroup, AwardRow, DecisionDocument
from council.documents.pdf import STYLES, FontSet, draw_qr, resolve_fonts
from council.documents.vietnamese import format_date, format_number

__all__ = ["render_certificates"]

# A4 landscape, in mm.
PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0
FRAME_OUTER, FRAME_INNER = 9.0, 12.0  # insets of the two rectangles of the frame
PADDING = 10.0  # between the inner rectangle and the text
LEFT = FRAME_INNER + PADDING
TOP = FRAME_INNER + 7.0
TEXT_WIDTH = PAGE_WIDTH - 2 * LEFT
BOTTOM = PAGE_HEIGHT - FRAME_INNER - 6.0  # lowest y any text may reach
LINE_SPACING = 1.2
SIGNATURE_GAP = 20.0  # room for the signature and the seal
SIGNATURE_WIDTH = 115.0  # the right-hand signature column
QR_SIZE = 24.0
MIN_SCALE = 0.55  # the smallest the middle block may shrink to
ELLIPSIS = "…"


def _pt(size: float) -> float:
    """A font size in points as a length in mm."""
    return size * 25.4 / 72


@dataclass(frozen=True)
class _Line:
    """A centred, wrapped block of the middle part: text, style, size in pt and space above in mm."""

    text: str
    style: str
    size: float
    space: float = 0.0


class _CertificatePDF(FPDF):
    def __init__(self, doc: DecisionDocument, fonts: FontSet) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.doc = doc
        self.set_margins(LEFT, TOP, LEFT)
        self.set_auto_page_break(False)  # every certificate is laid out to fit its one page
        for style, path in zip(STYLES, fonts.files, strict=True):
            self.add_font("serif", style, str(path))
        self.set_font("serif", "", 14)
        self.set_title(f"Giấy chứng nhận - Quyết định số {doc.number_symbol.strip()}")
        self.set_author(doc.list_issuer or doc.authority)
        self.set_subject(doc.list_title)
        self.set_lang("vi")

    # --- drawing helpers ------------------------------------------------------------------------

    def frame(self) -> None:
        """The decorative double border: a thick outer rectangle and a thin inner one."""
        self.set_draw_color(0)
        self.set_line_width(1.2)
        self.rect(FRAME_OUTER, FRAME_OUTER, PAGE_WIDTH - 2 * FRAME_OUTER, PAGE_HEIGHT - 2 * FRAME_OUTER)
        self.set_line_width(0.4)
        self.rect(FRAME_INNER, FRAME_INNER, PAGE_WIDTH - 2 * FRAME_INNER, PAGE_HEIGHT - 2 * FRAME_INNER)
        self.set_line_width(0.25)

    def block(self, line: _Line, *, x: float = LEFT, w: float = TEXT_WIDTH, dry_run: bool = False) -> float:
        """Draw ``line`` centred in [x, x+w] from the current y (or only measure it); its height."""
        self.set_font("serif", line.style, line.size)
        height = _pt(line.size) * LINE_SPACING
        lines = self.multi_cell(w, height, line.text, align="C", dry_run=True, output="LINES")
        if not dry_run:
            self.set_xy(x, self.get_y() + line.space)
            self.multi_cell(w, height, line.text, align="C", new_x="LEFT", new_y="NEXT")
        return line.space + len(lines) * height

    def rule(self, *, length: float, gap: float = 1.2) -> None:
        """A solid rule of ``length`` centred on the page, ``gap`` below the current y."""
        y = self.get_y() + gap
        centre = PAGE_WIDTH / 2
        self.line(centre - length / 2, y, centre + length / 2, y)
        self.set_y(y + 1)

    def qr(self, x: float, y: float, size: float) -> None:
        """The verification QR code as vector squares, ``size`` mm wide with its quiet zone."""
        draw_qr(self, self.doc.verify_url, x, y, size)


def _issuer(doc: DecisionDocument) -> str:
    return (doc.list_issuer or doc.authority).upper()


def _reference(doc: DecisionDocument) -> str:
    """ "(Theo Quyết định số 12/QĐ-MTTQ-BTT ngày 05 tháng 3 năm 2025" and, on its own line, "của ...)"."""
    issuer = doc.list_issuer or doc.authority
    return f"(Theo Quyết định số {doc.number_symbol.strip()} {format_date(doc.issued_on)}\ncủa {issuer})"


def _middle(doc: DecisionDocument, group: AwardGroup, row: AwardRow, title: str, scale: float) -> list[_Line]:
    """The certificate's middle block at ``scale`` (1: full size) for ``title``."""

    def size(points: float) -> float:
        return round(points * scale, 1)

    lines = [
        _Line("Chứng nhận sáng kiến, ý tưởng mới, mô hình", "I", size(16)),
        _Line(f"“{title.strip()}”", "B", size(20), 2 * scale),
    ]
    if row.authors:
        lines.append(_Line(f"Tác giả: {', '.join(row.authors)}", "", size(15), 3 * scale))
    if row.unit:
        lines.append(_Line(f"Đơn vị: {row.unit}", "", size(15), scale))
    tier = row.tier or group.tier
    score = f"Điểm: {format_number(row.score)}"
    grade = f"Xếp loại: {tier}    {score}" if tier else score
    lines.append(_Line(grade, "B", size(15), 2 * scale))
    lines.append(_Line(_reference(doc), "I", size(13), 3 * scale))
    return lines


def _fitted_middle(
    pdf: _CertificatePDF, group: AwardGroup, row: AwardRow, room: float
) -> tuple[list[_Line], float]:
    """The largest middle block that fits in ``room`` mm, shortening the title if nothing else helps."""

    def height(lines: list[_Line]) -> float:
        return sum(pdf.block(line, dry_run=True) for line in lines)

    scale = 1.0
    while True:
        lines = _middle(pdf.doc, group, row, row.title, scale)
        total = height(lines)
        if total <= room or scale <= MIN_SCALE:
            break
        scale = max(MIN_SCALE, scale - 0.05)
    if total <= room:
        return lines, total
    # Last resort: the longest prefix of the title that fits, cut at a word and marked with "…".
    low, high = 0, len(row.title)
    while low < high:
        middle = (low + high + 1) // 2
        candidate = _middle(pdf.doc, group, row, row.title[:middle].rstrip() + ELLIPSIS, scale)
        if height(candidate) <= room:
            low = middle
        else:
            high = middle - 1
    cut = row.title[:low]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    lines = _middle(pdf.doc, group, row, cut.rstrip() + ELLIPSIS, scale)
    return lines, height(lines)


def _top(pdf: _CertificatePDF) -> float:
    """National motto with its rule, the issuing body and the big title; the y where they end."""
    doc = pdf.doc
    pdf.set_y(TOP)
    pdf.block(_Line(MOTTO_NATION, "B", 13))
    pdf.block(_Line(MOTTO, "B", 14))
    pdf.set_font("serif", "B", 14)
    pdf.rule(length=pdf.get_string_width(MOTTO))
    pdf.block(_Line(_issuer(doc), "B", 13, 3))
    pdf.block(_Line("GIẤY CHỨNG NHẬN", "B", 30, 4))
    return pdf.get_y()


def _bottom_height(pdf: _CertificatePDF) -> float:
    """How tall the signature block is (place and date, authority, title, gap, name)."""
    doc = pdf.doc
    x, w = PAGE_WIDTH - LEFT - SIGNATURE_WIDTH, SIGNATURE_WIDTH
    parts = [
        _Line(doc.place_date, "I", 14),
        _Line(doc.signing_authority, "B", 14),
        _Line(doc.signer_title, "B", 14),
        _Line(doc.signer_name, "B", 14, SIGNATURE_GAP),
    ]
    return max(sum(pdf.block(p, x=x, w=w, dry_run=True) for p in parts), QR_SIZE + 10)


def _bottom(pdf: _CertificatePDF, top: float) -> None:
    """Place and date, signature block (right); QR code and short code (left); from ``top``."""
    doc = pdf.doc
    x, w = PAGE_WIDTH - LEFT - SIGNATURE_WIDTH, SIGNATURE_WIDTH
    pdf.set_y(top)
    pdf.block(_Line(doc.place_date, "I", 14), x=x, w=w)
    if doc.signing_authority:
        pdf.block(_Line(doc.signing_authority, "B", 14), x=x, w=w)
    if doc.signer_title:
        pdf.block(_Line(doc.signer_title, "B", 14), x=x, w=w)
    pdf.block(_Line(doc.signer_name, "B", 14, SIGNATURE_GAP), x=x, w=w)
    qr_y = BOTTOM - QR_SIZE - 1
    pdf.qr(LEFT - 2, qr_y, QR_SIZE)
    pdf.set_font("serif", "", 9)
    pdf.set_xy(LEFT + QR_SIZE, qr_y + 6)
    pdf.multi_cell(
        x - LEFT - QR_SIZE - 4,
        4,
        f"Mã xác thực: {doc.code}\nTra cứu: {doc.verify_url}",
        align="L",
        wrapmode="CHAR",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _certificate(pdf: _CertificatePDF, group: AwardGroup, row: AwardRow) -> None:
    pdf.add_page()
    pdf.frame()
    top = _top(pdf) + 3
    bottom_top = BOTTOM - _bottom_height(pdf)
    lines, height = _fitted_middle(pdf, group, row, bottom_top - 2 - top)
    pdf.set_y(top + max(0.0, (bottom_top - 2 - top - height) / 2.5))
    for line in lines:
        pdf.block(line)
    _bottom(pdf, bottom_top)


def render_certificates(doc: DecisionDocument) -> bytes:
    """One A4 landscape Giấy chứng nhận per row of every award group, in order, as PDF bytes.

    Raises ValueError when the decision has no rows.
    """
    if not doc.row_count:
        raise ValueError("the decision recognises no dossier: there is no certificate to print")
    pdf = _CertificatePDF(doc, resolve_fonts())
    for group in doc.award_groups:
        for row in group.rows:
            _certificate(pdf, group, row)
    return bytes(pdf.output())
