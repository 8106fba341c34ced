"""Dossiers (hồ sơ): lookup and listing."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from council.extensions import db
from council.models import Dossier, Round


def get_dossier_or_404(round_: Round, dossier_id: int) -> Dossier:
    """The dossier with this id *in this round*; another round's id is a 404, not a leak."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or dossier.round_id != round_.id:
        abort(404)
    return dossier


def list_dossiers(round_: Round) -> list[Dossier]:
    return list(
        db.session.scalars(
            select(Dossier)
            .options(joinedload(Dossier.unit))
            .where(Dossier.round_id == round_.id)
            .order_by(Dossier.code)
        )
    )
