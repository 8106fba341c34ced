"""Reports: the figures against the database, the previous period, .docx and .xlsx, plans, reminders, access.

The expected figures are counted here by walking the ORM objects in Python (the unit tree through
``Unit.children``, Vietnam time through ``zoneinfo``), never through the service's queries.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select, update

from council.documents.vietnamese import format_date
from council.extensions import db
from council.models import (
    Assignment,
    AwardTier,
    CouncilMember,
    CouncilRole,
    Dossier,
    DossierKind,
    Field,
    Level,
    LibraryEntry,
    RankingSnapshot,
    Replication,
    ReportPlan,
    Round,
    RoundStatus,
    ScoreSheet,
    SheetStatus,
    Unit,
    UnitKind,
    User,
)
from council.services import deliberation
from council.services import reports as service

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOSTILE = '=HYPERLINK("http://x.invalid","Bấm")'
HALF_2025 = (date(2025, 1, 1), date(2025, 6, 30))


def vn(y: int, m: int, d: int, hh: int = 12, mm: int = 0, ss: int = 0) -> datetime:
    """A Vietnam wall-clock time as the naive UTC time the database stores."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN).astimezone(UTC).replace(tzinfo=None)


# --- the world: a province with sub-units, rounds inside and outside it, two periods ------------------


@dataclass
class World:
    units: dict[str, Unit]
    rounds: dict[str, Round]
    dossiers: dict[str, Dossier]
    users: dict[str, User]
    plan: ReportPlan


def _dossier(
    round_: Round, code: str, unit: Unit, field: Field, kind: DossierKind, created: datetime
) -> Dossier:
    dossier = Dossier(
        round=round_, code=code, kind=kind, field=field, title=f"Sáng kiến {code}", lead_author="Lê Thị Hoa",
        unit=unit, created_at=created,
    )  # fmt: skip
    db.session.add(dossier)
    return dossier


def _sheet(dossier: Dossier, seat: CouncilMember, status: SheetStatus) -> None:
    assignment = Assignment(dossier=dossier, member=seat)
    db.session.add_all([assignment, ScoreSheet(assignment=assignment, status=status)])


def _recognise(round_: Round, dossiers: list[Dossier], finalised: datetime) -> None:
    """A final snapshot created at ``finalised`` and the library entries it would write."""
    snapshot = RankingSnapshot(
        round=round_, method="mean", payload={}, fingerprint="0" * 64, is_final=True, created_at=finalised
    )
    db.session.add(snapshot)
    db.session.flush()
    for d in dossiers:
        db.session.add(
            LibraryEntry(
                dossier_id=d.id, round_id=round_.id, snapshot_id=snapshot.id, year=round_.year,
                level=round_.level, field=d.field, kind=d.kind, unit_id=d.unit_id, tier_name="Công nhận",
                search_text=d.title.lower(),
            )
        )  # fmt: skip


@pytest.fixture
def world(deliberation_round, make_unit, make_user) -> World:
    """The deliberation round's province ("Ủy ban MTTQ Việt Nam tỉnh Thử") with a district, a commune,
    member organisations and a hostile-named unit below it; a province outside it with a firm.

    Province round: the fixture's 8 dossiers (all scored), 3 registered in the previous half year,
    5 in the first half of 2025; finalised (every dossier recognised) on 10/03/2025. District round:
    dossiers at the periods' edges, some scored, two recognised on 20/12/2024. A round of the outside
    province receives dossiers of our units and is recognised: none of it counts.
    """
    pr = deliberation_round
    province = pr.round.issuing_unit
    farmers = pr.unassigned.unit  # every fixture dossier's unit: a member organisation of the province
    farmers.parent = province
    district = make_unit(
        "Ủy ban MTTQ Việt Nam huyện Đông Sơn", kind=UnitKind.FRONT_COMMITTEE, level=Level.DISTRICT
    )
    commune = make_unit("Hội Nông dân xã Phú Lộc", kind=UnitKind.FARMERS_UNION, level=Level.COMMUNE)
    women = make_unit("Hội Liên hiệp Phụ nữ tỉnh Thử", kind=UnitKind.WOMENS_UNION)
    hostile = make_unit(HOSTILE, kind=UnitKind.YOUTH_UNION)
    other = make_unit("Ủy ban MTTQ Việt Nam tỉnh Khác", kind=UnitKind.FRONT_COMMITTEE)
    firm = make_unit("Doanh nghiệp An Phát", kind=UnitKind.ENTERPRISE)
    district.parent, commune.parent, women.parent, hostile.parent = province, district, province, province
    firm.parent = other

    # The province round: 3 dossiers in the second half of 2024, 5 in the first half of 2025.
    days = [vn(2024, 8, 1), vn(2024, 11, 20), vn(2024, 12, 31, 23, 59)] + [
        vn(2025, 2, d) for d in range(1, 6)
    ]
    for dossier, created in zip(pr.dossiers, days, strict=True):
        dossier.created_at = created
    db.session.add(AwardTier(round_id=pr.round.id, position=1, name="Công nhận sáng kiến", min_score=0.0))
    db.session.commit()
    snapshot = deliberation.finalise(pr.round, user=pr.users["chair"])
    db.session.execute(
        update(RankingSnapshot).where(RankingSnapshot.id == snapshot.id).values(created_at=vn(2025, 3, 10))
    )

    users = dict(pr.users)
    users["district_secretary"] = make_user("thuky_huyen", unit=district)
    users["old_secretary"] = make_user("thuky_cu", unit=province)
    users["other_secretary"] = make_user("thuky_khac", unit=other)
    district_round = Round(
        title="Đợt xét huyện Đông Sơn 2025", year=2025, level=Level.DISTRICT, issuing_unit=district
    )
    old_round = Round(title="Đợt xét tỉnh Thử 2023", year=2023, level=Level.PROVINCE, issuing_unit=province)
    other_round = Round(title="Đợt xét tỉnh Khác 2025", year=2025, level=Level.PROVINCE, issuing_unit=other)
    seat = CouncilMember(round=district_round, user=users["district_secretary"], role=CouncilRole.SECRETARY)
    db.session.add_all(
        [
            district_round, old_round, other_round, seat,
            CouncilMember(round=old_round, user=users["old_secretary"], role=CouncilRole.SECRETARY),
            CouncilMember(round=other_round, user=users["other_secretary"], role=CouncilRole.SECRETARY),
        ]
    )  # fmt: skip
    dr, F, K = district_round, Field, DossierKind
    d = {
        # 00:30 on 1 January in Vietnam is 17:30 on 31 December in UTC: the new half year.
        "a": _dossier(dr, "H-01", commune, F.POLITICAL_SYSTEM, K.MODEL, vn(2025, 1, 1, 0, 30)),
        "b": _dossier(dr, "H-02", commune, F.POLITICAL_SYSTEM, K.NEW_IDEA, vn(2024, 12, 31, 23, 59)),
        "c": _dossier(dr, "H-03", firm, F.BUSINESS, K.INITIATIVE, vn(2025, 6, 30, 23, 59, 59)),
        "d": _dossier(dr, "H-04", district, F.ARMED_FORCES, K.MODEL, vn(2025, 7, 1, 0, 0)),
        "e": _dossier(dr, "H-05", women, F.ETHNIC_RELIGIOUS_OVERSEAS, K.NEW_IDEA, vn(2025, 4, 2)),
        "f": _dossier(dr, "H-06", hostile, F.PUBLIC_SERVICE, K.INITIATIVE, vn(2024, 8, 15)),
        "g": _dossier(old_round, "T-01", province, F.BUSINESS, K.MODEL, vn(2025, 3, 3)),
        "x": _dossier(other_round, "K-01", firm, F.BUSINESS, K.MODEL, vn(2025, 3, 3)),
        "y": _dossier(other_round, "K-02", farmers, F.BUSINESS, K.MODEL, vn(2025, 3, 4)),
    }  # fmt: skip
    _sheet(d["c"], seat, SheetStatus.SUBMITTED)
    _sheet(d["e"], seat, SheetStatus.DRAFT)  # a draft is not a score
    _sheet(d["f"], seat, SheetStatus.SUBMITTED)
    _sheet(d["x"], seat, SheetStatus.SUBMITTED)
    db.session.flush()
    _recognise(district_round, [d["b"], d["f"]], vn(2024, 12, 20))
    _recognise(other_round, [d["x"], d["y"]], vn(2025, 3, 5))
    db.session.add_all(
        [
            Replication(
                dossier=d["x"], unit=commune, place="Thôn Phú Lộc", created_at=vn(2025, 5, 5)
            ),  # here
            Replication(
                dossier=pr.dossiers[0], unit=firm, place="Xưởng An Phát", created_at=vn(2025, 2, 2)
            ),  # ours
            Replication(dossier=d["y"], unit=firm, place="Nơi khác", created_at=vn(2025, 2, 3)),  # neither
            Replication(dossier=d["b"], unit=women, place="Chi hội 3", created_at=vn(2024, 10, 1)),  # before
        ]
    )
    plan = ReportPlan(
        unit_id=province.id, title="Kế hoạch số 12/KH-MTTQ-BTT", year=2025,
        half_year_from=date(2025, 1, 1), half_year_to=date(2025, 6, 30), half_year_due=date(2025, 7, 5),
        year_from=date(2025, 1, 1), year_to=date(2025, 12, 31), year_due=date(2025, 12, 20), remind_days=10,
    )  # fmt: skip
    db.session.add(plan)
    db.session.commit()
    units = {
        "province": province, "farmers": farmers, "district": district, "commune": commune, "women": women,
        "hostile": hostile, "other": other, "firm": firm,
    }  # fmt: skip
    rounds = {"province": pr.round, "district": district_round, "old": old_round, "other": other_round}
    return World(units, rounds, d, users, plan)


# --- the oracle ---------------------------------------------------------------------------------------


def _descendants(unit: Unit) -> set[int]:
    found = {unit.id}
    for child in unit.children:
        found |= _descendants(child)
    return found


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    def utc(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=VN).astimezone(UTC).replace(tzinfo=None)

    return utc(start), utc(end + timedelta(days=1))


def _branch(root: Unit, unit: Unit) -> str:
    ids = _descendants(root)
    if unit.id == root.id:
        return "self"
    if unit.id not in ids:
        return "outside"
    while unit.parent.id != root.id:
        unit = unit.parent
    return str(unit.id)


def expected(root: Unit, start: date, end: date) -> dict[str, Counter]:
    """Counters keyed (breakdown, line key) and ("total", "total") → (received, scored, recognised)."""
    db.session.expire_all()
    ids = _descendants(root)
    low, high = _bounds(start, end)
    figures: dict[str, Counter] = {"received": Counter(), "scored": Counter(), "recognised": Counter()}

    def keys(field: Field, kind: DossierKind, unit: Unit) -> list[tuple[str, str]]:
        return [
            ("total", "total"), ("field", field.value), ("kind", kind.value),
            ("organisation", unit.kind.value), ("subunit", _branch(root, unit)),
        ]  # fmt: skip

    for dossier in db.session.scalars(select(Dossier)):
        if dossier.round.issuing_unit_id in ids and low <= dossier.created_at < high:
            scored = any(
                a.sheet is not None and a.sheet.status is SheetStatus.SUBMITTED for a in dossier.assignments
            )
            for key in keys(dossier.field, dossier.kind, dossier.unit):
                figures["received"][key] += 1
                figures["scored"][key] += scored
    for entry in db.session.scalars(select(LibraryEntry)):
        finalised = db.session.get(RankingSnapshot, entry.snapshot_id).created_at
        if entry.round.issuing_unit_id in ids and low <= finalised < high:
            for key in keys(entry.field, entry.kind, entry.unit):
                figures["recognised"][key] += 1
    return figures


def expected_replications(root: Unit, start: date, end: date) -> list[Replication]:
    ids = _descendants(root)
    low, high = _bounds(start, end)
    return [
        r
        for r in db.session.scalars(select(Replication))
        if low <= r.created_at < high and (r.unit_id in ids or r.dossier.round.issuing_unit_id in ids)
    ]


def assert_report_matches(report: service.Report, root: Unit) -> None:
    """Every line of every breakdown, this period and the previous one, against the oracle."""
    for which, period in (("current", report.period), ("previous", report.previous)):
        want = expected(root, period.start, period.end)
        lines = [("total", report.total)] + [(b.key, line) for b in report.breakdowns for line in b.lines]
        seen = set()
        for key, line in lines:
            counts = getattr(line, which)
            got = (counts.received, counts.scored, counts.recognised)
            wanted = tuple(want[name][(key, line.key)] for name in ("received", "scored", "recognised"))
            assert got == wanted, f"{which} {key} {line.label}: {got} != {wanted}"
            seen.add((key, line.key))
        # No count is left out of the breakdowns: every key the oracle found has its line.
        missing = {k for name in want for k, n in want[name].items() if n} - seen
        assert not missing, missing
        for b in report.breakdowns:
            assert sum(line.current.received for line in b.lines) == report.total.current.received
    wanted_now = expected_replications(root, report.period.start, report.period.end)
    assert sorted(r.id for r in report.replications) == sorted(r.id for r in wanted_now)
    wanted_before = expected_replications(root, report.previous.start, report.previous.end)
    assert report.replications_previous == len(wanted_before)


# --- periods ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "before"),
    [
        ((2025, 1, 1), (2025, 6, 30), ((2024, 7, 1), (2024, 12, 31))),  # six whole months
        ((2025, 1, 1), (2025, 12, 31), ((2024, 1, 1), (2024, 12, 31))),  # a year
        ((2024, 12, 15), (2025, 6, 14), ((2024, 6, 15), (2024, 12, 14))),  # six months from the 15th
        ((2025, 1, 1), (2025, 5, 15), ((2024, 8, 19), (2024, 12, 31))),  # 135 days: the 135 before
        ((2025, 3, 1), (2025, 3, 1), ((2025, 2, 28), (2025, 2, 28))),  # a day
    ],
)
def test_the_previous_period_is_as_long_and_right_before(start, end, before):
    period = service.Period(date(*start), date(*end))
    previous = period.previous()
    assert (previous.start, previous.end) == (date(*before[0]), date(*before[1]))
    assert previous.end + timedelta(days=1) == period.start


def test_period_bounds_are_vietnam_midnights_in_utc():
    low, high = service.Period(*HALF_2025).utc_bounds()
    assert (low, high) == (datetime(2024, 12, 31, 17, 0), datetime(2025, 6, 30, 17, 0))
    half = service.Period(*HALF_2025, kind=service.HALF, year=2025)
    assert half.title == "6 tháng đầu năm 2025"
    assert service.Period(date(2025, 1, 1), date(2025, 12, 31), service.YEAR, 2025).title == "năm 2025"
    assert half.span == "từ ngày 01 tháng 01 năm 2025 đến ngày 30 tháng 6 năm 2025"


# --- the figures ----------------------------------------------------------------------------------------


def test_the_half_year_figures_equal_the_database(world):
    province = world.units["province"]
    report = service.build(province, service.plan_period(world.plan, service.HALF), plan=world.plan)
    assert (report.previous.start, report.previous.end) == (date(2024, 7, 1), date(2024, 12, 31))
    assert_report_matches(report, province)
    # The same figures by hand: the oracle counts what the fixture says.
    now, before = report.total.current, report.total.previous
    assert (now.received, now.scored, now.recognised) == (9, 6, 8)
    assert (before.received, before.scored, before.recognised) == (5, 4, 2)
    assert (len(report.replications), report.replications_previous) == (2, 1)
    subunits = {line.label: line.current.received for line in report.breakdown("subunit").lines}
    assert subunits == {
        "Ủy ban MTTQ Việt Nam tỉnh Thử (trực tiếp)": 1,
        "Hội Liên hiệp Phụ nữ tỉnh Thử": 1,
        "Hội Nông dân tỉnh Thử": 5,
        "Ủy ban MTTQ Việt Nam huyện Đông Sơn": 1,
        HOSTILE: 0,
        "Đơn vị ngoài hệ thống trực thuộc": 1,
    }
    organisations = {line.key: line for line in report.breakdown("organisation").lines}
    assert organisations["farmers_union"].current.recognised == 8
    assert organisations["enterprise"].current.received == 1  # shown because it counts
    assert "agency" not in organisations  # not a member organisation and nothing to count
    assert len(report.breakdown("field").lines) == len(Field)


@pytest.mark.parametrize(
    ("root", "start", "end"),
    [
        ("province", date(2025, 1, 1), date(2025, 12, 31)),
        ("province", date(2024, 7, 1), date(2024, 12, 31)),
        ("province", date(2025, 3, 10), date(2025, 3, 10)),
        ("district", date(2024, 12, 15), date(2025, 6, 14)),
        ("district", date(2025, 1, 1), date(2025, 5, 15)),
        ("commune", date(2024, 1, 1), date(2025, 12, 31)),
        ("other", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_other_units_and_periods_equal_the_database(world, root, start, end):
    unit = world.units[root]
    assert_report_matches(service.build(unit, service.Period(start, end)), unit)


def test_the_previous_period_has_the_figures_of_its_own_report(world):
    province = world.units["province"]
    report = service.build(province, service.Period(*HALF_2025))
    earlier = service.build(province, report.previous)
    assert earlier.total.current == report.total.previous
    for now, then in zip(report.breakdowns, earlier.breakdowns, strict=True):
        earlier_lines = {line.key: line.current for line in then.lines}
        for line in now.lines:  # a line shown only for this period counted nothing before it
            assert line.previous == earlier_lines.get(line.key, service.Counts()), line.label
    assert earlier.replications_previous == len(
        expected_replications(province, earlier.previous.start, earlier.previous.end)
    )


def test_a_reopened_round_is_not_recognised_until_finalised_again(world):
    province, round_ = world.units["province"], world.rounds["province"]
    deliberation.mark_reopened(round_, "Sai sót khi nhập điểm", user=world.users["chair"])
    round_.status = RoundStatus.DELIBERATION
    db.session.commit()
    report = service.build(province, service.Period(*HALF_2025))
    assert report.total.current.recognised == 0
    assert_report_matches(report, province)


# --- the page and the documents -------------------------------------------------------------------------


def _half(world: World) -> dict[str, object]:
    return {"plan": world.plan.id, "part": "half"}


def _figure_lines(report: service.Report) -> dict[str, tuple[int, ...]]:
    """Each table line's label → (received, previous, scored, previous, recognised, previous)."""
    found = {}
    for b in report.breakdowns:
        for line in (*b.lines, b.total):
            pairs = zip(line.current.as_tuple(), line.previous.as_tuple(), strict=True)
            found[f"{b.key}:{line.label}"] = tuple(n for pair in pairs for n in pair)
    return found


def test_the_page_shows_the_figures_and_a_chart(world, login):
    client = login("secretary")
    province = world.units["province"]
    response = client.get(f"/reports/units/{province.id}/", query_string=_half(world))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "6 tháng đầu năm 2025" in page and "ngày 05 tháng 7 năm 2025" in page  # the due date
    assert "&#34;" in page or "&quot;" in page  # the hostile name escaped
    assert HOSTILE not in page
    assert f"/reports/units/{province.id}/chart.svg?plan={world.plan.id}" in page
    chart = client.get(f"/reports/units/{province.id}/chart.svg", query_string=_half(world))
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert chart.get_data(as_text=True).lstrip().startswith("<?xml")
    assert chart.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"


def test_the_default_period_is_the_next_report_due(world, login, monkeypatch):
    province = world.units["province"]
    monkeypatch.setattr(service, "today", lambda: date(2025, 7, 20))  # half year due 05/07: 15 days late
    period, plan = service.default_period(province, service.today())
    assert (period.kind, plan) == (service.HALF, world.plan)
    period, plan = service.default_period(province, date(2025, 8, 5))  # more than 30 days late: the year
    assert (period.kind, plan) == (service.YEAR, world.plan)
    period, plan = service.default_period(world.units["district"], date(2025, 8, 5))  # no plan
    assert (period.start, period.end, plan) == (date(2025, 1, 1), date(2025, 8, 5), None)
    page = login("secretary").get(f"/reports/units/{province.id}/").get_data(as_text=True)
    assert "6 tháng đầu năm 2025" in page


def _export(client, world: World, **changes: object):
    province = world.units["province"]
    texts = {
        "parent_body": "ỦY BAN MTTQ VIỆT NAM TỈNH THỬ", "issuing_body": "BAN THƯỜNG TRỰC", "number": "7",
        "symbol": "BC-MTTQ-BTT", "place": "Thử", "issued_on": "2025-07-03",
        "intro": "Thực hiện Kế hoạch số 12/KH-MTTQ-BTT, Ban Thường trực báo cáo như sau:",
        "assessment": "Phong trào được triển khai rộng khắp.\nCòn ít mô hình được nhân rộng.",
        "directions": "Tiếp tục tuyên truyền, vận động.\nNhân rộng các mô hình tiêu biểu.",
        "recipients": "- Ban Thường trực UBTW MTTQ Việt Nam (để b/c);\n- Lưu: VT.",
        "signing_authority": "TM. BAN THƯỜNG TRỰC", "signer_title": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn Chủ",
        **_half(world), **changes,
    }  # fmt: skip
    return client.post(f"/reports/units/{province.id}/report.docx", data=texts)


def _docx_tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def test_the_docx_is_the_report_in_the_administrative_layout(world, login):
    province = world.units["province"]
    response = _export(login("secretary"), world)
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert response.headers["Cache-Control"] == "no-store"
    document = Document(io.BytesIO(response.data))
    text = [p.text for p in document.paragraphs]
    header = _docx_tables(document)[0][0]
    assert header[0].splitlines()[:2] == ["ỦY BAN MTTQ VIỆT NAM TỈNH THỬ", "BAN THƯỜNG TRỰC"]
    assert "Số: 07/BC-MTTQ-BTT" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1] and "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert f"Thử, {format_date(date(2025, 7, 3))}" in header[1] and "ngày 03 tháng 7 năm 2025" in header[1]
    assert "BÁO CÁO" in text
    title = (
        "Kết quả thực hiện Phong trào thi đua “Đoàn kết sáng tạo, nâng cao năng suất, chất lượng, hiệu quả, "
        "hội nhập quốc tế” 6 tháng đầu năm 2025"
    )
    assert title in text
    assert "(Từ ngày 01 tháng 01 năm 2025 đến ngày 30 tháng 6 năm 2025)" in text
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ"):
        assert heading in text
    assert text.index("II. ĐÁNH GIÁ CHUNG") < text.index("Còn ít mô hình được nhân rộng.")
    assert text.index("III. PHƯƠNG HƯỚNG, NHIỆM VỤ") < text.index("Nhân rộng các mô hình tiêu biểu.")
    assert len(document.inline_shapes) == 1  # the chart

    # The tables hold the figures of the database.
    report = service.build(province, service.plan_period(world.plan, service.HALF))
    assert_report_matches(report, province)
    tables = _docx_tables(document)
    summary = next(t for t in tables if t[0][:2] == ["STT", "Nội dung"])
    now, before = report.total.current, report.total.previous
    assert summary[1][1:] == ["Hồ sơ tiếp nhận", str(now.received), str(before.received), "+4"]
    assert summary[3][2:4] == [str(now.recognised), str(before.recognised)]
    assert summary[4][2:4] == ["2", "1"]  # replications
    figures = _figure_lines(report)
    for table, key in zip(
        [t for t in tables if len(t) > 1 and t[1][2:4] == ["Kỳ này", "Kỳ trước"]],
        [b.key for b in report.breakdowns],
        strict=True,
    ):
        for row in table[2:]:
            assert tuple(int(n) for n in row[2:]) == figures[f"{key}:{row[1]}"], row
    fields = next(t for t in tables if t[0][1] == "Lĩnh vực")
    assert len(fields) == 2 + len(Field) + 1  # two heading rows, a line per field, the total
    closing = tables[-1][0]
    assert "Nơi nhận:" in closing[0] and "- Lưu: VT." in closing[0]
    assert closing[1].split("\n")[0] == "TM. BAN THƯỜNG TRỰC" and "Nguyễn Văn Chủ" in closing[1]


def test_the_docx_form_refuses_missing_lines_and_keeps_the_input(world, login):
    response = _export(login("secretary"), world, issuing_body="", symbol="", issued_on="ngay mai")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vui lòng nhập cơ quan ban hành." in page and "Vui lòng nhập ký hiệu." in page
    assert "Còn ít mô hình được nhân rộng." in page  # what was typed is still there


def test_the_xlsx_holds_numbers_and_neutralises_formulas(world, login):
    province = world.units["province"]
    response = login("auditor").get(f"/reports/units/{province.id}/report.xlsx", query_string=_half(world))
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == [
        "Tổng hợp", "Lĩnh vực", "Loại hồ sơ", "Tổ chức thành viên", "Đơn vị trực thuộc", "Nhân rộng mô hình",
    ]  # fmt: skip
    report = service.build(province, service.plan_period(world.plan, service.HALF))
    figures = _figure_lines(report)
    for ws, key in zip(workbook.worksheets[1:5], [b.key for b in report.breakdowns], strict=True):
        header = next(row[0].row for row in ws.iter_rows() if row[0].value == "STT")
        rows = list(ws.iter_rows(min_row=header + 1, values_only=True))
        assert len(rows) == len(next(b for b in report.breakdowns if b.key == key).lines) + 1
        for row in rows:
            assert all(isinstance(n, int) and not isinstance(n, bool) for n in row[2:]), row
            assert tuple(row[2:]) == figures[f"{key}:{row[1]}"], row
    summary = workbook["Tổng hợp"]
    values = {row[1]: row[2:] for row in summary.iter_rows(values_only=True) if isinstance(row[0], int)}
    assert values["Hồ sơ tiếp nhận"] == (9, 5, 4)
    hostile = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value == HOSTILE]
    assert hostile, "the hostile unit name is in the workbook"
    for cell in hostile:
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    replications = list(workbook["Nhân rộng mô hình"].iter_rows(values_only=True))
    assert any(row[4] == "Thôn Phú Lộc" for row in replications)


# --- plans ----------------------------------------------------------------------------------------------


def _plan_form(**changes: object) -> dict[str, object]:
    return {
        "title": "Kế hoạch số 05/KH-MTTQ-BTT", "year": "2026",
        "half_year_from": "2025-12-15", "half_year_to": "2026-05-14", "half_year_due": "2026-05-30",
        "year_from": "2025-12-15", "year_to": "2026-11-14", "year_due": "2026-11-20", "remind_days": "14",
        **changes,
    }  # fmt: skip


def test_plans_are_listed_created_edited_and_deleted(world, login):
    client = login("secretary")
    province = world.units["province"]
    assert client.get(f"/reports/units/{province.id}/plans/new").status_code == 200
    assert client.post(f"/reports/units/{province.id}/plans/new", data=_plan_form()).status_code == 302
    plan = db.session.scalar(select(ReportPlan).where(ReportPlan.year == 2026))
    assert (plan.unit_id, plan.half_year_due, plan.year_due, plan.created_by_id) == (
        province.id, date(2026, 5, 30), date(2026, 11, 20), world.users["secretary"].id,
    )  # fmt: skip
    listing = client.get(f"/reports/units/{province.id}/plans").get_data(as_text=True)
    assert "Kế hoạch số 05/KH-MTTQ-BTT" in listing and "ngày 30 tháng 5 năm 2026" in listing
    edit = f"/reports/units/{province.id}/plans/{plan.id}/edit"
    assert "2026-05-30" in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data=_plan_form(half_year_due="2026-06-05", remind_days="7")).status_code == 302
    db.session.refresh(plan)
    assert (plan.half_year_due, plan.remind_days) == (date(2026, 6, 5), 7)
    assert client.post(f"/reports/units/{province.id}/plans/{plan.id}/delete").status_code == 302
    assert db.session.get(ReportPlan, plan.id) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"half_year_to": "2025-12-01"}, "Kỳ 6 tháng: ngày kết thúc phải sau ngày bắt đầu."),
        ({"year_due": "2025-12-01"}, "Kỳ năm: hạn báo cáo phải sau ngày bắt đầu."),
        ({"year_to": "2029-01-01"}, "Ngày phải trong năm 2026, năm trước hoặc năm sau."),
        ({"remind_days": "400"}, "Số ngày phải từ 0 đến 120."),
        ({"title": " "}, "Vui lòng nhập tên kế hoạch."),
        ({"half_year_due": ""}, "Vui lòng chọn ngày."),
    ],
)
def test_a_wrong_plan_is_refused_with_the_reason_and_saves_nothing(world, login, changes, message):
    province = world.units["province"]
    response = login("secretary").post(f"/reports/units/{province.id}/plans/new", data=_plan_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(ReportPlan).where(ReportPlan.year == 2026)) is None


def test_a_plan_of_another_unit_is_not_found_through_this_one(world, login):
    district = world.units["district"]
    client = login("admin")
    assert client.get(f"/reports/units/{district.id}/plans/{world.plan.id}/edit").status_code == 404
    assert client.post(f"/reports/units/{district.id}/plans/{world.plan.id}/delete").status_code == 404
    response = client.get(f"/reports/units/{district.id}/", query_string=_half(world))
    assert response.status_code == 400 and "Kế hoạch này không thuộc đơn vị." in response.get_data(
        as_text=True
    )
    refused = client.get(
        f"/reports/units/{district.id}/", query_string={"start": "2025-05-01", "end": "2025-04-01"}
    )
    assert refused.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu." in refused.get_data(
        as_text=True
    )
    assert (
        client.get(f"/reports/units/{district.id}/report.xlsx", query_string=_half(world)).status_code == 400
    )
    assert db.session.get(ReportPlan, world.plan.id) is not None


# --- reminders ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "days_left"),
    [
        (date(2025, 6, 24), None),  # 11 days before the half year's due date (05/07): not yet
        (date(2025, 6, 25), 10),  # remind_days = 10
        (date(2025, 7, 5), 0),
        (date(2025, 8, 4), -30),  # overdue, shown 30 days after
        (date(2025, 8, 5), None),
    ],
)
def test_the_secretary_is_reminded_in_the_window(world, day, days_left):
    found = service.reminders(world.users["secretary"], on=day)
    if days_left is None:
        assert found == []
    else:
        assert [(r.plan, r.part, r.days_left, r.overdue) for r in found] == [
            (world.plan, service.HALF, days_left, days_left < 0)
        ]


@pytest.mark.parametrize(
    "username", ["chair", "member", "admin", "auditor", "old_secretary", "district_secretary"]
)
def test_nobody_else_is_reminded(world, username):
    user = world.users.get(username) or db.session.scalar(select(User).where(User.username == username))
    assert service.reminders(user, on=date(2025, 7, 1)) == []


def test_the_dashboard_shows_the_reminder_to_the_secretary_only(world, login, monkeypatch):
    monkeypatch.setattr(service, "today", lambda: date(2025, 7, 8))
    page = login("secretary").get("/").get_data(as_text=True)
    link = f"/reports/units/{world.units['province'].id}/?plan={world.plan.id}&amp;part=half"
    assert link in page and "đã quá hạn 3 ngày" in page and "ngày 05 tháng 7 năm 2025" in page
    chair = login("chair").get("/").get_data(as_text=True)
    assert link not in chair and "Báo cáo Phong trào" in chair  # the chair reports, is not reminded
    member = login("member").get("/").get_data(as_text=True)
    assert "Báo cáo Phong trào" not in member
    monkeypatch.setattr(service, "today", lambda: date(2025, 9, 1))
    assert link not in login("secretary").get("/").get_data(as_text=True)
    monkeypatch.setattr(service, "today", lambda: date(2025, 12, 15))  # the yearly report, 5 days ahead
    page = login("secretary").get("/").get_data(as_text=True)
    assert f"plan={world.plan.id}&amp;part=year" in page and "còn 5 ngày" in page


def test_a_secretary_of_last_years_round_is_reminded_of_this_years_plan(world):
    old = world.rounds["old"]
    old.year = 2024
    db.session.commit()
    found = service.reminders(world.users["old_secretary"], on=date(2025, 7, 1))
    assert [(r.plan, r.part) for r in found] == [(world.plan, service.HALF)]
    world.users["old_secretary"].active = False
    db.session.commit()
    assert service.reminders(world.users["old_secretary"], on=date(2025, 7, 1)) == []


# --- who may see and do what ----------------------------------------------------------------------------

# fmt: off
ACCESS = {  # page, chart, xlsx, plans list, docx export, new plan
    "secretary":          "200 200 200 200 200 200",  # secretary of a round the province issued
    "chair":              "200 200 200 200 200 200",
    "outsider":           "200 200 200 200 200 200",  # chair of the province's other round
    "admin":              "200 200 200 200 200 200",
    "auditor":            "200 200 200 200 403 403",  # sees the figures, makes no report
    "member":             "403 403 403 403 403 403",  # a member, not the secretary or the chair
    "vice":               "403 403 403 403 403 403",
    "district_secretary": "403 403 403 403 403 403",  # a member of another unit
    "old_secretary":      "200 200 200 200 200 200",  # secretary of an older round of the province
}
# fmt: on


@pytest.mark.parametrize("username", list(ACCESS))
def test_who_sees_and_makes_the_provinces_report(world, login, username):
    user = world.users[username]
    client = login(user.username)
    base = f"/reports/units/{world.units['province'].id}"
    got = [
        client.get(f"{base}/", query_string=_half(world)).status_code,
        client.get(f"{base}/chart.svg", query_string=_half(world)).status_code,
        client.get(f"{base}/report.xlsx", query_string=_half(world)).status_code,
        client.get(f"{base}/plans").status_code,
        _export(client, world).status_code,
        client.get(f"{base}/plans/new").status_code,
    ]
    assert " ".join(map(str, got)) == ACCESS[username]
    assert service.may_report(user, world.units["province"]) == (ACCESS[username].split()[4] == "200")


def test_refused_users_change_nothing_and_see_no_export_form(world, login):
    province, district = world.units["province"], world.units["district"]
    client = login("thuky_huyen")
    assert client.post(f"/reports/units/{province.id}/plans/new", data=_plan_form()).status_code == 403
    assert (
        client.post(f"/reports/units/{province.id}/plans/{world.plan.id}/edit", data=_plan_form()).status_code
        == 403
    )
    assert client.post(f"/reports/units/{province.id}/plans/{world.plan.id}/delete").status_code == 403
    assert db.session.scalar(select(ReportPlan.id).where(ReportPlan.year == 2026)) is None
    assert db.session.get(ReportPlan, world.plan.id) is not None
    assert client.get(f"/reports/units/{district.id}/").status_code == 200  # their own unit
    assert client.get("/reports/units/999999/").status_code == 404
    auditor = login("auditor").get(f"/reports/units/{province.id}/").get_data(as_text=True)
    assert "report.docx" not in auditor and "report.xlsx" in auditor
    index = login("thuky_huyen").get("/reports/").get_data(as_text=True)
    assert district.name in index and province.name not in index


# --- the command line -----------------------------------------------------------------------------------


def test_cli_writes_the_report_and_lists_reminders(world, app, tmp_path):
    runner = app.test_cli_runner()
    province = world.units["province"]
    out = tmp_path / "bao-cao.docx"
    result = runner.invoke(
        args=[
            "report",
            "export",
            str(province.id),
            "--plan",
            str(world.plan.id),
            "--part",
            "year",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "năm 2025" in result.output
    text = [p.text for p in Document(str(out)).paragraphs]
    assert any(line.endswith("hội nhập quốc tế” năm 2025") for line in text)
    out = tmp_path / "so-lieu.xlsx"
    args = [
        "report",
        "export",
        str(province.id),
        "--from",
        "2025-01-01",
        "--to",
        "2025-06-30",
        "--format",
        "xlsx",
    ]
    result = runner.invoke(args=[*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(str(out))["Tổng hợp"]["A1"].value.startswith(province.name)
    result = runner.invoke(args=["report", "reminders", "--date", "2025-07-01"])
    assert result.exit_code == 0 and re.search(
        r"2025-07-05 .*6 tháng đầu năm 2025 \(còn 4 ngày\) → secretary$", result.output.strip()
    )
    assert "nothing due" in runner.invoke(args=["report", "reminders", "--date", "2025-10-01"]).output
    bad = runner.invoke(
        args=[
            "report",
            "export",
            str(province.id),
            "--from",
            "2025-06-01",
            "--to",
            "2025-01-01",
            "--out",
            str(out),
        ]
    )
    assert bad.exit_code != 0 and "Ngày kết thúc phải sau ngày bắt đầu." in bad.output


@pytest.mark.parametrize(
    ("part", "title"),
    [
        ("custom", "từ ngày 01/01/2025 đến ngày 31/03/2025"),
        ("half", "6 tháng đầu năm 2025"),
        ("year", "năm 2025"),
    ],
)
def test_typed_days_are_reported_under_the_name_chosen(world, login, part, title):
    client = login("secretary")
    province = world.units["province"]
    days = {"start": "2025-01-01", "end": "2025-03-31", "part": part}
    page = client.get(f"/reports/units/{province.id}/", query_string=days).get_data(as_text=True)
    assert f'<option selected value="{part}">' in page and 'value="2025-03-31"' in page
    assert "ngày 01 tháng 10 năm 2024" in page  # the previous three months start on 1 October
    response = _export(client, world, plan="", **days)
    text = [p.text for p in Document(io.BytesIO(response.data)).paragraphs]
    assert any(line.endswith(f"hội nhập quốc tế” {title}") for line in text), text[:4]


class _InlineCode(HTMLParser):
    """What a strict Content-Security-Policy blocks: inline scripts and styles, event handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if (tag == "script" and "src" not in names) or tag == "style":
            self.found.append(tag)
        self.found += [f"{tag} {name}" for name, _value in attrs if name == "style" or name.startswith("on")]


def test_the_pages_pass_the_content_security_policy(world, login, monkeypatch):
    monkeypatch.setattr(service, "today", lambda: date(2025, 7, 1))
    province = world.units["province"]
    client = login("secretary")
    urls = [
        "/", "/reports/", f"/reports/units/{province.id}/", f"/reports/units/{province.id}/plans",
        f"/reports/units/{province.id}/plans/new", f"/reports/units/{province.id}/plans/{world.plan.id}/edit",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Security-Policy"] and "private" in response.headers["Cache-Control"]
        parser = _InlineCode()
        parser.feed(response.get_data(as_text=True))
        assert parser.found == [], url
    refused = _export(client, world, symbol="")  # the page again, with the error
    parser = _InlineCode()
    parser.feed(refused.get_data(as_text=True))
    assert refused.status_code == 400 and parser.found == []
