"""Import forms: choose a file to check, then confirm the checked file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import AnyOf, Regexp

from council.services.imports import EXTENSIONS


class UploadForm(FlaskForm):
    """An .xlsx or .csv file; nothing is saved until the checked file is confirmed."""

    file = FileField(
        _l("Tệp Excel (.xlsx) hoặc CSV"),
        validators=[
            FileRequired(_l("Vui lòng chọn tệp cần nhập.")),
            FileAllowed(EXTENSIONS, _l("Chỉ nhận tệp .xlsx hoặc .csv.")),
        ],
    )


class ConfirmForm(FlaskForm):
    """Names the checked upload kept on the server: its SHA-256 and extension."""

    sha256 = HiddenField(validators=[Regexp(r"^[0-9a-f]{64}$", message=_l("Tệp không hợp lệ."))])
    ext = HiddenField(validators=[AnyOf(EXTENSIONS, message=_l("Tệp không hợp lệ."))])
