"""The chair's deliberation (họp xét): method, award tiers, votes and adjustments, finalising.

Adjustments stand beside the statistics and never overwrite them; finalising stores the
whole ranking as a :class:`~council.models.RankingSnapshot` with a SHA-256 fingerprint and
moves the round to ``finalised``, after which scores, tiers and adjustments are refused
until the chair re-opens the round with a reason (the snapshot stays, marked re-opened).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentStatus,
    AwardTier,
    DeliberationEntry,
    DeliberationKind,
    Dossier,
    RankingSnapshot,
    Round,
    RoundStatus,
    RoundStatusChange,
    ScoreSheet,
    SheetStatus,
    User,
)
from council.models.base import utcnow
from council.services import library, ranking
from scoring.ranking import METHODS

log = logging.getLogger(__name__)

REASON_MIN = 10
COUNT_MAX = 2**31 - 1  # quotas and vote counts are integer columns
VISIBLE_STEPS = frozenset({RoundStatus.DELIBERATION, RoundStatus.FINALISED, RoundStatus.PUBLISHED})
LOCKED_STEPS = frozenset({RoundStatus.FINALISED, RoundStatus.PUBLISHED})


class DeliberationError(ValueError):
    """Refused input; ``errors`` maps each form field's name to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def locked(round_: Round) -> bool:
    """Whether the verdict is final: scores, tiers and adjustments are then refused."""
    return round_.status in LOCKED_STEPS


def final_snapshot(round_: Round) -> RankingSnapshot | None:
    """The standing final snapshot (not re-opened), if the round has one."""
    return db.session.scalar(
        select(RankingSnapshot)
        .where(
            RankingSnapshot.round_id == round_.id,
            RankingSnapshot.is_final.is_(True),
            RankingSnapshot.reopened_at.is_(None),
        )
        .order_by(RankingSnapshot.id.desc())
    )


def snapshots(round_: Round) -> list[RankingSnapshot]:
    """Every final snapshot of the round, newest first (re-opened ones included)."""
    return list(
        db.session.scalars(
            select(RankingSnapshot)
            .where(RankingSnapshot.round_id == round_.id, RankingSnapshot.is_final.is_(True))
            .order_by(RankingSnapshot.id.desc())
        )
    )


@dataclass(frozen=True)
class RankingState:
    """What the ranking pages show: the payload, and the snapshot it comes from if finalised."""

    payload: dict[str, Any]
    snapshot: RankingSnapshot | None

    @property
    def fingerprint(self) -> str:
        return self.snapshot.fingerprint if self.snapshot else ranking.fingerprint(self.payload)


def current(round_: Round, method: str | None = None) -> RankingState:
    """The stored final ranking once finalised, else the live one (``method`` for a preview).

    Raises
    ------
    ranking.NoScores
        If the ranking is live and no sheet has been submitted.
    """
    snapshot = final_snapshot(round_) if locked(round_) else None
    if snapshot is not None and method is None:
        return RankingState(snapshot.payload, snapshot)
    return RankingState(ranking.build_payload(round_, method), None)


def verify(snapshot: RankingSnapshot) -> bool:
    """Whether the snapshot's payload still has the fingerprint it was stored with."""
    return ranking.fingerprint(snapshot.payload) == snapshot.fingerprint


# --- method and tiers ----------------------------------------------------------------------------


def _refuse_if_locked(round_: Round) -> None:
    if locked(round_):
        raise DeliberationError(
            {"round": _("Kết quả đã chốt: không thay đổi được. Chủ tịch mở lại đợt xét (kèm lý do) nếu cần.")}
        )


def save_method(round_: Round, method: str, *, user: User) -> None:
    """Choose the normalisation method of the round (before finalising)."""
    _refuse_if_locked(round_)
    if method not in METHODS:
        raise DeliberationError({"method": _("Phương pháp không hợp lệ: %(m)s.", m=method)})
    log.info("round %s: ranking method %s -> %s by %s", round_.id, round_.ranking_method, method, user.id)
    round_.ranking_method = method
    db.session.commit()


@dataclass(frozen=True)
class TierInput:
    """One row of the tiers form; ``tier_id`` is None for a new tier."""

    tier_id: int | None
    position: float | None
    name: str
    min_score: float | None
    quota: int | None
    nominate_upward: bool
    remove: bool


def save_tiers(round_: Round, rows: list[TierInput], *, user: User) -> None:
    """Replace the round's tiers by the rows (best first by position); all or nothing.

    Raises
    ------
    DeliberationError
        Keyed ``"rows-<i>-<field>"`` for each bad cell, naming the row.
    """
    _refuse_if_locked(round_)
    existing = {t.id: t for t in ranking.tiers_of(round_)}
    kept = [r for r in rows if not r.remove and (r.tier_id is not None or r.name.strip())]
    errors = _tier_errors(round_, rows)
    if errors:
        raise DeliberationError(errors)
    for row in rows:
        if row.remove and row.tier_id in existing:
            db.session.delete(existing.pop(row.tier_id))
    ordered = sorted(enumerate(kept), key=lambda item: (item[1].position or 0, item[0]))
    for position, (_index, row) in enumerate(ordered, start=1):
        tier = existing.get(row.tier_id) if row.tier_id is not None else None
        if tier is None:
            tier = AwardTier(round_id=round_.id)
            db.session.add(tier)
        tier.position, tier.name = position, row.name.strip()
        tier.min_score, tier.quota, tier.nominate_upward = row.min_score, row.quota, row.nominate_upward
    log.info("round %s: %d award tiers saved by %s", round_.id, len(kept), user.id)
    db.session.commit()


def _tier_errors(round_: Round, rows: list[TierInput]) -> dict[str, str]:
    errors: dict[str, str] = {}
    top = round_.max_total
    for i, row in enumerate(rows):
        if row.remove or (row.tier_id is None and not row.name.strip()):
            continue
        line = i + 1
        if not row.name.strip():
            errors[f"rows-{i}-name"] = _("Dòng %(n)d, Tên mức khen: không được để trống.", n=line)
        if row.min_score is None and row.quota is None:
            errors[f"rows-{i}-min_score"] = _(
                "Dòng %(n)d: cần điểm tối thiểu, số lượng tối đa, hoặc cả hai.", n=line
            )
        if row.min_score is not None and not 0 <= row.min_score <= top:
            errors[f"rows-{i}-min_score"] = _(
                "Dòng %(n)d, Điểm tối thiểu: phải từ 0 đến %(top)s.", n=line, top=f"{top:g}"
            )
        if row.quota is not None and row.quota < 1:
            errors[f"rows-{i}-quota"] = _("Dòng %(n)d, Số lượng tối đa: phải từ 1 trở lên.", n=line)
        elif row.quota is not None and row.quota > COUNT_MAX:
            errors[f"rows-{i}-quota"] = _(
                "Dòng %(n)d, Số lượng tối đa: phải từ 1 đến %(max)s.", n=line, max=format_decimal(COUNT_MAX)
            )
    return errors


# --- votes and adjustments -----------------------------------------------------------------------


@dataclass(frozen=True)
class EntryInput:
    """A vote or adjustment as the chair entered it."""

    dossier_id: int
    kind: DeliberationKind
    tier_id: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    reason: str


def record_entry(round_: Round, data: EntryInput, *, user: User) -> DeliberationEntry:
    """Record a council vote or an adjustment on a dossier; always with a reason.

    Raises
    ------
    DeliberationError
        Outside the deliberation step, without a reason, or when the adjustment does not fit
        the dossier's current tier (move/exclude need it on the list, include needs it off).
    """
    _refuse_unless_deliberating(round_)
    dossier = db.session.get(Dossier, data.dossier_id)
    if dossier is None or dossier.round_id != round_.id:
        raise DeliberationError({"dossier_id": _("Hồ sơ: không có trong đợt xét này.")})
    tier = db.session.get(AwardTier, data.tier_id) if data.tier_id else None
    errors = _entry_errors(round_, dossier, data, tier)
    if errors:
        raise DeliberationError(errors)
    entry = DeliberationEntry(
        round_id=round_.id,
        dossier=dossier,
        kind=data.kind,
        tier=tier,
        tier_name=tier.name if tier else "",
        votes_for=data.votes_for,
        votes_against=data.votes_against,
        votes_abstain=data.votes_abstain,
        reason=data.reason.strip(),
        actor=user,
    )
    db.session.add(entry)
    db.session.commit()
    log.info("round %s: deliberation %s on %s by %s", round_.id, data.kind, dossier.code, user.id)
    return entry


def _refuse_unless_deliberating(round_: Round) -> None:
    _refuse_if_locked(round_)
    if round_.status is not RoundStatus.DELIBERATION:
        raise DeliberationError({"round": _("Chỉ ghi biểu quyết và điều chỉnh khi đợt xét ở bước Họp xét.")})


def _entry_errors(
    round_: Round, dossier: Dossier, data: EntryInput, tier: AwardTier | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(data.reason.strip()) < REASON_MIN:
        errors["reason"] = _("Lý do: cần ghi rõ (ít nhất %(n)d ký tự).", n=REASON_MIN)
    votes = (data.votes_for, data.votes_against, data.votes_abstain)
    if any(v is not None and v < 0 for v in votes):
        errors["votes_for"] = _("Số phiếu: không được âm.")
    elif any(v is not None and v > COUNT_MAX for v in votes):
        errors["votes_for"] = _("Số phiếu: tối đa %(max)s.", max=format_decimal(COUNT_MAX))
    if data.kind is DeliberationKind.VOTE and data.votes_for is None:
        errors["votes_for"] = _("Biểu quyết: cần ghi số phiếu tán thành.")
    if data.kind in (DeliberationKind.MOVE, DeliberationKind.INCLUDE) and (
        tier is None or tier.round_id != round_.id
    ):
        errors["tier_id"] = _("Mức khen: chọn mức khen của đợt xét này.")
    if errors or data.kind is DeliberationKind.VOTE:
        return errors
    row = _standing_row(round_, dossier)
    on_list = row is not None and row["tier"] is not None
    if data.kind is DeliberationKind.INCLUDE and on_list:
        errors["kind"] = _("Hồ sơ đã có trong danh sách: dùng “Chuyển mức khen”.")
    elif data.kind in (DeliberationKind.MOVE, DeliberationKind.EXCLUDE) and not on_list:
        errors["kind"] = _("Hồ sơ chưa có trong danh sách: dùng “Đưa vào danh sách”.")
    elif data.kind is DeliberationKind.MOVE and row is not None and tier and row["tier"] == tier.id:
        errors["tier_id"] = _("Hồ sơ đã ở mức khen này.")
    elif row is None:
        errors["dossier_id"] = _("Hồ sơ chưa có phiếu chấm đã nộp nên chưa được xếp hạng.")
    return errors


def _standing_row(round_: Round, dossier: Dossier) -> dict[str, Any] | None:
    payload = ranking.build_payload(round_)
    return next((row for row in payload["dossiers"] if row["id"] == dossier.id), None)


def withdraw_entry(round_: Round, entry: DeliberationEntry, reason: str, *, user: User) -> DeliberationEntry:
    """Undo an adjustment by recording a ``withdraw`` entry that names it (nothing is deleted)."""
    _refuse_unless_deliberating(round_)
    if entry.round_id != round_.id or entry.kind in (DeliberationKind.VOTE, DeliberationKind.WITHDRAW):
        raise DeliberationError({"entry": _("Chỉ hủy được một điều chỉnh mức khen.")})
    already = db.session.scalar(
        select(DeliberationEntry.id).where(DeliberationEntry.withdraws_id == entry.id)
    )
    if already is not None:
        raise DeliberationError({"entry": _("Điều chỉnh này đã được hủy.")})
    if len(reason.strip()) < REASON_MIN:
        raise DeliberationError({"reason": _("Lý do: cần ghi rõ (ít nhất %(n)d ký tự).", n=REASON_MIN)})
    undo = DeliberationEntry(
        round_id=round_.id,
        dossier_id=entry.dossier_id,
        kind=DeliberationKind.WITHDRAW,
        withdraws=entry,
        reason=reason.strip(),
        actor=user,
    )
    db.session.add(undo)
    db.session.commit()
    return undo


# --- finalising ----------------------------------------------------------------------------------


def finalise_refusal(round_: Round) -> str | None:
    """Why the round cannot be finalised now, or None."""
    if round_.status is not RoundStatus.DELIBERATION:
        return _("Chỉ chốt kết quả khi đợt xét ở bước Họp xét.")
    pending = db.session.scalar(
        select(ScoreSheet.id)
        .join(Assignment)
        .join(Dossier)
        .where(
            Dossier.round_id == round_.id,
            ScoreSheet.reopened.is_(True),
            ScoreSheet.status == SheetStatus.DRAFT,
            Assignment.status == AssignmentStatus.ACTIVE,
        )
    )
    if pending is not None:
        return _("Còn phiếu chấm được mở lại mà thành viên chưa nộp lại.")
    return None


def finalise(round_: Round, *, user: User | None) -> RankingSnapshot:
    """Store the ranking as the final snapshot and lock the round (chủ tịch chốt kết quả).

    Raises
    ------
    DeliberationError
        If :func:`finalise_refusal` refuses.
    ranking.NoScores
        If no sheet has been submitted.
    """
    # The round row is locked so two finalisations (or a finalisation and a late adjustment
    # on another connection) cannot interleave.
    db.session.execute(select(Round.id).where(Round.id == round_.id).with_for_update())
    db.session.refresh(round_)
    refusal = finalise_refusal(round_)
    if refusal:
        raise DeliberationError({"round": refusal})
    payload = ranking.build_payload(round_)
    payload["finalised"] = {
        "at": utcnow().isoformat(timespec="seconds"),
        "by": user.full_name if user else "",
        "by_username": user.username if user else "",
    }
    snapshot = RankingSnapshot(
        round_id=round_.id,
        method=payload["method"],
        payload=payload,
        fingerprint=ranking.fingerprint(payload),
        is_final=True,
        created_by=user,
    )
    db.session.add(snapshot)
    db.session.add(
        RoundStatusChange(
            round=round_, from_status=round_.status, to_status=RoundStatus.FINALISED, reason="", actor=user
        )
    )
    round_.status = RoundStatus.FINALISED
    db.session.flush()
    library.stage_round(round_, snapshot)  # the recognised dossiers enter the library with the verdict
    db.session.commit()
    log.info(
        "round %s finalised by %s: snapshot %s %s",
        round_.id,
        user.id if user else "cli",
        snapshot.id,
        snapshot.fingerprint,
    )
    return snapshot


def mark_reopened(round_: Round, reason: str, *, user: User) -> None:
    """Called when a finalised round is re-opened: the final snapshot stays, marked and explained."""
    for snapshot in snapshots(round_):
        if snapshot.reopened_at is None:
            snapshot.reopened_at, snapshot.reopened_by, snapshot.reopen_reason = utcnow(), user, reason
    library.stage_round(round_, None)  # until finalised again, the round has no recognised dossiers
