"""The chair's charts: standalone SVG that names every dossier, alt text that states the facts."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import flask_babel
import pytest
from flask import session

from council.services.charts import (
    MAX_HEIGHT,
    Chart,
    Cutoff,
    MemberLeniency,
    RankedDossier,
    distribution_chart,
    leniency_chart,
    ranking_chart,
    slope_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
TIERS = ("Giải Nhất", "Giải Nhì", "Giải Ba")


def dossiers(n: int = 12) -> list[RankedDossier]:
    """``n`` dossiers 2.5 points apart; HS-…-0002 and HS-…-0007 swap places with their raw ranks."""
    raw_rank = {i: i for i in range(1, n + 1)}
    if n >= 7:
        raw_rank[2], raw_rank[7] = 7, 2  # 0002 climbs 5 places, 0007 falls 5
    rows = []
    for rank in range(1, n + 1):
        score = 90.0 - 2.5 * (rank - 1)
        tier = TIERS[0] if rank <= 2 else TIERS[1] if rank <= 5 else TIERS[2] if rank <= 8 else None
        rows.append(
            RankedDossier(
                label=f"HS-2025-{rank:04d}",
                score=score,
                ci_low=score - 3,
                ci_high=score + 3,
                raw_mean=score + 1,
                rank=rank,
                raw_rank=raw_rank[rank],
                tier=tier,
            )
        )
    return rows


CUTOFFS = [Cutoff(TIERS[0], 87.5), Cutoff(TIERS[1], 80.0), Cutoff(TIERS[2], 72.5)]
MEMBERS = [
    MemberLeniency("Trần Thị Bình", 3.25, 1.5, 5.0, ("lenient",)),
    MemberLeniency("Lê Văn Cường", -2.75, -4.5, -1.0, ("harsh", "narrow_range")),
    MemberLeniency("Phạm Minh Đức", 0.5, -1.0, 2.0, ()),
    MemberLeniency("Nguyễn An", -0.25, -2.0, 1.5, ("wide_range",)),
]
TOTALS = {
    "Trần Thị Bình": [88.0, 91.5, 85.0, 90.0],
    "Lê Văn Cường": [61.0, 64.5, 58.0],
    "Phạm Minh Đức": [75.0, 72.0, 78.5, 74.0, 80.0],
    "Chưa chấm": [],
}


@pytest.fixture
def vietnamese(app):
    with app.test_request_context():
        flask_babel.refresh()  # the fixture's app context outlives each request context
        yield


def texts(chart: Chart) -> list[str]:
    """The text of every ``<text>`` element: what a reader sees (and the SVG must parse)."""
    root = ET.fromstring(chart.svg.encode("utf-8"))
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


ALL_CHARTS = {
    "ranking": lambda: ranking_chart(dossiers(), CUTOFFS),
    "leniency": lambda: leniency_chart(MEMBERS),
    "slope": lambda: slope_chart(dossiers()),
    "distribution": lambda: distribution_chart(TOTALS),
}


def test_ranking_chart_names_every_dossier_and_cutoff(vietnamese):
    chart = ranking_chart(dossiers(), CUTOFFS)
    shown = texts(chart)
    for row in dossiers():
        assert row.label in shown
    for tier in TIERS:
        assert tier in shown  # on the dashed line's label at the top
    assert "Giải Nhì (từ 80,0)" in shown  # and in the legend, with a decimal comma
    assert "Điểm chuẩn hóa" in shown and "Khoảng tin cậy 90%" in shown


def test_ranking_alt_states_the_facts(vietnamese):
    alt = ranking_chart(dossiers(), CUTOFFS).alt
    assert "12 hồ sơ" in alt
    assert "HS-2025-0001 (90,0 điểm)" in alt and "HS-2025-0003 (85,0 điểm)" in alt
    assert "HS-2025-0004 (" not in alt  # the top three only
    assert "Giải Nhất: 2; Giải Nhì: 3; Giải Ba: 3; 4 hồ sơ không xếp giải" in alt
    assert "Giải Ba từ 72,5 điểm" in alt


def test_ranking_rows_are_drawn_best_first_whatever_the_order_given(vietnamese):
    rows = dossiers()
    assert ranking_chart(rows[::-1], CUTOFFS) == ranking_chart(rows, CUTOFFS)


def test_ranking_without_cutoffs(vietnamese):
    chart = ranking_chart([row for row in dossiers() if row.tier is None], [])
    assert "HS-2025-0009" in texts(chart)
    assert "Ngưỡng" not in chart.alt and "4 hồ sơ không xếp giải" in chart.alt


def test_many_dossiers_keep_every_label_on_a_capped_height(vietnamese):
    rows = dossiers(150)
    chart = ranking_chart(rows, CUTOFFS)
    shown = set(texts(chart))
    assert all(row.label in shown for row in rows)
    root = ET.fromstring(chart.svg.encode("utf-8"))
    assert float(root.get("viewBox").split()[3]) <= MAX_HEIGHT * 72


def test_leniency_chart(vietnamese):
    chart = leniency_chart(MEMBERS)
    shown = texts(chart)
    assert "Lê Văn Cường (chấm nghiêm, dải điểm hẹp)" in shown
    assert "Phạm Minh Đức" in shown
    assert "Dễ nhất: Trần Thị Bình (+3,2 điểm)" in chart.alt  # 3.25 rounds half to even
    assert "Nghiêm nhất: Lê Văn Cường (-2,8 điểm)" in chart.alt
    assert "2 thành viên có khoảng tin cậy không chứa 0" in chart.alt


def test_slope_chart_names_the_biggest_movers(vietnamese):
    chart = slope_chart(dossiers())
    shown = texts(chart)
    assert "Hạng theo điểm thô" in shown and "Hạng sau chuẩn hóa" in shown
    assert "7. HS-2025-0002" in shown and "2. HS-2025-0002" in shown  # left: raw, right: normalised
    assert "Lên nhiều nhất: HS-2025-0002, từ hạng 7 lên hạng 2" in chart.alt
    assert "Xuống nhiều nhất: HS-2025-0007, từ hạng 2 xuống hạng 7" in chart.alt
    assert "2 hồ sơ thay đổi từ 2 bậc trở lên" in chart.alt


def test_slope_chart_when_nothing_moves(vietnamese):
    alt = slope_chart(dossiers(5)).alt  # too few dossiers to swap any
    assert "0 hồ sơ thay đổi" in alt and "nhiều nhất" not in alt


def test_distribution_chart_sorts_by_median(vietnamese):
    chart = distribution_chart(TOTALS)
    shown = texts(chart)
    assert "Trần Thị Bình (4)" in shown and "Phạm Minh Đức (5)" in shown
    assert not any("Chưa chấm" in text for text in shown)  # no sheet, no box
    assert "Trung vị cao nhất: Trần Thị Bình (89,0 điểm, 4 phiếu)" in chart.alt
    assert "Trung vị thấp nhất: Lê Văn Cường (61,0 điểm, 3 phiếu)" in chart.alt


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_svg_is_standalone_and_scales(vietnamese, name):
    chart = ALL_CHARTS[name]()
    assert chart.svg.startswith("<?xml")
    root = ET.fromstring(chart.svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").split()[:3] == ["0", "0", "460.8"]  # 6.4 inches wide
    assert "DejaVu Sans" in chart.svg


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_the_same_input_gives_the_same_bytes(vietnamese, name):
    first = ALL_CHARTS[name]()
    ranking_chart(dossiers(30), CUTOFFS)  # another drawing in between leaves nothing behind
    assert ALL_CHARTS[name]() == first


def test_charts_drawn_in_parallel_are_the_same(app):
    def draw(name: str) -> Chart:
        with app.test_request_context():
            flask_babel.refresh()
            return ALL_CHARTS[name]()

    names = list(ALL_CHARTS) * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        charts = list(pool.map(draw, names))
    expected = {name: draw(name) for name in ALL_CHARTS}
    assert charts == [expected[name] for name in names]


def test_markup_in_names_stays_text(vietnamese):
    name = 'Ngô "Bé" <Út> & Co'
    members = [*MEMBERS, MemberLeniency(name, 0.1, -1.0, 1.2, ())]
    for chart in (leniency_chart(members), distribution_chart({**TOTALS, name: [70.0, 71.0]})):
        assert any(name in text for text in texts(chart))  # parsed: well-formed XML
    row = RankedDossier("HS<&>\"'", 80.0, 77.0, 83.0, 79.0, 1, 1, 'Giải <A> & "B"')
    chart = ranking_chart([row], [Cutoff(row.tier, 80.0)])
    assert row.label in texts(chart) and row.tier in texts(chart)


@pytest.mark.parametrize(
    ("chart", "title"),
    [
        (lambda: ranking_chart([], []), "Xếp hạng theo điểm chuẩn hóa"),
        (lambda: leniency_chart([]), "Độ dễ của các thành viên"),
        (lambda: slope_chart([]), "Hạng theo điểm thô và sau chuẩn hóa"),
        (lambda: distribution_chart({}), "Phân bố tổng điểm phiếu của các thành viên"),
        (lambda: distribution_chart({"Chưa chấm": []}), "Phân bố tổng điểm phiếu của các thành viên"),
    ],
)
def test_empty_input_says_so(vietnamese, chart, title):
    drawn = chart()
    assert texts(drawn) == ["Chưa có dữ liệu để vẽ biểu đồ."]
    assert drawn.alt == f"{title}: chưa có dữ liệu."


def test_numbers_follow_the_language(vietnamese):
    session["lang"] = "en"
    flask_babel.refresh()
    alt = ranking_chart(dossiers(), CUTOFFS).alt
    assert "90.0" in alt and "90,0" not in alt


def test_charts_never_load_pyplot(tmp_path):
    code = (
        "import sys\n"
        "from council import create_app\n"
        "from council.services.charts import RankedDossier, ranking_chart\n"
        "app = create_app({'TESTING': True, 'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'},\n"
        f"                 instance_path={str(tmp_path)!r})\n"
        "with app.test_request_context():\n"
        "    ranking_chart([RankedDossier('HS-1', 80.0, 77.0, 83.0, 79.0, 1, 1, None)], [])\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
