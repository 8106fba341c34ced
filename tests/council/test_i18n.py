"""Vietnamese first, English on request; dates as NĐ 30/2020 writes them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import flask_babel
import pytest
from flask import session

from council.i18n import format_date, format_datetime, time_left, vietnamese_date


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 3, 12), "ngày 12 tháng 3 năm 2025"),
        (date(2025, 3, 5), "ngày 05 tháng 3 năm 2025"),
        (date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),  # the decree's own example
        (date(2025, 2, 12), "ngày 12 tháng 02 năm 2025"),
        (date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
    ],
)
def test_vietnamese_date(day, text):
    assert vietnamese_date(day) == text


def test_datetimes_are_shown_in_vietnam_time(app):
    # 18:30 UTC on 31 December is already 1 January in Hà Nội.
    assert format_datetime(datetime(2025, 12, 31, 18, 30), "vi") == "01:30, ngày 01 tháng 01 năm 2026"
    assert format_date(date(2025, 3, 12), "en") == "12 March 2025"


def test_language_switch(populated_round, login):
    client = login("member")
    assert "Đợt xét" in client.get("/rounds/").get_data(as_text=True)
    response = client.post("/language", data={"lang": "en", "next": "/rounds/"})
    assert response.headers["Location"] == "/rounds/"
    page = client.get("/rounds/").get_data(as_text=True)
    assert "Rounds" in page and "Sign out" in page and 'lang="en"' in page
    assert populated_round.users["member"].locale == "en"  # remembered on the account
    client.post("/language", data={"lang": "vi", "next": "/rounds/"})
    assert "Đăng xuất" in client.get("/rounds/").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"lang": "xx", "next": "/login"})
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)


def test_error_pages_are_vietnamese(populated_round, login):
    page = login("member").get("/khong-co-trang-nay").get_data(as_text=True)
    assert "Không tìm thấy trang" in page


@pytest.mark.parametrize(
    ("hours", "vietnamese", "english"),
    [
        (24 * 14 + 3, "còn 14 ngày", "14 days left"),
        (5.5, "còn 5 giờ", "5 hours left"),
        (-1, "đã quá hạn", "overdue"),
    ],
)
def test_time_left(app, hours, vietnamese, english):
    now = datetime(2025, 3, 1, 8, 0)
    deadline = now + timedelta(hours=hours)
    with app.test_request_context():
        flask_babel.refresh()  # the fixture's app context outlives each request context
        assert time_left(deadline, now) == vietnamese
        session["lang"] = "en"
        flask_babel.refresh()
        assert time_left(deadline, now) == english
