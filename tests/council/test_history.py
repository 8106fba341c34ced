"""The score history for auditors: who gave which points, when, from where and why; its exports and
its tamper evidence (the hash chain)."""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy import select

from council.extensions import db
from council.i18n import format_datetime, local_time
from council.models import Assignment, ScoreEvent, ScoreEventKind
from council.models.base import utcnow
from council.services.scoresheets import save_sheet, verify_chain

MEMBER_IP, VICE_IP = "203.0.113.7", "2001:db8::42"
REASON = "Đọc lại phần kết quả: tính mới cao hơn đã chấm."


def _seat(pr, username):
    return next(m for m in pr.round.members if m.user.username == username)


def _pair(pr, username) -> Assignment:
    return db.session.scalar(select(Assignment).where(Assignment.member_id == _seat(pr, username).id))


def _points_form(pr, first: str, *, version: int, action: str = "save", **extra) -> dict[str, str]:
    rest = ["10", "10", "10", "10"]
    data = {"version": str(version), "action": action}
    for criterion, value in zip(pr.round.criteria, [first, *rest], strict=True):
        data[f"points_{criterion.id}"] = value
    return {**data, **extra}


@pytest.fixture
def history_round(scoring_round, login):
    """Member: draft (12), submit, revise (12 → 14) from MEMBER_IP; vice: a draft of the other dossier."""
    pr = scoring_round
    db.session.add(Assignment(dossier=pr.unassigned, member=_seat(pr, "vice"), published_at=utcnow()))
    db.session.commit()
    member_sheet = f"/review/rounds/{pr.round.id}/sheets/{pr.assigned.assignments[0].id}"
    vice_sheet = f"/review/rounds/{pr.round.id}/sheets/{_pair(pr, 'vice').id}"
    client = login("member")
    steps = [
        _points_form(pr, "12", version=0),
        _points_form(pr, "12", version=1, action="submit", confirm="y"),
        _points_form(pr, "14", version=2, reason=REASON),
    ]
    for data in steps:
        response = client.post(member_sheet, data=data, environ_base={"REMOTE_ADDR": MEMBER_IP})
        assert response.status_code == 302
    response = login("vice").post(
        vice_sheet, data=_points_form(pr, "6,5", version=0), environ_base={"REMOTE_ADDR": VICE_IP}
    )
    assert response.status_code == 302
    return pr


def _history(pr) -> str:
    return f"/rounds/{pr.round.id}/history/"


def _events() -> list[ScoreEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(ScoreEvent).order_by(ScoreEvent.id)))


def _count(page: str) -> int:
    return int(re.search(r'<span class="small">(\d+) sự kiện</span>', page).group(1))


# --- who sees it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("auditor", 200),
        ("chair", 200),
        ("secretary", 200),
        ("member", 403),
        ("vice", 403),
        ("admin", 403),
        ("outsider", 403),
    ],
)
def test_history_is_for_auditors_and_the_rounds_chair_and_secretary(history_round, login, username, status):
    client = login(username)
    for suffix in ("", "export.xlsx", "export.csv"):
        response = client.get(_history(history_round) + suffix)
        assert response.status_code == status, suffix
        if status == 403:
            assert REASON not in response.get_data(as_text=True)
    link = f'href="{_history(history_round)}"'
    assert (link in client.get(f"/rounds/{history_round.round.id}/").get_data(as_text=True)) == (
        status == 200 and username != "outsider"
    )


# --- what it shows --------------------------------------------------------------------------------


def test_each_event_shows_time_user_ip_old_and_new_points_and_reason(history_round, login):
    page = login("auditor").get(_history(history_round)).get_data(as_text=True)
    revision = next(e for e in _events() if e.kind is ScoreEventKind.REVISE)
    assert format_datetime(revision.created_at, "vi") in page  # Vietnam time, as the filter writes it
    assert "Người dùng member" in page and "Người dùng vice" in page
    assert MEMBER_IP in page and VICE_IP in page
    assert re.search(r"Tính mới:\s*12 → <strong>14</strong>", page)
    assert REASON in page and "Sửa phiếu đã nộp" in page and "Nộp phiếu" in page and "Lưu nháp" in page
    assert _count(page) == 4


def test_events_store_the_ip_and_the_points_before_and_after(history_round):
    events = _events()
    assert [e.kind for e in events] == [
        ScoreEventKind.SAVE,
        ScoreEventKind.SUBMIT,
        ScoreEventKind.REVISE,
        ScoreEventKind.SAVE,
    ]
    assert [e.ip_address for e in events] == [MEMBER_IP] * 3 + [VICE_IP]
    first = str(history_round.round.criteria[0].id)
    assert (events[0].payload["old_points"][first], events[0].payload["points"][first]) == (None, 12)
    assert (events[2].payload["old_points"][first], events[2].payload["points"][first]) == (12, 14)


def test_filters_narrow_the_history(history_round, login):
    client, url = login("auditor"), _history(history_round)
    by_dossier = client.get(url, query_string={"dossier_id": history_round.unassigned.id}).get_data(
        as_text=True
    )
    assert _count(by_dossier) == 1 and VICE_IP in by_dossier and MEMBER_IP not in by_dossier
    by_member = client.get(url, query_string={"member_id": _seat(history_round, "member").id})
    assert _count(by_member.get_data(as_text=True)) == 3
    by_kind = client.get(url, query_string={"kind": "revise"}).get_data(as_text=True)
    assert _count(by_kind) == 1 and REASON in by_kind
    today = local_time(utcnow()).date()
    yesterday = (today - timedelta(days=1)).isoformat()
    assert _count(client.get(url, query_string={"date_to": yesterday}).get_data(as_text=True)) == 0
    assert _count(client.get(url, query_string={"date_from": today.isoformat()}).get_data(as_text=True)) == 4
    # Values that do not parse are ignored, not an error.
    assert client.get(url, query_string={"date_from": "hôm qua", "kind": "x"}).status_code == 200


def test_history_is_paginated(history_round, login):
    vice_pair = _pair(history_round, "vice")
    criterion = history_round.round.criteria[0]
    for step in range(55):
        save_sheet(vice_pair, {criterion.id: float(step % 20)}, user=history_round.users["vice"])
    client = login("auditor")
    first = client.get(_history(history_round)).get_data(as_text=True)
    assert first.count('class="badge event-') == 50 and "Trang 1/2" in first and _count(first) == 59
    second = client.get(_history(history_round), query_string={"page": 2}).get_data(as_text=True)
    assert second.count('class="badge event-') == 9 and "Trang 2/2" in second


def test_xlsx_export_holds_the_filtered_rows(history_round, login):
    query = {"member_id": _seat(history_round, "member").id}
    response = login("auditor").get(_history(history_round) + "export.xlsx", query_string=query)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[0] == "Thời gian (giờ Việt Nam)" and "Tính mới: điểm cũ" in headers
    data = [dict(zip(headers, row, strict=True)) for row in rows[1:]]
    assert len(data) == 3 and {row["Địa chỉ IP"] for row in data} == {MEMBER_IP}
    revision = next(row for row in data if row["Sự kiện"] == "Sửa phiếu đã nộp")
    assert (revision["Tính mới: điểm cũ"], revision["Tính mới: điểm mới"]) == (12, 14)
    assert revision["Lý do"] == REASON and revision["Thành viên chấm"] == "Người dùng member"


def test_csv_export_is_utf8_with_bom_and_filtered(history_round, login):
    response = login("secretary").get(_history(history_round) + "export.csv", query_string={"kind": "revise"})
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    headers, data = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert "Thời gian (giờ Việt Nam)" in headers and len(data) == 1
    assert (data[0]["Tính mới: điểm cũ"], data[0]["Tính mới: điểm mới"]) == ("12", "14")
    assert data[0]["Lý do"] == REASON and data[0]["Mã hồ sơ"] == "HS-2025-0001"


def test_a_chair_who_scores_sees_others_points_only_after_scoring_closes(history_round, login):
    client = login("chair")
    page = client.get(_history(history_round)).get_data(as_text=True)
    assert (
        "(ẩn đến khi hết hạn chấm điểm)" in page and "<strong>14</strong>" not in page and REASON not in page
    )
    export = client.get(_history(history_round) + "export.csv").data.decode("utf-8-sig")
    assert REASON not in export and ",14," not in export
    history_round.round.scoring_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(_history(history_round)).get_data(as_text=True)
    assert "(ẩn đến khi hết hạn chấm điểm)" not in page and "<strong>14</strong>" in page and REASON in page


# --- tamper evidence -----------------------------------------------------------------------------


def _sql(statement: str, **params) -> None:
    """Change the history behind the application's back (the ORM refuses to)."""
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(sa.text(statement), params)
    db.session.expire_all()


def test_an_intact_chain_is_reported_with_its_length(history_round, login):
    report = verify_chain(history_round.round)
    assert report.ok and report.checked == 4
    page = login("auditor").get(_history(history_round)).get_data(as_text=True)
    assert "Chuỗi lịch sử toàn vẹn: đã kiểm tra 4 sự kiện." in page


@pytest.mark.parametrize(
    ("column", "value"),
    [("reason", "Lý do đã bị sửa."), ("ip_address", "198.51.100.1"), ("payload", '{"points": {}}')],
)
def test_an_edited_event_breaks_the_chain_at_that_event(history_round, login, column, value):
    target = _events()[2]
    _sql(f"UPDATE score_event SET {column} = :value WHERE id = :id", value=value, id=target.id)
    report = verify_chain(history_round.round)
    assert not report.ok and report.broken_event_id == target.id and report.broken_position == 3
    assert report.altered and not report.missing_before and report.checked == 2
    page = login("auditor").get(_history(history_round)).get_data(as_text=True)
    assert f"Chuỗi lịch sử bị phá vỡ tại sự kiện số {target.id}" in page and "đã bị sửa" in page


def test_a_deleted_event_breaks_the_chain_at_the_next_one(history_round, login):
    events = _events()
    _sql("DELETE FROM score_event WHERE id = :id", id=events[1].id)
    report = verify_chain(history_round.round)
    assert not report.ok and report.broken_event_id == events[2].id
    assert report.missing_before and not report.altered and report.checked == 1
    page = login("auditor").get(_history(history_round)).get_data(as_text=True)
    assert f"tại sự kiện số {events[2].id}" in page and "đã bị xóa" in page


def test_a_rewritten_digest_still_breaks_the_chain_after_it(history_round):
    events = _events()
    _sql("UPDATE score_event SET reason = 'x', digest = :d WHERE id = :id", d="0" * 64, id=events[1].id)
    report = verify_chain(history_round.round)
    assert report.broken_event_id == events[1].id  # its content no longer matches the digest
    _sql("UPDATE score_event SET digest = :d WHERE id = :id", d=events[1].digest, id=events[1].id)
    assert verify_chain(history_round.round).broken_event_id == events[1].id


def test_the_chain_does_not_fork_under_concurrent_writers(history_round, app):
    """Three members save at the same moment, each in its own session; the chain stays one line."""
    chair_pair = Assignment(
        dossier=history_round.unassigned, member=_seat(history_round, "chair"), published_at=utcnow()
    )
    db.session.add(chair_pair)
    db.session.commit()
    pairs = list(db.session.scalars(select(Assignment.id).order_by(Assignment.id)))  # member, vice, chair
    assert len(pairs) == 3
    criterion_id = history_round.round.criteria[1].id
    barrier, errors = threading.Barrier(len(pairs)), []

    def write(assignment_id: int) -> None:
        with app.app_context():
            try:
                assignment = db.session.get(Assignment, assignment_id)
                user = assignment.member.user
                barrier.wait()
                for step in range(4):  # the member's sheet is submitted: a revision, with a reason
                    version = assignment.sheet.version if assignment.sheet else 0
                    reason = "Sửa tiếp trong lúc người khác cũng sửa."
                    save_sheet(
                        assignment,
                        {criterion_id: float(step)},
                        user=user,
                        base_version=version,
                        reason=reason,
                    )
            except Exception as error:  # reported below, with the thread's failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(pair,)) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = _events()
    assert len(events) == 4 + 3 * 4
    assert len({e.prev_digest for e in events}) == len(events)  # no two events chain onto the same one
    assert verify_chain(history_round.round).ok
