"""Score sheets (phiếu chấm điểm) and their hash-chained history (lịch sử chấm điểm)."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from sqlalchemy import select

from council.extensions import db
from council.models import (
    Assignment,
    CriterionScore,
    ScoreEvent,
    ScoreEventKind,
    ScoreSheet,
    SheetStatus,
    User,
)
from council.models.base import utcnow

log = logging.getLogger(__name__)


def event_digest(prev_digest: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous digest and the event's canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_digest + canonical).encode()).hexdigest()


def append_event(
    assignment: Assignment,
    kind: ScoreEventKind,
    payload: dict[str, Any],
    *,
    user: User | None,
    sheet: ScoreSheet | None = None,
    reason: str = "",
) -> ScoreEvent:
    """Append one event to the round's history chain (in the caller's transaction)."""
    round_id = assignment.dossier.round_id
    prev = db.session.scalar(
        select(ScoreEvent.digest)
        .where(ScoreEvent.round_id == round_id)
        .order_by(ScoreEvent.id.desc())
        .limit(1)
    )
    created_at = utcnow()
    fields = {
        "round_id": round_id,
        "assignment_id": assignment.id,
        "actor_id": user.id if user else None,
        "kind": str(kind),
        "payload": payload,
        "reason": reason,
        "created_at": created_at.isoformat(),
    }
    event = ScoreEvent(
        round_id=round_id,
        assignment_id=assignment.id,
        sheet=sheet,
        actor=user,
        kind=kind,
        payload=payload,
        reason=reason,
        created_at=created_at,
        prev_digest=prev or "",
        digest=event_digest(prev or "", fields),
    )
    db.session.add(event)
    db.session.flush()
    return event


def save_sheet(
    assignment: Assignment,
    points: dict[int, float | None],
    *,
    user: User,
    submit: bool = False,
    comment: str = "",
) -> ScoreSheet:
    """Save (or submit) a sheet's points per criterion id, and record the event. Commits."""
    sheet = assignment.sheet or ScoreSheet(assignment=assignment, version=0, status=SheetStatus.DRAFT)
    existing = {score.criterion_id: score for score in sheet.scores}
    for criterion_id, value in points.items():
        score = existing.get(criterion_id) or CriterionScore(sheet=sheet, criterion_id=criterion_id)
        score.points = value
    sheet.comment = comment
    sheet.version += 1
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = utcnow()
    db.session.add(sheet)
    db.session.flush()
    kind = ScoreEventKind.SUBMIT if submit else ScoreEventKind.SAVE
    payload = {
        "points": {str(k): v for k, v in sorted(points.items())},
        "comment": comment,
        "version": sheet.version,
    }
    append_event(assignment, kind, payload, user=user, sheet=sheet)
    db.session.commit()
    log.info("sheet %s %s by %s (version %s)", sheet.id, kind, user.id, sheet.version)
    return sheet
