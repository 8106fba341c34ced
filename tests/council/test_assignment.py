"""Phân công chấm in the app: affinity, runs, publishing, hand edits, permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentRun,
    AssignmentStatus,
    ConflictDeclaration,
    Dossier,
    DossierKind,
    Field,
    RoundStatus,
    ScoreSheet,
)
from council.services import assignment as service
from council.services.assignment import RunSettings, affinity, fold


def _pairs(round_) -> dict[tuple[str, str], Assignment]:
    rows = db.session.scalars(select(Assignment).join(Dossier).where(Dossier.round_id == round_.id)).all()
    return {(a.dossier.code, a.member.user.username): a for a in rows}


def _active(round_) -> set[tuple[str, str]]:
    return {key for key, a in _pairs(round_).items() if a.status is AssignmentStatus.ACTIVE}


def _seat(populated_round, username):
    return next(m for m in populated_round.round.members if m.user.username == username)


def _declare(populated_round, username, dossier):
    seat = _seat(populated_round, username)
    db.session.add(ConflictDeclaration(member=seat, dossier=dossier, reason="Người nhà tác giả"))


def _add_dossier(populated_round, code, field=Field.BUSINESS, title="Mô hình bổ sung"):
    dossier = Dossier(
        round=populated_round.round,
        code=code,
        kind=DossierKind.MODEL,
        field=field,
        title=title,
        lead_author="Lê Thị Bổ Sung",
        unit=populated_round.assigned.unit,
    )
    db.session.add(dossier)
    db.session.commit()
    return dossier


# --- affinity -----------------------------------------------------------------------------------------


def test_fold_drops_diacritics_and_case():
    assert fold("  Tính KINH tế, Đoàn kết ") == "tinh kinh te, doan ket"


def test_affinity_counts_field_and_keywords(populated_round):
    seat, dossier = _seat(populated_round, "member"), populated_round.assigned
    dossier.title, dossier.summary = "Mô hình nông nghiệp sạch", "Ứng dụng chuyển đổi số trong hợp tác xã"
    seat.expertise, seat.expertise_note = [], ""
    assert affinity(seat, dossier) == 0
    seat.expertise = [Field.BUSINESS.value]
    assert affinity(seat, dossier) == 1.0
    seat.expertise_note = "nong nghiep sach, chuyen doi so; y te"
    assert affinity(seat, dossier) == pytest.approx(1.0 + 0.5 * 2 / 3, abs=1e-4)


def test_keywords_are_edited_with_the_seat(populated_round, login):
    seat = _seat(populated_round, "member")
    page = login("secretary").post(
        f"/rounds/{populated_round.round.id}/council/{seat.id}/edit",
        data={"role": "member", "expertise": ["business"], "keywords": "chuyển đổi số,  nông nghiệp"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert seat.expertise_note == "chuyển đổi số, nông nghiệp"


# --- running, publishing ----------------------------------------------------------------------------


def test_run_fills_every_dossier_and_keeps_the_published_pair(populated_round, login):
    round_ = populated_round.round
    before = _pairs(round_)[("HS-2025-0001", "member")]
    page = login("secretary").post(f"/rounds/{round_.id}/assignment/run", data={}, follow_redirects=True)
    assert page.status_code == 200 and "Đã phân công: 5 cặp mới, giữ 1 cặp" in page.get_data(as_text=True)
    pairs = _pairs(round_)
    # Three scorers (the secretary does not score), k = 3: everyone scores both dossiers.
    assert set(pairs) == {
        (code, user) for code in ("HS-2025-0001", "HS-2025-0002") for user in ("chair", "vice", "member")
    }
    assert pairs[("HS-2025-0001", "member")].id == before.id
    assert [p.published for p in pairs.values()].count(True) == 1
    run = db.session.scalar(select(AssignmentRun))
    assert run.params["k"] == 3 and run.report["added"] == 5 and run.report["components"] == 1
    assert run.report["certified"] and run.report["conflicts_avoided"] == 0
    assert run.created_by.username == "secretary"


def test_drafts_are_hidden_from_members_until_published(populated_round, login):
    round_ = populated_round.round
    service.run(round_, RunSettings(), user=populated_round.users["secretary"])
    vice = login("vice")
    url = f"/rounds/{round_.id}/dossiers/{populated_round.unassigned.id}"
    # The vice-chair is staff and sees every dossier; the plain member is the one to check.
    member = login("member")
    assert member.get(url).status_code == 403
    assert "HS-2025-0002" not in member.get("/review/").get_data(as_text=True)

    page = login("secretary").post(f"/rounds/{round_.id}/assignment/publish", follow_redirects=True)
    assert "Đã công bố 5 cặp phân công." in page.get_data(as_text=True)
    member = login("member")
    assert member.get(url).status_code == 200
    assert "HS-2025-0002" in member.get("/review/").get_data(as_text=True)
    assert vice.get(url).status_code == 200


def test_rerun_after_a_new_dossier_keeps_published_pairs(populated_round):
    round_, secretary = populated_round.round, populated_round.users["secretary"]
    service.run(round_, RunSettings(), user=secretary)
    service.publish(round_, user=secretary)
    published = {key: pair.id for key, pair in _pairs(round_).items()}
    _add_dossier(populated_round, "HS-2025-0003")

    service.run(round_, RunSettings(max_load=3), user=secretary)

    after = _pairs(round_)
    assert all(after[key].id == pair_id for key, pair_id in published.items())
    assert {user for code, user in after if code == "HS-2025-0003"} == {"chair", "vice", "member"}


def test_conflicts_are_never_assigned(populated_round):
    round_, secretary = populated_round.round, populated_round.users["secretary"]
    _declare(populated_round, "vice", populated_round.unassigned)
    round_.reviewers_per_dossier = 2
    db.session.commit()
    service.run(round_, RunSettings(), user=secretary)
    assert ("HS-2025-0002", "vice") not in _active(round_)
    assert {user for code, user in _active(round_) if code == "HS-2025-0002"} == {"chair", "member"}


def test_infeasible_run_names_the_dossier_and_keeps_the_assignment(populated_round, login):
    round_ = populated_round.round
    _declare(populated_round, "vice", populated_round.unassigned)
    db.session.commit()
    before = _active(round_)
    page = login("secretary").post(f"/rounds/{round_.id}/assignment/run", data={"max_load": "2"})
    text = page.get_data(as_text=True)
    assert "Không thể phân công" in text
    assert "Hồ sơ HS-2025-0002 chỉ có 2 thành viên đủ điều kiện chấm (cần 3)." in text
    assert _active(round_) == before
    assert db.session.scalar(select(AssignmentRun)) is None


def test_a_published_pair_that_became_a_conflict_must_be_removed_first(populated_round):
    round_ = populated_round.round
    _declare(populated_round, "member", populated_round.assigned)
    db.session.commit()
    with pytest.raises(service.AssignmentError) as caught:
        service.run(round_, RunSettings(), user=populated_round.users["secretary"])
    assert "HS-2025-0001" in " ".join(caught.value.details)


# --- editing by hand ----------------------------------------------------------------------------------


def test_hand_added_pair_is_locked_and_survives_a_rerun(populated_round, login):
    round_ = populated_round.round
    _add_dossier(populated_round, "HS-2025-0003")
    round_.reviewers_per_dossier = 1
    db.session.commit()
    client = login("secretary")
    page = client.post(
        f"/rounds/{round_.id}/assignment/pairs",
        data={"dossier_id": populated_round.unassigned.id, "member_id": _seat(populated_round, "chair").id},
        follow_redirects=True,
    )
    assert "Đã giao hồ sơ HS-2025-0002 cho" in page.get_data(as_text=True)
    pair = _pairs(round_)[("HS-2025-0002", "chair")]
    assert pair.locked and not pair.published

    service.run(round_, RunSettings(), user=populated_round.users["secretary"])
    assert _pairs(round_)[("HS-2025-0002", "chair")].id == pair.id


def test_hand_edits_refuse_conflicts_and_full_dossiers(populated_round, login):
    round_ = populated_round.round
    _declare(populated_round, "vice", populated_round.unassigned)
    round_.reviewers_per_dossier = 1
    db.session.commit()
    client = login("secretary")
    url = f"/rounds/{round_.id}/assignment/pairs"
    vice = _seat(populated_round, "vice").id
    conflicted = client.post(url, data={"dossier_id": populated_round.unassigned.id, "member_id": vice})
    conflicted = conflicted.get_data(as_text=True)
    assert "có xung đột lợi ích với hồ sơ HS-2025-0002" in conflicted
    full = client.post(
        url, data={"dossier_id": populated_round.assigned.id, "member_id": _seat(populated_round, "chair").id}
    ).get_data(as_text=True)
    assert "Hồ sơ HS-2025-0001 đã đủ 1 người chấm" in full
    assert _active(round_) == {("HS-2025-0001", "member")}


def test_removing_a_published_pair_keeps_it_on_record_and_out_of_reruns(populated_round, login):
    round_ = populated_round.round
    pair = _pairs(round_)[("HS-2025-0001", "member")]
    login("secretary").post(f"/rounds/{round_.id}/assignment/pairs/{pair.id}/remove")
    assert pair.status is AssignmentStatus.REMOVED
    round_.reviewers_per_dossier = 2
    db.session.commit()
    service.run(round_, RunSettings(), user=populated_round.users["secretary"])
    assert ("HS-2025-0001", "member") not in _active(round_)


def test_a_started_sheet_cannot_be_removed(populated_round, login):
    round_ = populated_round.round
    pair = _pairs(round_)[("HS-2025-0001", "member")]
    db.session.add(ScoreSheet(assignment=pair))
    db.session.commit()
    page = login("secretary").post(
        f"/rounds/{round_.id}/assignment/pairs/{pair.id}/remove", follow_redirects=True
    )
    assert "đã bắt đầu chấm hồ sơ HS-2025-0001" in page.get_data(as_text=True)
    assert pair.status is AssignmentStatus.ACTIVE


def test_a_draft_pair_can_be_locked_and_unlocked(populated_round, login):
    round_ = populated_round.round
    service.run(round_, RunSettings(), user=populated_round.users["secretary"])
    pair = _pairs(round_)[("HS-2025-0002", "vice")]
    client = login("secretary")
    client.post(f"/rounds/{round_.id}/assignment/pairs/{pair.id}/lock")
    assert pair.locked
    client.post(f"/rounds/{round_.id}/assignment/pairs/{pair.id}/lock")
    assert not pair.locked


# --- the page, the workflow, permissions --------------------------------------------------------------


def test_overview_shows_loads_connectivity_and_the_last_run(populated_round, login):
    round_ = populated_round.round
    service.run(round_, RunSettings(), user=populated_round.users["secretary"])
    page = login("secretary").get(f"/rounds/{round_.id}/assignment/").get_data(as_text=True)
    assert "Tải của từng thành viên" in page and "Độ liên thông đại số" in page
    assert "Công bố 5 cặp" in page and "Lần chạy gần nhất" in page


def test_advancing_to_scoring_warns_about_gaps(populated_round, login):
    round_ = populated_round.round
    round_.status = RoundStatus.ASSIGNMENT
    db.session.commit()
    page = login("secretary").get(f"/rounds/{round_.id}/").get_data(as_text=True)
    assert "Phân công chưa xong" in page and "2 hồ sơ chưa đủ 3 người chấm đã công bố." in page


def test_no_changes_once_scoring_has_closed(populated_round, login):
    round_ = populated_round.round
    round_.status = RoundStatus.DELIBERATION
    db.session.commit()
    page = login("secretary").post(f"/rounds/{round_.id}/assignment/run", data={}, follow_redirects=True)
    assert "không thay đổi phân công được nữa" in page.get_data(as_text=True)
    assert "Chạy phân công" not in login("secretary").get(f"/rounds/{round_.id}/assignment/").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("username", "view", "change"),
    [
        ("secretary", 200, 302),
        ("chair", 200, 302),
        ("admin", 200, 302),
        ("auditor", 200, 403),
        ("vice", 200, 403),
        ("member", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_who_may_see_and_change_the_assignment(populated_round, login, username, view, change):
    round_ = populated_round.round
    client = login(username)
    assert client.get(f"/rounds/{round_.id}/assignment/").status_code == view
    assert client.post(f"/rounds/{round_.id}/assignment/publish").status_code == change
    pair = _pairs(round_)[("HS-2025-0001", "member")]
    assert client.post(f"/rounds/{round_.id}/assignment/pairs/{pair.id}/remove").status_code == change
    expected = AssignmentStatus.REMOVED if change == 302 else AssignmentStatus.ACTIVE
    assert pair.status is expected


def test_a_pair_of_another_round_is_not_found(populated_round, login):
    other = populated_round.other_round
    pair = _pairs(populated_round.round)[("HS-2025-0001", "member")]
    assert login("admin").post(f"/rounds/{other.id}/assignment/pairs/{pair.id}/remove").status_code == 404
