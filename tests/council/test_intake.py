"""Round set-up and intake through the web client: round, rubric, council, dossiers, conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from council.extensions import db
from council.models import CouncilMember, CouncilRole, Dossier, DossierStatus, Round, RoundStatus, User
from council.services.rounds import advance_round

DOSSIER = {
    "kind": "model",
    "field": "business",
    "title": "Mô hình tổ hợp tác trồng rau an toàn",
    "lead_author": "Nguyễn Văn Bình",
    "co_authors": "Lê Thị Hoa\nTrần Văn Nam",
    "unit": "Hội Nông dân tỉnh Thử",
    "summary": "Liên kết 30 hộ trồng rau theo quy trình an toàn, bao tiêu qua hợp tác xã.",
    "results": "Thu nhập tăng 25%; 3 bếp ăn trường học ký hợp đồng.",
}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_whole_intake_as_the_secretary(populated_round, login, make_user):
    """Admin opens a round; the secretary sets it up and registers dossiers; nothing is lost."""
    client = login("admin")
    unit_id = populated_round.round.issuing_unit_id
    secretary = make_user("thuky2")
    response = client.post(
        "/rounds/new",
        data={
            "title": "Xét sáng kiến năm 2026",
            "year": 2026,
            "level": "province",
            "issuing_unit_id": unit_id,
            "issuing_body": "Ban Thường trực",
            "reviewers_per_dossier": 3,
            "secretary_id": secretary.id,
            "chair_id": 0,
        },
    )
    round_ = db.session.scalar(select(Round).where(Round.title == "Xét sáng kiến năm 2026"))
    assert response.status_code == 302 and round_ is not None and len(round_.criteria) == 5
    assert [m.role for m in round_.members] == [CouncilRole.SECRETARY]

    client = login("thuky2")
    base = f"/rounds/{round_.id}"
    assert (
        client.post(
            f"{base}/edit",
            data={
                "title": round_.title,
                "year": 2026,
                "level": "province",
                "issuing_unit_id": unit_id,
                "reviewers_per_dossier": 2,
                "intake_deadline": "2026-05-20T17:00",
                "scoring_deadline": "2026-06-05T17:00",
            },
        ).status_code
        == 302
    )
    assert round_.reviewers_per_dossier == 2 and round_.scoring_deadline.hour == 10  # 17:00 in Hà Nội
    rows = {
        f"rows-{i}-{k}": v
        for i, c in enumerate(round_.criteria)
        for k, v in {
            "criterion_id": c.id,
            "position": c.position,
            "name": c.name,
            "max_points": 20,
            "weight": 1,
        }.items()
    }
    rows["rows-4-remove"] = "y"
    assert client.post(f"{base}/rubric", data=rows).status_code == 302
    assert len(round_.criteria) == 4
    assert (
        client.post(
            f"{base}/council",
            data={
                "user_id": populated_round.users["member"].id,
                "role": "member",
                "expertise": ["business"],
            },
        ).status_code
        == 302
    )
    response = client.post(
        f"{base}/council",
        data={
            "user_id": 0,
            "username": "uyvienmoi",
            "full_name": "Phan Thị Mới",
            "unit_id": 0,
            "role": "chair",
        },
        follow_redirects=True,
    )
    assert "Mật khẩu ban đầu của uyvienmoi" in response.get_data(as_text=True)
    assert {m.user.username: m.role for m in round_.members} == {
        "thuky2": CouncilRole.SECRETARY,
        "member": CouncilRole.MEMBER,
        "uyvienmoi": CouncilRole.CHAIR,
    }
    assert client.post(f"{base}/dossiers/new", data=DOSSIER).status_code == 302
    dossier = round_.dossiers[0]
    assert dossier.code == "HS-2026-0001" and dossier.co_authors == ["Lê Thị Hoa", "Trần Văn Nam"]
    assert dossier.unit.name == "Hội Nông dân tỉnh Thử" and dossier.status is DossierStatus.RECEIVED
    page = client.get(f"{base}/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Mô hình tổ hợp tác trồng rau an toàn" in page and "Trần Văn Nam" in page


def test_only_admins_open_rounds(populated_round, login):
    assert login("secretary").get("/rounds/new").status_code == 403
    assert login("admin").get("/rounds/new").status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reviewers_per_dossier": 0}, "phải từ 1 đến 15"),
        ({"intake_deadline": "2026-05-20T17:00", "scoring_deadline": "2026-05-01T17:00"}, "phải sau hạn nộp"),
        ({"title": ""}, "Vui lòng nhập tên đợt xét."),
        ({"year": "năm nay"}, "Năm"),
    ],
)
def test_bad_round_details_are_named_and_input_kept(populated_round, login, change, message):
    round_ = populated_round.round
    data = {
        "title": "Tên mới giữ lại",
        "year": 2025,
        "level": "province",
        "issuing_unit_id": round_.issuing_unit_id,
        "reviewers_per_dossier": 3,
        **change,
    }
    page = login("secretary").post(f"/rounds/{round_.id}/edit", data=data).get_data(as_text=True)
    assert message in page
    if data["title"]:
        assert "Tên mới giữ lại" in page
    assert round_.title == "Đợt xét thử năm 2025"


def _rubric_data(round_, **overrides):
    data = {}
    for i, c in enumerate(round_.criteria):
        data.update(
            {
                f"rows-{i}-criterion_id": c.id,
                f"rows-{i}-position": c.position,
                f"rows-{i}-name": c.name,
                f"rows-{i}-descriptor": c.descriptor,
                f"rows-{i}-max_points": c.max_points,
                f"rows-{i}-weight": c.weight,
            }
        )
    data.update(overrides)
    return data


def test_rubric_reorder_rename_and_add(populated_round, login):
    round_ = populated_round.round
    data = _rubric_data(
        round_,
        **{
            "rows-0-position": 9,
            "rows-1-name": "Tính phù hợp thực tiễn",
            "rows-5-name": "Tính lan tỏa",
            "rows-5-max_points": 10,
            "rows-5-weight": 0.5,
            "rows-5-position": 6,
        },
    )
    assert login("secretary").post(f"/rounds/{round_.id}/rubric", data=data).status_code == 302
    names = [c.name for c in round_.criteria]
    assert names == [
        "Tính phù hợp thực tiễn",
        "Tính tập thể",
        "Tính thiết thực, hiệu quả",
        "Tính kinh tế",
        "Tính lan tỏa",
        "Tính mới",
    ]
    assert [c.position for c in round_.criteria] == [1, 2, 3, 4, 5, 6] and round_.max_total == 105


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rows-2-max_points": 0}, "Dòng 3: điểm tối đa phải lớn hơn 0."),
        ({"rows-1-max_points": -5}, "Dòng 2: điểm tối đa phải lớn hơn 0."),
        ({"rows-0-name": ""}, "Dòng 1: tên tiêu chí không được để trống."),
        ({"rows-4-weight": -1}, "Dòng 5: trọng số không được âm."),
    ],
)
def test_bad_rubric_rows_are_named_and_nothing_saved(populated_round, login, overrides, message):
    round_ = populated_round.round
    before = [(c.name, c.max_points, c.weight) for c in round_.criteria]
    response = login("secretary").post(f"/rounds/{round_.id}/rubric", data=_rubric_data(round_, **overrides))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert [(c.name, c.max_points, c.weight) for c in round_.criteria] == before


def test_rubric_locks_when_scoring_starts(populated_round, login):
    round_ = populated_round.round
    for _ in range(3):
        advance_round(round_, user=populated_round.users["secretary"])
    client = login("secretary")
    assert "đã khóa" in client.get(f"/rounds/{round_.id}/rubric").get_data(as_text=True)
    client.post(f"/rounds/{round_.id}/rubric", data=_rubric_data(round_, **{"rows-0-name": "Đổi tên"}))
    assert round_.criteria[0].name == "Tính mới"


def test_one_chair_per_council(populated_round, login):
    round_ = populated_round.round
    page = (
        login("secretary")
        .post(
            f"/rounds/{round_.id}/council",
            data={
                "user_id": populated_round.users["outsider"].id,
                "role": "chair",
            },
        )
        .get_data(as_text=True)
    )
    assert "Hội đồng đã có Chủ tịch Hội đồng" in page
    assert (
        db.session.scalar(
            select(CouncilMember).where(
                CouncilMember.user_id == populated_round.users["outsider"].id,
                CouncilMember.round_id == round_.id,
            )
        )
        is None
    )


def test_edit_and_remove_members(populated_round, login):
    round_ = populated_round.round
    vice = next(m for m in round_.members if m.user.username == "vice")
    client = login("secretary")
    client.post(
        f"/rounds/{round_.id}/council/{vice.id}/edit", data={"role": "member", "expertise": ["armed_forces"]}
    )
    assert vice.role is CouncilRole.MEMBER and vice.expertise == ["armed_forces"]
    client.post(f"/rounds/{round_.id}/council/{vice.id}/remove")
    assert vice not in round_.members
    member = next(m for m in round_.members if m.user.username == "member")
    page = client.post(f"/rounds/{round_.id}/council/{member.id}/remove", follow_redirects=True).get_data(
        as_text=True
    )
    assert "đã được phân công chấm" in page and member in round_.members


def test_inline_account_needs_a_name(populated_round, login):
    page = (
        login("secretary")
        .post(
            f"/rounds/{populated_round.round.id}/council",
            data={
                "user_id": 0,
                "username": "",
                "full_name": "",
                "role": "member",
            },
        )
        .get_data(as_text=True)
    )
    assert "Chọn một người dùng có sẵn, hoặc nhập tên đăng nhập và họ tên" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Tên sáng kiến, mô hình, ý tưởng: không được để trống."),
        ({"lead_author": "  "}, "Người chủ trì: không được để trống."),
        ({"kind": ""}, "Loại: không được để trống."),
        ({"field": "9"}, "không phải một trong 5 nội dung thi đua"),
        ({"unit": "Hội Không Có"}, "Đơn vị “Hội Không Có” chưa có trong hệ thống."),
        ({"code": "HS-2025-0001"}, "Mã hồ sơ “HS-2025-0001” đã có trong đợt xét này."),
        ({"code": "mã có dấu"}, "Mã hồ sơ: chỉ gồm chữ không dấu"),
        ({"title": "x" * 501}, "dài quá 500 ký tự"),
    ],
)
def test_bad_dossier_input_is_named_and_kept(populated_round, login, change, message):
    round_ = populated_round.round
    before = len(round_.dossiers)
    response = login("secretary").post(f"/rounds/{round_.id}/dossiers/new", data={**DOSSIER, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "Liên kết 30 hộ trồng rau" in page  # the rest of the input is still there
    db.session.expire_all()
    assert len(round_.dossiers) == before


def test_edit_dossier_and_change_status(populated_round, login):
    round_, dossier = populated_round.round, populated_round.unassigned
    client = login("secretary")
    form = client.get(f"/rounds/{round_.id}/dossiers/{dossier.id}/edit").get_data(as_text=True)
    assert "Mô hình thử số 2" in form
    client.post(f"/rounds/{round_.id}/dossiers/{dossier.id}/edit", data={**DOSSIER, "code": dossier.code})
    assert dossier.title == DOSSIER["title"] and dossier.code == "HS-2025-0002"
    client.post(f"/rounds/{round_.id}/dossiers/{dossier.id}/status", data={"status": "returned"})
    assert dossier.status is DossierStatus.RETURNED


def test_no_new_dossiers_once_intake_is_closed(populated_round, login):
    round_ = populated_round.round
    advance_round(round_, user=populated_round.users["secretary"])
    advance_round(round_, user=populated_round.users["secretary"])
    assert round_.status is RoundStatus.ASSIGNMENT
    page = login("secretary").post(f"/rounds/{round_.id}/dossiers/new", data=DOSSIER).get_data(as_text=True)
    assert "không thể thêm hoặc sửa hồ sơ" in page
    assert _count(Dossier) == 2


def test_dossier_list_filters(populated_round, login):
    round_ = populated_round.round
    client = login("secretary")
    client.post(
        f"/rounds/{round_.id}/dossiers/new", data={**DOSSIER, "field": "armed_forces", "kind": "initiative"}
    )
    url = f"/rounds/{round_.id}/dossiers/"
    assert "trồng rau" in client.get(url + "?field=armed_forces").get_data(as_text=True)
    assert "trồng rau" not in client.get(url + "?field=business").get_data(as_text=True)
    page = client.get(url + "?q=thử số 2").get_data(as_text=True)
    assert "Mô hình thử số 2" in page and "Mô hình thử số 1" not in page
    assert "Mô hình thử số 1" in client.get(url + "?kind=model&field=bogus").get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/rounds/{r}/edit",
        "/rounds/{r}/rubric",
        "/rounds/{r}/dossiers/new",
        "/rounds/{r}/dossiers/{d}/edit",
        "/rounds/{r}/council",
        "/rounds/{r}/conflicts",
        "/rounds/{r}/dossiers/",
    ],
)
def test_members_cannot_reach_intake_pages(populated_round, login, path):
    client = login("member")
    url = path.format(r=populated_round.round.id, d=populated_round.assigned.id)
    assert client.get(url).status_code == 403
    if not url.endswith("/dossiers/"):  # the list takes GET only
        assert client.post(url, data=DOSSIER).status_code == 403


def test_conflict_rules(populated_round, login, make_unit):
    round_ = populated_round.round
    member = next(m for m in round_.members if m.user.username == "member")
    # Author rule: the member's own name on a dossier (any case, extra spaces).
    populated_round.unassigned.co_authors = [f"  {member.user.full_name.upper()} "]
    # Unit rule: the chair moves to the submitting unit.
    chair = populated_round.users["chair"]
    chair.unit = populated_round.assigned.unit
    db.session.commit()
    client = login("secretary")
    client.post(
        f"/rounds/{round_.id}/conflicts",
        data={
            "member_id": next(m.id for m in round_.members if m.user.username == "vice"),
            "dossier_id": populated_round.assigned.id,
            "reason": "Người nhà của người chủ trì.",
        },
    )
    page = client.get(f"/rounds/{round_.id}/conflicts").get_data(as_text=True)
    assert "Là tác giả hoặc đồng tác giả của hồ sơ." in page
    assert "Cùng đơn vị với đơn vị nộp hồ sơ." in page
    assert "Người nhà của người chủ trì." in page
    # member × the dossier they co-wrote, chair × both dossiers of their new unit, vice × the declared one.
    assert "Các trường hợp xung đột (4)" in page


def test_parent_unit_rule_is_configurable(populated_round, login, make_unit):
    from council.services.conflicts import conflict_pairs

    round_ = populated_round.round
    farmers = populated_round.assigned.unit
    farmers.parent = round_.issuing_unit  # the council members' own unit is now the parent unit
    db.session.commit()
    assert conflict_pairs(round_) == set()
    round_.conflict_parent_unit = True
    db.session.commit()
    seats = {m.id for m in round_.members}
    assert conflict_pairs(round_) == {(s, d.id) for s in seats for d in round_.dossiers}


def test_member_may_not_register_conflicts(populated_round, login):
    assert login("member").post(f"/rounds/{populated_round.round.id}/conflicts", data={}).status_code == 403
    assert _count(User) == 7


def test_the_secretary_cannot_lock_themselves_out(populated_round, login):
    round_ = populated_round.round
    own = next(m for m in round_.members if m.user.username == "secretary")
    client = login("secretary")
    page = client.post(f"/rounds/{round_.id}/council/{own.id}/edit", data={"role": "member"}).get_data(
        as_text=True
    )
    assert "Không thể tự đổi vai trò của mình" in page and own.role is CouncilRole.SECRETARY
    page = client.post(f"/rounds/{round_.id}/council/{own.id}/remove", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Không thể tự bỏ mình khỏi Hội đồng." in page and own in round_.members
