"""Attachment forms: several files at once; each file is checked by the service, not here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField

# What the file picker offers first; the content decides, whatever the name says.
ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"


class AttachmentForm(FlaskForm):
    files = MultipleFileField(
        _l("Chọn tệp (PDF, DOCX, XLSX, JPG, PNG)"),
        validators=[FileRequired(_l("Vui lòng chọn ít nhất một tệp."))],
        render_kw={"accept": ACCEPT},
    )
