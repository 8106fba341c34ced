"""Charts for the chair's ranking pages (biểu đồ xếp hạng): SVG drawn on the server, with alt text.

Each function takes plain data and returns a :class:`Chart`: a standalone SVG document and a text
alternative that states the chart's key facts in words, so that a screen reader (or anyone on a
slow phone) gets the same information. The functions are pure; callers cache.

Matplotlib is used through its object API only (:class:`~matplotlib.figure.Figure`, never
``pyplot``), so no figure is registered anywhere. The few settings matplotlib reads only from
``rcParams`` (the SVG id salt that makes output byte-identical, text kept as ``<text>``, the font)
are applied with :func:`matplotlib.rc_context` under a lock: ``rcParams`` is process-wide, and
two threads inside ``rc_context`` at once would restore each other's values.
"""

from __future__ import annotations

import io
import statistics
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from council.i18n import format_figure

WIDTH = 6.4  # inches; the page scales the SVG to the screen's width through its viewBox
ROW_PITCH = 0.26  # inches per dossier or member line: room for a 9-pt label
MAX_HEIGHT = 24.0  # inches; taller than this and lines are packed closer instead
LABEL_SIZE = 9.0
MIN_LABEL_SIZE = 4.0
NO_TIER = "#8c8c8c"
# Okabe and Ito's palette: told apart by readers with any common colour-vision deficiency.
TIER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
UP, DOWN, STILL = "#009E73", "#D55E00", "#b0b0b0"
LENIENT, HARSH, PLAIN = "#D55E00", "#0072B2", "#555555"
BIG_MOVE = 2  # places: a dossier that moves this far between raw and normalised rank is emphasised
STYLE = {
    "svg.hashsalt": "council",  # ids of clip paths from a fixed salt: the same input, the same bytes
    "svg.fonttype": "none",  # text stays text: searchable, selectable, and in the browser's font
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # ships with matplotlib and covers Vietnamese
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_STYLE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Chart:
    """A chart as a standalone SVG document and its text alternative in the active language."""

    svg: str
    alt: str


@dataclass(frozen=True)
class RankedDossier:
    """One line of the ranking (xếp hạng), best first.

    ``score`` is the normalised score (điểm chuẩn hóa) in points, ``ci_low``/``ci_high`` its 90%
    interval (khoảng tin cậy), ``raw_mean`` the plain mean of the sheet totals; ``rank`` and
    ``raw_rank`` count from 1 = best; ``tier`` is the award tier (mức khen), None if not on the list.
    """

    label: str
    score: float
    ci_low: float
    ci_high: float
    raw_mean: float
    rank: int
    raw_rank: int
    tier: str | None


@dataclass(frozen=True)
class Cutoff:
    """The lowest normalised score inside an award tier (ngưỡng điểm của mức khen)."""

    tier: str
    score: float


@dataclass(frozen=True)
class MemberLeniency:
    """A member's leniency (độ dễ): points their sheets add to a total, with its interval and flags."""

    name: str
    leniency: float
    low: float
    high: float
    flags: tuple[str, ...]


# Rendering ------------------------------------------------------------------------------------


@contextmanager
def _style() -> Iterator[None]:
    with _STYLE_LOCK, matplotlib.rc_context(STYLE):
        yield


def _draw(build: Callable[..., Figure], *args: Any) -> str:
    """Build a figure with the house style and render it as an SVG document."""
    with _style():
        fig = build(*args)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue().decode("utf-8")


def _empty(title: str) -> Chart:
    """A chart that says there is nothing to draw yet."""
    return Chart(svg=_draw(_empty_figure), alt=_("%(chart)s: chưa có dữ liệu.", chart=title))


def _empty_figure() -> Figure:
    fig = Figure(figsize=(WIDTH, 1.2))
    fig.text(0.5, 0.5, _("Chưa có dữ liệu để vẽ biểu đồ."), ha="center", va="center", fontsize=11)
    return fig


def _layout(lines: int, margin: float) -> tuple[float, float]:
    """Figure height (inches) and label size (points) for ``lines`` labelled lines.

    Every line keeps its label, so the chair can find any dossier. Up to about 90 lines the figure
    grows by :data:`ROW_PITCH` a line; beyond :data:`MAX_HEIGHT` the lines are packed closer and
    the labels shrink with them (to no less than :data:`MIN_LABEL_SIZE`): the SVG is vector, so a
    phone's pinch-zoom brings them back, where hiding labels would lose dossiers for good.
    """
    height = min(margin + lines * ROW_PITCH, MAX_HEIGHT)
    pitch = (height - margin) / lines * 72  # points per line
    return height, max(MIN_LABEL_SIZE, min(LABEL_SIZE, 0.7 * pitch))


def _figure(lines: int, margin: float = 1.6) -> tuple[Figure, Axes, float]:
    height, label_size = _layout(lines, margin)
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    return fig, fig.add_subplot(), label_size


def _points_axis(ax: Axes) -> None:
    """Tick labels of the x axis in the active locale (``72,5`` in Vietnamese)."""
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: format_decimal(value, "#,##0.##")))


def _number(value: float, places: int = 1) -> str:
    """``87,5``: a figure in the active locale, with a decimal comma in Vietnamese."""
    return format_figure(value, places)


def _signed(value: float) -> str:
    text = _number(value)
    return f"+{text}" if round(value, 1) > 0 else text


def _join(items: Sequence[str]) -> str:
    """Items of a sentence joined by semicolons: their figures already hold decimal commas."""
    return "; ".join(items)


# Ranking --------------------------------------------------------------------------------------


def ranking_chart(rows: Sequence[RankedDossier], cutoffs: Sequence[Cutoff]) -> Chart:
    """Dot-and-interval chart of the ranking: one line per dossier, best on top.

    The dot is the normalised score (điểm chuẩn hóa), the bar its 90% interval (khoảng tin cậy
    90%), the colour the award tier (mức khen); each tier's cut-off is a dashed line named at the top.
    """
    if not rows:
        return _empty(_("Xếp hạng theo điểm chuẩn hóa"))
    rows = sorted(rows, key=lambda row: row.rank)
    colours = _tier_colours(rows, cutoffs)
    svg = _draw(_ranking_figure, rows, cutoffs, colours)
    return Chart(svg=svg, alt=_ranking_alt(rows, cutoffs))


def _tier_colours(rows: Sequence[RankedDossier], cutoffs: Sequence[Cutoff]) -> dict[str | None, str]:
    """A colour per tier, in the order of the cut-offs (then of first appearance); grey for none."""
    tiers = [cutoff.tier for cutoff in cutoffs] + [row.tier for row in rows if row.tier is not None]
    ordered = list(dict.fromkeys(tiers))
    colours: dict[str | None, str] = {
        tier: TIER_COLOURS[i % len(TIER_COLOURS)] for i, tier in enumerate(ordered)
    }
    colours[None] = NO_TIER
    return colours


def _ranking_figure(
    rows: Sequence[RankedDossier], cutoffs: Sequence[Cutoff], colours: dict[str | None, str]
) -> Figure:
    fig, ax, label_size = _figure(len(rows), margin=2.0)
    y = np.arange(len(rows))
    colour = [colours[row.tier] for row in rows]
    ax.hlines(y, [row.ci_low for row in rows], [row.ci_high for row in rows], colors=colour, lw=2, alpha=0.6)
    ax.scatter([row.score for row in rows], y, c=colour, s=22, zorder=3, edgecolors="white", linewidths=0.5)
    ax.set_yticks(y, [row.label for row in rows], fontsize=label_size)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # best on top
    ax.set_xlabel(_("Điểm chuẩn hóa"))
    ax.grid(axis="x", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)
    _points_axis(ax)
    _cutoff_lines(ax, cutoffs, colours)
    _ranking_legend(fig, rows, cutoffs, colours)
    return fig


def _cutoff_lines(ax: Axes, cutoffs: Sequence[Cutoff], colours: dict[str | None, str]) -> None:
    """Dashed cut-offs, named on a secondary axis along the top, outside the dots' way.

    Close cut-offs can crowd their names there, so the legend repeats each one with its score.
    """
    for cutoff in cutoffs:
        ax.axvline(cutoff.score, color=colours[cutoff.tier], ls="--", lw=1)
    if not cutoffs:
        return
    top = ax.secondary_xaxis("top")
    top.set_xticks([cutoff.score for cutoff in cutoffs], [cutoff.tier for cutoff in cutoffs])
    top.tick_params(axis="x", length=3, labelrotation=45, labelsize=8)
    for label in top.get_xticklabels():
        label.set_horizontalalignment("left")
        label.set_rotation_mode("anchor")


def _ranking_legend(
    fig: Figure, rows: Sequence[RankedDossier], cutoffs: Sequence[Cutoff], colours: dict[str | None, str]
) -> None:
    limits = {cutoff.tier: cutoff.score for cutoff in cutoffs}
    present = {row.tier for row in rows} | set(limits)
    handles = [
        Line2D([], [], color=colour, marker="o", lw=2, label=_tier_key(tier, limits))
        for tier, colour in colours.items()
        if tier in present
    ]
    handles.append(Line2D([], [], color="#555555", lw=2, alpha=0.6, label=_("Khoảng tin cậy 90%")))
    fig.legend(
        handles=handles, loc="outside lower center", ncols=min(3, len(handles)), fontsize=8, frameon=False
    )


def _tier_key(tier: str | None, limits: Mapping[str, float]) -> str:
    """A tier's name in the legend, with its cut-off: "Giải Nhì (từ 79,3)"."""
    if tier is None:
        return _("Không xếp giải")
    if tier not in limits:
        return tier
    return _("%(tier)s (từ %(score)s)", tier=tier, score=_number(limits[tier]))


def _ranking_alt(rows: Sequence[RankedDossier], cutoffs: Sequence[Cutoff]) -> str:
    top = [_("%(label)s (%(score)s điểm)", label=row.label, score=_number(row.score)) for row in rows[:3]]
    sentences = [
        ngettext(
            "Biểu đồ xếp hạng %(num)d hồ sơ theo điểm chuẩn hóa, mỗi hồ sơ một dòng kèm khoảng tin cậy 90%%.",
            "Biểu đồ xếp hạng %(num)d hồ sơ theo điểm chuẩn hóa, mỗi hồ sơ một dòng kèm khoảng tin cậy 90%%.",
            len(rows),
        ),
        _("Đứng đầu: %(list)s.", list=_join(top)),
        _tier_counts(rows),
    ]
    if cutoffs:
        limits = [_("%(tier)s từ %(score)s điểm", tier=c.tier, score=_number(c.score)) for c in cutoffs]
        sentences.append(_("Ngưỡng điểm: %(list)s.", list=_join(limits)))
    return " ".join(sentences)


def _tier_counts(rows: Sequence[RankedDossier]) -> str:
    counts = Counter(row.tier for row in rows)
    named = [_("%(tier)s: %(count)d", tier=tier, count=n) for tier, n in counts.items() if tier is not None]
    unlisted = ngettext("%(num)d hồ sơ không xếp giải", "%(num)d hồ sơ không xếp giải", counts.get(None, 0))
    return _("Số hồ sơ theo mức khen: %(list)s.", list=_join([*named, unlisted]))


# Leniency -------------------------------------------------------------------------------------


def leniency_chart(members: Sequence[MemberLeniency]) -> Chart:
    """Each member's leniency (độ dễ) with its interval and a zero line, the most lenient on top.

    Leniency is in points added to a sheet's total; members flagged lenient or harsh are coloured.
    """
    if not members:
        return _empty(_("Độ dễ của các thành viên"))
    members = sorted(members, key=lambda member: (member.leniency, member.name))
    return Chart(svg=_draw(_leniency_figure, members), alt=_leniency_alt(members))


def _flag_names() -> dict[str, str]:
    return {
        "lenient": _("chấm dễ"),
        "harsh": _("chấm nghiêm"),
        "narrow_range": _("dải điểm hẹp"),
        "wide_range": _("dải điểm rộng"),
        "far_from_consensus": _("lệch đồng thuận"),
        "few_sheets": _("ít phiếu"),
    }


def _member_label(member: MemberLeniency, names: Mapping[str, str]) -> str:
    if not member.flags:
        return member.name
    return f"{member.name} ({', '.join(names.get(flag, flag) for flag in member.flags)})"


def _leniency_colour(member: MemberLeniency) -> str:
    if "lenient" in member.flags:
        return LENIENT
    return HARSH if "harsh" in member.flags else PLAIN


def _leniency_figure(members: Sequence[MemberLeniency]) -> Figure:
    fig, ax, label_size = _figure(len(members), margin=1.8)
    y = np.arange(len(members))
    colour = [_leniency_colour(member) for member in members]
    names = _flag_names()
    ax.axvline(0, color="#333333", lw=1)
    ax.hlines(y, [m.low for m in members], [m.high for m in members], colors=colour, lw=2, alpha=0.6)
    ax.scatter([m.leniency for m in members], y, c=colour, s=22, zorder=3)
    ax.set_yticks(y, [_member_label(member, names) for member in members], fontsize=label_size)
    ax.set_ylim(-0.5, len(members) - 0.5)
    ax.set_xlabel(_("Độ dễ (điểm cộng thêm vào tổng điểm phiếu)"))
    ax.grid(axis="x", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)
    _points_axis(ax)
    keys = {LENIENT: _("Chấm dễ"), HARSH: _("Chấm nghiêm"), PLAIN: _("Không đáng kể")}
    handles = [Line2D([], [], color=c, marker="o", lw=2, label=key) for c, key in keys.items() if c in colour]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    return fig


def _leniency_alt(members: Sequence[MemberLeniency]) -> str:
    most, least = members[-1], members[0]
    apart = sum(1 for member in members if member.low > 0 or member.high < 0)
    return " ".join(
        [
            ngettext(
                "Biểu đồ độ dễ của %(num)d thành viên: số điểm mỗi người cộng thêm vào tổng điểm một phiếu, "
                "kèm khoảng tin cậy.",
                "Biểu đồ độ dễ của %(num)d thành viên: số điểm mỗi người cộng thêm vào tổng điểm một phiếu, "
                "kèm khoảng tin cậy.",
                len(members),
            ),
            _("Dễ nhất: %(name)s (%(value)s điểm).", name=most.name, value=_signed(most.leniency)),
            _("Nghiêm nhất: %(name)s (%(value)s điểm).", name=least.name, value=_signed(least.leniency)),
            ngettext(
                "%(num)d thành viên có khoảng tin cậy không chứa 0.",
                "%(num)d thành viên có khoảng tin cậy không chứa 0.",
                apart,
            ),
        ]
    )


# Raw rank against normalised rank -------------------------------------------------------------


def slope_chart(rows: Sequence[RankedDossier]) -> Chart:
    """Raw rank (hạng theo điểm thô, left) against normalised rank (hạng sau chuẩn hóa, right).

    One line per dossier; those that move :data:`BIG_MOVE` places or more are coloured (up or down)
    and drawn thicker, the rest are thin and grey.
    """
    if not rows:
        return _empty(_("Hạng theo điểm thô và sau chuẩn hóa"))
    rows = sorted(rows, key=lambda row: row.rank)
    return Chart(svg=_draw(_slope_figure, rows), alt=_slope_alt(rows))


def _move(row: RankedDossier) -> int:
    """Places gained by normalising: positive = up."""
    return row.raw_rank - row.rank


def _slope_colour(row: RankedDossier) -> str:
    if _move(row) >= BIG_MOVE:
        return UP
    return DOWN if _move(row) <= -BIG_MOVE else STILL


def _slope_figure(rows: Sequence[RankedDossier]) -> Figure:
    fig, ax, label_size = _figure(len(rows), margin=1.8)
    for row in sorted(rows, key=lambda row: abs(_move(row))):  # movers drawn last, on top
        big = abs(_move(row)) >= BIG_MOVE
        ax.plot(
            [0, 1],
            [row.raw_rank, row.rank],
            color=_slope_colour(row),
            lw=2.2 if big else 0.9,
            marker="o",
            ms=3.5 if big else 2.5,
            zorder=3 if big else 2,
        )
    by_raw = sorted(rows, key=lambda row: row.raw_rank)
    ax.set_yticks(
        [r.raw_rank for r in by_raw], [f"{r.raw_rank}. {r.label}" for r in by_raw], fontsize=label_size
    )
    right = ax.secondary_yaxis("right")
    right.set_yticks([r.rank for r in rows], [f"{r.rank}. {r.label}" for r in rows], fontsize=label_size)
    ax.set_ylim(max(max(r.rank, r.raw_rank) for r in rows) + 0.5, 0.5)  # rank 1 on top
    ax.set_xticks([0, 1], [_("Hạng theo điểm thô"), _("Hạng sau chuẩn hóa")])
    ax.xaxis.tick_top()
    ax.set_xlim(-0.05, 1.05)
    ax.spines[["left", "bottom"]].set_visible(False)
    handles = [
        Line2D([], [], color=UP, lw=2.2, label=_("Lên từ %(num)d bậc", num=BIG_MOVE)),
        Line2D([], [], color=DOWN, lw=2.2, label=_("Xuống từ %(num)d bậc", num=BIG_MOVE)),
        Line2D([], [], color=STILL, lw=0.9, label=_("Thay đổi ít hơn")),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig


def _slope_alt(rows: Sequence[RankedDossier]) -> str:
    movers = sum(1 for row in rows if abs(_move(row)) >= BIG_MOVE)
    up = max(rows, key=_move)
    down = min(rows, key=_move)
    sentences = [
        ngettext(
            "Biểu đồ so sánh hạng theo điểm thô với hạng sau chuẩn hóa của %(num)d hồ sơ.",
            "Biểu đồ so sánh hạng theo điểm thô với hạng sau chuẩn hóa của %(num)d hồ sơ.",
            len(rows),
        ),
        ngettext(
            "%(num)d hồ sơ thay đổi từ %(big)d bậc trở lên.",
            "%(num)d hồ sơ thay đổi từ %(big)d bậc trở lên.",
            movers,
            big=BIG_MOVE,
        ),
    ]
    if _move(up) > 0:
        sentences.append(
            _(
                "Lên nhiều nhất: %(label)s, từ hạng %(raw)d lên hạng %(rank)d.",
                label=up.label,
                raw=up.raw_rank,
                rank=up.rank,
            )
        )
    if _move(down) < 0:
        sentences.append(
            _(
                "Xuống nhiều nhất: %(label)s, từ hạng %(raw)d xuống hạng %(rank)d.",
                label=down.label,
                raw=down.raw_rank,
                rank=down.rank,
            )
        )
    return " ".join(sentences)


# Distribution of each member's totals ---------------------------------------------------------


def distribution_chart(totals: Mapping[str, Sequence[float]]) -> Chart:
    """Each member's sheet totals as a box and its points, members sorted by median (highest on top).

    ``totals`` maps a member's name to the totals of the sheets they submitted; members without a
    sheet are left out.
    """
    scored = {name: list(values) for name, values in totals.items() if len(values) > 0}
    if not scored:
        return _empty(_("Phân bố tổng điểm phiếu của các thành viên"))
    order = sorted(scored, key=lambda name: (statistics.median(scored[name]), name))
    ordered = [(name, scored[name]) for name in order]
    return Chart(svg=_draw(_distribution_figure, ordered), alt=_distribution_alt(ordered))


def _horizontal() -> dict[str, Any]:
    """``boxplot``'s keyword for horizontal boxes: ``orientation`` from matplotlib 3.10, ``vert`` before."""
    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def _distribution_figure(ordered: Sequence[tuple[str, list[float]]]) -> Figure:
    fig, ax, label_size = _figure(len(ordered), margin=1.4)
    y = np.arange(len(ordered))
    ax.boxplot(
        [values for _name, values in ordered],
        positions=y,
        widths=0.55,
        showfliers=False,
        medianprops={"color": "#D55E00", "lw": 1.6},
        **_horizontal(),
    )
    jitter = np.random.default_rng(0)  # a fixed seed: the same input draws the same points
    for position, (_name, values) in zip(y, ordered, strict=True):
        spread = jitter.uniform(-0.18, 0.18, len(values))
        ax.scatter(values, position + spread, s=9, color="#0072B2", alpha=0.55, zorder=3, linewidths=0)
    labels = [f"{name} ({len(values)})" for name, values in ordered]
    ax.set_yticks(y, labels, fontsize=label_size)
    ax.set_ylim(-0.5, len(ordered) - 0.5)
    ax.set_xlabel(_("Tổng điểm phiếu (trong ngoặc: số phiếu)"))
    ax.grid(axis="x", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)
    _points_axis(ax)
    return fig


def _distribution_alt(ordered: Sequence[tuple[str, list[float]]]) -> str:
    (low_name, low), (high_name, high) = ordered[0], ordered[-1]
    return " ".join(
        [
            ngettext(
                "Biểu đồ phân bố tổng điểm các phiếu của %(num)d thành viên, xếp theo trung vị.",
                "Biểu đồ phân bố tổng điểm các phiếu của %(num)d thành viên, xếp theo trung vị.",
                len(ordered),
            ),
            _(
                "Trung vị cao nhất: %(name)s (%(median)s điểm, %(sheets)d phiếu).",
                name=high_name,
                median=_number(statistics.median(high)),
                sheets=len(high),
            ),
            _(
                "Trung vị thấp nhất: %(name)s (%(median)s điểm, %(sheets)d phiếu).",
                name=low_name,
                median=_number(statistics.median(low)),
                sheets=len(low),
            ),
        ]
    )
