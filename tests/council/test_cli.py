"""Command line: init-db and users create."""

from __future__ import annotations

from sqlalchemy import inspect, select

from council.extensions import db
from council.models import User


def test_init_db_migrates_an_empty_database(make_app):
    app = make_app()
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "dossier" in inspect(db.engine).get_table_names()


def test_users_create(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "kiemtoan2",
            "--full-name",
            "Phạm Văn Kiểm",
            "--role",
            "auditor",
            "--password",
            "mat-khau-dai",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "kiemtoan2"))
    assert user.is_auditor and not user.is_admin and user.check_password("mat-khau-dai")
    again = runner.invoke(
        args=["users", "create", "kiemtoan2", "--full-name", "X", "--password", "mat-khau-dai"]
    )
    assert again.exit_code != 0 and "đã có người dùng" in again.output
    short = runner.invoke(args=["users", "create", "moi", "--full-name", "X", "--password", "ngan"])
    assert short.exit_code != 0 and "ít nhất 8 ký tự" in short.output
    bad_unit = runner.invoke(
        args=[
            "users",
            "create",
            "moi",
            "--full-name",
            "X",
            "--password",
            "mat-khau-dai",
            "--unit",
            "Không tồn tại",
        ]
    )
    assert bad_unit.exit_code != 0 and "Không có đơn vị" in bad_unit.output
