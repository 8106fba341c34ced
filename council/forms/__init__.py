"""WTForms forms (Flask-WTF: CSRF on every one). Labels and messages are Vietnamese, translated lazily."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Regexp

from council.models.enums import Choice

# A row's hidden id (rubric, tiers) is digits or nothing: a tampered one is refused, not read as new.
ROW_ID = Regexp(r"^[0-9]{0,9}\Z", message=_l("Yêu cầu không hợp lệ."))


def enum_choices(enum: type[Choice], members: Iterable[Choice] | None = None) -> list[SelectChoice]:
    """Options for a select field: each member's value, shown by its translated label."""
    return [SelectChoice(member.value, member.label) for member in (members if members is not None else enum)]


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
