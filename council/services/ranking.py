"""The round's ranking (xếp hạng): scores from the database through :mod:`scoring`, as one payload.

The payload is a plain JSON-able dict holding every figure the ranking, members and tier
pages show. The live pages compute it from the submitted sheets; finalising stores it in a
:class:`~council.models.RankingSnapshot`, and from then on the pages show the stored one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentStatus,
    AwardTier,
    CouncilMember,
    Criterion,
    CriterionScore,
    DeliberationEntry,
    DeliberationKind,
    Dossier,
    DossierStatus,
    Round,
    ScoreSheet,
    SheetStatus,
)
from council.services.imports.sheets import escape_formula
from scoring.ranking import Ranking, fit, rank
from scoring.scores import ScoreTable
from scoring.tiers import Tier, allocate
from scoring.uncertainty import default_top_k

PAYLOAD_VERSION = 1
SEED = 0  # the same seed as `python -m scoring rank`, so the app and the command agree
DECIMALS = 6  # figures kept in a payload: far below any printed difference, stable across databases
_CACHE_SIZE = 32
# The figures of scoring.ranking.Ranking and MemberSummary a payload keeps, per dossier and member.
DOSSIER_FIGURES = (
    "rank", "score", "raw_mean", "ci_low", "ci_high",
    "rank_low", "rank_high", "p_top", "n_reviews", "component",
)  # fmt: skip
MEMBER_FIGURES = (
    "n_sheets", "leniency", "leniency_low", "leniency_high",
    "spread", "spread_low", "spread_high", "noise_sd",
)  # fmt: skip


class NoScores(LookupError):
    """The round has no submitted sheet yet, so there is nothing to rank."""


@dataclass(frozen=True)
class RoundScores:
    """The submitted points of a round as a :class:`ScoreTable`, with the records behind its labels.

    Dossiers are labelled by code, members by username, criteria by "position. name".
    """

    table: ScoreTable
    weights: np.ndarray
    dossiers: dict[str, Dossier]
    members: dict[str, CouncilMember]
    reviewers_of: dict[str, list[str]]
    rows: list[tuple[str, str, str, float]]


def criterion_label(criterion: Criterion) -> str:
    return f"{criterion.position}. {criterion.name}"


def round_scores(round_: Round) -> RoundScores:
    """Points of the submitted sheets of active, published assignments.

    Drafts (including sheets the chair re-opened and the member has not yet re-submitted)
    and recused or removed assignments do not count.
    """
    query = (
        select(CriterionScore)
        .join(ScoreSheet)
        .join(Assignment)
        .join(Dossier)
        .where(
            Dossier.round_id == round_.id,
            ScoreSheet.status == SheetStatus.SUBMITTED,
            Assignment.status == AssignmentStatus.ACTIVE,
            Assignment.published_at.is_not(None),
            CriterionScore.points.is_not(None),
        )
        .options(
            joinedload(CriterionScore.criterion),
            joinedload(CriterionScore.sheet)
            .joinedload(ScoreSheet.assignment)
            .options(
                joinedload(Assignment.dossier), joinedload(Assignment.member).joinedload(CouncilMember.user)
            ),
        )
    )
    dossiers: dict[str, Dossier] = {}
    members: dict[str, CouncilMember] = {}
    reviewers_of: dict[str, set[str]] = {}
    rows = []
    for score in db.session.scalars(query).unique():
        assignment = score.sheet.assignment
        code, who = assignment.dossier.code, assignment.member.user.username
        dossiers[code], members[who] = assignment.dossier, assignment.member
        reviewers_of.setdefault(code, set()).add(who)
        rows.append((code, who, criterion_label(score.criterion), float(score.points)))
    if not rows:
        raise NoScores(round_.id)
    rows.sort()
    table = ScoreTable.from_columns(*zip(*rows, strict=True))
    weight_of = {criterion_label(c): c.weight for c in round_.criteria}
    weights = np.array([weight_of[str(c)] for c in table.criteria])
    return RoundScores(
        table, weights, dossiers, members, {k: sorted(v) for k, v in reviewers_of.items()}, rows
    )


def scores_csv(rows: list[list[Any]]) -> str:
    """Score rows (a payload's ``scores``) in the columns ``python -m scoring rank`` reads.

    Text a spreadsheet would run as a formula (a username such as ``-a1``) gets the leading
    apostrophe of the other CSV exports; the command line reads it as part of the label.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("dossier", "reviewer", "criterion", "score"))
    writer.writerows([escape_formula(c) if isinstance(c, str) else c for c in row] for row in rows)
    return out.getvalue()


def tiers_of(round_: Round) -> list[AwardTier]:
    return list(
        db.session.scalars(
            select(AwardTier)
            .where(AwardTier.round_id == round_.id)
            .order_by(AwardTier.position, AwardTier.id)
        )
    )


def entries_of(round_: Round) -> list[DeliberationEntry]:
    return list(
        db.session.scalars(
            select(DeliberationEntry)
            .where(DeliberationEntry.round_id == round_.id)
            .options(joinedload(DeliberationEntry.dossier), joinedload(DeliberationEntry.actor))
            .order_by(DeliberationEntry.id)
        )
    )


# --- the statistics, cached ----------------------------------------------------------------------

_cache: OrderedDict[str, Ranking] = OrderedDict()
_cache_lock = threading.Lock()


def _ranked(scores: RoundScores, method: str, top_k: int) -> Ranking:
    """:func:`scoring.ranking.rank`, remembered for the same scores, method and ``top_k``."""
    key = hashlib.sha256(
        json.dumps([scores.rows, scores.weights.tolist(), method, top_k]).encode()
    ).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = rank(scores.table, scores.weights, method, top_k=top_k, seed=SEED)
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def award_list_size(scores: RoundScores, method: str, tiers: list[Tier]) -> int:
    """How many dossiers the tiers take by the point scores: the ``K`` of "probability of the list"."""
    n = scores.table.n_dossiers
    if not tiers:
        return default_top_k(n)
    s = np.sort(fit(scores.table, scores.weights, method).score)[::-1]
    taken = int(np.count_nonzero(allocate(s, s, s, tiers).tier >= 0))
    return min(max(taken, 1), n)


# --- the payload ---------------------------------------------------------------------------------


def build_payload(round_: Round, method: str | None = None) -> dict[str, Any]:
    """Every figure of the round's ranking, its tiers and deliberation, as JSON-able data.

    Raises
    ------
    NoScores
        If no sheet has been submitted.
    """
    method = method or round_.ranking_method or "auto"
    scores = round_scores(round_)
    tier_rows = tiers_of(round_)
    tiers = [Tier(t.name, t.min_score, t.quota) for t in tier_rows]
    top_k = award_list_size(scores, method, tiers)
    result = _ranked(scores, method, top_k)
    allocation = allocate(result.score, result.ci_low, result.ci_high, tiers)
    entries = entries_of(round_)
    dossiers = _dossier_rows(round_, scores, result, allocation, tier_rows)
    _apply_entries(dossiers, entries, tier_rows)
    return _rounded(
        {
            "version": PAYLOAD_VERSION,
            "round": _round_info(round_),
            "method": result.method,
            "requested_method": method,
            "params": {
                "level": result.level,
                "n_draws": result.n_draws,
                "seed": result.seed,
                "top_k": result.top_k,
                "criteria": [
                    {"label": criterion_label(c), "max_points": c.max_points, "weight": c.weight}
                    for c in round_.criteria
                ],
                "max_total": round_.max_total,
            },
            "tiers": [_tier_info(t, allocation.lowest[i]) for i, t in enumerate(tier_rows)],
            "dossiers": dossiers,
            "unscored": _unscored(round_, scores),
            "members": _member_rows(scores, result),
            "agreement": _agreement(result),
            "adjustments": [_entry_info(e) for e in entries],
            "scores": [list(row) for row in scores.rows],
        }
    )


def _round_info(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.id,
        "title": round_.title,
        "year": round_.year,
        "level": str(round_.level),
        "issuing_unit": round_.issuing_unit.name,
        "issuing_body": round_.issuing_body,
        "reviewers_per_dossier": round_.reviewers_per_dossier,
    }


def _tier_info(tier: AwardTier, lowest: float) -> dict[str, Any]:
    return {
        "id": tier.id,
        "position": tier.position,
        "name": tier.name,
        "min_score": tier.min_score,
        "quota": tier.quota,
        "nominate_upward": tier.nominate_upward,
        "lowest": None if np.isnan(lowest) else float(lowest),
    }


def _dossier_rows(
    round_: Round, scores: RoundScores, result: Ranking, allocation: Any, tier_rows: list[AwardTier]
) -> list[dict[str, Any]]:
    raw_rank = _raw_ranks(result)
    member_flags = dict(zip(result.members.reviewer.tolist(), result.members.flags, strict=True))
    recused = _recused_dossiers(round_)
    rows = []
    for i, code in enumerate(result.dossier.tolist()):
        record = scores.dossiers[code]
        reviewers = scores.reviewers_of[code]
        flags = list(result.flags[i])
        if result.n_reviews[i] < round_.reviewers_per_dossier:
            flags.append("few_reviews")
        if record.id in recused:
            flags.append("recusal")
        tier_index = int(allocation.tier[i])
        tier_id = tier_rows[tier_index].id if tier_index >= 0 else None
        rows.append(
            {
                "id": record.id,
                "code": code,
                "title": record.title,
                "kind": str(record.kind),
                "field": str(record.field),
                "unit": record.unit.name,
                "unit_id": record.unit_id,
                "lead_author": record.lead_author,
                "co_authors": list(record.co_authors or []),
                **_figures(result, i, DOSSIER_FIGURES),
                "raw_rank": raw_rank[code],
                "flags": flags,
                "reviewers": len(reviewers),
                "reviewer_flags": _count_flags(reviewers, member_flags),
                "statistical_tier": tier_id,
                "tier": tier_id,
                "cutoff": str(allocation.cutoff[i]),
                "adjusted_by": None,
            }
        )
    return rows


def _figures(source: Any, i: int, names: tuple[str, ...]) -> dict[str, Any]:
    """Element ``i`` of each named array of ``source``, as a plain int or float."""
    return {name: getattr(source, name)[i].item() for name in names}


def _raw_ranks(result: Ranking) -> dict[str, int]:
    order = sorted(range(result.dossier.size), key=lambda i: (-result.raw_mean[i], str(result.dossier[i])))
    return {str(result.dossier[i]): position for position, i in enumerate(order, start=1)}


def _count_flags(reviewers: list[str], member_flags: dict[str, tuple[str, ...]]) -> dict[str, int]:
    counts = {"lenient": 0, "harsh": 0, "narrow_range": 0, "wide_range": 0}
    for who in reviewers:
        for flag in member_flags.get(who, ()):
            if flag in counts:
                counts[flag] += 1
    return counts


def _recused_dossiers(round_: Round) -> set[int]:
    return set(
        db.session.scalars(
            select(Assignment.dossier_id)
            .join(Dossier)
            .where(Dossier.round_id == round_.id, Assignment.status == AssignmentStatus.RECUSED)
        )
    )


def _unscored(round_: Round, scores: RoundScores) -> list[dict[str, Any]]:
    """Dossiers of the round with no submitted sheet: not ranked, listed so nobody is forgotten."""
    return [
        {"id": d.id, "code": d.code, "title": d.title}
        for d in sorted(round_.dossiers, key=lambda d: d.code)
        if d.code not in scores.dossiers and d.status not in (DossierStatus.RETURNED, DossierStatus.WITHDRAWN)
    ]


def _apply_entries(
    dossiers: list[dict[str, Any]], entries: list[DeliberationEntry], tier_rows: list[AwardTier]
) -> None:
    """Final tiers: the statistical ones, changed by the adjustments still standing, in order."""
    withdrawn = {e.withdraws_id for e in entries if e.kind is DeliberationKind.WITHDRAW}
    by_id = {row["id"]: row for row in dossiers}
    for entry in entries:
        row = by_id.get(entry.dossier_id)
        if row is None or entry.id in withdrawn:
            continue
        if entry.kind in (DeliberationKind.MOVE, DeliberationKind.INCLUDE):
            row["tier"], row["adjusted_by"] = entry.tier_id, entry.id
        elif entry.kind is DeliberationKind.EXCLUDE:
            row["tier"], row["adjusted_by"] = None, entry.id


def _member_rows(scores: RoundScores, result: Ranking) -> list[dict[str, Any]]:
    m = result.members
    totals = _sheet_totals(result)
    rows = []
    for i, who in enumerate(m.reviewer.tolist()):
        seat = scores.members[who]
        rows.append(
            {
                "username": who,
                "name": seat.user.full_name,
                "role": str(seat.role),
                **_figures(m, i, MEMBER_FIGURES),
                "flags": list(m.flags[i]),
                "totals": totals.get(who, []),
            }
        )
    return rows


def _sheet_totals(result: Ranking) -> dict[str, list[float]]:
    """Each member's weighted sheet totals, as the model saw them."""
    sheets, reviewers = result.fit.sheets, result.fit.reviewers
    out: dict[str, list[float]] = {}
    for reviewer, total in zip(sheets.reviewer.tolist(), sheets.total.tolist(), strict=True):
        out.setdefault(str(reviewers[reviewer]), []).append(total)
    return out


def _agreement(result: Ranking) -> dict[str, Any]:
    a = result.agreement
    return {
        "alpha": _finite(a.alpha),
        "icc": _finite(a.icc),
        "icc_mean": _finite(a.icc_mean),
        "merit_var": _finite(a.merit_var),
        "leniency_var": _finite(a.leniency_var),
        "noise_var": _finite(a.noise_var),
        "n_sheets": a.n_sheets,
        "n_dossiers": a.n_dossiers,
        "n_reviewers": a.n_reviewers,
        "outlier_sheets": [
            {"dossier": str(d), "reviewer": str(r), "total": float(t), "fitted": float(f), "z": float(z)}
            for d, r, t, f, z in zip(
                result.outlier_sheets.dossier,
                result.outlier_sheets.reviewer,
                result.outlier_sheets.total,
                result.outlier_sheets.fitted,
                result.outlier_sheets.z,
                strict=True,
            )
        ],
    }


def _entry_info(entry: DeliberationEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": str(entry.kind),
        "dossier": entry.dossier.code,
        "tier_id": entry.tier_id,
        "tier_name": entry.tier_name,
        "votes": [entry.votes_for, entry.votes_against, entry.votes_abstain],
        "reason": entry.reason,
        "withdraws": entry.withdraws_id,
        "actor": entry.actor.full_name if entry.actor else "",
        "created_at": entry.created_at.isoformat(timespec="seconds"),
    }


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _rounded(value: Any) -> Any:
    """Floats to :data:`DECIMALS` places, recursively: the payload prints and hashes the same anywhere."""
    if isinstance(value, float):
        return round(value, DECIMALS) if np.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def canonical_json(payload: dict[str, Any]) -> str:
    """The payload as canonical JSON: keys sorted, no spaces, non-ASCII kept, no NaN."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def fingerprint(payload: dict[str, Any]) -> str:
    """SHA-256 of the payload's canonical JSON, UTF-8 encoded: ``sha256sum`` of the .json download."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
