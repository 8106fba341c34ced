"""Review: a member's own assignments (their dashboard)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from council.services.review import work_by_round

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.route("/")
def dashboard() -> str:
    """Việc của tôi: the dossiers assigned to me, with the state of each score sheet."""
    return render_template("review/dashboard.html", rounds=work_by_round(current_user))
