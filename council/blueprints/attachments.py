"""Attachments (tệp đính kèm) of dossiers: upload by the secretariat, download by the round's people.

The list and the upload form are the partial ``attachments/_list.html`` on the dossier page.
"""

from __future__ import annotations

import os

from flask import Blueprint, abort, current_app, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from council.blueprints.rounds import load_round
from council.forms.attachments import AttachmentForm
from council.permissions import Action, can_view_dossier
from council.services import attachments as service
from council.services.dossiers import get_dossier_or_404

bp = Blueprint("attachments", __name__, url_prefix="/rounds/<int:round_id>")

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def storage_root() -> str:
    """Where attachment files are kept: ``instance/attachments``."""
    return os.path.join(current_app.instance_path, "attachments")


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


# The partial's helpers: sizes with the reader's decimal comma, and whether removing is still allowed.
bp.add_app_template_filter(service.format_size, "filesize")
bp.add_app_template_global(service.can_delete, "attachments_deletable")
bp.add_app_template_global(max_bytes, "attachment_max_bytes")


@bp.route("/dossiers/<int:dossier_id>/attachments", methods=("POST",))
def upload(round_id: int, dossier_id: int) -> Response:
    """Attach one or more files to a dossier (secretary, chair, admin).

    Each file stands alone: the good ones are saved, each refused one is flashed with its reason.
    """
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    dossier = get_dossier_or_404(round_, dossier_id)
    form = AttachmentForm()
    saved, root, limit = 0, storage_root(), max_bytes()
    if not service.can_delete(round_):  # files are evidence: fixed, like the dossier, once scoring starts
        flash(
            _("Đợt xét đang ở bước “%(step)s”: không thể thêm tệp đính kèm.", step=round_.status.label),
            "danger",
        )
    elif form.validate_on_submit():
        for file in form.files.data:
            try:
                service.store_attachment(
                    dossier, file.filename or "", file.read(), user=current_user, root=root, max_bytes=limit
                )
            except service.AttachmentInvalid as error:
                flash(str(error), "danger")
            else:
                saved += 1
    for message in form.files.errors:
        flash(str(message), "danger")
    if saved:
        flash(ngettext("Đã lưu %(num)d tệp đính kèm.", "Đã lưu %(num)d tệp đính kèm.", saved), "success")
    return redirect(url_for("rounds.dossier", round_id=round_.id, dossier_id=dossier.id))


@bp.route("/attachments/<int:attachment_id>")
def download(round_id: int, attachment_id: int) -> Response:
    """Send an attachment to anyone who may see its dossier; images open in the browser."""
    round_ = load_round(round_id, Action.VIEW_ROUND)
    attachment = service.get_attachment_or_404(round_, attachment_id)
    if not can_view_dossier(current_user, attachment.dossier):
        abort(403)
    try:
        path = service.open_attachment(attachment, storage_root())
    except FileNotFoundError:
        abort(404)
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=attachment.kind not in service.INLINE_KINDS,
        download_name=attachment.filename,
        etag=attachment.sha256,
        last_modified=attachment.created_at,
    )
    # Only the reader's own browser may keep it, and it asks again (permissions can change).
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/attachments/<int:attachment_id>/delete", methods=("POST",))
def delete(round_id: int, attachment_id: int) -> Response:
    """Remove an attachment (secretary, chair, admin) while the round is in draft, intake or assignment."""
    round_ = load_round(round_id, Action.MANAGE_ROUND)
    attachment = service.get_attachment_or_404(round_, attachment_id)
    dossier_id, name = attachment.dossier_id, attachment.filename
    try:
        service.delete_attachment(attachment, user=current_user, root=storage_root())
    except service.AttachmentInvalid as error:
        flash(str(error), "danger")
    else:
        flash(_("Đã xóa tệp “%(name)s”.", name=name), "success")
    return redirect(url_for("rounds.dossier", round_id=round_.id, dossier_id=dossier_id))
