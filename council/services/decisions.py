"""The recognition decision (Quyết định công nhận): the record, its number, its documents, its check.

A decision belongs to a final ranking snapshot and prints the award list from that snapshot,
never from live scores. It is a draft (editable, number blank) until the secretary issues it;
issuing takes the next number of the issuer symbol and year, which is never reused, and
freezes the record. Anyone with the short code printed on a copy can check it at ``/verify``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from council.documents import docx as docx_renderer
from council.documents import pdf as pdf_renderer
from council.documents import qr, vietnamese
from council.documents import xlsx as xlsx_renderer
from council.documents.certificate import render_certificates
from council.documents.model import AwardGroup, AwardRow, DecisionDocument, by_rank
from council.extensions import db
from council.i18n import VIETNAM, local_time
from council.models import CouncilRole, Decision, Field, RankingSnapshot, Round, User
from council.models.base import utcnow
from council.services import deliberation, library

log = logging.getLogger(__name__)

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "html": ("text/html", "html"),
    "certificates": ("application/pdf", "pdf"),  # giấy chứng nhận: a page per recognised dossier
}
_NUMBER_ATTEMPTS = 5
_PLACE = re.compile(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+(.+)$", re.IGNORECASE)


class DecisionError(ValueError):
    """Refused input or step; ``errors`` maps each form field to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM).date()


def current_decision(round_: Round) -> Decision | None:
    """The decision of the round's standing final snapshot, if one was drafted."""
    snapshot = deliberation.final_snapshot(round_) if deliberation.locked(round_) else None
    if snapshot is None:
        return None
    return db.session.scalar(
        select(Decision).where(Decision.snapshot_id == snapshot.id).order_by(Decision.id.desc())
    )


def decisions_of(round_: Round) -> list[Decision]:
    """Every decision of the round, newest first (those of re-opened snapshots included)."""
    return list(
        db.session.scalars(
            select(Decision).where(Decision.round_id == round_.id).order_by(Decision.id.desc())
        )
    )


def _refuse_unless_final(round_: Round) -> RankingSnapshot:
    snapshot = deliberation.final_snapshot(round_) if deliberation.locked(round_) else None
    if snapshot is None:
        raise DecisionError(
            {
                "round": _(
                    "Chưa chốt kết quả: Quyết định chỉ được lập từ bản chốt kết quả của Chủ tịch Hội đồng."
                )
            }
        )
    return snapshot


# --- the draft -------------------------------------------------------------------------------------


def defaults(round_: Round, snapshot: RankingSnapshot) -> dict[str, Any]:
    """A sensible first draft from the round and its snapshot; the secretary edits every line."""
    unit = round_.issuing_unit
    body = (round_.issuing_body or "Ban Thường trực").strip()
    movement = f"Phong trào thi đua “Đoàn kết sáng tạo” năm {round_.year}"
    payload = snapshot.payload
    awarded = [d for d in payload["dossiers"] if d["tier"] is not None]
    counts = [(t["name"], sum(1 for d in awarded if d["tier"] == t["id"])) for t in payload["tiers"]]
    finalised = local_time(snapshot.created_at)  # the meeting's date in Vietnam
    chair = next((m.user.full_name for m in round_.members if m.role is CouncilRole.CHAIR), "")
    place = _PLACE.search(unit.name)
    return {
        "issuer_symbol": "QĐ-MTTQ-BTT",
        "parent_body": unit.name.upper(),
        "issuing_body": body.upper(),
        "place": place.group(1) if place else "",
        "issued_on": today_in_vietnam(),
        "summary": f"Về việc công nhận sáng kiến, ý tưởng mới trong {movement}",
        "authority": f"{body} {unit.name}".upper(),
        "grounds": [
            "Căn cứ Luật Mặt trận Tổ quốc Việt Nam ngày 09 tháng 6 năm 2015;",
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            f"Căn cứ Kế hoạch phát động {movement} của {body} {unit.name};",
            f"Căn cứ Biên bản họp Hội đồng xét công nhận sáng kiến, ý tưởng mới "
            f"{vietnamese.format_date(finalised.date())};",
            "Xét đề nghị của Thư ký Hội đồng xét công nhận sáng kiến, ý tưởng mới.",
        ],
        "articles": [
            f"Công nhận {len(awarded)} sáng kiến, ý tưởng mới, mô hình trong {movement} "
            "(có danh sách kèm theo).",
            "Các sáng kiến, ý tưởng mới, mô hình tại Điều 1 được xếp mức khen như danh sách kèm theo: "
            + "; ".join(f"{name}: {count}" for name, count in counts if count)
            + ".",
            f"Quyết định có hiệu lực kể từ ngày ký. Văn phòng {unit.name}, Hội đồng xét công nhận sáng "
            "kiến, ý tưởng mới và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết "
            "định này./.",
        ],
        "recipients": ["- Như Điều 3;", "- Lưu: VT, HĐ."],
        "signing_authority": f"TM. {body.upper()}",
        "signer_title": "CHỦ TỊCH",
        "signer_name": chair,
        "list_title": f"Sáng kiến, ý tưởng mới, mô hình được công nhận trong {movement}",
        "list_issuer": f"{body} {unit.name}",
    }


TEXT_FIELDS = (
    "issuer_symbol", "parent_body", "issuing_body", "place", "summary", "authority",
    "signing_authority", "signer_title", "signer_name", "list_title", "list_issuer",
)  # fmt: skip
LIST_FIELDS = ("grounds", "articles", "recipients")
REQUIRED = ("issuer_symbol", "issuing_body", "place", "summary", "signer_title", "signer_name")


def draft(round_: Round) -> Decision:
    """The current decision, or a new (unsaved) draft with :func:`defaults`."""
    snapshot = _refuse_unless_final(round_)
    decision = current_decision(round_)
    if decision is None:
        data = defaults(round_, snapshot)
        decision = Decision(round_id=round_.id, snapshot=snapshot, year=data["issued_on"].year, **data)
    return decision


def save_draft(round_: Round, data: dict[str, Any], *, user: User) -> Decision:
    """Save the draft's lines (all or nothing). Refused once issued.

    Raises
    ------
    DecisionError
        Before finalisation, after issuing, or naming each empty required field.
    """
    decision = draft(round_)
    if decision.issued:
        raise DecisionError({"round": _("Quyết định đã ban hành: không sửa được nữa.")})
    errors = {
        name: _("%(field)s: không được để trống.", field=label)
        for name, label in _labels().items()
        if name in REQUIRED and not str(data.get(name) or "").strip()
    }
    if not data.get("issued_on"):
        errors["issued_on"] = _("Ngày ban hành: không được để trống.")
    if errors:
        raise DecisionError(errors)
    for name in TEXT_FIELDS:
        setattr(decision, name, vietnamese.nfc(str(data.get(name) or "").strip()))
    for name in LIST_FIELDS:
        setattr(
            decision, name, [vietnamese.nfc(line.strip()) for line in data.get(name) or [] if line.strip()]
        )
    decision.issued_on = data["issued_on"]
    decision.year = decision.issued_on.year
    db.session.add(decision)
    db.session.commit()
    log.info("round %s: decision draft %s saved by %s", round_.id, decision.id, user.id)
    return decision


def _labels() -> dict[str, str]:
    return {
        "issuer_symbol": _("Ký hiệu"),
        "issuing_body": _("Cơ quan ban hành"),
        "place": _("Địa danh"),
        "summary": _("Trích yếu"),
        "signer_title": _("Chức vụ người ký"),
        "signer_name": _("Họ tên người ký"),
    }


def issue(round_: Round, *, user: User | None) -> Decision:
    """Give the draft the next number of its issuer symbol and year, and freeze it.

    Numbers are ``max + 1`` over every decision ever issued with that symbol and year, so a
    number is never reused, also after a round is re-opened. Two secretaries issuing at once
    race on the unique constraint; the loser retries with the next number.
    """
    decision = draft(round_)
    if decision.issued:
        raise DecisionError({"round": _("Quyết định đã ban hành với số %(n)s.", n=decision.number)})
    if decision.id is None:
        db.session.add(decision)
        db.session.commit()
    for _attempt in range(_NUMBER_ATTEMPTS):
        highest = db.session.scalar(
            select(func.max(Decision.number)).where(
                Decision.issuer_symbol == decision.issuer_symbol, Decision.year == decision.year
            )
        )
        decision.number = (highest or 0) + 1
        decision.verify_code = vietnamese.short_code(decision.snapshot.fingerprint)
        decision.issued_at, decision.issued_by = utcnow(), user
        library.attach_decision(round_, decision)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        log.info(
            "round %s: decision %s issued as %s/%s",
            round_.id,
            decision.id,
            decision.number,
            decision.issuer_symbol,
        )
        return decision
    raise DecisionError({"round": _("Không cấp được số Quyết định, vui lòng thử lại.")})


# --- the documents ----------------------------------------------------------------------------------


def verify_url(code: str) -> str:
    """Where the QR code points: ``PUBLIC_URL`` (the address people reach the app at) + /verify/CODE."""
    base = current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"
    return f"{base.rstrip('/')}/verify/{code}"


def document(decision: Decision) -> DecisionDocument:
    """What the renderers print: the decision's lines and the award list of its snapshot."""
    snapshot = decision.snapshot
    payload = snapshot.payload
    with force_locale("vi"):  # the decision is a Vietnamese administrative document
        fields = {f.value: str(f.label) for f in Field}
    groups = []
    for tier in payload["tiers"]:
        rows = [
            AwardRow(
                title=d["title"],
                authors=(d["lead_author"], *d.get("co_authors", [])),
                unit=d["unit"],
                field=fields.get(d["field"], d["field"]),
                score=d["score"],
                tier=tier["name"],
            )
            for d in payload["dossiers"]
            if d["tier"] == tier["id"]
        ]
        if rows:
            groups.append(AwardGroup(tier["name"], by_rank(rows)))
    code = vietnamese.short_code(snapshot.fingerprint)
    return DecisionDocument(
        parent_body=decision.parent_body,
        issuing_body=decision.issuing_body,
        number=decision.number,
        symbol=decision.issuer_symbol,
        place=decision.place,
        issued_on=decision.issued_on or today_in_vietnam(),
        summary=decision.summary,
        authority=decision.authority,
        grounds=tuple(decision.grounds),
        articles=tuple(decision.articles),
        recipients=tuple(decision.recipients),
        signing_authority=decision.signing_authority,
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
        list_title=decision.list_title,
        list_issuer=decision.list_issuer,
        award_groups=tuple(groups),
        fingerprint=snapshot.fingerprint,
        verify_url=verify_url(code),
    )


@dataclass(frozen=True)
class Rendered:
    data: bytes
    mimetype: str
    filename: str


def render(decision: Decision, fmt: str) -> Rendered:
    """The decision as ``pdf``, ``docx``, ``xlsx``, ``html`` (the print page) or ``certificates``.

    Raises
    ------
    ValueError
        For an unknown format, or certificates of a decision that recognises nobody.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    doc = document(decision)
    if fmt == "pdf":
        data = pdf_renderer.render_pdf(doc)
    elif fmt == "certificates":
        data = render_certificates(doc)
    elif fmt == "docx":
        data = docx_renderer.render_docx(doc)
    elif fmt == "xlsx":
        data = xlsx_renderer.render_xlsx(doc)
    else:
        data = render_template(
            "decisions/print.html", doc=doc, qr_svg=qr.qr_svg(doc.verify_url), vn=vietnamese
        ).encode()
    mimetype, extension = FORMATS[fmt]
    number = f"{decision.number:02d}" if decision.number else "du-thao"
    stem = "giay-chung-nhan" if fmt == "certificates" else "quyet-dinh"
    return Rendered(data, mimetype, f"{stem}-{number}-{decision.year}.{extension}")


# --- verification -----------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """``a1b2c3d4e5f6`` or ``A1B2 C3D4-E5F6`` → ``A1B2-C3D4-E5F6``; "" if it is not 12 hex digits."""
    digits = re.sub(r"[^0-9A-Fa-f]", "", code or "").upper()
    return "-".join(digits[i : i + 4] for i in range(0, 12, 4)) if len(digits) == 12 else ""


def verify(code: str) -> Decision | None:
    """The issued decision carrying this short code, or None (a draft is never found)."""
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(
        select(Decision)
        .where(Decision.verify_code == code, Decision.number.is_not(None))
        .order_by(Decision.id.desc())
    )
