"""Audit: a round's score history (lịch sử chấm điểm), its integrity check, and its export.

For the global auditor and the round's chair and secretary (``Action.VIEW_HISTORY``).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from council.blueprints import private_download
from council.blueprints.rounds import load_round
from council.models import ScoreEventKind
from council.permissions import Action, can
from council.services import history as service
from council.services.scoresheets import REOPEN_STEPS, scoring_open, verify_chain

bp = Blueprint("audit", __name__, url_prefix="/rounds/<int:round_id>/history")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/")
def history(round_id: int) -> str:
    """Every score event of the round, filtered and paged, with the chain's integrity on top."""
    round_ = load_round(round_id, Action.VIEW_HISTORY)
    criteria = service.HistoryFilter.from_args(request.args)
    page = service.history_page(
        round_, criteria, viewer=current_user, page=request.args.get("page", 1, type=int)
    )
    dossiers, members = service.filter_options(round_)
    may_reopen = (
        can(current_user, Action.REOPEN_SHEET, round_)
        and round_.status in REOPEN_STEPS
        and not scoring_open(round_)
    )
    return render_template(
        "audit/history.html",
        round=round_,
        criteria=criteria,
        page=page,
        chain=verify_chain(round_),
        dossiers=dossiers,
        members=members,
        kinds=list(ScoreEventKind),
        sheets=service.sheets_to_reopen(round_, criteria) if may_reopen else None,
    )


@bp.route("/export.xlsx")
def export_xlsx(round_id: int) -> Response:
    """The filtered history as an Excel workbook."""
    round_ = load_round(round_id, Action.VIEW_HISTORY)
    criteria = service.HistoryFilter.from_args(request.args)
    data = service.export_history_xlsx(round_, criteria, user=current_user)
    return private_download(data, f"lich-su-cham-diem-{round_.year}-{round_.id}.xlsx", XLSX)


@bp.route("/export.csv")
def export_csv(round_id: int) -> Response:
    """The filtered history as CSV (UTF-8 with BOM)."""
    round_ = load_round(round_id, Action.VIEW_HISTORY)
    criteria = service.HistoryFilter.from_args(request.args)
    data = service.export_history_csv(round_, criteria, user=current_user)
    return private_download(
        data, f"lich-su-cham-diem-{round_.year}-{round_.id}.csv", "text/csv; charset=utf-8"
    )
