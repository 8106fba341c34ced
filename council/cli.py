"""Command line: ``flask --app council init-db | demo | users create``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from council.extensions import db
from council.models import GlobalRole, Round, Unit
from council.services.accounts import AccountError, create_user

users_cli = AppGroup("users", help="Quản lý tài khoản / Manage accounts.")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Migrate the database to the newest schema (Alembic head)."""
    upgrade()
    click.echo("Cơ sở dữ liệu đã ở phiên bản mới nhất. / Database is at the latest revision.")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Load only when the database has no round yet.")
def demo_command(if_empty: bool) -> None:
    """Load the demo round (idempotent) and print the demo logins."""
    from council.services.demo import find_demo_round, load_demo  # demo data loads only when asked for

    if if_empty and find_demo_round() is None and db.session.scalar(select(func.count(Round.id))):
        click.echo("Cơ sở dữ liệu đã có đợt xét; không nạp demo. / Rounds present; demo not loaded.")
        return
    password = current_app.config["DEMO_PASSWORD"]
    result = load_demo(password)
    state = "Đã nạp" if result.created else "Đã có sẵn"
    click.echo(f"{state} đợt xét demo / demo round: {result.round.title}")
    click.echo(f"Tài khoản demo (mật khẩu chung / shared password: {password}):")
    for login in result.logins:
        click.echo(f"  {login.username:<12} {login.role:<24} {login.full_name}")


@users_cli.command("create")
@click.argument("username")
@click.option("--full-name", prompt="Họ và tên / Full name")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in GlobalRole]),
    help="Global role; repeat for several.",
)
@click.option("--unit", "unit_name", default=None, help="Name of an existing unit.")
@click.password_option("--password", prompt="Mật khẩu / Password")
def create_user_command(
    username: str, full_name: str, roles: tuple[str, ...], unit_name: str | None, password: str
) -> None:
    """Create an account."""
    unit = None
    if unit_name:
        unit = db.session.scalar(select(Unit).where(Unit.name == unit_name))
        if unit is None:
            raise click.BadParameter(f"Không có đơn vị “{unit_name}”.", param_hint="--unit")
    try:
        user = create_user(username, full_name, password, unit=unit, roles={GlobalRole(r) for r in roles})
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã tạo tài khoản / created: {user.username}")


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
