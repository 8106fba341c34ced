"""What a printed decision says: frozen dataclasses the renderers read, and nothing else.

A :class:`DecisionDocument` is the Quyết định công nhận (header, title, căn cứ, Điều, Nơi nhận,
signature) together with its Danh sách kèm theo (:class:`AwardGroup` of :class:`AwardRow`). Every
string is stored in Unicode NFC. The renderers print rows in the order given: sort them first,
e.g. with :func:`by_rank`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from council.documents.vietnamese import collation_key, format_date, format_number, nfc, short_code

__all__ = [
    "AwardGroup",
    "AwardRow",
    "DecisionDocument",
    "by_rank",
    "example_document",
    "example_rows",
    "group_heading",
]

MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
LIST_COLUMNS = (
    "STT",
    "Tên sáng kiến, ý tưởng mới, mô hình",
    "Tác giả",
    "Đơn vị",
    "Lĩnh vực",
    "Điểm TB",
    "Xếp loại",
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, tuple):
        return tuple(_normalised(v) for v in value)
    return value


def _normalise_fields(obj: Any) -> None:
    """NFC every string (and every string in a tuple) of a frozen dataclass, in place."""
    for f in fields(obj):
        object.__setattr__(obj, f.name, _normalised(getattr(obj, f.name)))


def number_symbol(number: int | None, symbol: str) -> str:
    """ "12/QĐ-MTTQ-BTT" (two digits at least), or "      /QĐ-MTTQ-BTT" before a number is given."""
    return f"{number:02d}/{symbol}" if number is not None else f"{' ' * 6}/{symbol}"


@dataclass(frozen=True)
class AwardRow:
    """One recognised dossier in the award list.

    ``authors`` lists the lead author first; ``score`` is the council's mean score (0–100);
    ``tier`` repeats the group's award tier in the "Xếp loại" column (empty: the group's).
    """

    title: str
    authors: tuple[str, ...]
    unit: str
    field: str
    score: float
    tier: str = ""

    def __post_init__(self) -> None:
        _normalise_fields(self)

    def cells(self, stt: int, group_tier: str) -> tuple[str, ...]:
        """The row's cells in the order of :data:`LIST_COLUMNS`, numbered ``stt``."""
        return (
            str(stt),
            self.title,
            ", ".join(self.authors),
            self.unit,
            self.field,
            format_number(self.score),
            self.tier or group_tier,
        )


@dataclass(frozen=True)
class AwardGroup:
    """The rows of one award tier (mức khen / hạng giải), printed under a heading row "I. <TIER>"."""

    tier: str
    rows: tuple[AwardRow, ...]

    def __post_init__(self) -> None:
        _normalise_fields(self)


@dataclass(frozen=True)
class DecisionDocument:
    """Everything printed on a Quyết định công nhận and its Danh sách kèm theo (NĐ 30/2020).

    Header: ``parent_body`` (ô 2, upright, e.g. "ỦY BAN MTTQ VIỆT NAM TỈNH X"), ``issuing_body``
    (bold, "BAN THƯỜNG TRỰC"), number and symbol printed "Số: 12/QĐ-MTTQ-BTT" (``number`` None
    leaves a blank to fill by hand), ``place`` and ``issued_on`` printed "Hà Nội, ngày 05 tháng 3
    năm 2025". Body: ``title`` ("QUYẾT ĐỊNH"), ``summary`` (trích yếu, "Về việc ..."),
    ``authority`` (the upper-case line above the căn cứ), ``grounds`` (one "Căn cứ ...;" each, the
    last "Xét đề nghị ... ."), ``articles`` (the text of Điều 1, 2, ... without "Điều N.", which
    the renderers add in bold), ``recipients`` (Nơi nhận lines, each starting "- "), and the
    signature: ``signing_authority`` ("TM. BAN THƯỜNG TRỰC"), ``signer_title`` ("CHỦ TỊCH"),
    ``signer_name``. List: ``list_title`` (D2), ``list_issuer`` (who issued, in the "(Kèm theo
    ...)" line) and ``award_groups`` in print order. Verification: ``fingerprint`` of the
    snapshot (hex; printed as a short code) and ``verify_url`` (encoded in the QR code).
    """

    parent_body: str
    issuing_body: str
    number: int | None
    symbol: str
    place: str
    issued_on: date
    summary: str
    authority: str
    grounds: tuple[str, ...]
    articles: tuple[str, ...]
    recipients: tuple[str, ...]
    signing_authority: str
    signer_title: str
    signer_name: str
    list_title: str
    list_issuer: str
    award_groups: tuple[AwardGroup, ...]
    fingerprint: str
    verify_url: str
    title: str = "QUYẾT ĐỊNH"
    list_heading: str = "DANH SÁCH"

    def __post_init__(self) -> None:
        _normalise_fields(self)
        if self.number is not None and self.number < 1:
            raise ValueError(f"number must be 1 or more (or None), not {self.number}")
        short_code(self.fingerprint)  # fails early on a fingerprint too short to print

    @property
    def number_symbol(self) -> str:
        return number_symbol(self.number, self.symbol)

    @property
    def number_line(self) -> str:
        """ "Số: 12/QĐ-MTTQ-BTT"."""
        return f"Số: {self.number_symbol}"

    @property
    def place_date(self) -> str:
        """ "Hà Nội, ngày 05 tháng 3 năm 2025"."""
        return f"{self.place}, {format_date(self.issued_on)}"

    @property
    def list_reference(self) -> str:
        """ "(Kèm theo Quyết định số 12/QĐ-MTTQ-BTT ngày 05 tháng 3 năm 2025 của ...)"."""
        return (
            f"(Kèm theo Quyết định số {self.number_symbol.strip()} {format_date(self.issued_on)}"
            f" của {self.list_issuer})"
        )

    @property
    def code(self) -> str:
        """The fingerprint's short code, "A1B2-C3D4-E5F6"."""
        return short_code(self.fingerprint)

    @property
    def row_count(self) -> int:
        """How many dossiers the award list holds."""
        return sum(len(group.rows) for group in self.award_groups)

    def group_heading(self, index: int) -> str:
        """The heading row of the ``index``-th award group, "I. GIẢI A"."""
        return group_heading(index, self.award_groups[index].tier)

    @property
    def total_line(self) -> str:
        """ "Tổng cộng: 12 sáng kiến, ý tưởng mới, mô hình./." printed after the list."""
        return f"Tổng cộng: {self.row_count} sáng kiến, ý tưởng mới, mô hình./."


def group_heading(index: int, tier: str) -> str:
    """ "I. GIẢI A": a Roman numeral and the tier in capitals, for the list's group rows."""
    numeral = ROMAN[index] if index < len(ROMAN) else str(index + 1)
    return f"{numeral}. {unicodedata.normalize('NFC', tier.upper())}"


def by_rank(rows: Iterable[AwardRow]) -> tuple[AwardRow, ...]:
    """Rows by score, highest first; ties by the lead author's name in Vietnamese order."""
    return tuple(sorted(rows, key=lambda r: (-r.score, collation_key(r.authors[0]) if r.authors else ())))


# --- a realistic example, for previews, tests and the benchmark ---------------------------------------

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
_MIDDLE = ("Thị", "Văn", "Đức", "Minh", "Thu", "Quốc", "Ngọc", "Hữu")
_GIVEN = (
    "An",
    "Anh",
    "Ánh",
    "Ân",
    "Bình",
    "Châu",
    "Dũng",
    "Đào",
    "Giang",
    "Hạnh",
    "Khoa",
    "Lợi",
    "Mỹ",
    "Ơn",
    "Ưng",
)
_TOPIC = (
    "Mô hình “Dân vận khéo” trong xây dựng nông thôn mới",
    "Ứng dụng chuyển đổi số trong giám sát, phản biện xã hội",
    "Sáng kiến “Tuyến đường nở hoa” ở khu dân cư",
    "Ý tưởng mới về quỹ “Vì người nghèo” minh bạch trên nền tảng số",
    "Giải pháp nâng cao Tính kinh tế của mô hình tổ hợp tác",
    "Mô hình “Khu dân cư tự quản về an ninh trật tự”",
)
_UNITS = (
    "Ủy ban MTTQ Việt Nam huyện Đông Anh",
    "Hội Liên hiệp Phụ nữ phường Hàng Bạc",
    "Hội Nông dân xã Ưng Hòa",
    "Liên đoàn Lao động quận Ba Đình",
    "Đoàn Thanh niên xã Ứng Thiên",
)
_FIELDS = ("Kinh tế", "Văn hóa - Xã hội", "Khoa học - Công nghệ", "Quốc phòng - An ninh", "Xây dựng Đảng")
EXAMPLE_TIERS = ("Giải A", "Giải B", "Giải C")


def _example_name(i: int) -> str:
    family, middle, given = (
        _FAMILY[i % len(_FAMILY)],
        _MIDDLE[3 * i % len(_MIDDLE)],
        _GIVEN[7 * i % len(_GIVEN)],
    )
    return f"{family} {middle} {given}"


def example_rows(n: int, *, tiers: tuple[str, ...] = EXAMPLE_TIERS) -> tuple[AwardGroup, ...]:
    """``n`` synthetic dossiers with Vietnamese titles and names, in ``len(tiers)`` groups by rank."""
    rows = []
    for i in range(n):
        authors = tuple(_example_name(i + k) for k in range(1 + i % 3))
        title = f"{_TOPIC[i % len(_TOPIC)]} ({i + 1})"
        score = round(95 - 40 * i / max(n, 1) - (i % 4) * 0.25, 2)
        rows.append(AwardRow(title, authors, _UNITS[i % len(_UNITS)], _FIELDS[i % len(_FIELDS)], score))
    ranked = by_rank(rows)
    bounds = [round(n * k / len(tiers)) for k in range(len(tiers) + 1)]
    return tuple(
        AwardGroup(tier, ranked[bounds[k] : bounds[k + 1]])
        for k, tier in enumerate(tiers)
        if bounds[k + 1] > bounds[k]
    )


def example_document(n: int = 12, *, issued_on: date = date(2025, 3, 5)) -> DecisionDocument:
    """A realistic decision of a provincial Front's standing board with ``n`` recognised dossiers."""
    year = issued_on.year
    movement = f"phong trào thi đua “Đoàn kết sáng tạo” năm {year}"
    return DecisionDocument(
        parent_body="ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ HÀ NỘI",
        issuing_body="BAN THƯỜNG TRỰC",
        number=12,
        symbol="QĐ-MTTQ-BTT",
        place="Hà Nội",
        issued_on=issued_on,
        summary=f"Về việc công nhận sáng kiến, ý tưởng mới, mô hình tiêu biểu trong {movement}",
        authority="BAN THƯỜNG TRỰC ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM THÀNH PHỐ HÀ NỘI",
        grounds=(
            "Căn cứ Luật Mặt trận Tổ quốc Việt Nam ngày 09 tháng 6 năm 2015;",
            "Căn cứ Điều lệ Mặt trận Tổ quốc Việt Nam;",
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Quyết định số 05/QĐ-MTTQ-BTT ngày 12 tháng 02 năm 2025 về việc thành lập Hội đồng"
            " xét công nhận sáng kiến và Quy chế hoạt động của Hội đồng;",
            "Xét đề nghị của Hội đồng xét công nhận sáng kiến tại Tờ trình số 03/TTr-HĐ ngày 28 tháng 02 năm"
            f" {year}.",
        ),
        articles=(
            f"Công nhận {n} sáng kiến, ý tưởng mới, mô hình tiêu biểu trong {movement}"
            " (có danh sách kèm theo).",
            "Tặng Giấy khen của Ban Thường trực Ủy ban MTTQ Việt Nam thành phố cho các tập thể, cá nhân có"
            " sáng kiến, ý tưởng mới, mô hình được công nhận tại Điều 1.",
            "Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Ủy ban MTTQ Việt Nam thành phố, Hội đồng"
            " xét công nhận sáng kiến, các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành"
            " Quyết định này./.",
        ),
        recipients=(
            "- Như Điều 3;",
            "- Ban Thường trực UBTW MTTQ Việt Nam (để b/c);",
            "- Thường trực Thành ủy (để b/c);",
            "- Lưu: VT, HĐ.",
        ),
        signing_authority="TM. BAN THƯỜNG TRỰC",
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Thị Ánh",
        list_title=f"Sáng kiến, ý tưởng mới, mô hình được công nhận trong {movement}",
        list_issuer="Ban Thường trực Ủy ban MTTQ Việt Nam thành phố Hà Nội",
        award_groups=example_rows(n),
        fingerprint="9f3a1c0be4d27781c5aa0e6b2d9f4c13e8a7b6d5c4f3e2a1908f7e6d5c4b3a29",
        verify_url="https://council.example.vn/verify/9f3a1c0be4d2",
    )
