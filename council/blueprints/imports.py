"""Excel/CSV import and export of a round's dossiers and council members (secretariat).

Each import is two steps: upload → a report of every row (nothing saved) → confirm, which reads the
kept file again, checks it again and saves all rows or none. Secretary, chair and admin only.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from council.blueprints import private_download
from council.blueprints.rounds import load_round
from council.forms.imports import ConfirmForm, UploadForm
from council.models import Round
from council.permissions import Action
from council.services import imports as service
from council.services.dossiers import DossierFilter

bp = Blueprint("imports", __name__, url_prefix="/rounds/<int:round_id>")


def _confirm_form(report: service.ImportReport, data: bytes, filename: str) -> ConfirmForm | None:
    """Keep a file without errors on the server and name it in the confirmation form."""
    if not report.ok:
        return None
    stored = service.store_upload(data, filename)
    return ConfirmForm(formdata=None, data={"sha256": stored.sha256, "ext": stored.ext})


def _stored_upload() -> service.StoredUpload | None:
    """The upload named by the confirmation form, or None with a message flashed."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Không còn tệp đã tải lên trên máy chủ; vui lòng tải tệp lên lại."), "danger")
        return None
    return service.StoredUpload(form.sha256.data or "", form.ext.data or "")


def _read_stored(stored: service.StoredUpload) -> bytes | None:
    try:
        return service.load_upload(stored.sha256, stored.ext)
    except service.ImportFileError as error:
        flash(str(error), "danger")
        return None


def _report_page(template: str, round_: Round, report: service.ImportReport, refusal: str | None) -> str:
    form = UploadForm(formdata=None)
    return render_template(
        template, round=round_, form=form, report=report, confirm_form=None, refusal=refusal
    )


def _preview_page(
    template: str, round_: Round, preview: Callable[..., service.ImportReport], refusal: str | None
) -> str:
    """The upload form, and after an upload the report of every row (and, if clean, the confirm form)."""
    form, report, confirm_form = UploadForm(), None, None
    if form.validate_on_submit():
        data, filename = form.file.data.read(), form.file.data.filename or ""
        report = preview(round_, data, filename, user=current_user)
        confirm_form = _confirm_form(report, data, filename)
    return render_template(
        template, round=round_, form=form, report=report, confirm_form=confirm_form, refusal=refusal
    )


# --- dossiers -------------------------------------------------------------------------------------


@bp.route("/dossiers/import/template.xlsx")
def template(round_id: int) -> Response:
    """The dossier import template: headers, an example row, and a guide sheet."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    return private_download(
        service.dossier_template(round_), f"mau-ho-so-{round_.id}.xlsx", service.XLSX_MIMETYPE
    )


@bp.route("/dossiers/import", methods=("GET", "POST"))
def upload(round_id: int) -> str:
    """Upload an .xlsx or .csv of dossiers and see what importing it would do; nothing is saved."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    return _preview_page(
        "imports/upload.html", round_, service.preview_dossiers, service.intake_refusal(round_)
    )


@bp.route("/dossiers/import/confirm", methods=("POST",))
def confirm(round_id: int) -> Response | tuple[str, int]:
    """Check the kept file again and save every dossier in one transaction, or none."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    stored = _stored_upload()
    data = _read_stored(stored) if stored else None
    if stored is None or data is None:
        return redirect(url_for("imports.upload", round_id=round_.id))
    report = service.import_dossiers(round_, data, stored.filename, user=current_user)
    if not report.saved:  # something changed since the preview: the report again, nothing saved
        return _report_page("imports/upload.html", round_, report, service.intake_refusal(round_)), 400
    service.discard_upload(stored.sha256, stored.ext)
    flash(
        _(
            "Đã nhập %(n)d hồ sơ (%(new)d mới, %(updated)d cập nhật).",
            n=len(report.planned),
            new=report.created,
            updated=report.updated,
        ),
        "success",
    )
    return redirect(url_for("rounds.show", round_id=round_.id))


@bp.route("/dossiers/export.xlsx")
def export_xlsx(round_id: int) -> Response:
    """The round's dossiers (the list page's filters apply) as .xlsx, in the template's columns."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    criteria = DossierFilter.from_args(request.args)
    data = service.export_dossiers_xlsx(round_, criteria, user=current_user)
    return private_download(data, f"ho-so-{round_.id}.xlsx", service.XLSX_MIMETYPE)


@bp.route("/dossiers/export.csv")
def export_csv(round_id: int) -> Response:
    """The same as CSV, UTF-8 with BOM (Excel then shows Vietnamese)."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    criteria = DossierFilter.from_args(request.args)
    data = service.export_dossiers_csv(round_, criteria, user=current_user)
    return private_download(data, f"ho-so-{round_.id}.csv", "text/csv; charset=utf-8")


# --- council members ------------------------------------------------------------------------------


@bp.route("/council/import/template.xlsx")
def members_template(round_id: int) -> Response:
    """The council members import template."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    data = service.members_template(round_)
    return private_download(data, f"mau-thanh-vien-hoi-dong-{round_.id}.xlsx", service.XLSX_MIMETYPE)


@bp.route("/council/import", methods=("GET", "POST"))
def members(round_id: int) -> str:
    """Upload a sheet of council members and see what importing it would do; nothing is saved."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    return _preview_page(
        "imports/members.html", round_, service.preview_members, service.council_refusal(round_)
    )


@bp.route("/council/import/confirm", methods=("POST",))
def members_confirm(round_id: int) -> Response | tuple[str, int]:
    """Save every seat in one transaction; show new accounts' passwords this once."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    stored = _stored_upload()
    data = _read_stored(stored) if stored else None
    if stored is None or data is None:
        return redirect(url_for("imports.members", round_id=round_.id))
    report = service.import_members(round_, data, stored.filename, user=current_user)
    if not report.saved:
        return _report_page("imports/members.html", round_, report, service.council_refusal(round_)), 400
    service.discard_upload(stored.sha256, stored.ext)
    response = make_response(render_template("imports/members_done.html", round=round_, report=report))
    response.headers["Cache-Control"] = "no-store"  # the passwords are shown once, not kept by the browser
    return response
