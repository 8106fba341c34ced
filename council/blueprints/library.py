"""The library of recognised initiatives (thư viện sáng kiến): search, one entry, replication.

Signed-in users search every finalised round's recognised dossiers; anyone may search those of
published rounds at ``/library/public/``. A user records that their own unit replicated a model.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from council.extensions import db
from council.forms.library import LibrarySearchForm, ReplicationForm
from council.models import LibraryEntry
from council.services import library as service

bp = Blueprint("library", __name__, url_prefix="/library")


def _search(*, public_only: bool) -> str:
    form = LibrarySearchForm(request.args, years=service.years(), units=service.units())
    form.validate()  # fills .data; a bad value is dropped by its field's coercion, never an error page
    results = service.search(form.to_query(public_only=public_only))
    return render_template("library/index.html", form=form, results=results, public=public_only)


@bp.route("/")
def index() -> str:
    """Search the library (every finalised round)."""
    return _search(public_only=False)


@bp.route("/public/")
def public_index() -> str:
    """The public library: recognised dossiers of published rounds, read-only, no account needed."""
    return _search(public_only=True)


@bp.route("/<int:item_id>")
def show(item_id: int) -> str:
    found = service.entry(item_id) or abort(404)
    return _render_entry(found, public=False, form=_replication_form(found))


@bp.route("/public/<int:item_id>")
def public_show(item_id: int) -> str:
    found = service.entry(item_id, public_only=True) or abort(404)
    return _render_entry(found, public=True, form=None)


@bp.route("/<int:item_id>/replications", methods=("POST",))
def replicate(item_id: int) -> str | tuple[str, int] | Response:
    """The signed-in user's unit records that it applied this model."""
    found = service.entry(item_id) or abort(404)
    if current_user.unit is None:
        abort(403)
    form = ReplicationForm()
    if form.validate_on_submit():
        try:
            service.record_replication(
                found,
                current_user.unit,
                place=form.place.data or "",
                note=form.note.data or "",
                started_on=form.started_on.data,
                user=current_user,
            )
        except service.ReplicationError as error:
            db.session.rollback()
            for key, message in error.errors.items():
                getattr(form, key, form.place).errors.append(message)
        else:
            flash(_("Đã ghi nhận đơn vị của bạn nhân rộng mô hình này."), "success")
            return redirect(url_for("library.show", item_id=found.id))
    return _render_entry(found, public=False, form=form), 400


def _replication_form(found: LibraryEntry) -> ReplicationForm | None:
    if current_user.unit is None:
        return None
    mine = next((r for r in service.replications_of([found.dossier_id])[found.dossier_id]
                 if r.unit_id == current_user.unit_id), None)  # fmt: skip
    return ReplicationForm(obj=mine)


def _render_entry(found: LibraryEntry, *, public: bool, form: ReplicationForm | None) -> str:
    replications = service.replications_of([found.dossier_id])[found.dossier_id]
    return render_template(
        "library/show.html", entry=found, replications=replications, public=public, form=form
    )
