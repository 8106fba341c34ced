"""Forms of the assignment step: solver settings, publishing, and pairs edited by hand."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from council.forms import options
from council.services.assignment import Problem, RunSettings


class RunForm(FlaskForm):
    """Settings of a solver run; empty loads mean the balanced share."""

    max_load = IntegerField(
        _l("Số hồ sơ tối đa mỗi thành viên"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
        description=_l("Để trống: chia đều (làm tròn lên)."),
    )
    min_load = IntegerField(
        _l("Số hồ sơ tối thiểu mỗi thành viên"),
        validators=[Optional(), NumberRange(min=0, max=10000)],
        description=_l("Để trống: chia đều (làm tròn xuống)."),
    )
    fair = BooleanField(
        _l("Ưu tiên công bằng giữa các hồ sơ"),
        description=_l("Trước hết nâng mức phù hợp chuyên môn của hồ sơ kém nhất, sau đó mới tối đa tổng."),
    )
    seed = IntegerField(
        _l("Hạt giống ngẫu nhiên"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=2**31 - 1)],
        description=_l("Cùng dữ liệu và cùng hạt giống cho cùng một kết quả."),
    )

    def settings(self) -> RunSettings:
        return RunSettings(self.max_load.data, self.min_load.data, bool(self.fair.data), self.seed.data or 0)


class PairForm(FlaskForm):
    """Add one pair by hand."""

    dossier_id = SelectField(_l("Hồ sơ"), coerce=int)
    member_id = SelectField(_l("Thành viên"), coerce=int)

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dossier_id.choices = options((d.id, f"{d.code} · {d.title[:70]}") for d in problem.dossiers)
        self.member_id.choices = options((m.id, m.user.full_name) for m in problem.members)


class ActionForm(FlaskForm):
    """A button that changes something (publish, remove, lock): CSRF only."""
