"""Dossiers (hồ sơ): one validation path for the form and the Excel/CSV import, saving, listing.

Both the web form and the import turn their input into a ``dict`` of raw strings keyed by the
names in :data:`DOSSIER_FIELDS` and call :func:`clean_dossier`; its messages name the field
(and the import adds the row), so a secretary reads the same Vietnamese either way.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import abort
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from council.extensions import db
from council.models import Dossier, DossierKind, DossierStatus, Field, Round, Unit, User
from council.models.enums import INTAKE_STEPS, SETUP_STEPS

log = logging.getLogger(__name__)

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$")
TEXT_LIMIT = 10_000
# What no .xlsx or .docx can hold (XML 1.0) and, for NUL, what PostgreSQL refuses in text: control
# characters other than tab, line feed and carriage return, and the non-characters U+FFFE, U+FFFF.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FieldSpec:
    """One field of the intake form, as the form, the import sheet and the export name it."""

    name: str
    label: Any  # lazy Vietnamese label: form label, sheet header
    required: bool = False
    max_length: int = TEXT_LIMIT
    help: Any = ""


DOSSIER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "code", _l("Mã hồ sơ"), max_length=32, help=_l("Để trống để hệ thống tự cấp, ví dụ HS-2025-0001.")
    ),
    FieldSpec("kind", _l("Loại"), required=True, help=_l("Sáng kiến, Ý tưởng mới hoặc Mô hình.")),
    FieldSpec(
        "field", _l("Lĩnh vực"), required=True, help=_l("Một trong 5 nội dung thi đua (có thể ghi số 1–5).")
    ),
    FieldSpec("title", _l("Tên sáng kiến, mô hình, ý tưởng"), required=True, max_length=500),
    FieldSpec("lead_author", _l("Người chủ trì"), required=True, max_length=255),
    FieldSpec(
        "co_authors", _l("Người thực hiện"), help=_l("Mỗi người một dòng, hoặc cách nhau bằng dấu chấm phẩy.")
    ),
    FieldSpec(
        "unit", _l("Đơn vị"), required=True, max_length=255, help=_l("Tên đơn vị đã có trong hệ thống.")
    ),
    FieldSpec("summary", _l("Mô tả"), required=True),
    FieldSpec("novelty", _l("Tính mới"), help=_l("Điểm mới so với trước khi áp dụng.")),
    FieldSpec("applied_time", _l("Thời gian áp dụng"), max_length=255),
    FieldSpec("applied_place", _l("Địa điểm áp dụng"), max_length=500),
    FieldSpec("applied_work", _l("Công việc áp dụng")),
    FieldSpec("results", _l("Kết quả")),
)
FIELDS_BY_NAME = {spec.name: spec for spec in DOSSIER_FIELDS}


class DossierInvalid(ValueError):
    """The input has errors; ``errors`` maps each field name to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def normalise(text: str | None) -> str:
    """NFC, single spaces, trimmed: what a name is compared by."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def unstorable_message(label: Any) -> str:
    return _("%(field)s: có ký tự điều khiển không hợp lệ; hãy xóa ký tự đó.", field=label)


def name_key(text: str | None) -> str:
    """A case-insensitive key for matching names (units, people, choices)."""
    return normalise(text).casefold()


def split_people(text: str | None) -> list[str]:
    """Co-authors from one cell or text area: one per line, or separated by semicolons."""
    return [normalise(part) for part in re.split(r"[;\n]", text or "") if normalise(part)]


def choice(enum: type[Any], raw: str, *, numbered: bool = False) -> Any | None:
    """An enum member from its value, its label (Vietnamese, or the reader's language), or
    (``numbered``) its 1-based position: what a secretary may type in a sheet."""
    key = name_key(raw)
    members = list(enum)
    if numbered and key.isdecimal() and len(key) <= 3 and 1 <= int(key) <= len(members):  # not "²"
        return members[int(key) - 1]
    for member in members:
        with force_locale("vi"):
            vietnamese = name_key(str(member.label))
        if key in {member.value, vietnamese, name_key(str(member.label))}:
            return member
    return None


def units_by_key() -> dict[str, Unit]:
    """Every unit, keyed by :func:`name_key` of its name."""
    return {name_key(unit.name): unit for unit in db.session.scalars(select(Unit))}


@dataclass
class CleanDossier:
    """The result of :func:`clean_dossier`: values ready for the model, or errors by field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unknown_unit: str | None = None


def clean_dossier(raw: dict[str, str | None], units: dict[str, Unit]) -> CleanDossier:
    """Validate one dossier's raw input (form or sheet row) against :data:`DOSSIER_FIELDS`."""
    result = CleanDossier()
    for spec in DOSSIER_FIELDS:
        text = (raw.get(spec.name) or "").strip()
        text = unicodedata.normalize("NFC", text)
        if spec.required and not text:
            result.errors[spec.name] = _("%(field)s: không được để trống.", field=spec.label)
        elif len(text) > spec.max_length:
            result.errors[spec.name] = _(
                "%(field)s: dài quá %(n)d ký tự (hiện có %(length)d).",
                field=spec.label,
                n=spec.max_length,
                length=len(text),
            )
        elif UNSTORABLE.search(text):  # an import's cell (the web form is refused before this)
            result.errors[spec.name] = unstorable_message(spec.label)
        else:
            result.values[spec.name] = text
    _clean_choices(result)
    if "code" in result.values and result.values["code"] and not CODE_PATTERN.match(result.values["code"]):
        result.errors["code"] = _("Mã hồ sơ: chỉ gồm chữ không dấu, số và . _ / - (tối đa 32 ký tự).")
    if "co_authors" in result.values:
        result.values["co_authors"] = split_people(result.values["co_authors"])
    if result.values.get("unit"):
        unit = units.get(name_key(result.values["unit"]))
        if unit is None:
            result.unknown_unit = normalise(result.values["unit"])
            result.errors["unit"] = _("Đơn vị “%(name)s” chưa có trong hệ thống.", name=result.unknown_unit)
        result.values["unit"] = unit
    return result


def _clean_choices(result: CleanDossier) -> None:
    if result.values.get("kind"):
        kind = choice(DossierKind, result.values["kind"])
        if kind is None:
            result.errors["kind"] = _(
                "Loại: “%(value)s” không hợp lệ; chọn Sáng kiến, Ý tưởng mới hoặc Mô hình.",
                value=result.values["kind"],
            )
        result.values["kind"] = kind
    if result.values.get("field"):
        field_ = choice(Field, result.values["field"], numbered=True)
        if field_ is None:
            result.errors["field"] = _(
                "Lĩnh vực: “%(value)s” không phải một trong 5 nội dung thi đua.", value=result.values["field"]
            )
        result.values["field"] = field_


def next_code(round_: Round, taken: set[str] | None = None) -> str:
    """The next free ``HS-<year>-<NNNN>`` code of the round."""
    existing = (
        taken
        if taken is not None
        else set(db.session.scalars(select(Dossier.code).where(Dossier.round_id == round_.id)))
    )
    number = len(existing) + 1
    while f"HS-{round_.year}-{number:04d}" in existing:
        number += 1
    return f"HS-{round_.year}-{number:04d}"


def find_by_code(round_: Round, code: str) -> Dossier | None:
    return db.session.scalar(select(Dossier).where(Dossier.round_id == round_.id, Dossier.code == code))


def apply_values(dossier: Dossier, values: dict[str, Any]) -> None:
    """Copy cleaned values onto a dossier (the code only when one was given)."""
    for name, value in values.items():
        if name == "code" and not value:
            continue
        setattr(dossier, name, value)


def save_dossier(
    round_: Round, dossier: Dossier | None, raw: dict[str, str | None], *, user: User
) -> Dossier:
    """Create (``dossier`` None) or update a dossier from raw input; raises :class:`DossierInvalid`."""
    # Dossiers can be added while intake is open, and edited until scoring starts.
    allowed = INTAKE_STEPS if dossier is None else SETUP_STEPS
    if round_.status not in allowed:
        raise DossierInvalid(
            {
                "code": _(
                    "Đợt xét đang ở bước “%(step)s”: không thể thêm hoặc sửa hồ sơ.", step=round_.status.label
                )
            }
        )
    cleaned = clean_dossier(raw, units_by_key())
    code = cleaned.values.get("code")
    if code:
        clash = find_by_code(round_, code)
        if clash is not None and clash is not dossier:
            cleaned.errors["code"] = _("Mã hồ sơ “%(code)s” đã có trong đợt xét này.", code=code)
    if cleaned.errors:
        raise DossierInvalid(cleaned.errors)
    if dossier is None:
        dossier = Dossier(round=round_, status=DossierStatus.RECEIVED, code=code or next_code(round_))
        db.session.add(dossier)
    apply_values(dossier, cleaned.values)
    db.session.commit()
    log.info("dossier %s of round %s saved by %s", dossier.code, round_.id, user.id)
    return dossier


def set_status(dossier: Dossier, status: DossierStatus, *, user: User) -> None:
    """Accept, return for completion, or mark a dossier withdrawn."""
    dossier.status = status
    db.session.commit()
    log.info("dossier %s set to %s by %s", dossier.code, status, user.id)


def get_dossier_or_404(round_: Round, dossier_id: int) -> Dossier:
    """The dossier with this id *in this round*; another round's id is a 404, not a leak."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or dossier.round_id != round_.id:
        abort(404)
    return dossier


@dataclass(frozen=True)
class DossierFilter:
    """What the dossier list is narrowed to: free text, field, unit, kind, status."""

    q: str = ""
    field: Field | None = None
    unit_id: int | None = None
    kind: DossierKind | None = None
    status: DossierStatus | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> DossierFilter:
        """From a query string; unknown values are ignored rather than failing the page."""
        unit = args.get("unit_id", "")
        return cls(
            q=normalise(args.get("q"))[:200],
            field=Field._value2member_map_.get(args.get("field", "")),  # type: ignore[arg-type]
            unit_id=int(unit) if unit.isascii() and unit.isdigit() and len(unit) <= 9 else None,
            kind=DossierKind._value2member_map_.get(args.get("kind", "")),  # type: ignore[arg-type]
            status=DossierStatus._value2member_map_.get(args.get("status", "")),  # type: ignore[arg-type]
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.field, self.unit_id, self.kind, self.status))


def list_dossiers(round_: Round, criteria: DossierFilter | None = None) -> list[Dossier]:
    """The round's dossiers by code, narrowed by ``criteria``; text matches code, title and authors."""
    criteria = criteria or DossierFilter()
    query = select(Dossier).options(joinedload(Dossier.unit)).where(Dossier.round_id == round_.id)
    if criteria.q:
        pattern = f"%{normalise(criteria.q).lower()}%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern)
                    for column in (Dossier.code, Dossier.title, Dossier.lead_author)
                )
            )
        )
    for column, value in (
        (Dossier.field, criteria.field),
        (Dossier.unit_id, criteria.unit_id),
        (Dossier.kind, criteria.kind),
        (Dossier.status, criteria.status),
    ):
        if value is not None:
            query = query.where(column == value)
    return list(db.session.scalars(query.order_by(Dossier.code)))
