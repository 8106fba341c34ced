"""Administration of accounts and units."""

from __future__ import annotations

from sqlalchemy import select

from council.extensions import db
from council.models import Level, Unit, UnitKind, User
from tests.conftest import PASSWORD


def test_admin_creates_a_user_who_can_sign_in(populated_round, login, app):
    client = login("admin")
    unit = populated_round.round.issuing_unit
    response = client.post(
        "/admin/users/new",
        data={
            "username": "uyvienmoi",
            "full_name": "Lê Thị Mới",
            "title": "Ủy viên",
            "unit_id": unit.id,
            "roles": ["auditor"],
            "active": "y",
            "password": "mat-khau-dai",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "uyvienmoi"))
    assert user.full_name == "Lê Thị Mới" and user.is_auditor and not user.is_admin and user.unit == unit
    client.post("/logout")
    assert (
        client.post("/login", data={"username": "uyvienmoi", "password": "mat-khau-dai"}).status_code == 302
    )


def test_duplicate_username_is_refused_and_input_kept(populated_round, login):
    client = login("admin")
    page = client.post(
        "/admin/users/new",
        data={
            "username": "member",
            "full_name": "Tên Giữ Lại",
            "unit_id": 0,
            "password": "mat-khau-dai",
        },
    ).get_data(as_text=True)
    assert "đã có người dùng" in page and "Tên Giữ Lại" in page


def test_new_user_needs_a_password(populated_round, login):
    page = login("admin").post("/admin/users/new", data={"username": "x1", "full_name": "X", "unit_id": 0})
    assert "Vui lòng đặt mật khẩu ban đầu" in page.get_data(as_text=True)


def test_admin_locks_an_account(populated_round, login, client):
    member = populated_round.users["member"]
    login("admin").post(f"/admin/users/{member.id}/edit", data={"full_name": member.full_name, "unit_id": 0})
    db.session.refresh(member)
    assert not member.active
    client.post("/logout")
    assert client.post("/login", data={"username": "member", "password": PASSWORD}).status_code == 200


def test_admin_cannot_lock_themselves_out(populated_round, login):
    admin = populated_round.users["admin"]
    page = login("admin").post(f"/admin/users/{admin.id}/edit", data={"full_name": "A", "unit_id": 0})
    assert "Không thể tự khóa" in page.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active and admin.is_admin


def test_units_create_edit_and_no_cycles(populated_round, login):
    client = login("admin")
    parent = populated_round.round.issuing_unit
    response = client.post(
        "/admin/units/new",
        data={
            "name": "Ủy ban MTTQ Việt Nam huyện Đông Sơn",
            "kind": "front_committee",
            "level": "district",
            "parent_id": parent.id,
        },
    )
    assert response.status_code == 302
    child = db.session.scalar(select(Unit).where(Unit.name.startswith("Ủy ban MTTQ Việt Nam huyện")))
    assert (child.kind, child.level, child.parent) == (UnitKind.FRONT_COMMITTEE, Level.DISTRICT, parent)
    page = client.post(
        f"/admin/units/{parent.id}/edit",
        data={
            "name": parent.name,
            "kind": "front_committee",
            "level": "province",
            "parent_id": child.id,
        },
    ).get_data(as_text=True)
    assert "không thể là chính đơn vị này" in page
    db.session.refresh(parent)
    assert parent.parent is None
