"""Nomination forms: choose the dossiers to send upward; upload a package; confirm the checked package."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectMultipleField
from wtforms.validators import Regexp


class ExportForm(FlaskForm):
    """The recognised dossiers to nominate; the page renders one checkbox per dossier.

    Choices are not checked here: the service refuses a code that is not recognised, in Vietnamese.
    """

    dossiers = SelectMultipleField(_l("Hồ sơ đề nghị cấp trên"), validate_choice=False)


class UploadForm(FlaskForm):
    """A nomination package (.zip); nothing is saved until the checked package is confirmed."""

    file = FileField(
        _l("Gói hồ sơ đề nghị (.zip)"),
        validators=[FileRequired(_l("Vui lòng chọn gói hồ sơ đề nghị (.zip) cần nhập."))],
    )


class ConfirmForm(FlaskForm):
    """Names the checked package kept on the server by its SHA-256."""

    sha256 = HiddenField(validators=[Regexp(r"^[0-9a-f]{64}$", message=_l("Gói không hợp lệ."))])
