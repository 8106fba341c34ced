"""Score sheets (phiếu chấm điểm) and their hash-chained history (lịch sử chấm điểm).

Scoring is open while the round is at the scoring step and its deadline (if any) has not passed.
Only the assigned member (assignment active and published) writes their sheet: drafts at any time
while open, then a submission; a submitted sheet may be revised with a reason while open. After
that only the chair re-opens a sheet (with a reason), and its member may then edit and submit it
again. Every write is a :class:`ScoreEvent` in the round's hash chain, in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from council.extensions import db
from council.i18n import format_datetime
from council.models import (
    Assignment,
    AssignmentStatus,
    Criterion,
    CriterionScore,
    Round,
    RoundStatus,
    ScoreEvent,
    ScoreEventKind,
    ScoreSheet,
    SheetStatus,
    User,
)
from council.models.base import utcnow
from council.services.conflicts import declare_conflict

log = logging.getLogger(__name__)

REASON_MIN = 10  # revising a submitted sheet, re-opening one: as for re-opening a round
NOTE_MAX = 2000
COMMENT_MAX = 5000
# A sheet the chair re-opened stays editable while the council can still use its scores.
REOPEN_STEPS = frozenset({RoundStatus.SCORING, RoundStatus.DELIBERATION})


class SheetError(ValueError):
    """Refused input; ``errors`` maps each form field's name to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class SheetClosed(PermissionError):
    """The sheet cannot be written now (scoring closed, recused, not the member's); says why."""


class SheetConflict(RuntimeError):
    """The sheet changed since the version the form was based on; ``sheet`` is the current one."""

    def __init__(self, sheet: ScoreSheet | None) -> None:
        super().__init__(f"score sheet changed (now version {sheet.version if sheet else 0})")
        self.sheet = sheet


@dataclass(frozen=True)
class SheetInput:
    """What a member entered: points and a note per criterion id, and the overall comment."""

    points: dict[int, float | None]
    notes: dict[int, str]
    comment: str


# --- the hash chain ------------------------------------------------------------------------------


def event_digest(prev_digest: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous digest and the event's canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_digest + canonical).encode()).hexdigest()


def _event_fields(event: ScoreEvent) -> dict[str, Any]:
    """The hashed content of an event: what it was written with, and what verification reads back."""
    fields = {
        "round_id": event.round_id,
        "assignment_id": event.assignment_id,
        "actor_id": event.actor_id,
        "kind": str(event.kind),
        "payload": event.payload,
        "reason": event.reason,
        "created_at": event.created_at.isoformat(),
    }
    if event.ip_address:  # only when present, so that events written without one keep their digest
        fields["ip_address"] = event.ip_address
    return fields


def append_event(
    assignment: Assignment,
    kind: ScoreEventKind,
    payload: dict[str, Any],
    *,
    user: User | None,
    sheet: ScoreSheet | None = None,
    reason: str = "",
    ip_address: str | None = None,
) -> ScoreEvent:
    """Append one event to the round's history chain (in the caller's transaction)."""
    round_id = assignment.dossier.round_id
    # Two writers must not both chain onto the same last event (a fork): on PostgreSQL the round's
    # row lock makes the second wait until the first commits. SQLite ignores FOR UPDATE; there the
    # caller's own writes, flushed before this read, already hold the database's one write lock.
    db.session.execute(select(Round.id).where(Round.id == round_id).with_for_update())
    prev = db.session.scalar(
        select(ScoreEvent.digest)
        .where(ScoreEvent.round_id == round_id)
        .order_by(ScoreEvent.id.desc())
        .limit(1)
    )
    event = ScoreEvent(
        round_id=round_id,
        assignment_id=assignment.id,
        sheet=sheet,
        actor_id=user.id if user else None,
        kind=kind,
        payload=payload,
        reason=reason,
        ip_address=ip_address or None,
        created_at=utcnow(),
        prev_digest=prev or "",
    )
    event.digest = event_digest(event.prev_digest, _event_fields(event))
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """The result of :func:`verify_chain`: how many events were checked and the first broken one."""

    checked: int
    broken_event_id: int | None = None
    broken_position: int | None = None  # 1-based place in the round's history
    altered: bool = False  # the event's content no longer matches its digest
    missing_before: bool = False  # its prev_digest is not the digest of the event before it

    @property
    def ok(self) -> bool:
        return self.broken_event_id is None


def verify_chain(round_: Round) -> ChainReport:
    """Recompute every digest of the round's history and check that each event follows the last.

    An edited row no longer matches its digest; a deleted row leaves the next event pointing at a
    digest that is not its predecessor's. (Removing the newest events leaves no trace in the
    chain itself: compare the count with an exported copy for that.)
    """
    expected_prev = ""
    events = db.session.scalars(
        select(ScoreEvent).where(ScoreEvent.round_id == round_.id).order_by(ScoreEvent.id)
    )
    checked = 0
    for position, event in enumerate(events, start=1):
        missing = event.prev_digest != expected_prev
        altered = event_digest(event.prev_digest, _event_fields(event)) != event.digest
        if missing or altered:
            log.warning("round %s: history chain broken at event %s", round_.id, event.id)
            return ChainReport(checked, event.id, position, altered=altered, missing_before=missing)
        expected_prev = event.digest
        checked = position
    return ChainReport(checked)


# --- when a sheet can be written ---------------------------------------------------------------


def scoring_open(round_: Round, now: datetime | None = None) -> bool:
    """At the scoring step and before its deadline (naive UTC; no deadline means open)."""
    deadline = round_.scoring_deadline
    return round_.status is RoundStatus.SCORING and (deadline is None or (now or utcnow()) < deadline)


def is_scorer(assignment: Assignment, user: User) -> bool:
    """Whether ``user`` is the member this (active, published) assignment gives the dossier to."""
    return (
        assignment.member.user_id == user.id
        and assignment.status is AssignmentStatus.ACTIVE
        and assignment.published
    )


def edit_refusal(assignment: Assignment, now: datetime | None = None) -> str | None:
    """Why the sheet cannot be edited now, or None when it can."""
    round_ = assignment.dossier.round
    if assignment.status is AssignmentStatus.RECUSED:
        return _("Bạn đã xin không chấm hồ sơ này; phiếu chấm đã đóng.")
    if assignment.status is not AssignmentStatus.ACTIVE or not assignment.published:
        return _("Hồ sơ này không còn được phân công cho bạn.")
    sheet = assignment.sheet
    if sheet is not None and sheet.reopened and round_.status in REOPEN_STEPS:
        return None
    if scoring_open(round_, now):
        return None
    if round_.status.precedes(RoundStatus.SCORING):
        return _("Đợt xét chưa đến bước chấm điểm.")
    if round_.status is RoundStatus.SCORING:
        return _(
            "Đã hết hạn chấm điểm (%(deadline)s): phiếu không sửa được nữa. "
            "Nếu cần sửa, Chủ tịch Hội đồng có thể mở lại phiếu.",
            deadline=format_datetime(round_.scoring_deadline),
        )
    return _(
        "Đợt xét đã sang bước “%(step)s”: phiếu không sửa được nữa. "
        "Nếu cần sửa, Chủ tịch Hội đồng có thể mở lại phiếu.",
        step=round_.status.label,
    )


# --- reading what the member typed -------------------------------------------------------------


def points_field(criterion: Criterion) -> str:
    return f"points_{criterion.id}"


def note_field(criterion: Criterion) -> str:
    return f"note_{criterion.id}"


def format_points(value: float | None) -> str:
    """``7,5`` (in the reader's decimal separator), ``20``; empty for no score."""
    return "" if value is None else format_decimal(value, format="0.#")


def parse_points(raw: Any, criterion: Criterion) -> float | None:
    """Points as typed ("7", "7,5", "7.5", or a number): whole or half points within 0..max.

    Blank means not scored yet. Raises ``ValueError`` with a message that names the criterion.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # a JSON integer such as 10**400: out of range, like any too large number
            value = math.inf
    else:
        text = str(raw).strip().replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise ValueError(
                _("%(name)s: điểm phải là một số, ví dụ 7 hoặc 7,5.", name=criterion.name)
            ) from None
    if not (math.isfinite(value) and 0 <= value <= criterion.max_points and (value * 2).is_integer()):
        raise ValueError(
            _(
                "%(name)s: điểm phải từ 0 đến %(max)s, theo bước 0,5.",
                name=criterion.name,
                max=format_points(criterion.max_points),
            )
        )
    return value + 0.0  # "-0" is 0, not a negative zero shown as "-0"


def parse_sheet(
    criteria: Iterable[Criterion], points: Mapping[int, Any], notes: Mapping[int, Any], comment: Any
) -> SheetInput:
    """Check every value sent for the round's criteria; raise :class:`SheetError` naming each bad one.

    A criterion missing from ``points`` or ``notes`` is left as it is.
    """
    parsed: dict[int, float | None] = {}
    kept_notes: dict[int, str] = {}
    errors: dict[str, str] = {}
    for criterion in criteria:
        if criterion.id in points:
            try:
                parsed[criterion.id] = parse_points(points[criterion.id], criterion)
            except ValueError as error:
                errors[points_field(criterion)] = str(error)
        if criterion.id in notes:
            note = str(notes[criterion.id] or "").strip()
            if len(note) > NOTE_MAX:
                errors[note_field(criterion)] = _(
                    "%(name)s: nhận xét tối đa %(n)d ký tự.", name=criterion.name, n=NOTE_MAX
                )
            kept_notes[criterion.id] = note
    text = str(comment or "").strip()
    if len(text) > COMMENT_MAX:
        errors["comment"] = _("Nhận xét chung: tối đa %(n)d ký tự.", n=COMMENT_MAX)
    if errors:
        raise SheetError(errors)
    return SheetInput(parsed, kept_notes, text)


def sheet_total(criteria: Iterable[Criterion], points: Mapping[int, float | None]) -> float:
    """The weighted total of the scored criteria (the rubric's ``max_total`` when all are full)."""
    return sum((points.get(c.id) or 0.0) * c.weight for c in criteria)


# --- writing ---------------------------------------------------------------------------------------


def save_sheet(
    assignment: Assignment,
    points: Mapping[int, Any],
    *,
    user: User,
    submit: bool = False,
    comment: str = "",
    notes: Mapping[int, Any] | None = None,
    base_version: int | None = None,
    reason: str = "",
    ip_address: str | None = None,
) -> ScoreSheet:
    """Save a draft, submit it, or revise a submitted sheet (with ``reason``). Commits.

    ``base_version`` is the version the member's form was based on: if the sheet has moved on
    since, nothing is written and :class:`SheetConflict` carries the current sheet.
    """
    if not is_scorer(assignment, user):
        raise SheetClosed(_("Chỉ thành viên được phân công mới chấm được phiếu này."))
    refusal = edit_refusal(assignment)
    if refusal:
        raise SheetClosed(refusal)
    criteria = assignment.dossier.round.criteria
    data = parse_sheet(criteria, points, notes or {}, comment)
    sheet = assignment.sheet
    if base_version is not None and (sheet.version if sheet else 0) != base_version:
        raise SheetConflict(sheet)
    old_points = sheet.points_by_criterion() if sheet else {}
    if sheet is not None and sheet.status is SheetStatus.SUBMITTED:
        kind = ScoreEventKind.REVISE  # while open, a submitted sheet stays submitted
    else:
        kind = ScoreEventKind.SUBMIT if submit else ScoreEventKind.SAVE
    _check_complete(criteria, {**old_points, **data.points}, kind, reason)
    sheet = _write(assignment, sheet, data, kind)
    payload = {
        "points": _keyed(data.points),
        "old_points": _keyed({cid: old_points.get(cid) for cid in data.points}),
        "notes": _keyed(data.notes),
        "comment": data.comment,
        "status": str(sheet.status),
        "version": sheet.version,
    }
    append_event(
        assignment, kind, payload, user=user, sheet=sheet, reason=reason.strip(), ip_address=ip_address
    )
    db.session.commit()
    log.info("sheet %s %s by %s (version %s)", sheet.id, kind, user.id, sheet.version)
    return sheet


def _check_complete(
    criteria: Iterable[Criterion], points: Mapping[int, float | None], kind: ScoreEventKind, reason: str
) -> None:
    if kind is ScoreEventKind.SAVE:
        return
    errors = {
        points_field(c): _("%(name)s: chưa chấm điểm; nộp phiếu cần đủ điểm mọi tiêu chí.", name=c.name)
        for c in criteria
        if points.get(c.id) is None
    }
    if kind is ScoreEventKind.REVISE and len(reason.strip()) < REASON_MIN:
        errors["reason"] = _("Lý do sửa phiếu đã nộp: cần ghi rõ (ít nhất %(n)d ký tự).", n=REASON_MIN)
    if errors:
        raise SheetError(errors)


def _write(
    assignment: Assignment, sheet: ScoreSheet | None, data: SheetInput, kind: ScoreEventKind
) -> ScoreSheet:
    """Apply the input to the sheet (a new one at version 1) and flush, or raise SheetConflict."""
    if sheet is None:
        sheet = ScoreSheet(assignment=assignment, version=0, status=SheetStatus.DRAFT)
        db.session.add(sheet)
    rows = {score.criterion_id: score for score in sheet.scores}
    for criterion_id in {*data.points, *data.notes} - rows.keys():
        rows[criterion_id] = CriterionScore(criterion_id=criterion_id)
        sheet.scores.append(rows[criterion_id])  # through the collection, so the session cascades it
    for criterion_id, value in data.points.items():
        rows[criterion_id].points = value
    for criterion_id, note in data.notes.items():
        rows[criterion_id].comment = note
    sheet.comment = data.comment
    sheet.version += 1  # the optimistic lock: UPDATE ... WHERE version = <the version read>
    if kind is ScoreEventKind.SUBMIT:
        sheet.status, sheet.submitted_at, sheet.reopened = SheetStatus.SUBMITTED, utcnow(), False
    _flush_or_conflict(assignment)
    return sheet


def _flush_or_conflict(assignment: Assignment) -> None:
    """Write now; if another request wrote the sheet first, undo ours and report the conflict."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        # StaleDataError: the row's version moved on under us; IntegrityError: two first saves.
        db.session.rollback()
        log.info("assignment %s: concurrent write refused (%s)", assignment.id, type(error).__name__)
        raise SheetConflict(assignment.sheet) from error


def _keyed(values: Mapping[int, Any]) -> dict[str, Any]:
    return {str(key): value for key, value in sorted(values.items())}


def recusal_refusal(assignment: Assignment, now: datetime | None = None) -> str | None:
    """Why the member cannot recuse now: allowed from publication until their sheet closes."""
    if assignment.dossier.round.status is RoundStatus.ASSIGNMENT and assignment.published:
        return None if assignment.status is AssignmentStatus.ACTIVE else edit_refusal(assignment, now)
    return edit_refusal(assignment, now)


def recuse(assignment: Assignment, reason: str, *, user: User, ip_address: str | None = None) -> None:
    """The member declares a conflict of interest: the assignment is recused and the sheet closed.

    Allowed while the member could still change their sheet (or at the assignment step, before
    scoring starts). The declaration, the status and the history event are one transaction.
    """
    if not is_scorer(assignment, user):
        raise SheetClosed(_("Chỉ thành viên được phân công mới xin không chấm được hồ sơ này."))
    refusal = recusal_refusal(assignment)
    if refusal:
        raise SheetClosed(refusal)
    sheet = assignment.sheet
    assignment.status = AssignmentStatus.RECUSED
    points = _keyed(sheet.points_by_criterion()) if sheet else {}
    payload = {
        "points": points,
        "old_points": points,
        "status": str(sheet.status if sheet else SheetStatus.NOT_STARTED),
        "version": sheet.version if sheet else 0,
    }
    append_event(
        assignment,
        ScoreEventKind.RECUSE,
        payload,
        user=user,
        sheet=sheet,
        reason=reason.strip(),
        ip_address=ip_address,
    )
    try:
        declare_conflict(assignment.member, assignment.dossier, reason, user=user)  # commits all
    except ValueError as error:
        db.session.rollback()  # the status and the event go with the refused declaration
        raise SheetError({"reason": str(error)}) from error
    log.info("assignment %s recused by %s", assignment.id, user.id)


def reopen_refusal(assignment: Assignment, now: datetime | None = None) -> str | None:
    """Why the chair cannot re-open this sheet now, or None when they can."""
    round_ = assignment.dossier.round
    if assignment.status is not AssignmentStatus.ACTIVE or not assignment.published:
        return _("Phân công này không còn hiệu lực.")
    if scoring_open(round_, now):
        return _("Đang trong hạn chấm điểm: thành viên tự sửa phiếu đã nộp (kèm lý do).")
    if round_.status not in REOPEN_STEPS:
        return _("Chỉ mở lại phiếu khi đợt xét ở bước Chấm điểm hoặc Họp xét.")
    sheet = assignment.sheet
    if sheet is not None and sheet.reopened:
        return _("Phiếu này đang được mở lại, chờ thành viên nộp lại.")
    return None


def reopen_sheet(
    assignment: Assignment, reason: str, *, user: User, ip_address: str | None = None
) -> ScoreSheet:
    """The chair re-opens a sheet after scoring closed: back to draft, editable by its member."""
    refusal = reopen_refusal(assignment)
    if refusal:
        raise SheetClosed(refusal)
    if len(reason.strip()) < REASON_MIN:
        raise SheetError({"reason": _("Lý do mở lại phiếu: cần ghi rõ (ít nhất %(n)d ký tự).", n=REASON_MIN)})
    sheet = assignment.sheet
    old_status = sheet.status if sheet else SheetStatus.NOT_STARTED
    if sheet is None:  # never started: re-opening gives the member a sheet to fill in after all
        sheet = ScoreSheet(assignment=assignment, version=0, status=SheetStatus.DRAFT)
        db.session.add(sheet)
    sheet.status, sheet.reopened = SheetStatus.DRAFT, True
    sheet.version += 1
    _flush_or_conflict(assignment)
    points = _keyed(sheet.points_by_criterion())
    payload = {
        "points": points,
        "old_points": points,
        "old_status": str(old_status),
        "status": str(sheet.status),
        "version": sheet.version,
    }
    append_event(
        assignment,
        ScoreEventKind.REOPEN,
        payload,
        user=user,
        sheet=sheet,
        reason=reason.strip(),
        ip_address=ip_address,
    )
    db.session.commit()
    log.info("sheet %s re-opened by %s", sheet.id, user.id)
    return sheet
