"""Forms of the round set-up and intake: round details, rubric, council seats, dossiers, conflicts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from council.forms import ROW_ID, enum_choices, options
from council.forms.admin import USERNAME_RULE, MultiCheckboxField
from council.i18n import VIETNAM
from council.models import CouncilRole, DossierKind, DossierStatus, Field, Level, Round
from council.services.accounts import active_people, list_units
from council.services.dossiers import DOSSIER_FIELDS
from council.services.rounds import CriterionInput

LONG_TEXT = {"summary", "novelty", "applied_work", "results", "co_authors"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def to_utc(local: datetime | None) -> datetime | None:
    """A Vietnam-time input from the browser, as stored (naive UTC)."""
    return None if local is None else local.replace(tzinfo=VIETNAM).astimezone(UTC).replace(tzinfo=None)


def to_local(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(VIETNAM).replace(tzinfo=None)


def plausible_year(_form: Any, field: Any) -> None:
    """A deadline in the years a round can have (0001-01-01 in Vietnam time is before year 1 in UTC)."""
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Năm phải từ 2000 đến 2100."))


class RoundForm(FlaskForm):
    title = StringField(
        _l("Tên đợt xét"), validators=[DataRequired(_l("Vui lòng nhập tên đợt xét.")), Length(max=500)]
    )
    year = IntegerField(
        _l("Năm"),
        validators=[
            InputRequired(_l("Vui lòng nhập năm.")),
            NumberRange(2000, 2100, _l("Năm phải từ 2000 đến 2100.")),
        ],
    )
    level = SelectField(_l("Cấp"), choices=enum_choices(Level))
    issuing_unit_id = SelectField(_l("Cơ quan ban hành (Ủy ban MTTQ / tổ chức)"), coerce=int)
    issuing_body = StringField(
        _l("Bộ phận ban hành"),
        validators=[Optional(), Length(max=255)],
        description=_l("Ví dụ: Ban Thường trực."),
    )
    reviewers_per_dossier = IntegerField(
        _l("Số thành viên chấm mỗi hồ sơ"),
        default=3,
        validators=[InputRequired(_l("Vui lòng nhập số thành viên chấm mỗi hồ sơ."))],
    )
    intake_deadline = DateTimeLocalField(
        _l("Hạn nộp hồ sơ"), format=DATETIME_FORMAT, validators=[Optional(), plausible_year]
    )
    scoring_deadline = DateTimeLocalField(
        _l("Hạn chấm điểm"), format=DATETIME_FORMAT, validators=[Optional(), plausible_year]
    )
    conflict_parent_unit = BooleanField(
        _l("Thành viên thuộc đơn vị cấp trên của đơn vị nộp hồ sơ cũng coi là xung đột lợi ích")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.issuing_unit_id.choices = options((u.id, u.name) for u in list_units())

    @classmethod
    def for_round(cls, round_: Round) -> RoundForm:
        data = {name: getattr(round_, name) for name in cls.round_fields()}
        data["intake_deadline"] = to_local(round_.intake_deadline)
        data["scoring_deadline"] = to_local(round_.scoring_deadline)
        return cls(data=data)

    @staticmethod
    def round_fields() -> tuple[str, ...]:
        return (
            "title",
            "year",
            "level",
            "issuing_unit_id",
            "issuing_body",
            "reviewers_per_dossier",
            "intake_deadline",
            "scoring_deadline",
            "conflict_parent_unit",
        )

    def to_data(self) -> dict[str, Any]:
        data = {name: getattr(self, name).data for name in self.round_fields()}
        data["level"] = Level(data["level"])
        data["issuing_body"] = data["issuing_body"] or ""
        data["intake_deadline"] = to_utc(data["intake_deadline"])
        data["scoring_deadline"] = to_utc(data["scoring_deadline"])
        return data


class NewRoundForm(RoundForm):
    """Creating a round also names its secretary (and optionally its chair)."""

    secretary_id = SelectField(_l("Thư ký Hội đồng"), coerce=int)
    chair_id = SelectField(_l("Chủ tịch Hội đồng"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = active_people()
        people = options((u.id, f"{u.full_name} ({u.username})") for u in users)
        self.secretary_id.choices = options([(0, _l("— Chọn sau —"))]) + people
        self.chair_id.choices = options([(0, _l("— Chọn sau —"))]) + people


class CriterionRow(Form):
    criterion_id = HiddenField(validators=[ROW_ID])
    position = FloatField(_l("Thứ tự"), validators=[Optional()])
    name = StringField(_l("Tiêu chí"), validators=[Optional(), Length(max=255)])
    descriptor = TextAreaField(_l("Mô tả các mức điểm"), validators=[Optional()])
    max_points = FloatField(_l("Điểm tối đa"), validators=[Optional()])
    weight = FloatField(_l("Trọng số"), validators=[Optional()])
    remove = BooleanField(_l("Bỏ tiêu chí này"))


class RubricForm(FlaskForm):
    rows = FieldList(FormField(CriterionRow), min_entries=0)

    @classmethod
    def for_round(cls, round_: Round) -> RubricForm:
        rows = [
            {
                "criterion_id": c.id,
                "position": c.position,
                "name": c.name,
                "descriptor": c.descriptor,
                "max_points": c.max_points,
                "weight": c.weight,
            }
            for c in round_.criteria
        ]
        return cls(data={"rows": rows})

    def to_rows(self) -> list[CriterionInput]:
        """The rows to keep: not marked for removal, and not a new row left blank."""
        rows = []
        for entry in self.rows:
            row = entry.form
            blank = not row.criterion_id.data and not (row.name.data or "").strip()
            if row.remove.data or blank:
                continue
            rows.append(
                CriterionInput(
                    criterion_id=int(row.criterion_id.data) if row.criterion_id.data else None,
                    name=row.name.data or "",
                    descriptor=row.descriptor.data or "",
                    max_points=row.max_points.data,
                    weight=row.weight.data,
                    position=row.position.data,
                )
            )
        return rows


class SeatForm(FlaskForm):
    """Add a council member: an existing account, or a new one created on the spot."""

    user_id = SelectField(_l("Người dùng có sẵn"), coerce=int, default=0)
    username = StringField(
        _l("Hoặc tạo tài khoản mới: tên đăng nhập"),
        validators=[Optional(), Length(max=64), USERNAME_RULE],  # as the account form's
    )
    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=255)])
    unit_id = SelectField(_l("Đơn vị"), coerce=int, default=0)
    role = SelectField(_l("Vai trò"), choices=enum_choices(CouncilRole), default=CouncilRole.MEMBER.value)
    expertise = MultiCheckboxField(_l("Lĩnh vực chuyên môn"), choices=enum_choices(Field))
    keywords = StringField(
        _l("Từ khóa chuyên môn"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Cách nhau bởi dấu phẩy, ví dụ: chuyển đổi số, nông nghiệp sạch. Dùng để gợi ý phân công chấm."
        ),
    )

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seated = {m.user_id for m in round_.members}
        users = active_people()
        self.user_id.choices = options(
            [
                (0, _l("— Tạo tài khoản mới —")),
                *((u.id, f"{u.full_name} ({u.username})") for u in users if u.id not in seated),
            ]
        )
        self.unit_id.choices = options([(0, _l("— Không có —")), *((u.id, u.name) for u in list_units())])


class SeatEditForm(FlaskForm):
    role = SelectField(_l("Vai trò"), choices=enum_choices(CouncilRole))
    expertise = MultiCheckboxField(_l("Lĩnh vực chuyên môn"), choices=enum_choices(Field))
    keywords = SeatForm.keywords


def _dossier_field(name: str, label: Any, description: Any) -> Any:
    if name in {"kind", "field", "unit"}:
        # The service checks the choice, with the same message as the import gives.
        return SelectField(label, description=description, validate_choice=False)
    if name in LONG_TEXT:
        return TextAreaField(label, description=description)
    return StringField(label, description=description)


class _DossierFormBase(FlaskForm):
    def raw(self) -> dict[str, str | None]:
        """The input as the service takes it: raw text by field name."""
        return {spec.name: getattr(self, spec.name).data for spec in DOSSIER_FIELDS}


# Every field of the intake form, generated from the one field list the import uses too.
DossierForm = type(
    "DossierForm",
    (_DossierFormBase,),
    {spec.name: _dossier_field(spec.name, spec.label, spec.help) for spec in DOSSIER_FIELDS},
)


def dossier_form_data(dossier: Any) -> dict[str, Any]:
    """A dossier's values as the form shows them (co-authors one per line, unit by name)."""
    data = {spec.name: getattr(dossier, spec.name) for spec in DOSSIER_FIELDS}
    data["kind"], data["field"] = dossier.kind.value, dossier.field.value
    data["unit"] = dossier.unit.name
    data["co_authors"] = "\n".join(dossier.co_authors or [])
    return data


def dossier_form(*args: Any, **kwargs: Any) -> Any:
    """A :data:`DossierForm` with its choices filled in."""
    form = DossierForm(*args, **kwargs)
    blank = [("", _l("— Chọn —"))]
    form.kind.choices = options(blank) + enum_choices(DossierKind)
    form.field.choices = options(blank) + enum_choices(Field)
    form.unit.choices = options([*blank, *((u.name, u.name) for u in list_units())])
    return form


class DossierStatusForm(FlaskForm):
    status = SelectField(_l("Trạng thái"), choices=enum_choices(DossierStatus))


class ConflictForm(FlaskForm):
    member_id = SelectField(_l("Thành viên"), coerce=int)
    dossier_id = SelectField(_l("Hồ sơ"), coerce=int)
    reason = StringField(_l("Lý do"), validators=[DataRequired(_l("Vui lòng ghi lý do.")), Length(max=500)])

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member_id.choices = options((m.id, m.user.full_name) for m in round_.members)
        self.dossier_id.choices = options((d.id, f"{d.code} · {d.title[:80]}") for d in round_.dossiers)


class SeatData:
    """What :class:`SeatForm` asks the service to do."""

    @staticmethod
    def of(form: SeatForm) -> dict[str, Any]:
        return {
            "user_id": form.user_id.data or None,
            "username": (form.username.data or "").strip(),
            "full_name": (form.full_name.data or "").strip(),
            "unit_id": form.unit_id.data or None,
            "role": CouncilRole(form.role.data),
            "expertise": list(form.expertise.data or []),
            "keywords": form.keywords.data or "",
        }
