"""The decision's draft form: every printed line, editable until the decision is issued."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from council.documents.vietnamese import nfc
from council.models import Decision
from council.services.decisions import LIST_FIELDS, TEXT_FIELDS


def stored_length(maximum: int) -> Callable[[Any, Any], None]:
    """``Length(max=...)`` of the text as the service stores it: stripped and in NFC, which can be
    longer than what was typed (U+0958 becomes two code points) and must still fit its column."""

    def check(_form: Any, field: Any) -> None:
        if len(nfc((field.data or "").strip())) > maximum:
            raise ValidationError(_("Tối đa %(n)d ký tự.", n=maximum))

    return check


class DecisionForm(FlaskForm):
    issuer_symbol = StringField(_l("Ký hiệu (ví dụ QĐ-MTTQ-BTT)"), validators=[stored_length(64)])
    parent_body = StringField(_l("Cơ quan chủ quản (dòng trên)"), validators=[stored_length(255)])
    issuing_body = StringField(_l("Cơ quan ban hành"), validators=[stored_length(255)])
    place = StringField(_l("Địa danh"), validators=[stored_length(255)])
    issued_on = DateField(_l("Ngày ban hành"), validators=[Optional()])
    summary = TextAreaField(_l("Trích yếu"))
    authority = TextAreaField(_l("Thẩm quyền ban hành (dòng in hoa trên các căn cứ)"))
    grounds = TextAreaField(_l("Căn cứ (mỗi dòng một căn cứ)"))
    articles = TextAreaField(_l("Các Điều (mỗi dòng một Điều, không ghi “Điều 1.”)"))
    recipients = TextAreaField(_l("Nơi nhận (mỗi dòng một nơi)"))
    signing_authority = StringField(
        _l("Thẩm quyền ký (ví dụ TM. BAN THƯỜNG TRỰC)"), validators=[stored_length(255)]
    )
    signer_title = StringField(_l("Chức vụ người ký"), validators=[stored_length(255)])
    signer_name = StringField(_l("Họ tên người ký"), validators=[stored_length(255)])
    list_title = TextAreaField(_l("Tên danh sách kèm theo"))
    list_issuer = StringField(
        _l("Cơ quan ban hành (trong dòng “Kèm theo Quyết định”)"), validators=[stored_length(255)]
    )

    @classmethod
    def for_decision(cls, decision: Decision) -> DecisionForm:
        data: dict[str, Any] = {name: getattr(decision, name) for name in TEXT_FIELDS}
        data.update({name: "\n".join(getattr(decision, name) or []) for name in LIST_FIELDS})
        data["issued_on"] = decision.issued_on
        return cls(data=data)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name).data or "" for name in TEXT_FIELDS}
        data.update({name: (getattr(self, name).data or "").splitlines() for name in LIST_FIELDS})
        data["issued_on"] = self.issued_on.data
        return data
