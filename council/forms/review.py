"""Forms of a member's work: the score sheet, a recusal, and the chair's re-opening of a sheet.

The sheet's points are plain text fields: the service reads them ("7", "7,5", "7.5") and names the
criterion in every message, for this form and for the autosave request alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired

from council.models import Criterion
from council.services.scoresheets import note_field, points_field


class SheetForm(FlaskForm):
    """The fixed part of the sheet; :func:`sheet_form` adds a points and a note field per criterion."""

    version = HiddenField()
    comment = TextAreaField(_l("Nhận xét chung"))
    reason = TextAreaField(
        _l("Lý do sửa phiếu đã nộp"),
        description=_l("Bắt buộc khi sửa phiếu đã nộp; được ghi vào lịch sử chấm điểm."),
    )
    confirm = BooleanField(_l("Tôi xác nhận nộp phiếu chấm này"))

    def criterion_fields(self, criterion: Criterion) -> tuple[Any, Any]:
        return self[points_field(criterion)], self[note_field(criterion)]


def sheet_form(criteria: Iterable[Criterion], **kwargs: Any) -> SheetForm:
    """A :class:`SheetForm` with ``points_<id>`` and ``note_<id>`` for each criterion of the rubric."""

    class RubricSheetForm(SheetForm):
        pass

    for criterion in criteria:
        setattr(
            RubricSheetForm,
            points_field(criterion),
            StringField(_l("Điểm"), render_kw={"inputmode": "decimal", "autocomplete": "off"}),
        )
        setattr(RubricSheetForm, note_field(criterion), TextAreaField(_l("Nhận xét")))
    return RubricSheetForm(**kwargs)


class RecuseForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do xung đột lợi ích"),
        validators=[DataRequired(_l("Lý do xung đột lợi ích: vui lòng ghi rõ lý do."))],
        description=_l("Ví dụ: tôi từng góp ý xây dựng mô hình này; người chủ trì là người thân của tôi."),
    )
    confirm = BooleanField(
        _l("Tôi xác nhận xin không chấm hồ sơ này"),
        validators=[DataRequired(_l("Vui lòng đánh dấu ô xác nhận."))],
    )


class ReopenSheetForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do mở lại phiếu"),
        validators=[DataRequired(_l("Lý do mở lại phiếu: vui lòng ghi rõ lý do."))],
    )
