"""What the navigation bar offers, by the user's roles."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user
from sqlalchemy import select

from council.extensions import db
from council.forms.auth import LanguageForm
from council.models import CouncilMember, CouncilRole, Field, RoundStatus
from council.permissions import Action


def navigation() -> dict[str, Any]:
    nav = {"scores": False, "admin": False, "auditor": False}
    if current_user.is_authenticated:
        roles = set(
            db.session.scalars(select(CouncilMember.role).where(CouncilMember.user_id == current_user.id))
        )
        nav = {
            "scores": bool(roles - {CouncilRole.SECRETARY}),
            "admin": current_user.is_admin,
            "auditor": current_user.is_auditor,
        }
    return {"nav": nav, "language_form": LanguageForm()}


def init_app(app: Flask) -> None:
    app.context_processor(navigation)
    app.jinja_env.globals.update(Field=Field, Action=Action, RoundStatus=RoundStatus)
