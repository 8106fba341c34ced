"""Báo cáo kết quả thực hiện Phong trào: a unit's 6-month and yearly reports, their plans and reminders.

The movement's plans ask every Front committee and member organisation to report "định kỳ 6 tháng,
1 năm" to the level above (e.g. "6 tháng gửi báo cáo trước ngày 30/5 và báo cáo năm trước ngày
20/11", or "trước ngày 05/6" and "trước ngày 05/11"). A :class:`~council.models.ReportPlan` holds a
unit's two periods and due dates for a year; :func:`build` counts what happened in a period.

What counts, for a unit U and a period P
-----------------------------------------
*Scope.* U and every unit below it (its children, their children, …): "the subtree".

*Period.* Calendar days ``start``–``end`` (both included) in Vietnam time (UTC+7). Times are stored
as naive UTC (``models.base.utcnow``), so a stored time t is in P when
``start 00:00 (UTC+7) <= t < (end + 1 day) 00:00 (UTC+7)``: 23:30 UTC on 31 December is
1 January in Vietnam and counts in the new year.

*Received* (hồ sơ tiếp nhận): dossiers of rounds whose issuing unit is in the subtree, registered
(``Dossier.created_at``) in P, whatever their status now (returned and withdrawn ones were received).

*Scored* (đã chấm điểm): of the received, those with at least one score sheet that is submitted now
(``ScoreSheet.status == submitted``); a sheet the chair re-opened and not yet re-submitted does not count.

*Recognised* (được công nhận): library entries (``LibraryEntry``: the dossiers a final snapshot put
on the award list) of rounds whose issuing unit is in the subtree, whose snapshot was created
(the round finalised) in P. A re-opened round's entries left the library, so they do not count
until the round is finalised again, in the period of that new snapshot.

*Breakdowns.* By field and kind of the dossier (as recognised, for recognised ones); by member
organisation: the kind (``UnitKind``) of the unit that submitted the dossier; by sub-unit: the
child of U whose subtree holds the dossier's unit, "U itself" when the dossier's unit is U, and
"outside" when a round of the subtree received it from a unit that is not in the subtree. Every
breakdown adds up to the totals.

*Replications* (nhân rộng mô hình): ``Replication`` rows recorded (``created_at``) in P where the
replicating unit is in the subtree, or the replicated dossier's round was issued in the subtree
(models of ours replicated elsewhere, and models replicated here).

*Previous period* (kỳ trước): as long as P and right before it. When P is whole months (the day
after ``end`` is k months after ``start``, e.g. 01/01–30/06 or 15/12–14/06) it is the k months
before ``start`` (01/07–31/12 of the year before); otherwise the same number of days.

Who
---
:func:`may_report` (reports, exports, plans): an administrator, or an active user who is secretary or
chair of a round issued by that very unit. :func:`may_view` adds auditors, who see the figures.
:func:`reminders` go to secretaries of a round the unit issued for the plan's year or the year before,
from ``remind_days`` before a due date until :data:`OVERDUE_DAYS` days after it.
"""

from __future__ import annotations

import io
import logging
import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from flask_babel import force_locale
from flask_babel import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from council.documents import report as renderer
from council.documents.vietnamese import format_date, nfc, text_key
from council.extensions import db
from council.i18n import VIETNAM
from council.models import (
    Assignment,
    CouncilMember,
    CouncilRole,
    Dossier,
    DossierKind,
    Field,
    LibraryEntry,
    RankingSnapshot,
    Replication,
    ReportPlan,
    Round,
    ScoreSheet,
    SheetStatus,
    Unit,
    UnitKind,
    User,
)
from council.services.library import fold

log = logging.getLogger(__name__)

HALF, YEAR, CUSTOM = "half", "year", "custom"
PARTS = (HALF, YEAR)
OVERDUE_DAYS = 30  # an overdue report is still shown this many days after its due date
MAX_REMIND_DAYS = 120
REPORTING_ROLES = frozenset({CouncilRole.SECRETARY, CouncilRole.CHAIR})
REMINDED_ROLES = frozenset({CouncilRole.SECRETARY})
# The Front and its member organisations: always a line of the member-organisation breakdown.
FRONT_KINDS = (
    UnitKind.FRONT_COMMITTEE,
    UnitKind.LABOUR_FEDERATION,
    UnitKind.FARMERS_UNION,
    UnitKind.YOUTH_UNION,
    UnitKind.WOMENS_UNION,
    UnitKind.VETERANS_ASSOCIATION,
)
SYMBOLS = {
    UnitKind.FRONT_COMMITTEE: "BC-MTTQ-BTT",
    UnitKind.LABOUR_FEDERATION: "BC-LĐLĐ",
    UnitKind.FARMERS_UNION: "BC-HND",
    UnitKind.YOUTH_UNION: "BC-ĐTN",
    UnitKind.WOMENS_UNION: "BC-HLHPN",
    UnitKind.VETERANS_ASSOCIATION: "BC-CCB",
}
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SELF, OUTSIDE = "self", "outside"
SHEETS = {  # the workbook's sheet of each breakdown (at most 31 characters)
    "field": "Lĩnh vực",
    "kind": "Loại hồ sơ",
    "organisation": "Tổ chức thành viên",
    "subunit": "Đơn vị trực thuộc",
}
_PLACE = re.compile(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+(.+)$", re.IGNORECASE)
_SLUG = re.compile(r"[^a-z0-9]+")


def today() -> date:
    """Today in Vietnam. Tests replace this function to move the calendar."""
    return datetime.now(VIETNAM).date()


def _utc(day: date) -> datetime:
    """Midnight at the start of ``day`` in Vietnam, as the naive UTC time the database stores."""
    return datetime.combine(day, time(), tzinfo=VIETNAM).astimezone(UTC).replace(tzinfo=None)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, day.day)


def _whole_months(start: date, end: date) -> int:
    """k when ``start``–``end`` is exactly k months (day after ``end`` = ``start`` + k months), else 0."""
    after = end + timedelta(days=1)
    if start.day > 28 or after.day != start.day:
        return 0
    return (after.year - start.year) * 12 + after.month - start.month


# --- periods ----------------------------------------------------------------------------------------


class PeriodError(ValueError):
    """A period that cannot be reported on; ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Period:
    """Kỳ báo cáo: calendar days ``start``–``end`` (included); ``kind`` half, year or custom."""

    start: date
    end: date
    kind: str = CUSTOM
    year: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period ends on or after its start, not {self.start} → {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """``[low, high)`` in stored (naive UTC) time."""
        return _utc(self.start), _utc(self.end + timedelta(days=1))

    def previous(self) -> Period:
        """The period as long as this one right before it (see the module's docstring)."""
        months = _whole_months(self.start, self.end)
        start = _add_months(self.start, -months) if months else self.start - timedelta(days=self.days)
        return Period(start, self.start - timedelta(days=1))

    @property
    def title(self) -> str:
        """In the document's title: "6 tháng đầu năm 2025", "năm 2025", "từ ngày 01/01/2025 đến ngày …"."""
        if self.kind == HALF:
            return f"6 tháng đầu năm {self.year}"
        if self.kind == YEAR:
            return f"năm {self.year}"
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    @property
    def span(self) -> str:
        """ "từ ngày 01 tháng 01 năm 2025 đến ngày 30 tháng 6 năm 2025" (NĐ 30 dates)."""
        return f"từ {format_date(self.start)} đến {format_date(self.end)}"

    def label(self) -> str:
        """The period's name in the reader's language, for the pages."""
        if self.kind == HALF:
            return _("6 tháng đầu năm %(year)s", year=self.year)
        if self.kind == YEAR:
            return _("năm %(year)s", year=self.year)
        return _("từ %(start)s đến %(end)s", start=f"{self.start:%d/%m/%Y}", end=f"{self.end:%d/%m/%Y}")


def plan_period(plan: ReportPlan, part: str) -> Period:
    """The half-year or yearly period of a plan."""
    if part == YEAR:
        return Period(plan.year_from, plan.year_to, YEAR, plan.year)
    return Period(plan.half_year_from, plan.half_year_to, HALF, plan.year)


def due_date(plan: ReportPlan, part: str) -> date:
    return plan.year_due if part == YEAR else plan.half_year_due


def resolve_period(
    unit: Unit,
    *,
    plan_id: int | None,
    part: str | None,
    start: date | None,
    end: date | None,
    on: date,
) -> tuple[Period, ReportPlan | None]:
    """The period a page asks for: a plan's part, else the days typed, else :func:`default_period`.

    Raises
    ------
    PeriodError
        A plan of another unit, or days that end before they start.
    """
    if plan_id is not None:
        plan = plan_of(unit, plan_id)
        if plan is None:
            raise PeriodError({"plan": _("Kế hoạch này không thuộc đơn vị.")})
        return plan_period(plan, part if part in PARTS else HALF), plan
    if start is not None or end is not None:
        if start is None or end is None:
            raise PeriodError({"start": _("Vui lòng chọn cả ngày bắt đầu và ngày kết thúc.")})
        if end < start:
            raise PeriodError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        kind = part if part in PARTS else CUSTOM
        return Period(start, end, kind, end.year if kind != CUSTOM else None), None
    return default_period(unit, on)


def default_period(unit: Unit, on: date) -> tuple[Period, ReportPlan | None]:
    """The report most likely wanted on day ``on``: the plan part whose due date comes first among
    those not yet more than :data:`OVERDUE_DAYS` days past; else the newest plan's year; else
    1 January to ``on``."""
    plans = plans_of(unit)
    upcoming = sorted(
        ((due_date(plan, part), plan.id, plan, part) for plan in plans for part in PARTS),
        key=lambda item: item[:2],
    )
    for due, _id, plan, part in upcoming:
        if due + timedelta(days=OVERDUE_DAYS) >= on:
            return plan_period(plan, part), plan
    if plans:
        return plan_period(plans[0], YEAR), plans[0]
    return Period(date(on.year, 1, 1), on), None


# --- who ----------------------------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "active", False))


def may_report(user: User, unit: Unit) -> bool:
    """Whether ``user`` reports for ``unit``: an administrator, or the secretary or chair of a round
    that this unit issued. Checked server-side by every report and plan view."""
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    seat = db.session.scalar(
        select(CouncilMember.id)
        .join(Round, CouncilMember.round_id == Round.id)
        .where(
            CouncilMember.user_id == user.id,
            CouncilMember.role.in_(REPORTING_ROLES),
            Round.issuing_unit_id == unit.id,
        )
        .limit(1)
    )
    return seat is not None


def may_view(user: User, unit: Unit) -> bool:
    """Whether ``user`` sees the unit's report figures and plans: :func:`may_report`, or an auditor."""
    return _signed_in(user) and (user.is_auditor or may_report(user, unit))


def units_for(user: User) -> list[Unit]:
    """The units whose reports ``user`` sees: every unit for administrators and auditors, else the
    issuing units of the rounds in which the user is secretary or chair; in Vietnamese order."""
    if not _signed_in(user):
        return []
    statement = select(Unit)
    if not (user.is_admin or user.is_auditor):
        statement = statement.where(
            Unit.id.in_(
                select(Round.issuing_unit_id)
                .join(CouncilMember, CouncilMember.round_id == Round.id)
                .where(CouncilMember.user_id == user.id, CouncilMember.role.in_(REPORTING_ROLES))
            )
        )
    return sorted(db.session.scalars(statement), key=lambda unit: text_key(unit.name))


# --- plans --------------------------------------------------------------------------------------------


class PlanError(ValueError):
    """A refused plan; ``errors`` maps each form field to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


PLAN_FIELDS = (
    "title", "year", "half_year_from", "half_year_to", "half_year_due",
    "year_from", "year_to", "year_due", "remind_days",
)  # fmt: skip


def plans_of(unit: Unit) -> list[ReportPlan]:
    """The unit's plans, newest year first."""
    return list(
        db.session.scalars(
            select(ReportPlan)
            .where(ReportPlan.unit_id == unit.id)
            .order_by(ReportPlan.year.desc(), ReportPlan.id.desc())
        )
    )


def plan_of(unit: Unit, plan_id: int) -> ReportPlan | None:
    """The plan, if it is this unit's (an id of another unit's plan is not found here)."""
    plan = db.session.get(ReportPlan, plan_id)
    return plan if plan is not None and plan.unit_id == unit.id else None


def plan_defaults(year: int) -> dict[str, Any]:
    """A first plan: the half year to 15 May, due 30 May; the year to 31 October, due 20 November."""
    return {
        "title": f"Kế hoạch thực hiện Phong trào thi đua “Đoàn kết sáng tạo” năm {year}",
        "year": year,
        "half_year_from": date(year, 1, 1),
        "half_year_to": date(year, 5, 15),
        "half_year_due": date(year, 5, 30),
        "year_from": date(year, 1, 1),
        "year_to": date(year, 10, 31),
        "year_due": date(year, 11, 20),
        "remind_days": 14,
    }


def _plan_errors(data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(data.get("title") or "").strip():
        errors["title"] = _("Vui lòng nhập tên kế hoạch.")
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Năm phải từ 2000 đến 2100.")
        return errors
    earliest, latest = date(year - 1, 1, 1), date(year + 1, 12, 31)
    for part, name in (("half_year", _("Kỳ 6 tháng")), ("year", _("Kỳ năm"))):
        start, end, due = (data.get(f"{part}_{key}") for key in ("from", "to", "due"))
        for key, value in (("from", start), ("to", end), ("due", due)):
            if not isinstance(value, date):
                errors[f"{part}_{key}"] = _("Vui lòng chọn ngày.")
            elif not earliest <= value <= latest:
                errors[f"{part}_{key}"] = _(
                    "Ngày phải trong năm %(year)s, năm trước hoặc năm sau.", year=year
                )
        if isinstance(start, date) and isinstance(end, date) and end < start:
            errors.setdefault(f"{part}_to", _("%(part)s: ngày kết thúc phải sau ngày bắt đầu.", part=name))
        if isinstance(start, date) and isinstance(due, date) and due < start:
            errors.setdefault(f"{part}_due", _("%(part)s: hạn báo cáo phải sau ngày bắt đầu.", part=name))
    remind = data.get("remind_days")
    if not isinstance(remind, int) or not 0 <= remind <= MAX_REMIND_DAYS:
        errors["remind_days"] = _("Số ngày nhắc trước phải từ 0 đến %(max)s.", max=MAX_REMIND_DAYS)
    return errors


def save_plan(unit: Unit, data: dict[str, Any], *, user: User, plan: ReportPlan | None = None) -> ReportPlan:
    """Create (``plan`` None) or change one of the unit's plans, all fields or none.

    Raises
    ------
    PlanError
        Naming each refused field: a missing title or date, a year outside 2000–2100, a date more
        than a year away from the plan's year, a period that ends before it starts, a due date
        before its period starts, reminders outside 0–120 days.
    """
    errors = _plan_errors(data)
    if errors:
        raise PlanError(errors)
    if plan is None:
        plan = ReportPlan(unit_id=unit.id, created_by_id=user.id)
        db.session.add(plan)
    for name in PLAN_FIELDS:
        value = data[name]
        setattr(plan, name, nfc(value.strip()) if isinstance(value, str) else value)
    db.session.commit()
    log.info("report plan %s of unit %s saved by user %s", plan.id, unit.id, user.id)
    return plan


def delete_plan(plan: ReportPlan, *, user: User) -> None:
    log.info("report plan %s of unit %s deleted by user %s", plan.id, plan.unit_id, user.id)
    db.session.delete(plan)
    db.session.commit()


# --- reminders ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """A report due soon (``days_left`` ≥ 0) or overdue (< 0) for one plan's part."""

    plan: ReportPlan
    part: str
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def period(self) -> Period:
        return plan_period(self.plan, self.part)


def _window(plan: ReportPlan, on: date) -> list[Reminder]:
    """The plan's parts whose reminder shows on day ``on``: from ``remind_days`` before the due date
    to :data:`OVERDUE_DAYS` after it, both included."""
    found = []
    for part in PARTS:
        due = due_date(plan, part)
        if due - timedelta(days=plan.remind_days) <= on <= due + timedelta(days=OVERDUE_DAYS):
            found.append(Reminder(plan, part, due, (due - on).days))
    return found


def _near(on: date) -> Any:
    low, high = on - timedelta(days=OVERDUE_DAYS), on + timedelta(days=MAX_REMIND_DAYS)
    return or_(ReportPlan.half_year_due.between(low, high), ReportPlan.year_due.between(low, high))


def _reminded_seat(user_id: Any, unit_id: Any, year: Any) -> Any:
    """A secretary's seat in a round that the plan's unit issued for the plan's year or the year before.

    The arguments are values or columns: the same rule finds a user's plans and a plan's users.
    """
    return (
        select(CouncilMember.id)
        .join(Round, CouncilMember.round_id == Round.id)
        .where(
            CouncilMember.user_id == user_id,
            CouncilMember.role.in_(REMINDED_ROLES),
            Round.issuing_unit_id == unit_id,
            Round.year >= year - 1,
            Round.year <= year,
        )
        .exists()
    )


def reminders(user: User, *, on: date) -> list[Reminder]:
    """The reports ``user`` is reminded of on day ``on``, soonest due first."""
    if not _signed_in(user):
        return []
    plans = db.session.scalars(
        select(ReportPlan)
        .where(_reminded_seat(user.id, ReportPlan.unit_id, ReportPlan.year), _near(on))
        .options(joinedload(ReportPlan.unit))
    )
    found = [reminder for plan in plans for reminder in _window(plan, on)]
    return sorted(found, key=lambda r: (r.due, r.plan.id, r.part))


def due_reminders(on: date) -> list[tuple[Reminder, list[User]]]:
    """Every reminder showing on day ``on`` with the users it shows to (for the command line)."""
    found = []
    for plan in db.session.scalars(select(ReportPlan).where(_near(on)).order_by(ReportPlan.id)):
        parts = _window(plan, on)
        if not parts:
            continue
        users = list(
            db.session.scalars(
                select(User)
                .where(User.active.is_(True), _reminded_seat(User.id, plan.unit_id, plan.year))
                .order_by(User.username)
            )
        )
        found += [(reminder, users) for reminder in parts]
    return sorted(found, key=lambda item: (item[0].due, item[0].plan.id, item[0].part))


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard shows of reports: the user's reminders, and whether to link to the reports."""

    reminders: list[Reminder]
    link: bool


def dashboard(user: User, *, on: date) -> Dashboard:
    if not _signed_in(user):
        return Dashboard([], False)
    link = (
        user.is_admin
        or user.is_auditor
        or bool(
            db.session.scalar(
                select(CouncilMember.id)
                .where(CouncilMember.user_id == user.id, CouncilMember.role.in_(REPORTING_ROLES))
                .limit(1)
            )
        )
    )
    return Dashboard(reminders(user, on=on), link)


# --- the figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Received, scored and recognised dossiers."""

    received: int = 0
    scored: int = 0
    recognised: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.received + other.received, self.scored + other.scored, self.recognised + other.recognised
        )

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.received, self.scored, self.recognised)


@dataclass(frozen=True)
class Line:
    """One line of a breakdown in this period and the previous one."""

    key: str
    label: str
    current: Counts
    previous: Counts


@dataclass(frozen=True)
class Breakdown:
    """A table of the report: ``key`` field, kind, organisation or subunit."""

    key: str
    title: str
    column: str
    lines: tuple[Line, ...]
    total: Line


@dataclass(frozen=True)
class Report:
    """A unit's figures for a period and the one before it (see the module's docstring)."""

    unit: Unit
    period: Period
    previous: Period
    plan: ReportPlan | None
    total: Line
    breakdowns: tuple[Breakdown, ...]
    replications: tuple[Replication, ...]
    replications_previous: int

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


@dataclass(frozen=True)
class _Tally:
    field: Field
    kind: DossierKind
    unit_id: int
    counts: Counts


def _subtree(unit: Unit) -> Any:
    """A recursive CTE of (id, parent_id) for the unit and every unit below it (UNION: ends on a cycle)."""
    tree = select(Unit.id, Unit.parent_id).where(Unit.id == unit.id).cte("report_subtree", recursive=True)
    return tree.union(select(Unit.id, Unit.parent_id).join(tree, Unit.parent_id == tree.c.id))


def _tallies(scope: Any, period: Period) -> list[_Tally]:
    """Received, scored and recognised dossiers of the scope in the period, by field, kind and unit."""
    low, high = period.utc_bounds()
    scored = (
        select(ScoreSheet.id)
        .join(Assignment, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.dossier_id == Dossier.id, ScoreSheet.status == SheetStatus.SUBMITTED)
        .exists()
    )
    received = (
        select(
            Dossier.field.label("field"),
            Dossier.kind.label("kind"),
            Dossier.unit_id.label("unit_id"),
            case((scored, 1), else_=0).label("scored"),
        )
        .join(Round, Dossier.round_id == Round.id)
        .where(Round.issuing_unit_id.in_(scope), Dossier.created_at >= low, Dossier.created_at < high)
        .subquery()
    )
    rows = db.session.execute(
        select(
            received.c.field, received.c.kind, received.c.unit_id, func.count(), func.sum(received.c.scored)
        ).group_by(received.c.field, received.c.kind, received.c.unit_id)
    )
    tallies = [_Tally(f, k, u, Counts(received=n, scored=int(s or 0))) for f, k, u, n, s in rows]
    recognised = db.session.execute(
        select(LibraryEntry.field, LibraryEntry.kind, LibraryEntry.unit_id, func.count())
        .join(RankingSnapshot, LibraryEntry.snapshot_id == RankingSnapshot.id)
        .join(Round, LibraryEntry.round_id == Round.id)
        .where(
            Round.issuing_unit_id.in_(scope),
            RankingSnapshot.created_at >= low,
            RankingSnapshot.created_at < high,
        )
        .group_by(LibraryEntry.field, LibraryEntry.kind, LibraryEntry.unit_id)
    )
    tallies += [_Tally(f, k, u, Counts(recognised=n)) for f, k, u, n in recognised]
    return tallies


def _replications(scope: Any, period: Period) -> Any:
    low, high = period.utc_bounds()
    return (
        select(Replication)
        .join(Dossier, Replication.dossier_id == Dossier.id)
        .join(Round, Dossier.round_id == Round.id)
        .where(
            Replication.created_at >= low,
            Replication.created_at < high,
            or_(Replication.unit_id.in_(scope), Round.issuing_unit_id.in_(scope)),
        )
    )


def _sum(tallies: Iterable[_Tally], key: Callable[[_Tally], Hashable]) -> dict[Hashable, Counts]:
    sums: dict[Hashable, Counts] = defaultdict(Counts)
    for tally in tallies:
        sums[key(tally)] += tally.counts
    return sums


def _lines(
    now: list[_Tally],
    before: list[_Tally],
    key: Callable[[_Tally], Hashable],
    rows: Iterable[tuple[Hashable, str, bool]],
) -> tuple[Line, ...]:
    """Lines for ``rows`` (key, label, always shown); the others only when they count something."""
    current, previous = _sum(now, key), _sum(before, key)
    return tuple(
        Line(str(k), label, current.get(k, Counts()), previous.get(k, Counts()))
        for k, label, always in rows
        if always or k in current or k in previous
    )


def build(unit: Unit, period: Period, *, plan: ReportPlan | None = None) -> Report:
    """Count the unit's dossiers, recognitions and replications in ``period`` and the one before."""
    previous = period.previous()
    tree = _subtree(unit)
    scope = select(tree.c.id)
    parents = {uid: parent for uid, parent in db.session.execute(select(tree.c.id, tree.c.parent_id))}
    now, before = _tallies(scope, period), _tallies(scope, previous)
    unit_ids = {t.unit_id for t in (*now, *before)}
    statement = select(Unit.id, Unit.kind).where(Unit.id.in_(unit_ids))
    kinds = {uid: kind for uid, kind in db.session.execute(statement)} if unit_ids else {}
    children = sorted(
        db.session.scalars(select(Unit).where(Unit.parent_id == unit.id)), key=lambda u: text_key(u.name)
    )

    def branch(tally: _Tally) -> Hashable:
        """The child of ``unit`` whose subtree holds the dossier's unit (or SELF, or OUTSIDE)."""
        current, seen = tally.unit_id, set()
        if current == unit.id:
            return SELF
        while current in parents and current not in seen:
            if parents[current] == unit.id:
                return current
            seen.add(current)
            current = parents[current]
        return OUTSIDE

    total = Line(
        "total",
        _("Tổng cộng"),
        sum((t.counts for t in now), Counts()),
        sum((t.counts for t in before), Counts()),
    )
    organisations = [
        (k, str(k.label), k in FRONT_KINDS)
        for k in (*FRONT_KINDS, *(k for k in UnitKind if k not in FRONT_KINDS))
    ]
    subunits = [
        (SELF, _("%(unit)s (trực tiếp)", unit=unit.name), True),
        *((child.id, child.name, True) for child in children),
        (OUTSIDE, _("Đơn vị ngoài hệ thống trực thuộc"), False),
    ]
    breakdowns = (
        Breakdown(
            "field", _("Theo lĩnh vực thi đua"), _("Lĩnh vực"),
            _lines(now, before, lambda t: t.field, [(f, str(f.label), True) for f in Field]), total,
        ),
        Breakdown(
            "kind", _("Theo loại sáng kiến, ý tưởng mới, mô hình"), _("Loại"),
            _lines(now, before, lambda t: t.kind, [(k, str(k.label), True) for k in DossierKind]), total,
        ),
        Breakdown(
            "organisation", _("Theo tổ chức thành viên (đơn vị gửi hồ sơ)"), _("Tổ chức"),
            _lines(now, before, lambda t: kinds.get(t.unit_id, UnitKind.OTHER), organisations), total,
        ),
        Breakdown(
            "subunit", _("Theo đơn vị trực thuộc"), _("Đơn vị"),
            _lines(now, before, branch, subunits), total,
        ),
    )  # fmt: skip
    replications = tuple(
        db.session.scalars(
            _replications(scope, period)
            .options(joinedload(Replication.unit), joinedload(Replication.dossier).joinedload(Dossier.unit))
            .order_by(Replication.created_at, Replication.id)
        )
    )
    replications_previous = db.session.scalar(
        select(func.count()).select_from(_replications(scope, previous).subquery())
    )
    return Report(
        unit, period, previous, plan, total, breakdowns, replications, int(replications_previous or 0)
    )


# --- the chart ------------------------------------------------------------------------------------------

CHART_WIDTH = 6.4  # inches: the text width of an A4 page with NĐ 30 margins
RECEIVED, RECOGNISED = "#0072B2", "#009E73"  # Okabe–Ito blue and bluish green


def _chart_figure(report: Report) -> Figure:
    lines = report.breakdown("field").lines
    series = (
        (_("Tiếp nhận – kỳ này"), [line.current.received for line in lines], RECEIVED, False),
        (_("Tiếp nhận – kỳ trước"), [line.previous.received for line in lines], RECEIVED, True),
        (_("Được công nhận – kỳ này"), [line.current.recognised for line in lines], RECOGNISED, False),
        (_("Được công nhận – kỳ trước"), [line.previous.recognised for line in lines], RECOGNISED, True),
    )
    fig = Figure(figsize=(CHART_WIDTH, 4.8), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(lines))
    height = 0.2
    for index, (label, values, colour, before) in enumerate(series):
        style = (
            {"color": "white", "edgecolor": colour, "hatch": "////", "linewidth": 0.8}
            if before
            else {"color": colour}
        )
        bars = ax.barh(y + (index - 1.5) * height, values, height=height, label=label, **style)
        ax.bar_label(bars, padding=2, fontsize=7)
    ax.set_yticks(y, [textwrap.fill(line.label, 26) for line in lines], fontsize=8)
    ax.invert_yaxis()
    highest = max((max(values) for _label, values, _c, _b in series), default=0)
    ax.set_xlim(0, max(1, highest) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("Số hồ sơ"), fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


def chart(report: Report, fmt: str = "svg") -> bytes:
    """Received and recognised dossiers by field, this period against the previous one (SVG or PNG)."""
    buffer = io.BytesIO()
    figure = _chart_figure(report)
    if fmt == "png":
        figure.savefig(buffer, format="png", dpi=200, metadata={"Software": None})
    else:
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def chart_alt(report: Report) -> str:
    """The chart's figures in words, for readers who do not see it."""
    lines = report.breakdown("field").lines
    facts = [
        _(
            "%(field)s: tiếp nhận %(now)s (kỳ trước %(before)s), "
            "được công nhận %(rec)s (kỳ trước %(rec_before)s)",
            field=line.label,
            now=line.current.received,
            before=line.previous.received,
            rec=line.current.recognised,
            rec_before=line.previous.recognised,
        )
        for line in lines
    ]
    lead = _("Biểu đồ số hồ sơ tiếp nhận và được công nhận theo lĩnh vực, kỳ này so với kỳ trước.")
    return f"{lead} {'; '.join(facts)}."


# --- the documents --------------------------------------------------------------------------------------

TEXT_FIELDS = (
    "parent_body", "issuing_body", "symbol", "place", "intro", "assessment", "directions",
    "signing_authority", "signer_title", "signer_name",
)  # fmt: skip


def _change(now: int, before: int) -> str:
    if now > before:
        return f"tăng {now - before} so với kỳ trước"
    if now < before:
        return f"giảm {before - now} so với kỳ trước"
    return "bằng kỳ trước"


def _summary_text(report: Report) -> str:
    now, before = report.total.current, report.total.previous
    replicated = len(report.replications)
    return (
        f"Trong kỳ báo cáo, các Hội đồng xét công nhận sáng kiến của {report.unit.name} và các đơn vị trực "
        f"thuộc đã tiếp nhận {now.received} hồ sơ sáng kiến, ý tưởng mới, mô hình "
        f"({_change(now.received, before.received)}), trong đó {now.scored} hồ sơ đã được chấm điểm; "
        f"{now.recognised} sáng kiến, ý tưởng mới, mô hình được công nhận "
        f"({_change(now.recognised, before.recognised)}); {replicated} lượt nhân rộng mô hình "
        f"({_change(replicated, report.replications_previous)})."
    )


def _chair(unit: Unit) -> str:
    """The chair of the newest round the unit issued (the usual signer), or nothing."""
    name = db.session.scalar(
        select(User.full_name)
        .join(CouncilMember, CouncilMember.user_id == User.id)
        .join(Round, CouncilMember.round_id == Round.id)
        .where(Round.issuing_unit_id == unit.id, CouncilMember.role == CouncilRole.CHAIR)
        .order_by(Round.year.desc(), Round.id.desc())
        .limit(1)
    )
    return name or ""


def default_texts(report: Report) -> dict[str, Any]:
    """A first draft of the document's lines from the unit and the figures; the secretary edits all.

    Vietnamese whatever the reader's language: the report is an administrative document.
    """
    unit = report.unit
    front = unit.kind is UnitKind.FRONT_COMMITTEE
    board = "BAN THƯỜNG TRỰC" if front else "BAN THƯỜNG VỤ"
    place = _PLACE.search(unit.name)
    plan = f"Thực hiện {report.plan.title}, " if report.plan else ""
    intro = (
        f"{plan}{'Ban Thường trực ' if front else ''}{unit.name} báo cáo kết quả thực hiện Phong trào "
        f"thi đua “Đoàn kết sáng tạo” {report.period.title} ({report.period.span}) như sau:"
    )
    assessment = "\n".join(
        [
            _summary_text(report),
            "- Ưu điểm: …",
            "- Hạn chế, nguyên nhân: …",
        ]
    )
    directions = "\n".join(
        [
            "- Tiếp tục tuyên truyền, vận động các tầng lớp Nhân dân tích cực tham gia Phong trào "
            "“Đoàn kết sáng tạo”.",
            "- Phát hiện, lựa chọn, giới thiệu các sáng kiến, ý tưởng mới, mô hình tiêu biểu; nhân rộng các "
            "mô hình hiệu quả.",
            "- Thực hiện tốt công tác thông tin, báo cáo, sơ kết, tổng kết Phong trào.",
        ]
    )
    recipients = [f"- {unit.parent.name} (để b/c);"] if unit.parent else []
    return {
        "parent_body": unit.name.upper() if front else (unit.parent.name.upper() if unit.parent else ""),
        "issuing_body": board if front else unit.name.upper(),
        "number": None,
        "symbol": SYMBOLS.get(unit.kind, "BC"),
        "place": place.group(1) if place else "",
        "issued_on": today(),
        "intro": intro,
        "assessment": assessment,
        "directions": directions,
        "recipients": [*recipients, "- Lưu: VT."],
        "signing_authority": f"TM. {board}",
        "signer_title": "CHỦ TỊCH",
        "signer_name": _chair(unit),
    }


def _figure_row(line: Line) -> renderer.FigureRow:
    return renderer.FigureRow(line.label, line.current.as_tuple(), line.previous.as_tuple())


def document(report: Report, texts: dict[str, Any], *, chart_png: bytes | None) -> renderer.ReportDocument:
    """What the renderers print: the figures of ``report`` and the lines of ``texts``."""
    now, before = report.total.current, report.total.previous
    summary = (
        renderer.SummaryRow("Hồ sơ tiếp nhận", now.received, before.received),
        renderer.SummaryRow("Hồ sơ đã chấm điểm", now.scored, before.scored),
        renderer.SummaryRow(
            "Sáng kiến, ý tưởng mới, mô hình được công nhận", now.recognised, before.recognised
        ),
        renderer.SummaryRow("Lượt nhân rộng mô hình", len(report.replications), report.replications_previous),
    )
    tables = tuple(
        renderer.FigureTable(
            f"{index}. {b.title}",
            SHEETS[b.key],
            b.column,
            tuple(_figure_row(line) for line in b.lines),
            _figure_row(b.total),
        )
        for index, b in enumerate(report.breakdowns, start=2)
    )
    replications = tuple(
        renderer.ReplicationLine(r.dossier.title, r.dossier.unit.name, r.unit.name, r.place, r.started_on)
        for r in report.replications
    )
    replication_text = (
        f"Trong kỳ có {len(replications)} lượt nhân rộng mô hình (kỳ trước: {report.replications_previous})"
        + (":" if replications else ".")
    )
    text = {name: str(texts.get(name) or "").strip() for name in TEXT_FIELDS}
    return renderer.ReportDocument(
        unit=report.unit.name,
        number=texts.get("number"),
        issued_on=texts.get("issued_on") or today(),
        period_title=report.period.title,
        period_span=report.period.span,
        previous_span=report.previous.span,
        summary=summary,
        summary_text=_summary_text(report),
        tables=tables,
        replications=replications,
        replication_text=replication_text,
        chart_png=chart_png,
        chart_caption="Biểu đồ: hồ sơ tiếp nhận và được công nhận theo lĩnh vực, kỳ này so với kỳ trước",
        recipients=tuple(line.strip() for line in texts.get("recipients") or [] if line.strip()),
        **text,
    )


@dataclass(frozen=True)
class Rendered:
    data: bytes
    mimetype: str
    filename: str


def _slug(text: str) -> str:
    return _SLUG.sub("-", fold(text)).strip("-")[:60]


def export(
    unit: Unit,
    period: Period,
    fmt: str,
    *,
    plan: ReportPlan | None = None,
    texts: dict[str, Any] | None = None,
) -> Rendered:
    """The report as .docx (``texts``: the document's lines, else :func:`default_texts`) or .xlsx.

    Built in Vietnamese whatever the reader's language: it is an administrative document.
    """
    if fmt not in FORMATS:
        raise ValueError(f"no report format {fmt!r}")
    with force_locale("vi"):
        report = build(unit, period, plan=plan)
        lines = {**default_texts(report), **(texts or {})}
        doc = document(report, lines, chart_png=chart(report, "png") if fmt == "docx" else None)
    data = renderer.render_docx(doc) if fmt == "docx" else renderer.render_xlsx(doc)
    name = f"bao-cao-{_slug(period.title)}-{_slug(unit.name)}.{fmt}"
    return Rendered(data, FORMATS[fmt], name)
