"""Language choice and Vietnamese date formats.

Vietnamese is the source language of every message; English comes from
``council/translations/en``. Dates follow Nghị định 30/2020: "ngày 05 tháng 3 năm 2025"
(a leading zero for days below 10 and for months 1 and 2).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_decimal, get_locale, gettext, ngettext
from flask_login import current_user

from council.documents.vietnamese import format_date as documents_format_date
from council.extensions import babel

VIETNAM = timezone(timedelta(hours=7), "ICT")
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def select_locale() -> str:
    """The language chosen in this session, else the user's saved choice, else Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI speaks Vietnamese
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def vietnamese_date(day: date) -> str:
    """``ngày 05 tháng 3 năm 2025``: NĐ 30/2020 pads days below 10 and months 1 and 2."""
    return documents_format_date(day)


def local_time(moment: datetime) -> datetime:
    """A stored naive-UTC datetime as Vietnam time."""
    return moment.replace(tzinfo=UTC).astimezone(VIETNAM)


def format_date(value: date | datetime | None, locale: str | None = None) -> str:
    """A date in the active language: "ngày 12 tháng 3 năm 2025" or "12 March 2025"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value).date()
    locale = locale or str(get_locale() or "vi")
    if locale.startswith("vi"):
        return vietnamese_date(value)
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None, locale: str | None = None) -> str:
    """ "14:05, ngày 12 tháng 3 năm 2025" (Vietnam time)."""
    if value is None:
        return ""
    moment = local_time(value)
    return f"{moment:%H:%M}, {format_date(value, locale)}"


def time_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """ "còn 3 ngày", "còn 5 giờ", "đã quá hạn": how long until a (naive UTC) deadline."""
    if deadline is None:
        return ""
    seconds = (deadline - (now or datetime.now(UTC).replace(tzinfo=None))).total_seconds()
    if seconds <= 0:
        return gettext("đã quá hạn")
    if seconds >= 86400:
        days = int(seconds // 86400)
        return ngettext("còn %(num)d ngày", "còn %(num)d ngày", days)
    hours = max(1, int(seconds // 3600))
    return ngettext("còn %(num)d giờ", "còn %(num)d giờ", hours)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["vndate"] = format_date
    app.jinja_env.filters["vndatetime"] = format_datetime
    app.jinja_env.filters["time_left"] = time_left
    app.jinja_env.globals["get_locale"] = get_locale


def format_figure(value: float | None, places: int = 1) -> str:
    """A figure with ``places`` decimals in the reader's language: ``87,5`` in Vietnamese, "—" for none."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(round(value, places) or 0.0, format=pattern)  # `or 0.0`: never "-0,0"
