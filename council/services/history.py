"""Lịch sử chấm điểm for auditors: every score event of a round, filtered, paged and exported.

Each row says when (Vietnam time), who acted, from which IP address, on which member's sheet for
which dossier, the points per criterion before and after, and why. While scoring is open, a
viewer who scores in the round (the chair) sees other members' points and reasons hidden: no
member sees another's scores before scoring closes.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from council.extensions import db
from council.i18n import VIETNAM, local_time
from council.models import (
    Assignment,
    AssignmentStatus,
    CouncilMember,
    CouncilRole,
    Criterion,
    Dossier,
    Round,
    ScoreEvent,
    ScoreEventKind,
    SheetStatus,
    User,
)
from council.services.imports.sheets import escape_formula, workbook_bytes, write_sheet
from council.services.scoresheets import format_points, scoring_open

log = logging.getLogger(__name__)

PER_PAGE = 50
# Changes to points, as opposed to events that only record the points they found (re-open, recusal).
CHANGES = frozenset({ScoreEventKind.SAVE, ScoreEventKind.SUBMIT, ScoreEventKind.REVISE})


def _int_arg(args: Mapping[str, str], name: str) -> int | None:
    value = args.get(name, "")
    # ASCII digits only ("²" is a digit to isdigit, not to int) and within the database's integers.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def _date_arg(args: Mapping[str, str], name: str) -> date | None:
    try:
        day = date.fromisoformat(args.get(name, ""))
    except ValueError:
        return None
    # The first and last days cannot be moved to UTC or to the next day: ignored like a bad date.
    return day if date.min < day < date.max else None


@dataclass(frozen=True)
class HistoryFilter:
    """What the history is narrowed to: a dossier, a member's seat, an event kind, Vietnam dates."""

    dossier_id: int | None = None
    member_id: int | None = None
    kind: ScoreEventKind | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> HistoryFilter:
        """From a query string; values that do not parse are ignored rather than failing the page."""
        return cls(
            dossier_id=_int_arg(args, "dossier_id"),
            member_id=_int_arg(args, "member_id"),
            kind=ScoreEventKind._value2member_map_.get(args.get("kind", "")),  # type: ignore[arg-type]
            date_from=_date_arg(args, "date_from"),
            date_to=_date_arg(args, "date_to"),
        )

    @property
    def active(self) -> bool:
        return any((self.dossier_id, self.member_id, self.kind, self.date_from, self.date_to))

    def as_args(self) -> dict[str, str]:
        """The filter as query arguments (for export and page links)."""
        values = {
            "dossier_id": self.dossier_id,
            "member_id": self.member_id,
            "kind": self.kind.value if self.kind else None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: str(value) for key, value in values.items() if value is not None}


def _utc_start(day: date) -> datetime:
    """The first moment of a Vietnam calendar day, as stored (naive UTC)."""
    return datetime.combine(day, time.min, VIETNAM).astimezone(UTC).replace(tzinfo=None)


def _query(round_: Round, criteria: HistoryFilter) -> Select[tuple[ScoreEvent]]:
    query = select(ScoreEvent).join(Assignment, ScoreEvent.assignment_id == Assignment.id)
    query = query.where(ScoreEvent.round_id == round_.id)
    if criteria.dossier_id is not None:
        query = query.where(Assignment.dossier_id == criteria.dossier_id)
    if criteria.member_id is not None:
        query = query.where(Assignment.member_id == criteria.member_id)
    if criteria.kind is not None:
        query = query.where(ScoreEvent.kind == criteria.kind)
    if criteria.date_from is not None:
        query = query.where(ScoreEvent.created_at >= _utc_start(criteria.date_from))
    if criteria.date_to is not None:
        query = query.where(ScoreEvent.created_at < _utc_start(criteria.date_to + timedelta(days=1)))
    return query


@dataclass(frozen=True)
class PointChange:
    criterion: Criterion
    old: float | None
    new: float | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class HistoryRow:
    event: ScoreEvent
    dossier: Dossier
    member: CouncilMember
    hidden: bool  # another member's scores, before scoring closed, for a viewer who scores
    changes: list[PointChange] = field(default_factory=list)

    @property
    def local_time(self) -> datetime:
        return local_time(self.event.created_at)


def _changes(round_: Round, event: ScoreEvent) -> list[PointChange]:
    """Old and new points per criterion, as the event recorded them when it was written."""
    new = event.payload.get("points") or {}
    old = event.payload.get("old_points")
    if old is None:  # events written before old points were kept: the new ones are all we know
        old = new if event.kind not in CHANGES else {}
    return [
        PointChange(c, old.get(str(c.id)), new.get(str(c.id)))
        for c in round_.criteria
        if str(c.id) in new or str(c.id) in old
    ]


def _hides_others(round_: Round, viewer: User) -> bool:
    seat = db.session.scalar(
        select(CouncilMember).where(CouncilMember.round_id == round_.id, CouncilMember.user_id == viewer.id)
    )
    return seat is not None and seat.scores and scoring_open(round_)


def _rows(round_: Round, events: list[ScoreEvent], viewer: User) -> list[HistoryRow]:
    hides = _hides_others(round_, viewer)
    rows = []
    for event in events:
        member = event.assignment.member
        hidden = hides and member.user_id != viewer.id
        changes = [] if hidden else _changes(round_, event)
        rows.append(HistoryRow(event, event.assignment.dossier, member, hidden, changes))
    return rows


def _loaded(query: Select[tuple[ScoreEvent]]) -> Select[tuple[ScoreEvent]]:
    return query.options(
        joinedload(ScoreEvent.actor),
        joinedload(ScoreEvent.assignment).joinedload(Assignment.dossier),
        joinedload(ScoreEvent.assignment).joinedload(Assignment.member).joinedload(CouncilMember.user),
    ).order_by(ScoreEvent.id.desc())


@dataclass(frozen=True)
class HistoryPage:
    rows: list[HistoryRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def history_page(
    round_: Round, criteria: HistoryFilter, *, viewer: User, page: int = 1, per_page: int = PER_PAGE
) -> HistoryPage:
    """One page of the filtered history, newest first."""
    query = _query(round_, criteria)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(max(1, page), max(1, -(-total // per_page)))
    events = list(db.session.scalars(_loaded(query).limit(per_page).offset((page - 1) * per_page)).unique())
    return HistoryPage(_rows(round_, events, viewer), total, page, per_page)


def history_rows(round_: Round, criteria: HistoryFilter, *, viewer: User) -> list[HistoryRow]:
    """Every row of the filtered history, newest first (for the exports)."""
    events = list(db.session.scalars(_loaded(_query(round_, criteria))).unique())
    return _rows(round_, events, viewer)


def filter_options(round_: Round) -> tuple[list[Dossier], list[CouncilMember]]:
    """The dossiers and the scoring members of the round, for the filter's lists."""
    query = select(Dossier).where(Dossier.round_id == round_.id).order_by(Dossier.code)
    dossiers = list(db.session.scalars(query))
    members = sorted((m for m in round_.members if m.scores), key=lambda m: m.user.full_name)
    return dossiers, members


def sheets_to_reopen(round_: Round, criteria: HistoryFilter) -> list[Assignment]:
    """The round's active, published pairs (narrowed by dossier and member) for the chair to re-open."""
    query = (
        select(Assignment)
        .join(Dossier)
        .join(CouncilMember)
        .options(joinedload(Assignment.sheet), joinedload(Assignment.dossier))
        .where(
            Dossier.round_id == round_.id,
            Assignment.status == AssignmentStatus.ACTIVE,
            Assignment.published_at.is_not(None),
            CouncilMember.role != CouncilRole.SECRETARY,
        )
        .order_by(Dossier.code, Assignment.member_id)
    )
    if criteria.dossier_id is not None:
        query = query.where(Assignment.dossier_id == criteria.dossier_id)
    if criteria.member_id is not None:
        query = query.where(Assignment.member_id == criteria.member_id)
    return list(db.session.scalars(query).unique())


# --- exports -------------------------------------------------------------------------------------


def _headers(round_: Round) -> list[str]:
    points = [
        text
        for c in round_.criteria
        for text in (_("%(name)s: điểm cũ", name=c.name), _("%(name)s: điểm mới", name=c.name))
    ]
    return [
        _("Thời gian (giờ Việt Nam)"),
        _("Mã hồ sơ"),
        _("Thành viên chấm"),
        _("Người thực hiện"),
        _("Địa chỉ IP"),
        _("Sự kiện"),
        _("Trạng thái phiếu"),
        _("Phiên bản"),
        *points,
        _("Nhận xét chung"),
        _("Lý do"),
        _("Mã băm (SHA-256)"),
    ]


def _status_label(value: Any) -> str:
    status = SheetStatus._value2member_map_.get(str(value or ""))
    return str(status.label) if status else ""


def _cells(round_: Round, row: HistoryRow, number: Any) -> list[Any]:
    event, hidden_text = row.event, _("(ẩn đến khi hết hạn chấm điểm)")
    by_criterion = {change.criterion.id: change for change in row.changes}
    points: list[Any] = []
    for criterion in round_.criteria:
        change = by_criterion.get(criterion.id)
        points += [number(change.old), number(change.new)] if change else ["", ""]
    return [
        row.local_time.replace(tzinfo=None),
        row.dossier.code,
        row.member.user.full_name,
        event.actor.full_name if event.actor else "",
        event.ip_address or "",
        str(event.kind.label),
        _status_label(event.payload.get("status")),
        event.payload.get("version", ""),
        *points,
        hidden_text if row.hidden else event.payload.get("comment", ""),
        hidden_text if row.hidden else event.reason,
        event.digest,
    ]


def export_history_xlsx(round_: Round, criteria: HistoryFilter, *, user: User) -> bytes:
    """The filtered history as a workbook: one row per event, old and new points per criterion."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Lịch sử chấm điểm")
    headers = _headers(round_)
    widths = [20, 14, 24, 24, 16, 18, 16, 10] + [12] * 2 * len(round_.criteria) + [40, 40, 66]
    rows = history_rows(round_, criteria, viewer=user)
    write_sheet(ws, headers, widths, (_cells(round_, row, lambda v: "" if v is None else v) for row in rows))
    for (cell,) in ws.iter_rows(min_row=2, max_col=1):
        cell.number_format = "dd/mm/yyyy hh:mm:ss"
    log.info("round %s: %d history events exported (xlsx) by %s", round_.id, len(rows), user.id)
    return workbook_bytes(wb)


def _csv_lines(round_: Round, rows: list[HistoryRow]) -> Iterator[list[str]]:
    for row in rows:
        cells = _cells(round_, row, format_points)
        cells[0] = f"{cells[0]:%Y-%m-%d %H:%M:%S}"
        yield [escape_formula(str(cell)) for cell in cells]


def export_history_csv(round_: Round, criteria: HistoryFilter, *, user: User) -> bytes:
    """The same as :func:`export_history_xlsx` as CSV, UTF-8 with BOM so that Excel shows Vietnamese."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(_headers(round_))
    rows = history_rows(round_, criteria, viewer=user)
    writer.writerows(_csv_lines(round_, rows))
    log.info("round %s: %d history events exported (csv) by %s", round_.id, len(rows), user.id)
    return buffer.getvalue().encode("utf-8-sig")
