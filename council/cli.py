"""The command line (``flask --app council ...``): setup, demo, ranking, decisions, backups."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from council.documents.vietnamese import short_code
from council.extensions import db
from council.models import GlobalRole, Round, Unit, User
from council.services.accounts import AccountError, create_user
from scoring.ranking import METHODS

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


def _round_or_fail(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise click.ClickException(f"Không có đợt xét số {round_id}. / No round {round_id}.")
    return round_


@click.command("rank")
@with_appcontext
@click.argument("round_id", type=int, metavar="ROUND")
@click.option("--method", type=click.Choice(METHODS), default=None, help="Default: the round's method.")
def rank_command(round_id: int, method: str | None) -> None:
    """Print the round's ranking (the final snapshot once finalised, unless --method is given)."""
    from council.services import deliberation, ranking

    round_ = _round_or_fail(round_id)
    try:
        state = deliberation.current(round_, method)
    except ranking.NoScores:
        raise click.ClickException("Chưa có phiếu chấm đã nộp. / No submitted sheet yet.") from None
    payload = state.payload
    tiers = {t["id"]: t["name"] for t in payload["tiers"]}
    final = (
        f"final snapshot {short_code(state.snapshot.fingerprint)}"
        if state.snapshot
        else "live, not finalised"
    )
    click.echo(f"{round_.title} · method {payload['method']} · {final}")
    click.echo(
        f"{'rank':>4} {'dossier':<14} {'score':>7} {'90% interval':>15} {'raw':>7} {'raw#':>4} "
        f"{'ranks':>7} {'p_list':>6} {'n':>2}  tier / flags"
    )
    for d in payload["dossiers"]:
        interval = f"{d['ci_low']:.1f}-{d['ci_high']:.1f}"
        ranks = f"{d['rank_low']}-{d['rank_high']}"
        notes = " ".join(filter(None, [tiers.get(d["tier"], "-"), *d["flags"], d["cutoff"]]))
        click.echo(
            f"{d['rank']:>4} {d['code']:<14} {d['score']:>7.2f} {interval:>15} {d['raw_mean']:>7.2f} "
            f"{d['raw_rank']:>4} {ranks:>7} {d['p_top']:>6.2f} {d['n_reviews']:>2}  {notes}"
        )


@click.command("finalise")
@with_appcontext
@click.argument("round_id", type=int, metavar="ROUND")
@click.option("--as", "username", default=None, help="Record this user (the chair) as the one who finalised.")
def finalise_command(round_id: int, username: str | None) -> None:
    """Finalise the round: store the fingerprinted snapshot and lock scores and tiers."""
    from council.services import deliberation, ranking

    round_ = _round_or_fail(round_id)
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    if username and user is None:
        raise click.ClickException(f"Không có tài khoản {username}. / No user {username}.")
    try:
        snapshot = deliberation.finalise(round_, user=user)
    except deliberation.DeliberationError as error:
        raise click.ClickException(str(error)) from None
    except ranking.NoScores:
        raise click.ClickException("Chưa có phiếu chấm đã nộp. / No submitted sheet yet.") from None
    click.echo(f"Đã chốt kết quả / finalised: snapshot {snapshot.id}, SHA-256 {snapshot.fingerprint}")


@click.command("decision")
@with_appcontext
@click.argument("round_id", type=int, metavar="ROUND")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "docx", "html", "xlsx", "certificates"]), default="pdf"
)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True, help="File to write.")
def decision_command(round_id: int, fmt: str, out: str) -> None:
    """Write the round's decision (the saved draft or issued one, else a default draft) as FMT."""
    from council.services import decisions

    round_ = _round_or_fail(round_id)
    try:
        record = decisions.draft(round_)
    except decisions.DecisionError as error:
        raise click.ClickException(str(error)) from None
    with current_app.test_request_context(base_url=current_app.config.get("PUBLIC_URL") or None):
        rendered = decisions.render(record, fmt)
    with open(out, "wb") as handle:
        handle.write(rendered.data)
    state = f"số {record.number:02d}/{record.issuer_symbol}" if record.issued else "dự thảo / draft"
    click.echo(f"{out}: {len(rendered.data):,} bytes, {state}")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE")
def backup_command(path: Path) -> None:
    """Copy the SQLite database to FILE while the app runs (consistent); PostgreSQL: use pg_dump."""
    from council.services import backup

    try:
        report = backup.backup(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(report.tables.values())
    click.echo(
        f"Đã sao lưu / backed up: {path} ({len(report.tables)} bảng/tables, {rows} dòng/rows, "
        f"schema {report.revision})"
    )


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE")
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup FILE (every row; the current content is lost)."""
    from council.services import backup

    if not yes:
        click.confirm(f"Thay toàn bộ dữ liệu hiện tại bằng {path}? / Replace all current data?", abort=True)
    try:
        report = backup.restore(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Đã khôi phục / restored from {path} (schema {report.revision}); "
        "chạy / run `flask --app council init-db` nếu bản sao cũ hơn mã / if the backup is older."
    )


# --- nominations (đề nghị cấp trên) ----------------------------------------------------------------


def _user_or_fail(username: str | None) -> User | None:
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    if username and user is None:
        raise click.ClickException(f"Không có tài khoản {username}. / No user {username}.")
    return user


@click.command("nominate")
@with_appcontext
@click.argument("round_id", type=int, metavar="ROUND")
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), required=True, help="The .zip to write."
)
@click.option(
    "--dossier",
    "codes",
    multiple=True,
    help="A recognised dossier's code; repeat. Default: the upward tiers.",
)
@click.option("--as", "username", default=None, help="Record this user as the one who exported.")
def nominate_command(round_id: int, out: str, codes: tuple[str, ...], username: str | None) -> None:
    """Write the nomination package (đề nghị cấp trên) of a finalised round with an issued decision."""
    from council.services import nominations

    round_ = _round_or_fail(round_id)
    user = _user_or_fail(username)
    root = str(Path(current_app.instance_path) / "attachments")
    try:
        chosen = list(codes) or nominations.nominable(round_).default_codes
        with current_app.test_request_context(base_url=current_app.config.get("PUBLIC_URL") or None):
            package = nominations.build_package(round_, chosen, user=user, root=root)
    except nominations.NominationError as error:
        raise click.ClickException(str(error)) from None
    with open(out, "wb") as handle:
        handle.write(package.data)
    click.echo(f"{out}: {package.dossiers} hồ sơ / dossiers, {len(package.data):,} bytes")
    click.echo(f"SHA-256 {package.sha256}")


@click.command("import-nomination")
@with_appcontext
@click.argument("round_id", type=int, metavar="ROUND")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE")
@click.option("--as", "username", default=None, help="Record this user as the one who imported.")
def import_nomination_command(round_id: int, path: Path, username: str | None) -> None:
    """Import a nomination package FILE into ROUND (at draft or intake) as new dossiers."""
    from council.services import nominations

    round_ = _round_or_fail(round_id)
    user = _user_or_fail(username)
    limits = nominations.Limits.from_config(current_app.config)
    if path.stat().st_size > limits.package_bytes:
        raise click.ClickException(f"Gói vượt giới hạn {limits.package_bytes:,} bytes. / Package too large.")
    root = str(Path(current_app.instance_path) / "attachments")
    try:
        plan = nominations.import_package(round_, path.read_bytes(), user=user, root=root, limits=limits)
    except nominations.NominationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{plan.sender.council} · Quyết định số {plan.sender.decision_number}")
    for item in plan.dossiers:
        state = "đã nhập trước đây / imported before" if item.already else "đã nhập / imported"
        click.echo(f"  {item.incoming.source_code} → {item.code}: {state}")
    click.echo(f"{len(plan.created)} mới / new, {len(plan.already)} đã có / already there")


# --- Reports (báo cáo kết quả thực hiện Phong trào); appended with their registration --------------

report_cli = AppGroup("report", help="Báo cáo kết quả thực hiện Phong trào / Movement reports.")


def _day(value: str | None, option: str) -> object:
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise click.BadParameter(f"“{value}”: YYYY-MM-DD", param_hint=option) from None


@report_cli.command("export")
@click.argument("unit_id", type=int, metavar="UNIT")
@click.option("--plan", "plan_id", type=int, default=None, help="A report plan of the unit (its id).")
@click.option("--part", type=click.Choice(["half", "year"]), default=None, help="Of the plan (default half).")
@click.option("--from", "start", default=None, help="Without a plan: first day, YYYY-MM-DD.")
@click.option("--to", "end", default=None, help="Without a plan: last day, YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx"]), default="docx")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True, help="File to write.")
def report_export_command(
    unit_id: int,
    plan_id: int | None,
    part: str | None,
    start: str | None,
    end: str | None,
    fmt: str,
    out: str,
) -> None:
    """Write UNIT's report for a plan's period (or --from/--to; default: the one due next) as FMT."""
    from council.services import reports

    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise click.ClickException(f"Không có đơn vị số {unit_id}. / No unit {unit_id}.")
    try:
        period, plan = reports.resolve_period(
            unit,
            plan_id=plan_id,
            part=part,
            start=_day(start, "--from"),  # type: ignore[arg-type]
            end=_day(end, "--to"),  # type: ignore[arg-type]
            on=reports.today(),
        )
    except reports.PeriodError as error:
        raise click.ClickException(str(error)) from None
    rendered = reports.export(unit, period, fmt, plan=plan)
    with open(out, "wb") as handle:
        handle.write(rendered.data)
    click.echo(
        f"{out}: {len(rendered.data):,} bytes, {unit.name}, {period.title} ({period.start} – {period.end})"
    )


@report_cli.command("reminders")
@click.option("--date", "on", default=None, help="YYYY-MM-DD; default: today in Vietnam.")
def report_reminders_command(on: str | None) -> None:
    """List the reports due soon or overdue on a day, with the secretaries reminded of each."""
    from council.services import reports

    day = _day(on, "--date") or reports.today()
    found = reports.due_reminders(day)  # type: ignore[arg-type]
    if not found:
        click.echo(f"{day}: không có báo cáo sắp đến hạn hay quá hạn. / nothing due.")
    for reminder, users in found:
        state = (
            f"quá hạn {-reminder.days_left} ngày" if reminder.overdue else f"còn {reminder.days_left} ngày"
        )
        names = ", ".join(user.username for user in users) or "-"
        click.echo(f"{reminder.due} {reminder.plan.unit.name}: {reminder.period.title} ({state}) → {names}")


@click.command("library-sync")
@with_appcontext
def library_sync_command() -> None:
    """Rebuild the library of recognised initiatives from every round's standing final snapshot."""
    from council.services import library

    click.echo(f"{library.sync_all()} sáng kiến trong thư viện / initiatives in the library")


def init_app(app: Flask) -> None:
    for command in (
        init_db_command, demo_command, rank_command, finalise_command, decision_command, backup_command,
        restore_command, users_cli, nominate_command, import_nomination_command, report_cli,
        library_sync_command,
    ):  # fmt: skip
        app.cli.add_command(command)
