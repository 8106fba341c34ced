"""What the ranking pages make of a payload: filters, sorting, explanations, plain words, charts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from council.i18n import format_figure
from council.services import charts

SORTS = {
    "rank": lambda r: (r["rank"], r["code"]),
    "raw_rank": lambda r: (r["raw_rank"], r["code"]),
    "movement": lambda r: (-abs(r["raw_rank"] - r["rank"]), r["rank"]),
    "p_top": lambda r: (-r["p_top"], r["rank"]),
    "n_reviews": lambda r: (r["n_reviews"], r["rank"]),
    "code": lambda r: (r["code"],),
}
FLAG_LABELS = {
    "one_review": _l("Chỉ có 1 phiếu"),
    "few_reviews": _l("Ít phiếu hơn quy định"),
    "disconnected": _l("Nhóm chấm tách rời"),
    "outlier_sheet": _l("Có phiếu bất thường"),
    "partial_sheet": _l("Phiếu thiếu tiêu chí"),
    "recusal": _l("Có thành viên xin không chấm"),
    "lenient": _l("Chấm dễ"),
    "harsh": _l("Chấm nghiêm"),
    "narrow_range": _l("Dải điểm hẹp"),
    "wide_range": _l("Dải điểm rộng"),
    "far_from_consensus": _l("Khác xa đồng thuận"),
    "few_sheets": _l("Chấm ít phiếu"),
}
CUTOFF_LABELS = {"tie": _l("Bằng điểm tại ngưỡng"), "near": _l("Sát ngưỡng: chênh lệch nằm trong sai số")}


@dataclass(frozen=True)
class RowFilter:
    """The ranking table's filters and sort order, from the query string."""

    field: str = ""
    unit: str = ""
    tier: str = ""
    sort: str = "rank"

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> RowFilter:
        sort = args.get("sort", "rank")
        return cls(
            args.get("field", ""),
            args.get("unit", ""),
            args.get("tier", ""),
            sort if sort in SORTS else "rank",
        )

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = [
            r
            for r in rows
            if (not self.field or r["field"] == self.field)
            and (not self.unit or str(r["unit_id"]) == self.unit)
            and (not self.tier or str(r["tier"] if r["tier"] is not None else "none") == self.tier)
        ]
        return sorted(kept, key=SORTS[self.sort])


def signed(x: float, decimals: int = 1) -> str:
    """A signed number with a true minus sign: +4,1 or −4,1."""
    text = format_figure(abs(x), decimals)
    return ("−" if x < 0 else "+") + text


def explain(row: Mapping[str, Any]) -> str:
    """One line on why a dossier's normalised score differs from its raw mean."""
    delta = row["score"] - row["raw_mean"]
    n, flags = row["reviewers"], row["reviewer_flags"]
    parts = []
    if flags["lenient"]:
        parts.append(_("%(k)d/%(n)d thành viên chấm dễ", k=flags["lenient"], n=n))
    if flags["harsh"]:
        parts.append(_("%(k)d/%(n)d thành viên chấm nghiêm", k=flags["harsh"], n=n))
    if flags["narrow_range"] or flags["wide_range"]:
        parts.append(
            _(
                "%(k)d/%(n)d thành viên có dải điểm khác thường",
                k=flags["narrow_range"] + flags["wide_range"],
                n=n,
            )
        )
    if row["n_reviews"] == 1:
        parts.append(_("chỉ có 1 phiếu, điểm kéo về mức chung"))
    if not parts:
        if abs(delta) < 0.5:
            return _("Không cần hiệu chỉnh đáng kể (%(d)s điểm).", d=signed(delta))
        parts.append(_("người chấm hơi lệch so với mặt bằng chung"))
    return _("%(why)s; hiệu chỉnh %(d)s điểm.", why="; ".join(parts), d=signed(delta)).capitalize()


def agreement_words(agreement: Mapping[str, Any]) -> list[str]:
    """The round's agreement figures in plain words."""
    alpha, icc_mean = agreement.get("alpha"), agreement.get("icc_mean")
    words = []
    if alpha is None:
        words.append(_("Chưa có hồ sơ nào được hai thành viên cùng chấm, chưa đo được độ nhất trí."))
    else:
        level = _("cao") if alpha >= 0.8 else _("chấp nhận được") if alpha >= 0.667 else _("thấp")
        words.append(
            _(
                "Độ nhất trí giữa các thành viên (Krippendorff's alpha) là %(a)s: %(level)s.",
                a=format_figure(alpha, 2),
                level=level,
            )
        )
    if icc_mean is not None:
        words.append(
            _(
                "Điểm trung bình của một hồ sơ phản ánh chất lượng thật ở mức %(p)s%% "
                "(độ tin cậy ICC của điểm trung bình).",
                p=format_figure(100 * icc_mean, 0),
            )
        )
    merit, leniency, noise = (agreement.get(k) for k in ("merit_var", "leniency_var", "noise_var"))
    if merit is not None and leniency is not None and noise is not None and merit + leniency + noise > 0:
        share = 100 * leniency / (merit + leniency + noise)
        words.append(
            _(
                "Khác biệt về độ dễ, độ nghiêm giữa các thành viên chiếm %(p)s%% "
                "độ biến thiên của điểm một phiếu.",
                p=format_figure(share, 0),
            )
        )
    outliers = agreement.get("outlier_sheets") or []
    if outliers:
        words.append(
            _("Có %(n)d phiếu chấm lệch bất thường so với mô hình (xem danh sách dưới).", n=len(outliers))
        )
    return words


# --- charts, cached per payload fingerprint and language -----------------------------------------

CHARTS = ("ranking", "leniency", "slope", "distribution")
_charts: OrderedDict[tuple[str, str, str], charts.Chart] = OrderedDict()
_charts_lock = threading.Lock()
_CHARTS_KEPT = 64


def chart(payload: Mapping[str, Any], fingerprint: str, name: str) -> charts.Chart:
    """One of :data:`CHARTS` for the payload; rendered once per fingerprint and language."""
    key = (fingerprint, name, str(get_locale()))
    with _charts_lock:
        if key in _charts:
            _charts.move_to_end(key)
            return _charts[key]
    made = _make(payload, name)
    with _charts_lock:
        _charts[key] = made
        while len(_charts) > _CHARTS_KEPT:
            _charts.popitem(last=False)
    return made


def _make(payload: Mapping[str, Any], name: str) -> charts.Chart:
    tier_names = {t["id"]: t["name"] for t in payload["tiers"]}
    if name == "leniency":
        return charts.leniency_chart(
            [
                charts.MemberLeniency(
                    m["name"], m["leniency"], m["leniency_low"], m["leniency_high"], tuple(m["flags"])
                )
                for m in payload["members"]
            ]
        )
    if name == "distribution":
        return charts.distribution_chart({m["name"]: m["totals"] for m in payload["members"]})
    rows = [
        charts.RankedDossier(
            d["code"],
            d["score"],
            d["ci_low"],
            d["ci_high"],
            d["raw_mean"],
            d["rank"],
            d["raw_rank"],
            tier_names.get(d["tier"]),
        )
        for d in payload["dossiers"]
    ]
    if name == "slope":
        return charts.slope_chart(rows)
    cutoffs = [charts.Cutoff(t["name"], t["lowest"]) for t in payload["tiers"] if t["lowest"] is not None]
    return charts.ranking_chart(rows, cutoffs)
