"""Phân công chấm: run the solver, review and edit the proposal, publish it to the members."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from council.blueprints.rounds import load_round
from council.extensions import db
from council.forms.assignment import ActionForm, PairForm, RunForm
from council.models import Assignment, CouncilMember, Round
from council.permissions import Action, allowed_actions
from council.services import assignment as service
from council.services.dossiers import get_dossier_or_404

bp = Blueprint("assignment", __name__, url_prefix="/rounds/<int:round_id>/assignment")


@bp.route("/")
def show(round_id: int) -> str:
    """The current assignment: loads, reviewers per dossier, connectivity, the last run."""
    round_ = load_round(round_id, Action.VIEW_ALL_DOSSIERS)
    return _render(round_)


def _render(
    round_: Round,
    *,
    run_form: RunForm | None = None,
    pair_form: PairForm | None = None,
    problems: list[str] | None = None,
) -> str:
    view = service.overview(round_)
    manage = Action.MANAGE_ROUND in allowed_actions(current_user, round_) and (
        round_.status in service.EDITABLE_STEPS
    )
    return render_template(
        "assignment/show.html",
        round=round_,
        view=view,
        manage=manage,
        run_form=run_form or RunForm(formdata=None, data=(view.last_run.params if view.last_run else {})),
        pair_form=pair_form or PairForm(formdata=None, problem=view.problem),
        action_form=ActionForm(),
        problems=problems or [],
        balanced=service.balanced_loads(
            len(view.problem.dossiers), len(view.problem.members), round_.reviewers_per_dossier
        ),
    )


@bp.route("/run", methods=("POST",))
def run(round_id: int) -> str | Response:
    """Run the solver: published and locked pairs stay, other drafts are replaced."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    form = RunForm()
    if not form.validate_on_submit():
        return _render(round_, run_form=form)
    try:
        record = service.run(round_, form.settings(), user=current_user)
    except service.AssignmentError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _render(round_, run_form=form, problems=error.details)
    flash(
        ngettext(
            "Đã phân công: %(num)d cặp mới, giữ %(kept)d cặp đã công bố hoặc đã khóa. Kiểm tra rồi công bố.",
            "Đã phân công: %(num)d cặp mới, giữ %(kept)d cặp đã công bố hoặc đã khóa. Kiểm tra rồi công bố.",
            record.report["added"],
            kept=record.report["kept"],
        ),
        "success",
    )
    return redirect(url_for("assignment.show", round_id=round_.id))


@bp.route("/publish", methods=("POST",))
def publish(round_id: int) -> Response:
    """Publish every draft pair to its member."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    if ActionForm().validate_on_submit():
        try:
            count = service.publish(round_, user=current_user)
        except service.AssignmentError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(
                ngettext("Đã công bố %(num)d cặp phân công.", "Đã công bố %(num)d cặp phân công.", count),
                "success",
            )
    return redirect(url_for("assignment.show", round_id=round_.id))


@bp.route("/pairs", methods=("POST",))
def add_pair(round_id: int) -> str | Response:
    """Add a pair by hand (checked for conflicts and for a dossier that already has k reviewers)."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    problem = service.build_problem(round_)
    form = PairForm(problem=problem)
    if not form.validate_on_submit():
        return _render(round_, pair_form=form)
    dossier = get_dossier_or_404(round_, form.dossier_id.data)
    member = db.session.get(CouncilMember, form.member_id.data)
    if member is None or member.round_id != round_.id:
        abort(404)
    try:
        service.add_pair(round_, dossier, member, user=current_user)
    except service.AssignmentError as error:
        db.session.rollback()
        form.member_id.errors = [*form.member_id.errors, str(error)]
        return _render(round_, pair_form=form)
    flash(
        _(
            "Đã giao hồ sơ %(code)s cho %(name)s (chưa công bố).",
            code=dossier.code,
            name=member.user.full_name,
        ),
        "success",
    )
    return redirect(url_for("assignment.show", round_id=round_.id) + f"#d{dossier.id}")


def _pair_or_404(round_: Round, pair_id: int) -> Assignment:
    pair = db.session.get(Assignment, pair_id)
    if pair is None or pair.dossier.round_id != round_.id:
        abort(404)
    return pair


@bp.route("/pairs/<int:pair_id>/remove", methods=("POST",))
def remove_pair(round_id: int, pair_id: int) -> Response:
    """Take a pair away (a published one stays on record as removed)."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    pair = _pair_or_404(round_, pair_id)
    anchor = f"#d{pair.dossier_id}"
    if ActionForm().validate_on_submit():
        try:
            service.remove_pair(pair, user=current_user)
        except service.AssignmentError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(_("Đã gỡ phân công."), "success")
    return redirect(url_for("assignment.show", round_id=round_.id) + anchor)


@bp.route("/pairs/<int:pair_id>/lock", methods=("POST",))
def toggle_lock(round_id: int, pair_id: int) -> Response:
    """Lock a draft pair so that re-runs keep it (or unlock it)."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    pair = _pair_or_404(round_, pair_id)
    if ActionForm().validate_on_submit():
        try:
            service.toggle_lock(pair)
        except service.AssignmentError as error:
            db.session.rollback()
            flash(str(error), "danger")
    return redirect(url_for("assignment.show", round_id=round_.id) + f"#d{pair.dossier_id}")
