"""Rounds and intake (đợt xét, tiếp nhận hồ sơ): round set-up, rubric, council, dossiers, conflicts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from council.blueprints.rounds import load_round
from council.extensions import db
from council.forms.intake import (
    ConflictForm,
    DossierStatusForm,
    NewRoundForm,
    RoundForm,
    RubricForm,
    SeatData,
    SeatEditForm,
    SeatForm,
    dossier_form,
    dossier_form_data,
)
from council.models import CouncilMember, CouncilRole, DossierKind, DossierStatus, Round, User
from council.models.enums import INTAKE_STEPS, SETUP_STEPS
from council.permissions import Action, allowed_actions
from council.services import conflicts as conflict_service
from council.services import dossiers as dossier_service
from council.services import rounds as round_service
from council.services.accounts import list_units

bp = Blueprint("intake", __name__, url_prefix="/rounds")


def _show_errors(form: object, errors: dict[str, str]) -> None:
    """Put service errors beside the form fields they name; the rest become flash messages."""
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            flash(message, "danger")


# --- round details and rubric ----------------------------------------------------------------------


@bp.route("/new", methods=("GET", "POST"))
def create_round() -> str | Response:
    """Open a new round (administrators), naming its secretary and chair."""
    if not current_user.is_admin:
        abort(403)
    form = NewRoundForm()
    if form.validate_on_submit():
        try:
            round_ = round_service.open_round(
                form.to_data(),
                secretary=db.session.get(User, form.secretary_id.data),
                chair=db.session.get(User, form.chair_id.data),
                user=current_user,
            )
        except round_service.SetupError as error:
            db.session.rollback()
            _show_errors(form, error.errors)
        else:
            flash(_("Đã tạo đợt xét với bộ tiêu chí mặc định."), "success")
            return redirect(url_for("rounds.show", round_id=round_.id))
    return render_template("intake/round_form.html", form=form, round=None)


@bp.route("/<int:round_id>/edit", methods=("GET", "POST"))
def edit_round(round_id: int) -> str | Response:
    """Edit a round's details: title, year, level, issuing body, k, deadlines, conflict rule."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    form = RoundForm() if request.method == "POST" else RoundForm.for_round(round_)
    if form.validate_on_submit():
        try:
            round_service.update_round(round_, form.to_data(), user=current_user)
        except round_service.SetupError as error:
            db.session.rollback()
            _show_errors(form, error.errors)
        else:
            flash(_("Đã lưu thông tin đợt xét."), "success")
            return redirect(url_for("rounds.show", round_id=round_.id))
    return render_template("intake/round_form.html", form=form, round=round_)


@bp.route("/<int:round_id>/rubric", methods=("GET", "POST"))
def rubric(round_id: int) -> str | Response:
    """The rubric editor: add, remove, reorder criteria; locked once scoring starts."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    locked = round_.status not in SETUP_STEPS
    form = RubricForm() if request.method == "POST" else RubricForm.for_round(round_)
    if not locked and form.validate_on_submit():
        if "add_row" in request.form:
            form.rows.append_entry({"max_points": 20, "weight": 1})
            return render_template("intake/rubric.html", round=round_, form=form, locked=locked, errors={})
        try:
            round_service.save_rubric(round_, form.to_rows(), user=current_user)
        except round_service.SetupError as error:
            db.session.rollback()
            return render_template(
                "intake/rubric.html", round=round_, form=form, locked=locked, errors=error.errors
            ), 400
        flash(_("Đã lưu bộ tiêu chí."), "success")
        return redirect(url_for("intake.rubric", round_id=round_.id))
    return render_template("intake/rubric.html", round=round_, form=form, locked=locked, errors={})


# --- council ---------------------------------------------------------------------------------------


@bp.route("/<int:round_id>/council", methods=("GET", "POST"))
def council(round_id: int) -> str | Response:
    """The council; the secretariat adds members from existing accounts or creates them here."""
    round_ = load_round(round_id, Action.VIEW_ALL_DOSSIERS)
    manage = Action.MANAGE_ROUND in allowed_actions(current_user, round_)
    form = SeatForm(round_=round_) if manage else None
    if request.method == "POST" and form is None:
        abort(403)
    if form is not None and form.validate_on_submit():
        try:
            seat, password = round_service.add_member(round_, SeatData.of(form), actor=current_user)
        except round_service.SetupError as error:
            db.session.rollback()
            _show_errors(form, error.errors)
        else:
            flash(_("Đã thêm %(name)s vào Hội đồng.", name=seat.user.full_name), "success")
            if password:
                flash(
                    _(
                        "Mật khẩu ban đầu của %(username)s: %(password)s (chỉ hiện một lần).",
                        username=seat.user.username,
                        password=password,
                    ),
                    "warning",
                )
            return redirect(url_for("intake.council", round_id=round_.id))
    progress = round_service.member_progress(round_)
    return render_template("intake/council.html", round=round_, progress=progress, form=form)


@bp.route("/<int:round_id>/council/<int:member_id>/edit", methods=("GET", "POST"))
def edit_member(round_id: int, member_id: int) -> str | Response:
    """Change a member's role and expertise fields."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    seat = _seat_or_404(round_, member_id)
    form = SeatEditForm(
        data={
            "role": seat.role.value,
            "expertise": list(seat.expertise or []),
            "keywords": seat.expertise_note,
        }
    )
    if form.validate_on_submit():
        try:
            round_service.seat_user(
                round_,
                seat.user,
                CouncilRole(form.role.data),
                form.expertise.data or [],
                keywords=form.keywords.data or "",
                actor=current_user,
            )
        except round_service.SetupError as error:
            db.session.rollback()
            _show_errors(form, error.errors)
        else:
            flash(_("Đã lưu vai trò của %(name)s.", name=seat.user.full_name), "success")
            return redirect(url_for("intake.council", round_id=round_.id))
    return render_template("intake/member_form.html", round=round_, seat=seat, form=form)


@bp.route("/<int:round_id>/council/<int:member_id>/remove", methods=("POST",))
def remove_member(round_id: int, member_id: int) -> Response:
    """Take a member off the council (only before they have assignments)."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    seat = _seat_or_404(round_, member_id)
    try:
        round_service.unseat(seat, actor=current_user)
    except round_service.SetupError as error:
        flash(str(error), "danger")
    else:
        flash(_("Đã bỏ %(name)s khỏi Hội đồng.", name=seat.user.full_name), "success")
    return redirect(url_for("intake.council", round_id=round_.id))


def _seat_or_404(round_: Round, member_id: int) -> CouncilMember:
    seat = db.session.get(CouncilMember, member_id)
    if seat is None or seat.round_id != round_.id:
        abort(404)
    return seat


# --- dossiers --------------------------------------------------------------------------------------


@bp.route("/<int:round_id>/dossiers/")
def dossiers(round_id: int) -> str:
    """Every dossier of the round, searchable and filtered by field, unit, kind and status."""
    round_ = load_round(round_id, Action.VIEW_ALL_DOSSIERS)
    criteria = dossier_service.DossierFilter.from_args(request.args)
    return render_template(
        "intake/dossiers.html",
        round=round_,
        dossiers=dossier_service.list_dossiers(round_, criteria),
        criteria=criteria,
        actions=allowed_actions(current_user, round_),
        DossierKind=DossierKind,
        DossierStatus=DossierStatus,
        units=list_units(),
    )


@bp.route("/<int:round_id>/dossiers/new", methods=("GET", "POST"), defaults={"dossier_id": None})
@bp.route("/<int:round_id>/dossiers/<int:dossier_id>/edit", methods=("GET", "POST"))
def edit_dossier(round_id: int, dossier_id: int | None) -> str | Response:
    """Register a dossier, or correct one; the same checks as the Excel import."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    dossier = dossier_service.get_dossier_or_404(round_, dossier_id) if dossier_id else None
    data = dossier_form_data(dossier) if dossier and request.method == "GET" else None
    form = dossier_form(data=data)
    if form.validate_on_submit():
        try:
            dossier = dossier_service.save_dossier(round_, dossier, form.raw(), user=current_user)
        except dossier_service.DossierInvalid as error:
            db.session.rollback()
            _show_errors(form, error.errors)
        else:
            flash(_("Đã lưu hồ sơ %(code)s.", code=dossier.code), "success")
            return redirect(url_for("rounds.dossier", round_id=round_.id, dossier_id=dossier.id))
    steps = INTAKE_STEPS if dossier is None else SETUP_STEPS
    return render_template(
        "intake/dossier_form.html",
        round=round_,
        dossier=dossier,
        form=form,
        dossier_fields=dossier_service.DOSSIER_FIELDS,
        closed=round_.status not in steps,
    )


@bp.route("/<int:round_id>/dossiers/<int:dossier_id>/status", methods=("POST",))
def set_dossier_status(round_id: int, dossier_id: int) -> Response:
    """Accept a dossier, return it for completion, or mark it withdrawn."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    dossier = dossier_service.get_dossier_or_404(round_, dossier_id)
    form = DossierStatusForm()
    if form.validate_on_submit():
        dossier_service.set_status(dossier, DossierStatus(form.status.data), user=current_user)
        flash(_("Hồ sơ %(code)s: %(status)s.", code=dossier.code, status=dossier.status.label), "success")
    return redirect(url_for("rounds.dossier", round_id=round_.id, dossier_id=dossier.id))


# --- conflicts of interest -------------------------------------------------------------------------


@bp.route("/<int:round_id>/conflicts", methods=("GET", "POST"))
def conflicts(round_id: int) -> str | Response:
    """The round's conflict rules and every conflicted pair; the secretariat registers declarations."""
    round_ = load_round(round_id, Action.VIEW_ALL_DOSSIERS)
    manage = Action.MANAGE_ROUND in allowed_actions(current_user, round_)
    form = ConflictForm(round_=round_) if manage else None
    if request.method == "POST":
        if form is None:
            abort(403)
        if form.validate_on_submit():
            seat = _seat_or_404(round_, form.member_id.data)
            dossier = dossier_service.get_dossier_or_404(round_, form.dossier_id.data)
            try:
                conflict_service.declare_conflict(seat, dossier, form.reason.data or "", user=current_user)
            except ValueError as error:
                form.reason.errors = [*form.reason.errors, str(error)]
            else:
                flash(_("Đã ghi nhận xung đột lợi ích."), "success")
                return redirect(url_for("intake.conflicts", round_id=round_.id))
    found = conflict_service.find_conflicts(round_)
    return render_template("intake/conflicts.html", round=round_, conflicts=found, form=form)
