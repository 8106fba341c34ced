"""Review: a member's own work — the dashboard, the score sheet (with autosave), recusal — and the
chair's re-opening of a sheet after scoring closed.

Only the assigned member opens or writes a sheet (403 for anyone else; 404 for an assignment of
another round). Every rule about *when* a sheet may change lives in ``services/scoresheets``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from council.blueprints.rounds import load_round
from council.extensions import db
from council.forms.review import RecuseForm, ReopenSheetForm, SheetForm, sheet_form
from council.i18n import format_datetime
from council.models import Assignment, AssignmentStatus, Criterion, Round, SheetStatus
from council.permissions import Action
from council.services import scoresheets as service
from council.services.review import recusals_awaiting_replacement, work_by_round

bp = Blueprint("review", __name__, url_prefix="/review")

# The round overview lists recusals awaiting a replacement for the secretariat.
bp.add_app_template_global(recusals_awaiting_replacement, "recusals_awaiting_replacement")
bp.add_app_template_filter(service.format_points, "points")


@bp.route("/")
def dashboard() -> str:
    """Việc của tôi: the dossiers assigned to me, with the state of each score sheet."""
    return render_template("review/dashboard.html", rounds=work_by_round(current_user))


# --- loading -----------------------------------------------------------------------------------


def _assignment_or_404(round_: Round, assignment_id: int) -> Assignment:
    """The assignment with this id *in this round*; another round's id is a 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.dossier.round_id != round_.id:
        abort(404)
    return assignment


def _own_assignment(round_id: int, assignment_id: int) -> Assignment:
    """The current user's own active, published assignment, else 404 or 403."""
    round_ = load_round(round_id, Action.VIEW_ROUND)
    assignment = _assignment_or_404(round_, assignment_id)
    if not service.is_scorer(assignment, current_user):
        mine = assignment.member.user_id == current_user.id
        if mine and assignment.status is AssignmentStatus.RECUSED:
            message = _("Bạn đã xin không chấm hồ sơ này; phiếu chấm đã đóng.")
            abort(make_response(render_template("errors/error.html", code=403, message=message), 403))
        abort(403)
    return assignment


def _sheet_input(fields: Mapping[str, Any], criteria: list[Criterion]) -> dict[str, Any]:
    """The service's arguments from posted fields named as the form names them."""
    points = {c.id: fields[service.points_field(c)] for c in criteria if service.points_field(c) in fields}
    notes = {c.id: fields[service.note_field(c)] for c in criteria if service.note_field(c) in fields}
    return {"points": points, "notes": notes, "comment": fields.get("comment", "")}


def _version(raw: Any) -> int:
    # A form without a readable version can only conflict: never overwrite on a guess.
    text = str(raw if raw is not None else "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else -1  # not "²"


# --- the score sheet ---------------------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/sheets/<int:assignment_id>", methods=("GET", "POST"))
def sheet(round_id: int, assignment_id: int) -> str | Response | tuple[str, int]:
    """Phiếu chấm điểm: the dossier beside the rubric; save a draft, submit, or revise."""
    assignment = _own_assignment(round_id, assignment_id)
    criteria = assignment.dossier.round.criteria
    if request.method == "GET":
        return _render_sheet(assignment, sheet_form(criteria, formdata=None, data=_form_data(assignment)))
    form = sheet_form(criteria)
    if not form.validate_on_submit():
        return _render_sheet(assignment, form), 400
    submit = request.form.get("action") == "submit"
    values = _sheet_input(request.form, criteria)
    try:
        refusal = service.edit_refusal(assignment)
        if refusal:  # a closed sheet says so before anything about the input
            raise service.SheetClosed(refusal)
        _require_confirmation(form, criteria, values, submit=submit)
        saved = service.save_sheet(
            assignment,
            **values,
            user=current_user,
            submit=submit,
            base_version=_version(form.version.data),
            reason=form.reason.data or "",
            ip_address=request.remote_addr,
        )
    except service.SheetError as error:
        _attach_errors(form, error.errors)
        return _render_sheet(assignment, form), 400
    except service.SheetConflict as conflict:
        # Keep what the member typed; from now on the form is based on the server's version.
        form.version.data = str(conflict.sheet.version if conflict.sheet else 0)
        return _render_sheet(assignment, form, conflict=True), 409
    except service.SheetClosed as closed:
        flash(str(closed), "danger")
        return _render_sheet(assignment, form), 403
    flash(_saved_message(saved, submit), "success")
    return redirect(url_for("review.sheet", round_id=round_id, assignment_id=assignment.id))


def _require_confirmation(
    form: SheetForm, criteria: list[Criterion], values: dict[str, Any], *, submit: bool
) -> None:
    """Submitting needs the confirmation box; say so together with any problem in the points."""
    if not submit or form.confirm.data:
        return
    errors = {"confirm": _("Vui lòng đánh dấu “Tôi xác nhận nộp phiếu chấm này” trước khi nộp phiếu.")}
    try:
        service.parse_sheet(criteria, values["points"], values["notes"], values["comment"])
    except service.SheetError as error:
        errors |= error.errors
    raise service.SheetError(errors)


def _attach_errors(form: SheetForm, errors: Mapping[str, str]) -> None:
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]


def _saved_message(saved: Any, submit: bool) -> str:
    if saved.status is SheetStatus.SUBMITTED and not submit:
        return _("Đã lưu thay đổi của phiếu đã nộp; lý do đã được ghi vào lịch sử.")
    if submit:
        return _("Đã nộp phiếu chấm.")
    return _("Đã lưu nháp.")


def _form_data(assignment: Assignment) -> dict[str, Any]:
    sheet = assignment.sheet
    data: dict[str, Any] = {
        "version": str(sheet.version if sheet else 0),
        "comment": sheet.comment if sheet else "",
    }
    points = sheet.points_by_criterion() if sheet else {}
    notes = sheet.notes_by_criterion() if sheet else {}
    for criterion in assignment.dossier.round.criteria:
        data[service.points_field(criterion)] = service.format_points(points.get(criterion.id))
        data[service.note_field(criterion)] = notes.get(criterion.id, "")
    return data


def _render_sheet(assignment: Assignment, form: SheetForm, *, conflict: bool = False) -> str:
    """The sheet page; with ``conflict``, the server's points beside what the member typed."""
    round_, sheet = assignment.dossier.round, assignment.sheet
    points = sheet.points_by_criterion() if sheet else {}
    return render_template(
        "review/sheet.html",
        round=round_,
        dossier=assignment.dossier,
        assignment=assignment,
        sheet=sheet,
        form=form,
        criteria=round_.criteria,
        refusal=service.edit_refusal(assignment),
        can_recuse=service.recusal_refusal(assignment) is None,
        status=sheet.status if sheet else SheetStatus.NOT_STARTED,
        submitted=sheet is not None and sheet.status is SheetStatus.SUBMITTED,
        total=service.sheet_total(round_.criteria, points),
        conflict=conflict,
        server_points=points,
        attachment_form=None,
    )


@bp.route("/rounds/<int:round_id>/sheets/<int:assignment_id>/autosave", methods=("POST",))
def autosave(round_id: int, assignment_id: int) -> tuple[Response, int]:
    """Save a draft from the page's script (JSON, CSRF token in the X-CSRFToken header)."""
    assignment = _own_assignment(round_id, assignment_id)
    body = request.get_json(silent=True)
    fields = body.get("fields") if isinstance(body, dict) else None
    if not isinstance(fields, dict):
        return jsonify(error=_("Yêu cầu không hợp lệ.")), 400
    if assignment.sheet is not None and assignment.sheet.status is SheetStatus.SUBMITTED:
        # A submitted sheet changes only with a reason, through the page's form.
        return jsonify(error=_("Phiếu đã nộp: sửa phiếu trên trang, kèm lý do.")), 409
    criteria = assignment.dossier.round.criteria
    try:
        saved = service.save_sheet(
            assignment,
            **_sheet_input(fields, criteria),
            user=current_user,
            base_version=_version(body.get("version")),
            ip_address=request.remote_addr,
        )
    except service.SheetError as error:
        return jsonify(errors=error.errors), 422
    except service.SheetClosed as closed:
        return jsonify(error=str(closed)), 403
    except service.SheetConflict as conflict:
        return jsonify(_conflict_body(conflict.sheet, criteria)), 409
    return jsonify(
        version=saved.version,
        saved_at=format_datetime(saved.updated_at),
        total=service.format_points(service.sheet_total(criteria, saved.points_by_criterion())),
    ), 200


def _conflict_body(current: Any, criteria: list[Criterion]) -> dict[str, Any]:
    points = current.points_by_criterion() if current else {}
    return {
        "conflict": True,
        "version": current.version if current else 0,
        "error": _("Phiếu đã được lưu ở nơi khác (phiên bản %(v)d).", v=current.version if current else 0),
        "points": {service.points_field(c): service.format_points(points.get(c.id)) for c in criteria},
    }


# --- recusal and re-opening ----------------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/sheets/<int:assignment_id>/recuse", methods=("GET", "POST"))
def recuse(round_id: int, assignment_id: int) -> str | Response | tuple[str, int]:
    """Xin không chấm: declare a conflict of interest; the sheet closes and the secretary is told."""
    assignment = _own_assignment(round_id, assignment_id)
    form = RecuseForm()
    if form.validate_on_submit():
        try:
            service.recuse(
                assignment, form.reason.data or "", user=current_user, ip_address=request.remote_addr
            )
        except service.SheetError as error:
            form.reason.errors.append(error.errors["reason"])
        except service.SheetClosed as closed:
            flash(str(closed), "danger")
        else:
            flash(_("Đã ghi nhận xin không chấm hồ sơ %(code)s.", code=assignment.dossier.code), "success")
            return redirect(url_for("review.dashboard"))
    page = render_template(
        "review/recuse.html", round=assignment.dossier.round, assignment=assignment, form=form
    )
    return (page, 400) if request.method == "POST" else page


@bp.route("/rounds/<int:round_id>/sheets/<int:assignment_id>/reopen", methods=("GET", "POST"))
def reopen(round_id: int, assignment_id: int) -> str | Response | tuple[str, int]:
    """The chair re-opens a member's sheet after scoring closed, with a reason."""
    round_ = load_round(round_id, Action.REOPEN_SHEET)
    assignment = _assignment_or_404(round_, assignment_id)
    form = ReopenSheetForm()
    if form.validate_on_submit():
        try:
            service.reopen_sheet(
                assignment, form.reason.data or "", user=current_user, ip_address=request.remote_addr
            )
        except service.SheetError as error:
            form.reason.errors.append(error.errors["reason"])
        except service.SheetClosed as closed:
            flash(str(closed), "danger")
        else:
            flash(
                _(
                    "Đã mở lại phiếu chấm hồ sơ %(code)s của %(name)s.",
                    code=assignment.dossier.code,
                    name=assignment.member.user.full_name,
                ),
                "success",
            )
            return redirect(url_for("audit.history", round_id=round_.id, dossier_id=assignment.dossier_id))
    page = render_template(
        "review/reopen.html",
        round=round_,
        assignment=assignment,
        form=form,
        refusal=service.reopen_refusal(assignment),
    )
    return (page, 400) if request.method == "POST" else page
