"""Report forms: the period (GET, no CSRF: it changes nothing), the document's lines, the plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from council.forms import options
from council.models import ReportPlan
from council.services import reports as service

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _in_range(_form: Any, field: Any) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Ngày phải từ năm 2000 đến năm 2100."))


class PeriodForm(FlaskForm):
    """Which period: a plan's half year or year, or the days typed (``start``–``end``)."""

    class Meta:
        csrf = False  # a GET choice of period changes nothing

    plan = SelectField(_l("Kế hoạch báo cáo"), coerce=_int_or_none, validate_choice=False)
    part = SelectField(
        _l("Kỳ"),
        choices=options(
            [
                (service.HALF, _l("6 tháng đầu năm")),
                (service.YEAR, _l("Cả năm")),
                (service.CUSTOM, _l("Theo ngày đã chọn")),
            ]
        ),
        validate_choice=False,
    )
    start = DateField(_l("Hoặc từ ngày"), validators=[Optional(), _in_range])
    end = DateField(_l("đến ngày"), validators=[Optional(), _in_range])

    def __init__(self, *args: Any, plans: list[ReportPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan.choices = options(
            [("", _l("— Tự chọn ngày —")), *((p.id, f"{p.year}: {p.title}") for p in plans)]
        )

    def wanted(self) -> dict[str, Any]:
        """The request, for :func:`council.services.reports.resolve_period` (dates only when valid)."""
        return {
            "plan_id": self.plan.data,
            "part": self.part.data if self.part.data in service.PARTS else None,
            "start": None if self.start.errors else self.start.data,
            "end": None if self.end.errors else self.end.data,
        }


def _date() -> list[Any]:
    return [InputRequired(_l("Vui lòng chọn ngày.")), _in_range]


def _lines(max_length: int) -> list[Any]:
    return [Optional(), Length(max=max_length)]


class ReportForm(FlaskForm):
    """The lines of the report document that the figures do not give; typed before exporting."""

    parent_body = StringField(_l("Cơ quan chủ quản (dòng trên)"), validators=_lines(255))
    issuing_body = StringField(
        _l("Cơ quan ban hành"),
        validators=[DataRequired(_l("Vui lòng nhập cơ quan ban hành.")), Length(max=255)],
    )
    number = IntegerField(
        _l("Số báo cáo"),
        validators=[Optional(), NumberRange(min=1, max=9999, message=_l("Số phải từ %(min)s đến %(max)s."))],
        description=_l("Để trống nếu số được ghi tay khi ký."),
    )
    symbol = StringField(
        _l("Ký hiệu (ví dụ BC-MTTQ-BTT)"),
        validators=[DataRequired(_l("Vui lòng nhập ký hiệu.")), Length(max=64)],
    )
    place = StringField(_l("Địa danh"), validators=_lines(255))
    issued_on = DateField(
        _l("Ngày báo cáo"), validators=[InputRequired(_l("Vui lòng chọn ngày báo cáo.")), _in_range]
    )
    intro = TextAreaField(_l("Mở đầu"), validators=_lines(4000))
    assessment = TextAreaField(_l("II. Đánh giá chung"), validators=_lines(20000))
    directions = TextAreaField(_l("III. Phương hướng, nhiệm vụ"), validators=_lines(20000))
    recipients = TextAreaField(_l("Nơi nhận (mỗi dòng một nơi)"), validators=_lines(4000))
    signing_authority = StringField(_l("Thẩm quyền ký (ví dụ TM. BAN THƯỜNG TRỰC)"), validators=_lines(255))
    signer_title = StringField(_l("Chức vụ người ký"), validators=_lines(255))
    signer_name = StringField(_l("Họ tên người ký"), validators=_lines(255))

    @classmethod
    def with_defaults(cls, texts: dict[str, Any]) -> ReportForm:
        data = {**texts, "recipients": "\n".join(texts.get("recipients") or [])}
        return cls(formdata=None, data=data)

    def to_texts(self) -> dict[str, Any]:
        texts: dict[str, Any] = {name: getattr(self, name).data or "" for name in service.TEXT_FIELDS}
        texts["number"] = self.number.data
        texts["issued_on"] = self.issued_on.data
        texts["recipients"] = (self.recipients.data or "").splitlines()
        return texts


class PlanForm(FlaskForm):
    """Kế hoạch báo cáo: the two periods of a year and their due dates."""

    title = StringField(
        _l("Tên kế hoạch"),
        validators=[DataRequired(_l("Vui lòng nhập tên kế hoạch.")), Length(max=500)],
        description=_l("Ví dụ: Kế hoạch số 12/KH-MTTQ-BTT ngày 11/02/2025."),
    )
    year = IntegerField(
        _l("Năm"),
        validators=[
            InputRequired(_l("Vui lòng nhập năm.")),
            NumberRange(min=2000, max=2100, message=_l("Năm phải từ 2000 đến 2100.")),
        ],
    )
    half_year_from = DateField(_l("Kỳ 6 tháng: từ ngày"), validators=_date())
    half_year_to = DateField(_l("Kỳ 6 tháng: đến ngày"), validators=_date())
    half_year_due = DateField(_l("Hạn gửi báo cáo 6 tháng"), validators=_date())
    year_from = DateField(_l("Kỳ năm: từ ngày"), validators=_date())
    year_to = DateField(_l("Kỳ năm: đến ngày"), validators=_date())
    year_due = DateField(_l("Hạn gửi báo cáo năm"), validators=_date())
    remind_days = IntegerField(
        _l("Nhắc trước hạn (ngày)"),
        validators=[
            InputRequired(_l("Vui lòng nhập số ngày.")),
            NumberRange(
                min=0, max=service.MAX_REMIND_DAYS, message=_l("Số ngày phải từ %(min)s đến %(max)s.")
            ),
        ],
        description=_l("Thư ký được nhắc trên trang chủ từ số ngày này trước hạn đến 30 ngày sau hạn."),
    )

    def to_data(self) -> dict[str, Any]:
        return {name: getattr(self, name).data for name in service.PLAN_FIELDS}


class ConfirmForm(FlaskForm):
    """A button that changes something: CSRF only."""
