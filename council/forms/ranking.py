"""Forms of the chair's deliberation: method, award tiers, votes and adjustments, finalising."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from council.forms import ROW_ID, enum_choices, options
from council.models import AwardTier, DeliberationKind
from council.services.deliberation import EntryInput, TierInput
from scoring.ranking import METHODS

# What each method is, in a line the council can read (scoring/models documents the models).
METHOD_LABELS = {
    "auto": _l("Tự động (khuyến nghị): mô hình co giãn, chỉ hiệu chỉnh khi dữ liệu cho thấy cần"),
    "raw": _l("Điểm thô: trung bình cộng các phiếu, không hiệu chỉnh"),
    "zscore": _l("Chuẩn hóa z theo từng thành viên"),
    "additive": _l("Hiệu chỉnh độ dễ, độ nghiêm (cộng/trừ điểm theo thành viên)"),
    "affine": _l("Hiệu chỉnh độ dễ, độ nghiêm và dải điểm"),
    "shrinkage": _l("Mô hình co giãn (hiệu ứng ngẫu nhiên)"),
}


class MethodForm(FlaskForm):
    method = SelectField(
        _l("Phương pháp chuẩn hóa điểm"), choices=options((m, METHOD_LABELS[m]) for m in METHODS)
    )


class TierRow(Form):
    tier_id = HiddenField(validators=[ROW_ID])
    position = FloatField(_l("Thứ tự"), validators=[Optional()])
    name = StringField(_l("Tên mức khen"), validators=[Optional(), Length(max=255)])
    min_score = FloatField(_l("Điểm tối thiểu"), validators=[Optional()])
    quota = IntegerField(_l("Số lượng tối đa"), validators=[Optional()])
    nominate_upward = BooleanField(_l("Đề nghị cấp trên"))
    remove = BooleanField(_l("Bỏ mức này"))


class TiersForm(FlaskForm):
    rows = FieldList(FormField(TierRow), min_entries=0)

    @classmethod
    def for_tiers(cls, tiers: list[AwardTier]) -> TiersForm:
        rows = [
            {
                "tier_id": t.id,
                "position": t.position,
                "name": t.name,
                "min_score": t.min_score,
                "quota": t.quota,
                "nominate_upward": t.nominate_upward,
            }
            for t in tiers
        ]
        return cls(data={"rows": rows or [{}]})

    def to_rows(self) -> list[TierInput]:
        return [
            TierInput(
                tier_id=int(row.tier_id.data) if row.tier_id.data else None,
                position=row.position.data,
                name=row.name.data or "",
                min_score=row.min_score.data,
                quota=row.quota.data,
                nominate_upward=bool(row.nominate_upward.data),
                remove=bool(row.remove.data),
            )
            for row in (entry.form for entry in self.rows)
        ]


class EntryForm(FlaskForm):
    """A council vote or an adjustment on one dossier."""

    dossier_id = SelectField(_l("Hồ sơ"), coerce=int)
    kind = SelectField(_l("Nội dung"), choices=enum_choices(DeliberationKind, list(DeliberationKind)[:4]))
    tier_id = SelectField(_l("Mức khen (khi chuyển mức hoặc đưa vào danh sách)"), coerce=int, default=0)
    votes_for = IntegerField(_l("Số phiếu tán thành"), validators=[Optional(), NumberRange(min=0)])
    votes_against = IntegerField(_l("Số phiếu không tán thành"), validators=[Optional(), NumberRange(min=0)])
    votes_abstain = IntegerField(_l("Số phiếu không biểu quyết"), validators=[Optional(), NumberRange(min=0)])
    reason = TextAreaField(
        _l("Lý do"),
        validators=[
            DataRequired(_l("Vui lòng ghi lý do.")),
            Length(min=10, message=_l("Lý do cần ít nhất %(min)d ký tự.")),
        ],
    )

    def __init__(self, *args: Any, dossiers: list[tuple[int, str]], tiers: list[AwardTier], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.dossier_id.choices = options(dossiers)
        self.tier_id.choices = options([(0, "—"), *((t.id, t.name) for t in tiers)])

    def to_input(self) -> EntryInput:
        return EntryInput(
            dossier_id=self.dossier_id.data,
            kind=DeliberationKind(self.kind.data),
            tier_id=self.tier_id.data or None,
            votes_for=self.votes_for.data,
            votes_against=self.votes_against.data,
            votes_abstain=self.votes_abstain.data,
            reason=self.reason.data or "",
        )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do hủy"),
        validators=[
            DataRequired(_l("Vui lòng ghi lý do.")),
            Length(min=10, message=_l("Lý do cần ít nhất %(min)d ký tự.")),
        ],
    )


class FinaliseForm(FlaskForm):
    confirm = BooleanField(
        _l("Tôi xác nhận chốt kết quả: điểm, mức khen và điều chỉnh sẽ bị khóa."),
        validators=[DataRequired(_l("Vui lòng đánh dấu xác nhận trước khi chốt."))],
    )
