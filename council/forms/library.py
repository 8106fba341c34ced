"""Library forms: the search box with its filters (GET, no CSRF: it changes nothing) and replication."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from council.forms import enum_choices, options
from council.models import DossierKind, Field, Level, UnitKind
from council.services.library import LibraryQuery


def _enum_or_none(enum: Any) -> Any:
    def coerce(value: Any) -> Any:
        if value in (None, "") or isinstance(value, enum):
            return value or None
        try:
            return enum(value)
        except ValueError:
            return None  # a stale or hand-typed value filters nothing

    return coerce


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class LibrarySearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Tìm kiếm"), validators=[Optional(), Length(max=200)])
    year = SelectField(_l("Năm"), coerce=_int_or_none, validate_choice=False)
    field = SelectField(_l("Lĩnh vực"), coerce=_enum_or_none(Field), validate_choice=False)
    level = SelectField(_l("Cấp"), coerce=_enum_or_none(Level), validate_choice=False)
    kind = SelectField(_l("Loại"), coerce=_enum_or_none(DossierKind), validate_choice=False)
    organisation = SelectField(_l("Tổ chức"), coerce=_enum_or_none(UnitKind), validate_choice=False)
    unit_id = SelectField(_l("Đơn vị"), coerce=_int_or_none, validate_choice=False)
    page = StringField()

    def __init__(self, *args: Any, years: list[int], units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _l("Tất cả"))
        self.year.choices = [everything, *((y, str(y)) for y in years)]
        self.field.choices = [everything, *enum_choices(Field)]
        self.level.choices = [everything, *enum_choices(Level)]
        self.kind.choices = [everything, *enum_choices(DossierKind)]
        self.organisation.choices = [everything, *enum_choices(UnitKind)]
        self.unit_id.choices = options([everything, *((u.id, u.name) for u in units)])

    def to_query(self, *, public_only: bool) -> LibraryQuery:
        return LibraryQuery(
            words=(self.q.data or "")[:200],
            year=self.year.data,
            field=self.field.data,
            level=self.level.data,
            kind=self.kind.data,
            unit_id=self.unit_id.data,
            member_organisation=self.organisation.data,
            public_only=public_only,
            page=_int_or_none(self.page.data) or 1,
        )


class ReplicationForm(FlaskForm):
    place = StringField(
        _l("Đã nhân rộng tại"),
        validators=[DataRequired(_l("Vui lòng nhập nơi đã nhân rộng mô hình.")), Length(max=500)],
        description=_l("Ví dụ: 12 chi hội nông dân của xã Hòa Phú."),
    )
    started_on = DateField(_l("Từ ngày"), validators=[Optional()])
    note = TextAreaField(_l("Kết quả khi nhân rộng"), validators=[Optional(), Length(max=4000)])
