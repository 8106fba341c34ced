"""Role × round permission matrix: the global role *and* the role in that round decide."""

from __future__ import annotations

import pytest

from council.models import RoundStatus
from council.permissions import Action, can
from council.services.rounds import advance_round

# Who may open which page of the populated round. "outsider" chairs another round and is
# nobody in this one; "admin" and "auditor" hold global roles and no seat.
USERS = ("chair", "vice", "secretary", "member", "outsider", "admin", "auditor")
# fmt: off
MATRIX = {
    "/rounds/{round}/":                      (200, 200, 200, 200, 403, 200, 200),
    "/rounds/{round}/council":               (200, 200, 200, 403, 403, 200, 200),
    "/rounds/{round}/dossiers/":             (200, 200, 200, 403, 403, 200, 200),
    "/rounds/{round}/dossiers/{assigned}":   (200, 200, 200, 200, 403, 200, 200),
    "/rounds/{round}/dossiers/{unassigned}": (200, 200, 200, 403, 403, 200, 200),
    "/admin/users":                          (403, 403, 403, 403, 403, 200, 403),
    "/admin/units":                          (403, 403, 403, 403, 403, 200, 403),
}
# fmt: on
CASES = [
    (path, user, status) for path, row in MATRIX.items() for user, status in zip(USERS, row, strict=True)
]


@pytest.mark.parametrize(("path", "username", "status"), CASES)
def test_page_access(populated_round, login, path, username, status):
    client = login(username)
    url = path.format(
        round=populated_round.round.id,
        assigned=populated_round.assigned.id,
        unassigned=populated_round.unassigned.id,
    )
    response = client.get(url)
    assert response.status_code == status
    if status == 403:
        assert "không có quyền" in response.get_data(
            as_text=True
        ) or "không được phân công" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["chair", "member", "admin", "auditor"])
def test_anonymous_and_missing_objects(populated_round, client, login, username):
    round_id = populated_round.round.id
    assert client.get(f"/rounds/{round_id}/").status_code == 302  # anonymous: to the login page
    login(username)
    assert client.get("/rounds/999999/").status_code == 404
    # A dossier id of another round, reached through this round's URL, is not found here.
    assert client.get(
        f"/rounds/{populated_round.other_round.id}/dossiers/{populated_round.assigned.id}"
    ).status_code in (
        403,
        404,
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("secretary", 302),
        ("chair", 302),
        ("admin", 302),
        ("vice", 403),
        ("member", 403),
        ("outsider", 403),
        ("auditor", 403),
    ],
)
def test_only_secretary_chair_or_admin_advance_the_round(populated_round, login, username, status):
    client = login(username)
    before = populated_round.round.status
    assert client.post(f"/rounds/{populated_round.round.id}/advance").status_code == status
    moved = populated_round.round.status is not before
    assert moved == (status == 302)


@pytest.mark.parametrize(
    ("username", "status"), [("chair", 302), ("secretary", 403), ("admin", 403), ("member", 403)]
)
def test_only_the_chair_reopens(populated_round, login, username, status):
    advance_round(populated_round.round, user=populated_round.users["secretary"])
    client = login(username)
    reason = "Cần bổ sung hồ sơ bị thất lạc của huyện Đông Sơn."
    response = client.post(
        f"/rounds/{populated_round.round.id}/reopen",
        data={"target": RoundStatus.DRAFT.value, "reason": reason},
    )
    assert response.status_code == status
    assert (populated_round.round.status is RoundStatus.DRAFT) == (status == 302)


def test_member_sees_only_their_round_in_the_list(populated_round, login):
    page = login("outsider").get("/rounds/").get_data(as_text=True)
    assert populated_round.other_round.title in page and populated_round.round.title not in page
    page = login("auditor").get("/rounds/").get_data(as_text=True)
    assert populated_round.other_round.title in page and populated_round.round.title in page


def test_member_dashboard_lists_only_assigned_dossiers(populated_round, login):
    page = login("member").get("/review/").get_data(as_text=True)
    assert populated_round.assigned.title in page and populated_round.unassigned.title not in page


def test_progress_is_for_staff_only(populated_round, login):
    url = f"/rounds/{populated_round.round.id}/"
    assert "Tiến độ chấm điểm" in login("chair").get(url).get_data(as_text=True)
    assert "Tiến độ chấm điểm" not in login("member").get(url).get_data(as_text=True)


def test_inactive_account_has_no_rights(populated_round):
    chair = populated_round.users["chair"]
    chair.active = False
    assert not can(chair, Action.VIEW_ROUND, populated_round.round)
