"""Round workflow forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from council.forms import enum_choices
from council.models import Round, RoundStatus


class AdvanceForm(FlaskForm):
    """Move the round one step forward; the page states what the step locks."""


class ReopenForm(FlaskForm):
    target = SelectField(_l("Mở lại về bước"))
    reason = TextAreaField(
        _l("Lý do mở lại"),
        validators=[
            DataRequired(_l("Vui lòng ghi lý do mở lại.")),
            Length(min=10, message=_l("Lý do mở lại cần ít nhất %(min)d ký tự.")),
        ],
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target.choices = enum_choices(RoundStatus, [s for s in RoundStatus if s.precedes(round_.status)])
