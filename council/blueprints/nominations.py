"""Nomination upward (đề nghị cấp trên): export a package from a finalised round, import one into a round.

The council's staff and auditors see what a finalised round may nominate; the secretary or the chair
exports the package (one .zip). In the higher council's installation, the secretary, the chair or an
administrator uploads it into a round at intake: a preview says what will be created and what was
imported before, and the confirmation imports it and shows what happened. The dossier page shows where
an imported dossier came from (``nomination_provenance``), as context only.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from council.blueprints import private_download
from council.blueprints.attachments import storage_root
from council.blueprints.rounds import load_round
from council.forms.nominations import ConfirmForm, ExportForm, UploadForm
from council.i18n import format_figure
from council.models import Round
from council.permissions import Action, can
from council.services import nominations as service
from council.services.attachments import format_size

bp = Blueprint("nominations", __name__, url_prefix="/rounds/<int:round_id>/nomination")

# The provenance box of the dossier page (templates/nominations/_provenance.html).
bp.add_app_template_global(service.provenance_of, "nomination_provenance")
bp.add_app_template_global(format_figure, "nomination_figure")


def _limits() -> service.Limits:
    return service.Limits.from_config(current_app.config)


# --- the sending council -------------------------------------------------------------------------


def _show_page(round_: Round, form: ExportForm | None = None) -> tuple[str, int]:
    """The recognised dossiers with their checkboxes, or why the round cannot nominate yet (409)."""
    try:
        source = service.nominable(round_)
    except service.NominationError as error:
        return render_template("nominations/show.html", round=round_, refusal=str(error)), 409
    status = 400 if form is not None else 200
    form = form or ExportForm(formdata=None, data={"dossiers": source.default_codes})
    page = render_template(
        "nominations/show.html",
        round=round_,
        source=source,
        form=form,
        chosen=set(form.dossiers.data or ()),
        may_export=can(current_user, Action.MANAGE_DECISION, round_),
        limit=format_size(_limits().package_bytes),
        size=format_size,
    )
    return page, status


@bp.route("/")
def show(round_id: int) -> tuple[str, int]:
    """What the finalised round may nominate; pre-checked: the tiers marked "đề nghị cấp trên"."""
    return _show_page(load_round(round_id, Action.VIEW_DECISION))


@bp.route("/export", methods=("POST",))
def export(round_id: int) -> Response | tuple[str, int]:
    """Build the package of the checked dossiers and download it (secretary or chair)."""
    round_ = load_round(round_id, Action.MANAGE_DECISION)
    form = ExportForm()
    if form.validate_on_submit():
        try:
            package = service.build_package(
                round_, form.dossiers.data or [], user=current_user, root=storage_root()
            )
        except service.NominationError as error:
            form.dossiers.errors = [str(error)]
        else:
            return private_download(package.data, package.filename, "application/zip")
    return _show_page(round_, form)


# --- the receiving council -----------------------------------------------------------------------


def _upload_page(round_: Round, status: int = 200, **context: object) -> tuple[str, int]:
    context.setdefault("form", UploadForm(formdata=None))
    page = render_template(
        "nominations/upload.html",
        round=round_,
        refusal=service.intake_refusal(round_),
        limit=format_size(_limits().package_bytes),
        **context,
    )
    return page, status


@bp.route("/import", methods=("GET", "POST"))
def upload(round_id: int) -> tuple[str, int]:
    """Upload a package and see what importing it would do; nothing is saved (secretary, chair, admin)."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(round_, 400 if form.errors else 200, form=form)
    data = form.file.data.read()
    try:
        plan = service.preview_import(round_, data, limits=_limits())
    except service.NominationError as error:
        return _upload_page(round_, 400, error=str(error))
    confirm_form = ConfirmForm(formdata=None, data={"sha256": service.keep_upload(data)})
    return _upload_page(round_, plan=plan, confirm_form=confirm_form)


@bp.route("/import/confirm", methods=("POST",))
def confirm(round_id: int) -> Response | tuple[str, int]:
    """Check the kept package again and import it in one transaction; show what was done."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Không còn gói đã tải lên trên máy chủ; vui lòng tải gói lên lại."), "danger")
        return redirect(url_for("nominations.upload", round_id=round_.id))
    digest = form.sha256.data or ""
    try:
        data = service.load_kept(digest)
        plan = service.import_package(round_, data, user=current_user, root=storage_root(), limits=_limits())
    except service.NominationError as error:
        return _upload_page(round_, 400, error=str(error))
    service.discard_kept(digest)
    response = make_response(render_template("nominations/done.html", round=round_, plan=plan))
    response.headers["Cache-Control"] = "no-store"
    return response
