"""Ranking and deliberation (xếp hạng, họp xét): the chair's pages from scores to a locked verdict.

Chair, vice-chair, secretary and auditors see the ranking once scoring has closed; the chair
and secretary set the award tiers and the method; the chair records votes and adjustments
and finalises.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import FieldList, FormField

from council.blueprints.rounds import load_round
from council.documents import vietnamese
from council.extensions import db
from council.forms.ranking import METHOD_LABELS, EntryForm, FinaliseForm, MethodForm, TiersForm, WithdrawForm
from council.models import DeliberationEntry, DeliberationKind, Field, RankingSnapshot, Round, RoundStatus
from council.permissions import Action, allowed_actions
from council.services import deliberation as service
from council.services import ranking
from council.services import ranking_view as view

bp = Blueprint("ranking", __name__, url_prefix="/rounds/<int:round_id>/ranking")


@bp.app_template_filter("short_code")
def short_code(fingerprint: str) -> str:
    """A fingerprint as the short code printed on the decision: "A1B2-C3D4-E5F6"."""
    return vietnamese.short_code(fingerprint)


@bp.app_template_filter("deliberation_label")
def deliberation_label(value: str) -> str:
    """The translated label of a deliberation kind stored in a payload."""
    return str(DeliberationKind(value).label)


def _not_yet(round_: Round) -> str:
    return render_template(
        "ranking/not_yet.html", round=round_, actions=allowed_actions(current_user, round_)
    )


def _state(round_: Round, method: str | None = None) -> service.RankingState | None:
    try:
        return service.current(round_, method)
    except ranking.NoScores:
        return None


@bp.route("/")
def show(round_id: int) -> str | tuple[str, int]:
    """The ranking with tiers, charts and the deliberation record; a method preview on request."""
    round_ = load_round(round_id, Action.VIEW_RANKING)
    if round_.status not in service.VISIBLE_STEPS:
        return _not_yet(round_)
    state = _state(round_)
    if state is None:
        return _not_yet(round_)
    return _render(round_, state)


def _render(round_: Round, state: service.RankingState, **forms: Any) -> str:
    actions = allowed_actions(current_user, round_)
    payload = state.payload
    preview_method = request.args.get("preview", "")
    preview = None
    if (
        preview_method in METHOD_LABELS
        and not service.locked(round_)
        and preview_method != payload["requested_method"]
    ):
        other = service.current(round_, preview_method).payload
        preview = {"method": preview_method, "rank": {d["code"]: d for d in other["dossiers"]}}
    tiers = ranking.tiers_of(round_)
    deliberating = Action.DELIBERATE in actions and round_.status is RoundStatus.DELIBERATION
    return render_template(
        "ranking/show.html",
        round=round_,
        actions=actions,
        state=state,
        payload=payload,
        rows=view.RowFilter.from_args(request.args).apply(payload["dossiers"]),
        row_filter=view.RowFilter.from_args(request.args),
        tier_names={t["id"]: t["name"] for t in payload["tiers"]},
        units=sorted({(d["unit_id"], d["unit"]) for d in payload["dossiers"]}, key=lambda u: u[1]),
        fields=list(Field),
        preview=preview,
        method_labels=METHOD_LABELS,
        method_form=forms.get("method_form") or MethodForm(data={"method": round_.ranking_method}),
        entry_form=forms.get("entry_form") or (_entry_form(round_, state, tiers) if deliberating else None),
        withdraw_form=WithdrawForm(),
        finalise_form=forms.get("finalise_form") or FinaliseForm(),
        finalise_refusal=service.finalise_refusal(round_),
        deliberating=deliberating,
        locked=service.locked(round_),
        snapshots=service.snapshots(round_),
        withdrawn={e["withdraws"] for e in payload["adjustments"] if e["withdraws"]},
        charts={name: view.chart(payload, state.fingerprint, name) for name in ("ranking", "slope")},
        view=view,
    )


def _entry_form(round_: Round, state: service.RankingState, tiers: list, formdata: Any = None) -> EntryForm:
    dossiers = [
        (d["id"], f"{d['code']} · {d['title'][:60]}")
        for d in sorted(state.payload["dossiers"], key=lambda d: d["code"])
    ]
    return EntryForm(formdata=formdata, dossiers=dossiers, tiers=tiers)


@bp.route("/members")
def members(round_id: int) -> str:
    """Each member's leniency and spread with intervals, and the round's agreement in words."""
    round_ = load_round(round_id, Action.VIEW_RANKING)
    state = _state(round_) if round_.status in service.VISIBLE_STEPS else None
    if state is None:
        return _not_yet(round_)
    return render_template(
        "ranking/members.html",
        round=round_,
        payload=state.payload,
        names={m["username"]: m["name"] for m in state.payload["members"]},
        state=state,
        charts={
            name: view.chart(state.payload, state.fingerprint, name) for name in ("leniency", "distribution")
        },
        view=view,
    )


@bp.route("/charts/<name>.svg")
def chart(round_id: int, name: str) -> Response:
    """A chart as SVG (cached per ranking fingerprint), for an <img> on the ranking pages."""
    round_ = load_round(round_id, Action.VIEW_RANKING)
    if name not in view.CHARTS or round_.status not in service.VISIBLE_STEPS:
        abort(404)
    state = _state(round_) or abort(404)
    svg = view.chart(state.payload, state.fingerprint, name).svg
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-cache"
    # Opened on its own (to zoom on a phone), the SVG needs its inline styles; it has no script.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.route("/scores.csv")
def scores_csv(round_id: int) -> Response:
    """The ranked scores in the columns of ``python -m scoring rank`` (from the snapshot once final)."""
    round_ = load_round(round_id, Action.VIEW_RANKING)
    if round_.status not in service.VISIBLE_STEPS:
        abort(404)
    state = _state(round_) or abort(404)
    # The byte-order mark lets Excel read the Vietnamese names; the command line skips it.
    response = Response("\ufeff" + ranking.scores_csv(state.payload["scores"]), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename=round-{round_.id}-scores.csv"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/method", methods=("POST",))
def save_method(round_id: int) -> Response:
    round_ = load_round(round_id, Action.MANAGE_TIERS)
    form = MethodForm()
    if form.validate_on_submit():
        try:
            service.save_method(round_, form.method.data, user=current_user)
        except service.DeliberationError as error:
            flash(str(error), "danger")
        else:
            flash(_("Đã lưu phương pháp chuẩn hóa: %(m)s.", m=METHOD_LABELS[form.method.data]), "success")
    return redirect(url_for("ranking.show", round_id=round_.id))


@bp.route("/tiers", methods=("GET", "POST"))
def tiers(round_id: int) -> str | tuple[str, int] | Response:
    """The round's award tiers, best first: a minimum score, a quota, or both."""
    round_ = load_round(round_id, Action.MANAGE_TIERS)
    current = ranking.tiers_of(round_)
    form = TiersForm() if request.method == "POST" else TiersForm.for_tiers(current)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("add_row"):
            form.rows.append_entry()
        else:
            try:
                service.save_tiers(round_, form.to_rows(), user=current_user)
            except service.DeliberationError as error:
                db.session.rollback()
                errors = error.errors
            else:
                flash(_("Đã lưu các mức khen."), "success")
                return redirect(url_for("ranking.tiers", round_id=round_.id))
    elif request.method == "POST":
        errors = dict(_field_errors(form))
    page = render_template(
        "ranking/tiers.html",
        round=round_,
        form=form,
        errors=errors,
        tiers=current,
        locked=service.locked(round_),
    )
    return (page, 400) if errors else page


def _field_errors(fields: Any) -> Iterator[tuple[str, str]]:
    """Each field's errors by its full name ("rows-2-quota"), inside lists of rows as well."""
    for field in fields:
        if isinstance(field, FieldList | FormField):
            yield from _field_errors(field)
        elif field.errors:
            text = " ".join(str(message) for message in field.errors)
            row = field.name.split("-")
            if len(row) == 3 and row[1].isdigit():  # the row and column, as the service's messages say
                text = _(
                    "Dòng %(n)d, %(label)s: %(message)s",
                    n=int(row[1]) + 1,
                    label=field.label.text,
                    message=text,
                )
            yield field.name, text


@bp.route("/entries", methods=("POST",))
def add_entry(round_id: int) -> str | tuple[str, int] | Response:
    """Record a council vote or an adjustment (chair), always with a reason."""
    round_ = load_round(round_id, Action.DELIBERATE)
    state = _state(round_) or abort(404)
    form = _entry_form(round_, state, ranking.tiers_of(round_), formdata=request.form)
    if form.validate_on_submit():
        try:
            service.record_entry(round_, form.to_input(), user=current_user)
        except service.DeliberationError as error:
            db.session.rollback()
            for key, message in error.errors.items():
                getattr(form, key, form.reason).errors.append(message)
        else:
            flash(_("Đã ghi nội dung họp xét."), "success")
            return redirect(url_for("ranking.show", round_id=round_.id) + "#deliberation")
    return _render(round_, state, entry_form=form), 400


@bp.route("/entries/<int:entry_id>/withdraw", methods=("POST",))
def withdraw(round_id: int, entry_id: int) -> Response:
    round_ = load_round(round_id, Action.DELIBERATE)
    entry = db.get_or_404(DeliberationEntry, entry_id)
    if entry.round_id != round_.id:
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            service.withdraw_entry(round_, entry, form.reason.data or "", user=current_user)
        except service.DeliberationError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(_("Đã hủy điều chỉnh; lý do được ghi lại."), "success")
    else:
        flash(" ".join(str(m) for messages in form.errors.values() for m in messages), "danger")
    return redirect(url_for("ranking.show", round_id=round_.id) + "#deliberation")


@bp.route("/finalise", methods=("POST",))
def finalise(round_id: int) -> str | tuple[str, int] | Response:
    """The chair locks the verdict: a snapshot of every figure, fingerprinted."""
    round_ = load_round(round_id, Action.DELIBERATE)
    form = FinaliseForm()
    if form.validate_on_submit():
        try:
            snapshot = service.finalise(round_, user=current_user)
        except (service.DeliberationError, ranking.NoScores) as error:
            db.session.rollback()
            message = (
                error.errors["round"]
                if isinstance(error, service.DeliberationError)
                else _("Chưa có phiếu chấm nào được nộp.")
            )
            form.confirm.errors.append(message)
        else:
            flash(
                _("Đã chốt kết quả. Mã kiểm tra: %(code)s", code=short_code(snapshot.fingerprint)), "success"
            )
            return redirect(url_for("ranking.show", round_id=round_.id))
    state = _state(round_) or abort(404)
    return _render(round_, state, finalise_form=form), 400


def _load_snapshot(round_id: int, snapshot_id: int) -> tuple[Round, RankingSnapshot]:
    """The round (403 unless the user may see its ranking) and one of its snapshots (else 404)."""
    round_ = load_round(round_id, Action.VIEW_RANKING)
    record = db.get_or_404(RankingSnapshot, snapshot_id)
    if record.round_id != round_.id:
        abort(404)
    return round_, record


@bp.route("/snapshots/<int:snapshot_id>")
def snapshot(round_id: int, snapshot_id: int) -> str:
    """A stored snapshot: its fingerprint checked against its content, and its settings."""
    round_, record = _load_snapshot(round_id, snapshot_id)
    return render_template(
        "ranking/snapshot.html", round=round_, snapshot=record, verified=service.verify(record), view=view
    )


@bp.route("/snapshots/<int:snapshot_id>.json")
def snapshot_json(round_id: int, snapshot_id: int) -> Response:
    """The snapshot's payload exactly as fingerprinted (canonical JSON), for an auditor to re-hash."""
    _round, record = _load_snapshot(round_id, snapshot_id)
    response = Response(ranking.canonical_json(record.payload), mimetype="application/json")
    response.headers["Content-Disposition"] = f"attachment; filename=snapshot-{record.id}.json"
    return response
