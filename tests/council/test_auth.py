"""Signing in and out, bad passwords, password change, and the login gate."""

from __future__ import annotations

import pytest

from council import create_app
from council.extensions import db
from council.services.accounts import create_user
from tests.conftest import PASSWORD


def test_login_page_is_vietnamese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page


def test_login_and_logout(client, make_user):
    make_user("thanhvien")
    response = client.post("/login", data={"username": "thanhvien", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Xin chào" in client.get("/rounds/").get_data(as_text=True)
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/rounds/").headers["Location"].startswith("/login")


def test_username_is_case_insensitive(client, make_user):
    make_user("thanhvien")
    assert client.post("/login", data={"username": "ThanhVien ", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(("username", "password"), [("thanhvien", "sai-mat-khau"), ("khongco", PASSWORD)])
def test_bad_credentials_get_one_vietnamese_message(client, make_user, username, password):
    make_user("thanhvien")
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)
    assert client.get("/rounds/").status_code == 302  # still signed out


def test_empty_fields_are_named(client):
    page = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "Vui lòng nhập tên đăng nhập." in page and "Vui lòng nhập mật khẩu." in page


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user("dakhoa")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"username": "dakhoa", "password": PASSWORD})
    assert response.status_code == 200 and "đã bị khóa" in response.get_data(as_text=True)


def test_logout_needs_post(client, login, make_user):
    make_user("thanhvien")
    login("thanhvien")
    assert client.get("/logout").status_code == 405
    assert client.get("/rounds/").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, make_user, target):
    make_user("thanhvien")
    response = client.post("/login", data={"username": "thanhvien", "password": PASSWORD, "next": target})
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_page_asked_for(client, make_user):
    make_user("thanhvien")
    assert client.get("/review/").headers["Location"] == "/login?next=%2Freview%2F"
    response = client.post("/login", data={"username": "thanhvien", "password": PASSWORD, "next": "/review/"})
    assert response.headers["Location"] == "/review/"


def test_change_password(client, login, make_user):
    user = make_user("thanhvien")
    login("thanhvien")
    wrong = client.post(
        "/account/password", data={"current": "nope", "new": "mat-khau-moi", "confirm": "mat-khau-moi"}
    )
    assert "Mật khẩu hiện tại không đúng." in wrong.get_data(as_text=True)
    mismatch = client.post(
        "/account/password", data={"current": PASSWORD, "new": "mat-khau-moi", "confirm": "khac"}
    )
    assert "Hai mật khẩu mới không khớp nhau." in mismatch.get_data(as_text=True)
    short = client.post("/account/password", data={"current": PASSWORD, "new": "ngan", "confirm": "ngan"})
    assert "ít nhất 8 ký tự" in short.get_data(as_text=True)
    done = client.post(
        "/account/password", data={"current": PASSWORD, "new": "mat-khau-moi", "confirm": "mat-khau-moi"}
    )
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.check_password("mat-khau-moi") and not user.check_password(PASSWORD)


def test_passwords_are_hashed_with_scrypt_by_default(tmp_path):
    fresh = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=str(tmp_path)
    )
    with fresh.app_context():
        db.create_all()
        user = create_user("thanhvien", "Thành Viên", PASSWORD)
        assert PASSWORD not in user.password_hash and user.password_hash.startswith("scrypt:")
        assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


def test_csrf_is_enforced(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        make_user("thanhvien")
        client = app.test_client()
        response = client.post("/login", data={"username": "thanhvien", "password": PASSWORD})
        assert response.status_code == 400
        assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        ok = client.post("/login", data={"username": "thanhvien", "password": PASSWORD, "csrf_token": token})
        assert ok.status_code == 302


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_repeated_failed_sign_ins_are_refused_for_a_while(app, client, make_user):
    make_user("thanhvien2")
    for _ in range(5):
        response = client.post("/login", data={"username": "thanhvien2", "password": "sai-mat-khau"})
        assert response.status_code == 200
    # The sixth try is refused, even with the right password: guessing stops here.
    response = client.post("/login", data={"username": "ThanhVien2 ", "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.get_data(as_text=True)
    # Another account from the same address is not locked out by someone else's typing.
    make_user("thanhvien3")
    assert client.post("/login", data={"username": "thanhvien3", "password": PASSWORD}).status_code == 302


def test_successful_sign_ins_are_not_counted(app, make_user):
    make_user("thanhvien4")
    for _ in range(8):
        fresh = app.test_client()
        assert fresh.post("/login", data={"username": "thanhvien4", "password": PASSWORD}).status_code == 302


def test_the_address_limit_stops_password_spraying(make_app, make_user):
    app = make_app(LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes")
    from council.extensions import db

    with app.app_context():
        db.create_all()
        client = app.test_client()
        codes = [
            client.post("/login", data={"username": f"nguoi{i}", "password": "thu-mat-khau"}).status_code
            for i in range(4)
        ]
        db.session.remove()
    assert codes == [200, 200, 200, 429]
