"""Rounds (đợt xét): the list, a round's overview, its council, its dossiers, and its workflow."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from council.extensions import db
from council.forms.attachments import AttachmentForm
from council.forms.intake import DossierStatusForm
from council.forms.rounds import AdvanceForm, ReopenForm
from council.models import Round, RoundStatus
from council.permissions import Action, allowed_actions, can, can_view_dossier, membership, require
from council.services import assignment as assignment_service
from council.services import rounds as service
from council.services.dossiers import get_dossier_or_404

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


def load_round(round_id: int, action: Action) -> Round:
    """The round, or 404; then 403 unless the user may perform ``action`` in it."""
    round_ = db.get_or_404(Round, round_id)
    require(current_user, action, round_)
    return round_


@bp.route("/")
def index() -> str:
    """The rounds the user has a role in (every round for admins and auditors)."""
    return render_template("rounds/index.html", rounds=service.rounds_for(current_user))


@bp.route("/<int:round_id>/")
def show(round_id: int) -> str:
    """A round's overview: status, deadlines, rubric, workflow, and progress for the council's staff."""
    return _render_show(load_round(round_id, Action.VIEW_ROUND))


def _render_show(round_: Round, reopen_form: ReopenForm | None = None) -> str:
    actions = allowed_actions(current_user, round_)
    progress = service.member_progress(round_) if Action.VIEW_PROGRESS in actions else None
    before_scoring = (
        assignment_service.readiness(round_)
        if Action.MANAGE_ROUND in actions and round_.status.next is RoundStatus.SCORING
        else []
    )
    return render_template(
        "rounds/show.html",
        round=round_,
        seat=membership(current_user, round_),
        actions=actions,
        progress=progress,
        counts=service.dossier_counts(round_),
        step_locks=service.STEP_LOCKS,
        before_scoring=before_scoring,
        advance_form=AdvanceForm(),
        reopen_form=reopen_form or ReopenForm(round_=round_),
    )


@bp.route("/<int:round_id>/dossiers/<int:dossier_id>")
def dossier(round_id: int, dossier_id: int) -> str | tuple[str, int]:
    """One dossier: staff see any; a member only one assigned to them."""
    round_ = load_round(round_id, Action.VIEW_ROUND)
    record = get_dossier_or_404(round_, dossier_id)
    if not can_view_dossier(current_user, record):
        return render_template(
            "errors/error.html", code=403, message=_("Hồ sơ này không được phân công cho bạn.")
        ), 403
    manage = can(current_user, Action.MANAGE_ROUND, round_)
    return render_template(
        "rounds/dossier.html",
        round=round_,
        dossier=record,
        status_form=DossierStatusForm(data={"status": record.status.value}) if manage else None,
        attachment_form=AttachmentForm() if manage else None,
    )


@bp.route("/<int:round_id>/advance", methods=("POST",))
def advance(round_id: int) -> Response:
    """Move the round one step forward (secretary or chair)."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    if AdvanceForm().validate_on_submit():
        try:
            target = service.advance_round(round_, user=current_user)
        except service.WorkflowError as error:
            flash(str(error), "danger")
        else:
            flash(_("Đợt xét đã chuyển sang bước “%(step)s”.", step=target.label), "success")
    return redirect(url_for("rounds.show", round_id=round_.id))


@bp.route("/<int:round_id>/reopen", methods=("POST",))
def reopen(round_id: int) -> tuple[str, int] | Response:
    """Take the round back to an earlier step, with a reason (chair only)."""
    round_ = load_round(round_id, Action.REOPEN_ROUND)
    form = ReopenForm(round_=round_)
    if form.validate_on_submit():
        try:
            service.reopen_round(
                round_, RoundStatus(form.target.data), form.reason.data or "", user=current_user
            )
        except service.WorkflowError as error:
            form.reason.errors.append(str(error))
        else:
            flash(_("Đã mở lại đợt xét về bước “%(step)s”.", step=round_.status.label), "success")
            return redirect(url_for("rounds.show", round_id=round_.id))
    # Show the page again with the reason as typed and the errors beside it.
    return _render_show(round_, reopen_form=form), 400
