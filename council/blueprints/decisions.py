"""Decisions (quyết định công nhận): the draft, issuing its number, the documents, and public checking.

The secretary and the chair edit and issue; staff and auditors download. ``/verify`` is public:
anyone holding a printed copy checks its short code against the database.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from council.blueprints import private_download
from council.blueprints.rounds import load_round
from council.extensions import db
from council.forms.decisions import DecisionForm
from council.forms.rounds import AdvanceForm
from council.models import Decision, Round
from council.permissions import Action, allowed_actions
from council.services import decisions as service

bp = Blueprint("decisions", __name__, url_prefix="/rounds/<int:round_id>/decision")
verify_bp = Blueprint("verify", __name__, url_prefix="/verify")


def _not_final(round_: Round) -> tuple[str, int]:
    return render_template("decisions/not_final.html", round=round_), 409


@bp.route("/", methods=("GET", "POST"))
def show(round_id: int) -> str | tuple[str, int] | Response:
    """The decision of the finalised round: its draft form, or the issued record, and its documents."""
    round_ = load_round(round_id, Action.VIEW_DECISION)
    try:
        decision = service.draft(round_)
    except service.DecisionError:
        return _not_final(round_)
    actions = allowed_actions(current_user, round_)
    editable = Action.MANAGE_DECISION in actions and not decision.issued
    form = DecisionForm() if request.method == "POST" else DecisionForm.for_decision(decision)
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                service.save_draft(round_, form.to_data(), user=current_user)
            except service.DecisionError as error:
                db.session.rollback()
                for key, message in error.errors.items():
                    getattr(form, key, form.summary).errors.append(message)
            else:
                flash(_("Đã lưu dự thảo Quyết định."), "success")
                return redirect(url_for("decisions.show", round_id=round_.id))
    page = render_template(
        "decisions/show.html",
        round=round_,
        decision=decision,
        form=form if editable else None,
        issue_form=AdvanceForm(),
        may_issue=editable and decision.id is not None,
        history=[d for d in service.decisions_of(round_) if d.id != decision.id],
        code=service.vietnamese.short_code(decision.snapshot.fingerprint),
    )
    return (page, 400) if form.errors else page


@bp.route("/issue", methods=("POST",))
def issue(round_id: int) -> Response | tuple[str, int]:
    """Give the saved draft its number and freeze it (secretary or chair)."""
    round_ = load_round(round_id, Action.MANAGE_DECISION)
    if AdvanceForm().validate_on_submit():
        try:
            decision = service.issue(round_, user=current_user)
        except service.DecisionError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(
                _("Đã ban hành Quyết định số %(n)s.", n=f"{decision.number:02d}/{decision.issuer_symbol}"),
                "success",
            )
    return redirect(url_for("decisions.show", round_id=round_.id))


@bp.route("/<int:decision_id>/<fmt>")
def download(round_id: int, decision_id: int, fmt: str) -> Response | tuple[str, int]:
    """The decision as PDF, Word, Excel, or the print page (``html``); from its snapshot only."""
    round_ = load_round(round_id, Action.VIEW_DECISION)
    decision = db.get_or_404(Decision, decision_id)
    if decision.round_id != round_.id or fmt not in service.FORMATS:
        abort(404)
    try:
        rendered = service.render(decision, fmt)
    except ValueError:  # certificates when nobody is recognised
        abort(404)
    if fmt == "html":
        return Response(rendered.data, mimetype="text/html")
    return private_download(rendered.data, rendered.filename, rendered.mimetype)


@verify_bp.route("/", methods=("GET",), endpoint="form")
def verify_form() -> str | Response:
    """Anyone: type the code printed on a copy (also reached from its QR code)."""
    code = request.args.get("code", "")
    if code:
        return redirect(url_for("verify.show", code=service.normalise_code(code) or code.strip()[:32]))
    return render_template("decisions/verify.html", decision=None, code="", checked=False)


@verify_bp.route("/<code>", endpoint="show")
def verify_show(code: str) -> tuple[str, int] | str:
    """The issued decision with this code: number, date, the award list; 404 with a clear message if none."""
    decision = service.verify(code)
    page = render_template(
        "decisions/verify.html",
        decision=decision,
        code=code[:32],
        checked=True,
        doc=service.document(decision) if decision else None,
        vn=service.vietnamese,
    )
    return (page, 200) if decision else (page, 404)
