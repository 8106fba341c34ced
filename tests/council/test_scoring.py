"""Online scoring: the member's sheet, drafts and submission, conflicts, revisions, re-opening, recusal."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    RoundStatus,
    ScoreEvent,
    ScoreEventKind,
    ScoreSheet,
    SheetStatus,
)
from council.models.base import utcnow
from council.services import scoresheets
from council.services.scoresheets import SheetConflict, save_sheet, verify_chain


def _assignment(pr) -> Assignment:
    return pr.assigned.assignments[0]


def _url(pr, suffix: str = "") -> str:
    return f"/review/rounds/{pr.round.id}/sheets/{_assignment(pr).id}{suffix}"


def _form(pr, points, *, version=0, action="save", **extra) -> dict[str, str]:
    """The sheet form: ``points`` in rubric order ("" for not scored), a note on each criterion."""
    data = {"version": str(version), "action": action, "comment": "Nhận xét chung của tôi."}
    for criterion, value in zip(pr.round.criteria, points, strict=True):
        data[f"points_{criterion.id}"] = value
        data[f"note_{criterion.id}"] = f"Ghi chú về {criterion.name.lower()}"
    return {**data, **extra}


def _sheet(pr) -> ScoreSheet | None:
    db.session.expire_all()
    return db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == _assignment(pr).id))


def _points(pr) -> list[float | None]:
    sheet = _sheet(pr)
    by_id = sheet.points_by_criterion() if sheet else {}
    return [by_id.get(c.id) for c in pr.round.criteria]


def _events(kind: ScoreEventKind | None = None) -> list[ScoreEvent]:
    query = select(ScoreEvent).order_by(ScoreEvent.id)
    if kind is not None:
        query = query.where(ScoreEvent.kind == kind)
    return list(db.session.scalars(query))


def _close_scoring(pr) -> None:
    pr.round.scoring_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()


FULL = ["15", "12,5", "10", "18", "9.5"]


# --- drafts and validation ------------------------------------------------------------------------


def test_member_saves_a_draft_and_sees_it_again(scoring_round, login):
    client = login("member")
    response = client.post(_url(scoring_round), data=_form(scoring_round, ["7,5", "12", "", "", ""]))
    assert response.status_code == 302 and response.headers["Location"] == _url(scoring_round)
    page = client.get(_url(scoring_round)).get_data(as_text=True)
    assert "Đã lưu nháp." in page and "Đang chấm (nháp)" in page
    assert 'value="7,5"' in page and 'value="12"' in page and "Ghi chú về tính mới" in page
    assert _points(scoring_round) == [7.5, 12.0, None, None, None]
    assert _sheet(scoring_round).status is SheetStatus.DRAFT and _sheet(scoring_round).version == 1
    assert "19,5" in page  # the server-rendered running total


def test_dashboard_opens_each_sheet_with_its_status(scoring_round, login):
    client = login("member")
    page = client.get("/review/").get_data(as_text=True)
    assert f'href="{_url(scoring_round)}"' in page and "Chưa chấm" in page
    client.post(_url(scoring_round), data=_form(scoring_round, ["7", "", "", "", ""]))
    assert "Đang chấm (nháp)" in client.get("/review/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("21", "Tính mới: điểm phải từ 0 đến 20, theo bước 0,5."),
        ("-1", "Tính mới: điểm phải từ 0 đến 20, theo bước 0,5."),
        ("7,3", "Tính mới: điểm phải từ 0 đến 20, theo bước 0,5."),
        ("bảy", "Tính mới: điểm phải là một số, ví dụ 7 hoặc 7,5."),
    ],
)
def test_invalid_points_name_the_criterion_and_keep_all_input(scoring_round, login, typed, message):
    client = login("member")
    response = client.post(_url(scoring_round), data=_form(scoring_round, [typed, "12,5", "10", "", ""]))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'value="{typed}"' in page and 'value="12,5"' in page and 'value="10"' in page
    assert "Ghi chú về tính kinh tế" in page and "Nhận xét chung của tôi." in page
    assert _sheet(scoring_round) is None  # nothing saved


def test_points_are_checked_against_each_criterions_maximum(scoring_round, login):
    scoring_round.round.criteria[1].max_points = 10
    db.session.commit()
    client = login("member")
    page = client.post(_url(scoring_round), data=_form(scoring_round, ["", "10,5", "", "", ""]))
    assert "Tính phù hợp: điểm phải từ 0 đến 10, theo bước 0,5." in page.get_data(as_text=True)


def test_submit_requires_every_criterion_and_the_confirmation(scoring_round, login):
    client = login("member")
    missing = _form(scoring_round, ["15", "12", "10", "18", ""], action="submit", confirm="y")
    page = client.post(_url(scoring_round), data=missing).get_data(as_text=True)
    assert "Tính kinh tế: chưa chấm điểm" in page and _sheet(scoring_round) is None
    unconfirmed = _form(scoring_round, FULL, action="submit")
    response = client.post(_url(scoring_round), data=unconfirmed)
    assert response.status_code == 400
    assert "Vui lòng đánh dấu “Tôi xác nhận nộp phiếu chấm này”" in response.get_data(as_text=True)
    assert _sheet(scoring_round) is None
    confirmed = _form(scoring_round, FULL, action="submit", confirm="y")
    assert client.post(_url(scoring_round), data=confirmed).status_code == 302
    sheet = _sheet(scoring_round)
    assert sheet.status is SheetStatus.SUBMITTED and sheet.submitted_at is not None
    assert _points(scoring_round) == [15, 12.5, 10, 18, 9.5]
    assert [e.kind for e in _events()] == [ScoreEventKind.SUBMIT]
    assert "Đã nộp" in client.get("/review/").get_data(as_text=True)


# --- versions and conflicts --------------------------------------------------------------------------


def test_a_stale_version_shows_the_conflict_keeps_the_input_and_overwrites_nothing(scoring_round, login):
    client = login("member")
    client.post(_url(scoring_round), data=_form(scoring_round, ["10", "", "", "", ""], version=0))
    response = client.post(
        _url(scoring_round), data=_form(scoring_round, ["16,5", "", "", "", ""], version=0)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Phiếu đã được lưu ở nơi khác (phiên bản 1)" in page and "Điểm trên máy chủ" in page
    assert 'value="16,5"' in page  # what the member typed is still in the form
    assert re.search(r'name="version"[^>]*value="1"|value="1"[^>]*name="version"', page)
    assert _points(scoring_round)[0] == 10 and _sheet(scoring_round).version == 1
    # Choosing their own points: the form now carries the server's version, so saving again wins.
    again = client.post(_url(scoring_round), data=_form(scoring_round, ["16,5", "", "", "", ""], version=1))
    assert again.status_code == 302 and _points(scoring_round)[0] == 16.5


def test_two_sessions_racing_with_the_same_version_exactly_one_wins(scoring_round, login, new_client):
    phone, desk = login("member"), new_client("member")
    first = phone.post(_url(scoring_round), data=_form(scoring_round, ["11", "", "", "", ""], version=0))
    second = desk.post(_url(scoring_round), data=_form(scoring_round, ["19", "", "", "", ""], version=0))
    assert sorted([first.status_code, second.status_code]) == [302, 409]
    assert _points(scoring_round)[0] == 11 and len(_events()) == 1


def test_the_database_refuses_a_write_based_on_a_row_that_changed_underneath(scoring_round):
    """Both requests passed the version check; the UPDATE ... WHERE version = n lets only one write."""
    assignment, member = _assignment(scoring_round), scoring_round.users["member"]
    first = save_sheet(assignment, {scoring_round.round.criteria[0].id: 10.0}, user=member)
    assert first.version == 1
    # Another request commits version 2 on its own connection while this session still holds version 1.
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE score_sheet SET version = 2 WHERE id = :id"), {"id": first.id})
    with pytest.raises(SheetConflict) as raised:
        save_sheet(assignment, {scoring_round.round.criteria[0].id: 20.0}, user=member, base_version=1)
    assert raised.value.sheet.version == 2
    assert _points(scoring_round)[0] == 10 and len(_events()) == 1


def test_concurrent_saves_of_one_sheet_let_exactly_one_win(scoring_round, app):
    """Two threads, each with its own session and connection, save the same base version at once."""
    assignment_id, member_id = _assignment(scoring_round).id, scoring_round.users["member"].id
    criterion_id = scoring_round.round.criteria[0].id
    save_sheet(_assignment(scoring_round), {criterion_id: 1.0}, user=scoring_round.users["member"])
    barrier, outcomes = threading.Barrier(2), []

    def save(points: float) -> None:
        with app.app_context():
            assignment = db.session.get(Assignment, assignment_id)
            user = assignment.member.user
            assert user.id == member_id and assignment.sheet.version == 1
            barrier.wait()
            try:
                save_sheet(assignment, {criterion_id: points}, user=user, base_version=1)
                outcomes.append(points)
            except SheetConflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(p,)) for p in (5.0, 6.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "conflict"]
    assert len(outcomes) == 2 and len(winners) == 1
    assert _points(scoring_round)[0] == winners[0] and _sheet(scoring_round).version == 2
    assert len(_events()) == 2 and verify_chain(scoring_round.round).ok


# --- revisions, the deadline, re-opening --------------------------------------------------------


def _submit(client, pr) -> None:
    response = client.post(_url(pr), data=_form(pr, FULL, action="submit", confirm="y"))
    assert response.status_code == 302


def test_revision_needs_a_reason_and_only_while_scoring_is_open(scoring_round, login):
    client = login("member")
    _submit(client, scoring_round)
    revised = ["17", "12,5", "10", "18", "9.5"]
    response = client.post(_url(scoring_round), data=_form(scoring_round, revised, version=1))
    assert response.status_code == 400
    assert "Lý do sửa phiếu đã nộp: cần ghi rõ" in response.get_data(as_text=True)
    assert _points(scoring_round)[0] == 15
    reason = "Đọc lại phần kết quả áp dụng, tính mới cao hơn."
    response = client.post(_url(scoring_round), data=_form(scoring_round, revised, version=1, reason=reason))
    assert response.status_code == 302
    assert _sheet(scoring_round).status is SheetStatus.SUBMITTED and _points(scoring_round)[0] == 17
    (revision,) = _events(ScoreEventKind.REVISE)
    assert revision.reason == reason
    criterion = str(scoring_round.round.criteria[0].id)
    assert (revision.payload["old_points"][criterion], revision.payload["points"][criterion]) == (15, 17)
    _close_scoring(scoring_round)
    late = _form(scoring_round, ["20", *revised[1:]], version=2, reason=reason)
    response = client.post(_url(scoring_round), data=late)
    assert response.status_code == 403 and "Đã hết hạn chấm điểm" in response.get_data(as_text=True)
    assert _points(scoring_round)[0] == 17


def test_after_the_deadline_the_member_cannot_edit(scoring_round, login):
    client = login("member")
    client.post(_url(scoring_round), data=_form(scoring_round, ["8", "", "", "", ""]))
    _close_scoring(scoring_round)
    page = client.get(_url(scoring_round)).get_data(as_text=True)
    assert "Đã hết hạn chấm điểm" in page and "Nộp phiếu" not in page
    assert re.search(r'<input[^>]*disabled[^>]*name="points_', page)
    response = client.post(_url(scoring_round), data=_form(scoring_round, FULL, version=1, action="submit"))
    assert response.status_code == 403
    autosave = client.post(_url(scoring_round, "/autosave"), json={"version": 1, "fields": {}})
    assert autosave.status_code == 403
    assert _points(scoring_round)[0] == 8 and _sheet(scoring_round).status is SheetStatus.DRAFT


def test_deliberation_closes_scoring_too(scoring_round, login):
    scoring_round.round.status = RoundStatus.DELIBERATION
    db.session.commit()
    response = login("member").post(_url(scoring_round), data=_form(scoring_round, FULL))
    assert response.status_code == 403 and "Họp xét" in response.get_data(as_text=True)
    assert _sheet(scoring_round) is None


def test_the_chair_reopens_with_a_reason_and_the_member_resubmits(scoring_round, login):
    client = login("member")
    _submit(client, scoring_round)
    reopen = _url(scoring_round, "/reopen")
    reason = "Thành viên báo nhập nhầm điểm tiêu chí 1."
    # While scoring is open the member revises by themselves; the chair does not re-open.
    chair = login("chair")
    response = chair.post(reopen, data={"reason": reason})
    assert response.status_code == 400 and "thành viên tự sửa" in response.get_data(as_text=True)
    _close_scoring(scoring_round)
    assert "Mở lại phiếu" in chair.get(f"/rounds/{scoring_round.round.id}/history/").get_data(as_text=True)
    response = chair.post(reopen, data={"reason": "ngắn"})
    assert response.status_code == 400 and "ít nhất 10 ký tự" in response.get_data(as_text=True)
    assert chair.post(reopen, data={"reason": reason}).status_code == 302
    sheet = _sheet(scoring_round)
    assert sheet.status is SheetStatus.DRAFT and sheet.reopened
    assert _events(ScoreEventKind.REOPEN)[0].reason == reason
    client = login("member")
    page = client.get(_url(scoring_round)).get_data(as_text=True)
    assert "Chủ tịch Hội đồng đã mở lại phiếu này" in page and "Nộp phiếu" in page
    fixed = _form(scoring_round, ["5", *FULL[1:]], version=2, action="submit", confirm="y")
    assert client.post(_url(scoring_round), data=fixed).status_code == 302
    sheet = _sheet(scoring_round)
    assert sheet.status is SheetStatus.SUBMITTED and not sheet.reopened and _points(scoring_round)[0] == 5
    # Submitted again after the deadline: closed again.
    again = _form(scoring_round, ["6", *FULL[1:]], version=3, reason="Sửa thêm một lần nữa sau hạn.")
    assert client.post(_url(scoring_round), data=again).status_code == 403


@pytest.mark.parametrize("username", ["member", "vice", "secretary", "auditor", "admin"])
def test_only_the_chair_reopens_a_sheet(scoring_round, login, username):
    _submit(login("member"), scoring_round)
    _close_scoring(scoring_round)
    client = login(username)
    response = client.post(_url(scoring_round, "/reopen"), data={"reason": "Lý do đủ dài để mở lại."})
    assert response.status_code == 403 and not _sheet(scoring_round).reopened


# --- recusal --------------------------------------------------------------------------------------------


def test_recusal_closes_the_sheet_and_shows_on_the_round_page_for_the_secretary(scoring_round, login):
    client = login("member")
    client.post(_url(scoring_round), data=_form(scoring_round, ["9", "", "", "", ""]))
    response = client.post(_url(scoring_round, "/recuse"), data={"reason": "quen", "confirm": "y"})
    assert response.status_code == 400 and "ít nhất 5 ký tự" in response.get_data(as_text=True)
    assert _assignment(scoring_round).status is AssignmentStatus.ACTIVE and not _events(ScoreEventKind.RECUSE)
    reason = "Người chủ trì là em ruột của tôi."
    response = client.post(_url(scoring_round, "/recuse"), data={"reason": reason, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert _assignment(scoring_round).status is AssignmentStatus.RECUSED
    assert db.session.scalar(select(ConflictDeclaration.reason)) == reason
    (event,) = _events(ScoreEventKind.RECUSE)
    assert event.reason == reason and event.payload["points"][str(scoring_round.round.criteria[0].id)] == 9
    # The sheet is closed for the member; the dashboard still shows the dossier, as recused.
    assert client.get(_url(scoring_round)).status_code == 403
    assert client.post(_url(scoring_round), data=_form(scoring_round, FULL, version=1)).status_code == 403
    dashboard = client.get("/review/").get_data(as_text=True)
    assert "Xin không chấm" in dashboard and _url(scoring_round) not in dashboard
    assert scoring_round.assigned.title in dashboard
    round_page = f"/rounds/{scoring_round.round.id}/"
    assert "lượt xin không chấm" not in client.get(round_page).get_data(as_text=True)
    page = login("secretary").get(round_page).get_data(as_text=True)
    assert "1 lượt xin không chấm đang chờ phân công người chấm thay" in page
    assert f'href="/rounds/{scoring_round.round.id}/assignment/"' in page


def test_a_recusal_stops_awaiting_once_a_replacement_is_published(scoring_round, login):
    scoring_round.round.reviewers_per_dossier = 1
    db.session.commit()
    login("member").post(
        _url(scoring_round, "/recuse"), data={"reason": "Tôi là đồng tác giả.", "confirm": "y"}
    )
    round_page = f"/rounds/{scoring_round.round.id}/"
    assert "lượt xin không chấm" in login("secretary").get(round_page).get_data(as_text=True)
    vice_seat = next(m for m in scoring_round.round.members if m.user.username == "vice")
    db.session.add(Assignment(dossier=scoring_round.assigned, member=vice_seat, published_at=utcnow()))
    db.session.commit()
    assert "lượt xin không chấm" not in login("secretary").get(round_page).get_data(as_text=True)


# --- autosave ---------------------------------------------------------------------------------------


def _fields(pr, *points: str) -> dict[str, str]:
    return {f"points_{c.id}": p for c, p in zip(pr.round.criteria, points, strict=False)}


def test_autosave_returns_the_new_version_and_409_on_a_stale_one(scoring_round, login):
    client = login("member")
    url = _url(scoring_round, "/autosave")
    response = client.post(url, json={"version": 0, "fields": _fields(scoring_round, "7,5", "3")})
    assert response.status_code == 200 and response.json["version"] == 1 and response.json["total"] == "10,5"
    assert _points(scoring_round)[:2] == [7.5, 3]
    stale = client.post(url, json={"version": 0, "fields": _fields(scoring_round, "20")})
    assert stale.status_code == 409 and stale.json["conflict"] and stale.json["version"] == 1
    assert stale.json["points"][f"points_{scoring_round.round.criteria[0].id}"] == "7,5"
    assert _points(scoring_round)[0] == 7.5
    invalid = client.post(url, json={"version": 1, "fields": _fields(scoring_round, "7,25")})
    assert invalid.status_code == 422
    assert invalid.json["errors"] == {
        f"points_{scoring_round.round.criteria[0].id}": "Tính mới: điểm phải từ 0 đến 20, theo bước 0,5."
    }
    assert client.post(url, data="không phải JSON").status_code == 400
    assert [e.kind for e in _events()] == [ScoreEventKind.SAVE]


def test_autosave_does_not_touch_a_submitted_sheet(scoring_round, login):
    client = login("member")
    _submit(client, scoring_round)
    response = client.post(
        _url(scoring_round, "/autosave"), json={"version": 1, "fields": _fields(scoring_round, "1")}
    )
    assert response.status_code == 409 and "kèm lý do" in response.json["error"]
    assert _points(scoring_round)[0] == 15


def test_autosave_without_a_csrf_token_is_refused(scoring_round, login, app):
    client = login("member")
    app.config["WTF_CSRF_ENABLED"] = True
    url = _url(scoring_round, "/autosave")
    body = {"version": 0, "fields": _fields(scoring_round, "4")}
    assert client.post(url, json=body).status_code == 400
    assert _sheet(scoring_round) is None
    token = re.search(r'data-csrf="([^"]+)"', client.get(_url(scoring_round)).get_data(as_text=True)).group(1)
    response = client.post(url, json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and _points(scoring_round)[0] == 4


# --- who may open a sheet ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["vice", "chair", "secretary", "auditor", "admin", "outsider"])
def test_nobody_but_the_assigned_member_opens_or_writes_the_sheet(scoring_round, login, username):
    login("member").post(_url(scoring_round), data=_form(scoring_round, ["13", "", "", "", ""]))
    client = login(username)
    page = client.get(_url(scoring_round))
    assert page.status_code == 403 and 'value="13"' not in page.get_data(as_text=True)
    assert client.post(_url(scoring_round), data=_form(scoring_round, FULL, version=1)).status_code == 403
    autosave = client.post(_url(scoring_round, "/autosave"), json={"version": 1, "fields": {}})
    assert autosave.status_code == 403
    assert client.post(_url(scoring_round, "/recuse"), data={"reason": "Lý do bất kỳ."}).status_code == 403
    assert _points(scoring_round)[0] == 13 and len(_events()) == 1


def test_unknown_or_foreign_assignment_ids_are_not_found(scoring_round, login):
    assignment = _assignment(scoring_round)
    client = login("outsider")  # chairs the other round
    assert (
        client.get(f"/review/rounds/{scoring_round.other_round.id}/sheets/{assignment.id}").status_code == 404
    )
    client = login("member")
    assert client.get(f"/review/rounds/{scoring_round.round.id}/sheets/999999").status_code == 404
    assert (
        client.get(f"/review/rounds/{scoring_round.other_round.id}/sheets/{assignment.id}").status_code == 403
    )


def test_a_draft_pair_is_not_the_members_yet(scoring_round, login):
    _assignment(scoring_round).published_at = None
    db.session.commit()
    client = login("member")
    assert client.get(_url(scoring_round)).status_code == 403
    assert scoring_round.assigned.title not in client.get("/review/").get_data(as_text=True)


def test_before_the_scoring_step_the_sheet_is_read_only(populated_round, login):
    page = login("member").get(_url(populated_round)).get_data(as_text=True)
    assert "Đợt xét chưa đến bước chấm điểm." in page
    response = login("member").post(_url(populated_round), data=_form(populated_round, FULL))
    assert response.status_code == 403
    count = db.session.scalar(select(func.count()).select_from(ScoreSheet))
    assert count == 0


def test_parse_points_accepts_comma_and_half_steps(scoring_round):
    criterion = scoring_round.round.criteria[0]
    assert [scoresheets.parse_points(v, criterion) for v in ("7,5", " 7.5 ", "20", "0", "", None, 12)] == [
        7.5,
        7.5,
        20,
        0,
        None,
        None,
        12,
    ]
    for bad in ("20,5", "nan", "inf", "7,5,1", "1e9", 0.25):
        with pytest.raises(ValueError, match="Tính mới"):
            scoresheets.parse_points(bad, criterion)
