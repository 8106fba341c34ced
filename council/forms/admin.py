"""Administration forms: accounts and units."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from council.extensions import db
from council.forms import enum_choices, options
from council.models import GlobalRole, Level, Unit, UnitKind
from council.services.accounts import list_units


def _unit_choices(exclude: Unit | None = None) -> list[SelectChoice]:
    units = list_units()
    return options([(0, _l("— Không có —")), *((u.id, u.name) for u in units if u is not exclude)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9_.-]+$", message=_l("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch.")
)


class UserForm(FlaskForm):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[DataRequired(_l("Vui lòng nhập tên đăng nhập.")), Length(max=64), USERNAME_RULE],
    )
    full_name = StringField(
        _l("Họ và tên"), validators=[DataRequired(_l("Vui lòng nhập họ và tên.")), Length(max=255)]
    )
    title = StringField(_l("Chức vụ"), validators=[Optional(), Length(max=255)])
    unit_id = SelectField(_l("Đơn vị"), coerce=int)
    roles = MultiCheckboxField(_l("Vai trò hệ thống"), choices=enum_choices(GlobalRole))
    active = BooleanField(_l("Đang hoạt động"), default=True)
    password = PasswordField(_l("Mật khẩu"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit_id.choices = _unit_choices()

    def to_data(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name.data,
            "title": self.title.data or "",
            "unit": db.session.get(Unit, self.unit_id.data) if self.unit_id.data else None,
            "roles": {GlobalRole(r) for r in self.roles.data or []},
            "active": self.active.data,
            "password": self.password.data,
        }


class UnitForm(FlaskForm):
    name = StringField(
        _l("Tên đơn vị"), validators=[DataRequired(_l("Vui lòng nhập tên đơn vị.")), Length(max=255)]
    )
    kind = SelectField(_l("Loại đơn vị"), choices=enum_choices(UnitKind))
    level = SelectField(_l("Cấp"), choices=enum_choices(Level))
    parent_id = SelectField(_l("Đơn vị cấp trên"), coerce=int)

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_id.choices = _unit_choices(exclude=unit)

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "kind": UnitKind(self.kind.data),
            "level": Level(self.level.data),
            "parent": db.session.get(Unit, self.parent_id.data) if self.parent_id.data else None,
        }
