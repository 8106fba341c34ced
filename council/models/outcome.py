"""What a round produces: award tiers, the deliberation record, ranking snapshots, the decision."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event, false, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.extensions import db
from council.models.base import Timestamped, utcnow
from council.models.enums import DeliberationKind, enum_column

if TYPE_CHECKING:
    from council.models.dossier import Dossier
    from council.models.round import Round
    from council.models.user import User


class AwardTier(db.Model):
    """Mức khen: one tier of the award list, by a minimum normalised score, a quota, or both.

    Tiers are ordered best first (``position``); a dossier lands in the best tier it qualifies
    for (see :mod:`scoring.tiers`).
    """

    __tablename__ = "award_tier"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(255))
    min_score: Mapped[float | None]
    quota: Mapped[int | None]
    # Đề nghị cấp trên: these dossiers go up to the next level (nomination, a later step).
    nominate_upward: Mapped[bool] = mapped_column(default=False, server_default=false())

    round: Mapped[Round] = relationship()


class DeliberationEntry(db.Model):
    """Nội dung họp xét: a council vote or an adjustment on one dossier, always with a reason.

    Append-only: an adjustment is undone by a ``withdraw`` entry that names it, never by an
    edit, so the record of the meeting stays whole. Entries stand beside the statistics; the
    ranking itself is never changed by them.
    """

    __tablename__ = "deliberation_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    kind: Mapped[DeliberationKind] = mapped_column(enum_column(DeliberationKind))
    tier_id: Mapped[int | None] = mapped_column(ForeignKey("award_tier.id", ondelete="SET NULL"))
    tier_name: Mapped[str] = mapped_column(String(255), default="")  # kept if the tier is renamed
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    votes_abstain: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text)
    withdraws_id: Mapped[int | None] = mapped_column(ForeignKey("deliberation_entry.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[Dossier] = relationship()
    tier: Mapped[AwardTier | None] = relationship()
    actor: Mapped[User | None] = relationship()
    withdraws: Mapped[DeliberationEntry | None] = relationship(remote_side=[id])


class RankingSnapshot(db.Model):
    """Xếp hạng: a frozen ranking of a round by one method; the final one is locked by the chair.

    ``payload`` holds every figure the ranking pages showed, the method and its parameters,
    the tiers, the deliberation and the scores themselves; ``fingerprint`` is the SHA-256 of
    its canonical JSON. Re-opening a finalised round keeps the snapshot and records why.
    """

    __tablename__ = "ranking_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical payload
    is_final: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reopened_at: Mapped[datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    round: Mapped[Round] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reopened_by: Mapped[User | None] = relationship(foreign_keys=[reopened_by_id])


class VerdictIsFrozen(RuntimeError):
    """Raised on an attempt to change a final snapshot or a deliberation entry through the ORM."""


# What a stored snapshot may still record: that it was re-opened, by whom and why.
_SNAPSHOT_MUTABLE = frozenset({"reopened_at", "reopened_by_id", "reopen_reason", "reopened_by"})


@event.listens_for(RankingSnapshot, "before_update")
def _refuse_snapshot_change(_mapper: Any, _connection: Any, target: RankingSnapshot) -> None:
    state = inspect(target)
    changed = {a.key for a in state.attrs if a.history.has_changes()} - _SNAPSHOT_MUTABLE
    if changed and target.is_final:
        raise VerdictIsFrozen(
            f"ranking snapshot {target.id} is final; {', '.join(sorted(changed))} cannot change"
        )


@event.listens_for(RankingSnapshot, "before_delete")
def _refuse_snapshot_delete(_mapper: Any, _connection: Any, target: RankingSnapshot) -> None:
    if target.is_final:
        raise VerdictIsFrozen(f"ranking snapshot {target.id} is final and cannot be deleted")


@event.listens_for(DeliberationEntry, "before_update")
@event.listens_for(DeliberationEntry, "before_delete")
def _refuse_entry_change(_mapper: Any, _connection: Any, target: DeliberationEntry) -> None:
    raise VerdictIsFrozen(f"deliberation entry {target.id} is part of the record; withdraw it instead")


class Decision(Timestamped, db.Model):
    """Quyết định công nhận and its Danh sách kèm theo, printed from a final ranking snapshot.

    A draft until issued (``number`` None); issuing gives it the next number of its issuer
    symbol and year, never reused, and freezes it. The list always comes from the snapshot.
    """

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("issuer_symbol", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("ranking_snapshot.id"))
    number: Mapped[int | None]  # never reused within an issuer and year
    issuer_symbol: Mapped[str] = mapped_column(String(64))  # e.g. QĐ-MTTQ-BTT
    year: Mapped[int]
    parent_body: Mapped[str] = mapped_column(String(255), default="", server_default="")  # cơ quan chủ quản
    issuing_body: Mapped[str] = mapped_column(String(255), default="", server_default="")  # cơ quan ban hành
    place: Mapped[str] = mapped_column(String(255), default="")
    issued_on: Mapped[date | None]
    summary: Mapped[str] = mapped_column(Text, default="")  # trích yếu
    authority: Mapped[str] = mapped_column(Text, default="", server_default="")  # thẩm quyền ban hành
    grounds: Mapped[list[str]] = mapped_column(JSON, default=list)  # căn cứ
    articles: Mapped[list[str]] = mapped_column(JSON, default=list)  # Điều 1, 2, 3
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)  # nơi nhận
    signing_authority: Mapped[str] = mapped_column(String(255), default="")  # TM. BAN THƯỜNG TRỰC
    signer_title: Mapped[str] = mapped_column(String(255), default="")
    signer_name: Mapped[str] = mapped_column(String(255), default="")
    list_title: Mapped[str] = mapped_column(Text, default="", server_default="")
    list_issuer: Mapped[str] = mapped_column(String(255), default="", server_default="")
    verify_code: Mapped[str | None] = mapped_column(String(16), index=True)  # short code of the snapshot
    issued_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    round: Mapped[Round] = relationship()
    snapshot: Mapped[RankingSnapshot | None] = relationship()
    issued_by: Mapped[User | None] = relationship()

    @property
    def issued(self) -> bool:
        return self.number is not None
