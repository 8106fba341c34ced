"""Phân công chấm: who scores which dossier.

The secretary runs the solver (``scoring.assignment``) on the round's affinity matrix, looks at
the proposal (loads, affinity, connectivity, conflicts avoided), edits pairs by hand, and
publishes. Until published, pairs are drafts that only the secretariat sees. A re-run replaces
draft pairs and keeps published and hand-locked ones, so adding dossiers late never reshuffles
what members already have.

Affinity of a member for a dossier (0 to 1.5):

* 1 when the dossier's field (lĩnh vực) is among the member's fields of expertise;
* plus up to 0.5 for the member's keywords (the expertise note, separated by commas or
  semicolons) found in the dossier's title, summary and novelty, matched without diacritics.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentRun,
    AssignmentStatus,
    CouncilMember,
    Dossier,
    DossierStatus,
    Round,
    RoundStatus,
    User,
)
from council.models.base import utcnow
from council.services.conflicts import conflict_pairs
from scoring.assignment import Assignment as Solution
from scoring.assignment import Infeasible, Mixing, Obstruction, assign_reviewers, mixing

log = logging.getLogger(__name__)

# Assignment can change until scoring closes: a recusal during scoring needs a new reviewer.
EDITABLE_STEPS = frozenset(
    {RoundStatus.DRAFT, RoundStatus.INTAKE, RoundStatus.ASSIGNMENT, RoundStatus.SCORING}
)
KEYWORD_WEIGHT = 0.5
ASSIGNABLE = (DossierStatus.RECEIVED, DossierStatus.ACCEPTED)


class AssignmentError(ValueError):
    """An assignment request that cannot be carried out; the message (Vietnamese) says why."""

    def __init__(self, message: str, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.details = list(details)


# --- affinity ---------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without diacritics ("Tính kinh tế" → "tinh kinh te"), for keyword matching."""
    decomposed = unicodedata.normalize("NFD", (text or "").casefold().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def keywords(note: str) -> list[str]:
    """A member's keywords: the expertise note split at commas, semicolons and line breaks."""
    return [k for k in (fold(part) for part in re.split(r"[,;\n]", note or "")) if len(k) >= 2]


def affinity(member: CouncilMember, dossier: Dossier) -> float:
    """How well a member's expertise fits a dossier (see the module docstring)."""
    score = 1.0 if dossier.field.value in (member.expertise or []) else 0.0
    words = keywords(member.expertise_note)
    if words:
        text = f" {fold(' '.join((dossier.title, dossier.summary or '', dossier.novelty or '')))} "
        found = sum(f" {word} " in text for word in words)
        score += KEYWORD_WEIGHT * found / len(words)
    return round(score, 4)


# --- the round as a matrix problem --------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """The round's assignment problem: dossiers × scoring members."""

    round: Round
    dossiers: list[Dossier]
    members: list[CouncilMember]
    affinity: np.ndarray
    forbidden: np.ndarray  # conflicts, recusals, pairs the secretary removed
    current: dict[tuple[int, int], Assignment]  # (dossier index, member index) → active pair
    n_conflicts: int

    @property
    def k(self) -> int:
        return self.round.reviewers_per_dossier

    def matrix(self, keep: Iterable[Assignment] | None = None) -> np.ndarray:
        """Boolean matrix of the given active pairs (all active pairs by default)."""
        chosen = set(map(id, keep)) if keep is not None else None
        out = np.zeros(self.affinity.shape, dtype=bool)
        for (i, j), pair in self.current.items():
            if chosen is None or id(pair) in chosen:
                out[i, j] = True
        return out


def build_problem(round_: Round) -> Problem:
    """Dossiers still in play, active scoring members, affinity, and forbidden pairs."""
    dossiers = list(
        db.session.scalars(
            select(Dossier)
            .where(Dossier.round_id == round_.id, Dossier.status.in_(ASSIGNABLE))
            .options(selectinload(Dossier.assignments))
            .order_by(Dossier.code)
        )
    )
    members = sorted(
        (m for m in round_.members if m.scores and m.user.active), key=lambda m: m.user.full_name
    )
    d_index = {d.id: i for i, d in enumerate(dossiers)}
    m_index = {m.id: j for j, m in enumerate(members)}
    aff = np.array([[affinity(m, d) for m in members] for d in dossiers]).reshape(len(dossiers), len(members))
    forbidden = np.zeros(aff.shape, dtype=bool)
    conflicts = conflict_pairs(round_)
    for member_id, dossier_id in conflicts:
        if dossier_id in d_index and member_id in m_index:
            forbidden[d_index[dossier_id], m_index[member_id]] = True
    current = {}
    for dossier in dossiers:
        for pair in dossier.assignments:
            j = m_index.get(pair.member_id)
            if j is None:
                continue
            if pair.status is AssignmentStatus.ACTIVE:
                current[d_index[dossier.id], j] = pair
            else:  # recused, or removed by the secretary: never propose it again
                forbidden[d_index[dossier.id], j] = True
    return Problem(round_, dossiers, members, aff, forbidden, current, int(forbidden.sum()))


# --- running the solver ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSettings:
    """What the secretary chooses before a run; loads default to a balanced share."""

    max_load: int | None = None
    min_load: int | None = None
    fair: bool = False
    seed: int = 0


def balanced_loads(n_dossiers: int, n_members: int, k: int) -> tuple[int, int]:
    """(min, max) load that spreads k·n reviews as evenly as possible over the members."""
    if n_members == 0:
        return 0, 0
    share = k * n_dossiers / n_members
    return math.floor(share), math.ceil(share)


def run(round_: Round, settings: RunSettings, *, user: User | None) -> AssignmentRun:
    """Propose an assignment: keep published and locked pairs, replace the other drafts.

    Raises
    ------
    AssignmentError
        If the round is past scoring, has nobody to assign, a kept pair is now a conflict, or
        the solver finds the problem infeasible (the details say which dossiers and loads).
    """
    _check_editable(round_)
    problem = build_problem(round_)
    if not problem.dossiers or not problem.members:
        raise AssignmentError(_("Chưa có hồ sơ hoặc thành viên chấm điểm để phân công."))
    kept = [p for p in problem.current.values() if p.published or p.locked]
    _check_kept(problem, kept)
    low, high = balanced_loads(len(problem.dossiers), len(problem.members), problem.k)
    max_load = settings.max_load if settings.max_load is not None else high
    min_load = settings.min_load if settings.min_load is not None else low
    try:
        result = assign_reviewers(
            problem.affinity,
            problem.k,
            max_load=max_load,
            min_load=min(min_load, max_load),
            forbidden=problem.forbidden,
            locked=problem.matrix(kept),
            fair=settings.fair,
            seed=settings.seed,
        )
    except Infeasible as error:
        raise AssignmentError(
            _("Không thể phân công với các điều kiện này."), explain(problem, error)
        ) from None
    added = _replace_drafts(problem, kept, result.matrix, user)
    record = AssignmentRun(
        round_id=round_.id,
        params={
            "k": problem.k,
            "max_load": max_load,
            "min_load": min_load,
            "fair": settings.fair,
            "seed": settings.seed,
        },
        report=_report(problem, result, kept=len(kept), added=added),
        created_by=user,
    )
    db.session.add(record)
    db.session.commit()
    log.info("assignment run for round %s by %s: %s", round_.id, user.id if user else "cli", record.report)
    return record


def _check_editable(round_: Round) -> None:
    if round_.status not in EDITABLE_STEPS:
        raise AssignmentError(_("Đợt xét đã đóng chấm điểm: không thay đổi phân công được nữa."))


def _check_kept(problem: Problem, kept: list[Assignment]) -> None:
    clashes = [
        _(
            "Hồ sơ %(code)s: %(name)s đã được giao nhưng có xung đột lợi ích.",
            code=p.dossier.code,
            name=p.member.user.full_name,
        )
        for (i, j), p in problem.current.items()
        if p in kept and problem.forbidden[i, j]
    ]
    if clashes:
        raise AssignmentError(_("Gỡ các cặp có xung đột lợi ích trước khi chạy lại phân công."), clashes)


def _replace_drafts(problem: Problem, kept: list[Assignment], matrix: np.ndarray, user: User | None) -> int:
    keep = set(map(id, kept))
    for pair in problem.current.values():
        if id(pair) not in keep:
            db.session.delete(pair)
    db.session.flush()
    kept_at = {(i, j) for (i, j), p in problem.current.items() if id(p) in keep}
    added = 0
    for i, j in zip(*np.nonzero(matrix), strict=True):
        if (i, j) in kept_at:
            continue
        db.session.add(
            Assignment(
                dossier=problem.dossiers[i],
                member=problem.members[j],
                affinity=float(problem.affinity[i, j]),
                created_by=user,
            )
        )
        added += 1
    return added


def _report(problem: Problem, result: Solution, *, kept: int, added: int) -> dict[str, object]:
    mix = result.mixing
    return {
        "total_affinity": round(float(result.total_affinity), 4),
        "optimum_affinity": round(float(result.optimum_affinity), 4),
        "affinity_cost": round(float(result.affinity_cost), 4),
        "certified": bool(result.certified),
        "min_dossier_affinity": round(float(result.min_dossier_affinity), 4),
        "load_min": int(result.loads.min()),
        "load_max": int(result.loads.max()),
        "components": int(mix.n_components),
        "algebraic_connectivity": round(float(mix.algebraic_connectivity), 4),
        "min_co_reviewers": int(mix.min_co_reviewers),
        "conflicts_avoided": problem.n_conflicts,
        "kept": kept,
        "added": added,
        "dossiers": len(problem.dossiers),
        "members": len(problem.members),
    }


def explain(problem: Problem, error: Infeasible) -> list[str]:
    """The solver's reasons for infeasibility, in Vietnamese, naming dossiers and members."""
    code = [d.code for d in problem.dossiers]
    name = [m.user.full_name for m in problem.members]
    lines = [
        _(
            "Hồ sơ %(code)s chỉ có %(num)d thành viên đủ điều kiện chấm (cần %(k)d).",
            code=code[d],
            num=count,
            k=problem.k,
        )
        for d, count in error.short_dossiers
    ]
    lines += [
        _("%(name)s chỉ có %(num)d hồ sơ được phép chấm, ít hơn số tối thiểu.", name=name[r], num=count)
        for r, count in error.short_reviewers
    ]
    if error.missing_capacity:
        lines.append(
            _(
                "Cần %(demand)d lượt chấm nhưng tổng số hồ sơ tối đa của các thành viên chỉ là %(capacity)d: "
                "hãy tăng số hồ sơ tối đa mỗi thành viên.",
                demand=error.demand,
                capacity=error.capacity,
            )
        )
    if error.excess_min_load:
        lines.append(
            _(
                "Tổng số hồ sơ tối thiểu (%(total)d) lớn hơn số lượt chấm cần (%(demand)d): "
                "hãy giảm số tối thiểu.",
                total=error.min_load_total,
                demand=error.demand,
            )
        )
    lines += [
        _(
            "Hồ sơ %(code)s đã có %(num)d người chấm được giữ, nhiều hơn %(k)d.",
            code=code[d],
            num=count,
            k=problem.k,
        )
        for d, count in error.overlocked_dossiers
    ]
    lines += [
        _("%(name)s đã có %(num)d hồ sơ được giữ, nhiều hơn số tối đa.", name=name[r], num=count)
        for r, count in error.overlocked_reviewers
    ]
    lines += [
        _("Hồ sơ %(code)s: %(name)s được giữ nhưng có xung đột lợi ích.", code=code[d], name=name[r])
        for d, r in error.forbidden_locks
    ]
    if error.obstruction is not None:
        lines.append(_obstruction(error.obstruction, code, name))
    return lines or [str(error)]


def _obstruction(ob: Obstruction, code: list[str], name: list[str]) -> str:
    dossiers = ", ".join(code[d] for d in ob.dossiers[:10]) + (" …" if len(ob.dossiers) > 10 else "")
    members = ", ".join(name[r] for r in ob.reviewers[:10]) + (" …" if len(ob.reviewers) > 10 else "")
    if ob.side == "dossiers":
        return _(
            "Các hồ sơ %(dossiers)s cần thêm %(demand)d lượt chấm, nhưng những người được phép chấm chúng "
            "(%(members)s) chỉ còn nhận được %(supply)d.",
            dossiers=dossiers,
            demand=ob.demand,
            members=members or "—",
            supply=ob.supply,
        )
    return _(
        "Các thành viên %(members)s cần thêm %(demand)d hồ sơ để đạt số tối thiểu, nhưng chỉ có %(supply)d "
        "lượt chấm họ được phép nhận (%(dossiers)s).",
        members=members,
        demand=ob.demand,
        supply=ob.supply,
        dossiers=dossiers or "—",
    )


# --- publishing and editing by hand --------------------------------------------------------------


def publish(round_: Round, *, user: User) -> int:
    """Publish every draft pair: from now on the members see these dossiers. Returns how many."""
    _check_editable(round_)
    drafts = [p for p in build_problem(round_).current.values() if not p.published]
    now = utcnow()
    for pair in drafts:
        pair.published_at, pair.published_by = now, user
    db.session.commit()
    log.info("assignment of round %s: %d pairs published by %s", round_.id, len(drafts), user.id)
    return len(drafts)


def add_pair(round_: Round, dossier: Dossier, member: CouncilMember, *, user: User) -> Assignment:
    """Add a pair by hand (locked, so re-runs keep it), refusing conflicts and a full dossier."""
    _check_editable(round_)
    if dossier.round_id != round_.id or member.round_id != round_.id:
        raise AssignmentError(_("Hồ sơ và thành viên phải thuộc đợt xét này."))
    if not member.scores:
        raise AssignmentError(_("Thư ký Hội đồng không chấm điểm."))
    if (member.id, dossier.id) in conflict_pairs(round_):
        raise AssignmentError(
            _(
                "%(name)s có xung đột lợi ích với hồ sơ %(code)s.",
                name=member.user.full_name,
                code=dossier.code,
            )
        )
    pairs = {p.member_id: p for p in dossier.assignments}
    active = [p for p in pairs.values() if p.status is AssignmentStatus.ACTIVE]
    existing = pairs.get(member.id)
    if existing is not None and existing.status is AssignmentStatus.ACTIVE:
        raise AssignmentError(
            _("%(name)s đã được giao hồ sơ %(code)s.", name=member.user.full_name, code=dossier.code)
        )
    if existing is not None and existing.status is AssignmentStatus.RECUSED:
        raise AssignmentError(
            _("%(name)s đã xin không chấm hồ sơ %(code)s.", name=member.user.full_name, code=dossier.code)
        )
    if len(active) >= round_.reviewers_per_dossier:
        raise AssignmentError(
            _(
                "Hồ sơ %(code)s đã đủ %(k)d người chấm; hãy gỡ một người trước.",
                code=dossier.code,
                k=round_.reviewers_per_dossier,
            )
        )
    if existing is None:
        existing = Assignment(dossier=dossier, member=member)
        db.session.add(existing)
    existing.status, existing.locked, existing.created_by = AssignmentStatus.ACTIVE, True, user
    existing.affinity, existing.published_at = affinity(member, dossier), None
    db.session.commit()
    log.info("assignment %s added by hand by %s", existing.id, user.id)
    return existing


def remove_pair(pair: Assignment, *, user: User) -> None:
    """Take a pair away: a draft is deleted; a published pair is marked removed (kept on record).

    A pair whose sheet has been started is not removed: the member's work would be lost; the
    member can recuse instead, or the chair decides.
    """
    _check_editable(pair.dossier.round)
    if pair.sheet is not None:
        raise AssignmentError(
            _(
                "%(name)s đã bắt đầu chấm hồ sơ %(code)s: không gỡ được.",
                name=pair.member.user.full_name,
                code=pair.dossier.code,
            )
        )
    if pair.published:
        pair.status = AssignmentStatus.REMOVED
    else:
        db.session.delete(pair)
    db.session.commit()
    log.info("assignment %s removed by %s", pair.id, user.id)


def toggle_lock(pair: Assignment) -> None:
    """Lock a draft pair so re-runs keep it, or unlock it again."""
    _check_editable(pair.dossier.round)
    pair.locked = not pair.locked
    db.session.commit()


def readiness(round_: Round) -> list[str]:
    """What is still missing before members can score: shown before the step to scoring."""
    problem = build_problem(round_)
    counts = np.zeros(len(problem.dossiers), dtype=int)
    drafts = 0
    for (i, _j), pair in problem.current.items():
        counts[i] += pair.published
        drafts += not pair.published
    short = int((counts < problem.k).sum())
    notes = []
    if short:
        notes.append(
            ngettext(
                "%(num)d hồ sơ chưa đủ %(k)d người chấm đã công bố.",
                "%(num)d hồ sơ chưa đủ %(k)d người chấm đã công bố.",
                short,
                k=problem.k,
            )
        )
    if drafts:
        notes.append(
            ngettext("%(num)d cặp phân công còn là nháp.", "%(num)d cặp phân công còn là nháp.", drafts)
        )
    return notes


# --- what the secretary sees -----------------------------------------------------------------------


@dataclass(frozen=True)
class MemberLoad:
    member: CouncilMember
    load: int
    published: int
    affinity: float


@dataclass(frozen=True)
class DossierRow:
    dossier: Dossier
    pairs: list[Assignment]
    short: int  # reviewers still missing


@dataclass(frozen=True)
class Overview:
    problem: Problem
    loads: list[MemberLoad]
    rows: list[DossierRow]
    mixing: Mixing | None
    drafts: int
    last_run: AssignmentRun | None
    short_dossiers: int = field(default=0)

    @property
    def total_affinity(self) -> float:
        return float(sum(p.affinity or 0.0 for row in self.rows for p in row.pairs))


def overview(round_: Round) -> Overview:
    """Loads per member, reviewers per dossier, connectivity and the last run."""
    problem = build_problem(round_)
    matrix = problem.matrix()
    by_dossier: dict[int, list[Assignment]] = {}
    for (i, _j), pair in sorted(problem.current.items(), key=lambda item: item[1].member.user.full_name):
        by_dossier.setdefault(i, []).append(pair)
    rows = [
        DossierRow(d, by_dossier.get(i, []), max(0, problem.k - len(by_dossier.get(i, []))))
        for i, d in enumerate(problem.dossiers)
    ]
    loads = [
        MemberLoad(
            member,
            int(matrix[:, j].sum()),
            sum(p.published for (_i, jj), p in problem.current.items() if jj == j),
            float(problem.affinity[matrix[:, j], j].sum()),
        )
        for j, member in enumerate(problem.members)
    ]
    last_run = db.session.scalar(
        select(AssignmentRun).where(AssignmentRun.round_id == round_.id).order_by(AssignmentRun.id.desc())
    )
    return Overview(
        problem,
        loads,
        rows,
        mixing(matrix) if matrix.any() else None,
        sum(not p.published for p in problem.current.values()),
        last_run,
        sum(row.short > 0 for row in rows),
    )
