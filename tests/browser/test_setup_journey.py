"""The whole journey in a real browser, from an empty round to the printed decision.

An administrator opens a round naming its secretary and chair; the secretary fills in the round's
details, edits the rubric, creates three council members on the spot, downloads the import template,
fills it with six dossiers (openpyxl), checks and confirms the import, runs the assignment (three
reviewers per dossier), publishes it and opens scoring; three members (two on phones, one at a desk)
sign in with the passwords the council page showed, see only their own dossiers and score them, and
so does the chair; the chair closes scoring, sets the award tiers and finalises; the secretary issues
the decision and downloads its PDF, which lists the imported dossiers.

Only the units and three accounts (administrator, secretary, chair) exist beforehand; everything else
goes through the real forms, CSRF tokens included. No page may violate the Content-Security-Policy,
log a console error or throw (``support.Browser``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from council.extensions import db
from council.models import GlobalRole, Level, Unit, UnitKind
from council.services.accounts import create_user
from tests.browser.support import DESKTOP, PHONE, Browser, needs_chromium, sign_in

pytestmark = needs_chromium
PASSWORD = "mat-khau-thu"
YEAR = 2025
ROUND_TITLE = f"Đợt xét sáng kiến, ý tưởng mới năm {YEAR} tỉnh Bình An"

FRONT = "Ủy ban MTTQ Việt Nam tỉnh Bình An"
FARMERS = "Hội Nông dân tỉnh Bình An"
YOUTH = "Tỉnh Đoàn Bình An"
VETERANS = "Hội Cựu chiến binh tỉnh Bình An"
LABOUR = "Liên đoàn Lao động tỉnh Bình An"
UNITS = {
    FRONT: UnitKind.FRONT_COMMITTEE,
    FARMERS: UnitKind.FARMERS_UNION,
    YOUTH: UnitKind.YOUTH_UNION,
    VETERANS: UnitKind.VETERANS_ASSOCIATION,
    LABOUR: UnitKind.LABOUR_FEDERATION,
}
STAFF = {"quantri": "Phạm Thị Ngọc Diệp", "thuky": "Lê Thu Trang", "chutich": "Nguyễn Văn An"}


@dataclass(frozen=True)
class NewMember:
    username: str
    full_name: str
    unit: str | None
    expertise: tuple[str, ...]
    keywords: str
    device: dict
    leniency: float  # share of each criterion's maximum added to the dossier's merit


MEMBERS = (
    NewMember("uyvien.mai", "Hoàng Thị Mai", FARMERS, ("business",), "nông nghiệp, hợp tác xã", PHONE, 0.02),
    NewMember(
        "uyvien.bao",
        "Đặng Quốc Bảo",
        VETERANS,
        ("political_system", "armed_forces"),
        "an ninh, chuyển đổi số",
        DESKTOP,
        -0.02,
    ),
    NewMember("uyvien.lan", "Vũ Thị Lan", None, ("public_service",), "giáo dục, khảo sát", PHONE, 0.0),
)


class NewDossier(NamedTuple):
    kind: str
    field: int  # the import takes the field by its number, 1-5
    title: str
    unit: str
    merit: float  # the share of each criterion's maximum its reviewers give (plus their leniency)


DOSSIERS = (
    NewDossier("Sáng kiến", 2, "Sổ tay điện tử hội viên nông dân", FARMERS, 0.86),
    NewDossier("Mô hình", 2, "Tổ hợp tác rau an toàn Đồng Xanh", FARMERS, 0.62),
    NewDossier("Ý tưởng mới", 1, "Bản đồ số khu dân cư văn minh", YOUTH, 0.78),
    NewDossier("Sáng kiến", 3, "Phiếu khảo sát hài lòng bằng mã QR", YOUTH, 0.70),
    NewDossier("Sáng kiến", 4, "Nhật ký điện tử ca trực an ninh", VETERANS, 0.74),
    NewDossier("Mô hình", 5, "Câu lạc bộ song ngữ Kinh – Chăm", LABOUR, 0.66),
)
MERIT = {d.title: d.merit for d in DOSSIERS}
BEST = max(MERIT, key=MERIT.__getitem__)


@pytest.fixture
def site(app, serve) -> str:
    """An empty site: the units, an administrator, and the accounts of the future secretary and chair."""
    units = {name: Unit(name=name, kind=kind, level=Level.PROVINCE) for name, kind in UNITS.items()}
    db.session.add_all(units.values())
    db.session.commit()
    for username, full_name in STAFF.items():
        roles = {GlobalRole.ADMIN} if username == "quantri" else set()
        create_user(username, full_name, PASSWORD, unit=units[FRONT], roles=roles)
    return serve()


def _flash(page, text: str):
    """The success or warning message that contains ``text`` (Playwright waits for it)."""
    from playwright.sync_api import expect

    message = page.locator(".flash").filter(has_text=text)
    expect(message.first).to_be_visible()
    return message.first


def _advance(page, step: str) -> None:
    """On the round's overview: confirm the move to the next step, named ``step``."""
    from playwright.sync_api import expect

    page.get_by_role("button", name=f"Xác nhận chuyển sang “{step}”").click()
    _flash(page, f"Đợt xét đã chuyển sang bước “{step}”")
    expect(page.locator(".steps li.current")).to_have_text(step)


def _import_sheet(template: Path, target: Path) -> None:
    """The downloaded template with its example row replaced by :data:`DOSSIERS`."""
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for n, d in enumerate(DOSSIERS, start=1):
        values = {
            "Mã hồ sơ": "",  # blank: the next free code
            "Loại": d.kind,
            "Lĩnh vực": d.field,
            "Tên sáng kiến, mô hình, ý tưởng": d.title,
            "Người chủ trì": f"Nguyễn Văn Chủ Trì {n}",
            "Người thực hiện": f"Trần Thị Cùng Làm {n}; Lê Văn Hỗ Trợ {n}",
            "Đơn vị": d.unit,
            "Mô tả": f"Mô tả ngắn gọn của hồ sơ “{d.title}”.",
            "Tính mới": "Lần đầu áp dụng tại tỉnh.",
            "Thời gian áp dụng": f"Từ tháng {n}/{YEAR - 1}",
            "Địa điểm áp dụng": "Tỉnh Bình An",
            "Công việc áp dụng": "Công tác Mặt trận ở khu dân cư",
            "Kết quả": f"Tiết kiệm {10 * n} ngày công mỗi năm.",
        }
        sheet.append([values[header] for header in headers])  # a header we do not know fails here
    workbook.save(target)


def _assignment_table(page) -> list[dict]:
    """The assignment page's "reviewers of each dossier": id, code, title, unit and reviewers' names."""
    return page.eval_on_selector_all(
        "tr[id^=d]",
        """rows => rows.map(row => {
            const cell = row.cells[0];
            const code = cell.querySelector(".code").textContent.trim();
            const unit = cell.querySelector("div").textContent.trim();
            const title = cell.textContent.replace(code, "").replace(unit, "").trim();
            const names = [...row.querySelectorAll("ul.pairs > li")]
                .filter(li => !li.querySelector(".badge.short"))
                .map(li => li.firstChild.textContent.trim());
            return {id: row.id.slice(1), code, title, unit, names};
        })""",
    )


def _points(maximum: float, share: float) -> str:
    """Whole or half points near ``share`` of ``maximum``, written the Vietnamese way (7,5)."""
    value = min(maximum, max(0.0, round(2 * maximum * share) / 2))
    return f"{value:g}".replace(".", ",")


def _score_every_sheet(page, leniency: float) -> set[str]:
    """From "Phiếu chấm của tôi", score and submit every sheet listed; the codes of their dossiers."""
    from playwright.sync_api import expect

    page.goto("/review/")
    items = page.locator("ul.items li")
    codes = items.locator(".code").all_inner_texts()
    for _sheet in codes:
        item = items.filter(has=page.locator(".badge.not_started")).first
        title = item.locator("a").inner_text()
        item.locator("a").click()
        expect(page.locator("h1")).to_contain_text(title)
        share = MERIT[title] + leniency
        for field in page.locator("input.points").all():
            field.fill(_points(float(field.get_attribute("data-max")), share))
        page.locator("textarea[name=comment]").fill("Hồ sơ đầy đủ, số liệu có kiểm chứng.")
        page.check("input[name=confirm]")
        page.get_by_role("button", name="Nộp phiếu", exact=True).click()
        _flash(page, "Đã nộp phiếu chấm.")
        page.get_by_role("link", name="← Phiếu chấm của tôi").click()
    expect(page.locator("ul.items li .badge.submitted")).to_have_count(len(codes))
    expect(page.locator("main")).to_contain_text(f"Đã nộp {len(codes)}/{len(codes)} phiếu")
    return set(codes)


def test_secretary_sets_up_imports_assigns_members_score_chair_finalises_decision_printed(
    site, browser: Browser, tmp_path
):
    round_path = _administrator_opens_the_round(browser, site)
    secretary = sign_in(browser, site, "thuky", PASSWORD, DESKTOP)
    _secretary_fills_in_the_round(secretary)
    passwords = _secretary_seats_the_council(secretary)
    _secretary_imports_the_dossiers(secretary, round_path, tmp_path)
    reviewers = _secretary_assigns_and_opens_scoring(secretary, round_path)

    # Three members score: two on phones, one at a desk; each sees only their own dossiers.
    for n, member in enumerate(MEMBERS):
        page = sign_in(browser, site, member.username, passwords[member.username], member.device)
        if n == 0:
            _member_is_refused_the_others_dossiers(browser, page, round_path, reviewers, member.full_name)
        assert _score_every_sheet(page, member.leniency) == reviewers.codes(member.full_name)

    _chair_scores_closes_scoring_and_finalises(browser, site, round_path, reviewers)
    _secretary_issues_the_decision_and_reads_its_pdf(secretary, round_path)

    browser.assert_clean()


def _administrator_opens_the_round(browser: Browser, site: str) -> str:
    """The administrator opens the round, naming its secretary and chair; the round's path."""
    from playwright.sync_api import expect

    admin = sign_in(browser, site, "quantri", PASSWORD, DESKTOP)
    admin.get_by_role("link", name="Tạo đợt xét mới", exact=True).click()
    admin.fill("input[name=title]", ROUND_TITLE)
    admin.fill("input[name=year]", str(YEAR))
    admin.select_option("select[name=level]", "province")
    admin.select_option("select[name=issuing_unit_id]", label=FRONT)
    admin.select_option("select[name=secretary_id]", label=f"{STAFF['thuky']} (thuky)")
    admin.select_option("select[name=chair_id]", label=f"{STAFF['chutich']} (chutich)")
    admin.get_by_role("button", name="Lưu", exact=True).click()
    _flash(admin, "Đã tạo đợt xét với bộ tiêu chí mặc định.")
    expect(admin.locator(".steps li.current")).to_have_text("Nháp")
    return re.sub(r"^https?://[^/]+", "", admin.url)  # /rounds/<id>/


def _secretary_fills_in_the_round(secretary) -> None:
    """Details (issuing body, k, deadlines), then the rubric: a note on criterion 1, a sixth out of 10."""
    from playwright.sync_api import expect

    secretary.get_by_role("link", name=ROUND_TITLE).click()
    expect(secretary.locator("dl.facts")).to_contain_text("Thư ký Hội đồng")
    secretary.get_by_role("link", name="Sửa thông tin đợt xét", exact=True).click()
    secretary.fill("input[name=issuing_body]", "Ban Thường trực")
    secretary.fill("input[name=reviewers_per_dossier]", "3")
    today = date.today()
    secretary.fill("input[name=intake_deadline]", f"{today + timedelta(days=7):%Y-%m-%d}T17:00")
    secretary.fill("input[name=scoring_deadline]", f"{today + timedelta(days=30):%Y-%m-%d}T17:00")
    secretary.get_by_role("button", name="Lưu", exact=True).click()
    _flash(secretary, "Đã lưu thông tin đợt xét.")
    expect(secretary.locator("dl.facts")).to_contain_text(f"Ban Thường trực {FRONT}")

    secretary.get_by_role("link", name="Bộ tiêu chí", exact=True).click()
    expect(secretary.locator(".rubric-row")).to_have_count(5)
    secretary.fill("textarea[name=rows-0-descriptor]", "18–20: chưa từng có ở tỉnh; 10–17: cải tiến rõ rệt.")
    secretary.get_by_role("button", name="Thêm một tiêu chí", exact=True).click()
    expect(secretary.locator(".rubric-row")).to_have_count(6)
    secretary.fill("input[name=rows-5-name]", "Khả năng nhân rộng")
    secretary.fill("input[name=rows-5-max_points]", "10")
    secretary.fill("textarea[name=rows-5-descriptor]", "Áp dụng được ở đơn vị khác.")
    secretary.get_by_role("button", name="Lưu bộ tiêu chí", exact=True).click()
    _flash(secretary, "Đã lưu bộ tiêu chí.")
    secretary.get_by_role("link", name=f"← {ROUND_TITLE}").click()
    rubric = secretary.locator("main table").first
    expect(rubric.locator("tbody tr")).to_have_count(6)
    expect(rubric.locator("tbody")).to_contain_text("18–20: chưa từng có ở tỉnh")
    expect(rubric.locator("tfoot")).to_contain_text("110")


def _secretary_seats_the_council(secretary) -> dict[str, str]:
    """Three members created on the spot; the initial passwords shown once, by username."""
    from playwright.sync_api import expect

    secretary.get_by_role("link", name="Thành viên Hội đồng", exact=True).click()
    expect(secretary.locator("main table tbody tr")).to_have_count(2)  # the chair and the secretary
    passwords = {}
    for member in MEMBERS:
        secretary.select_option("select[name=user_id]", "0")  # — Tạo tài khoản mới —
        secretary.fill("input[name=username]", member.username)
        secretary.fill("input[name=full_name]", member.full_name)
        secretary.select_option("select[name=unit_id]", label=member.unit or "— Không có —")
        secretary.select_option("select[name=role]", "member")
        for field_ in member.expertise:
            secretary.check(f"input[name=expertise][value={field_}]")
        secretary.fill("input[name=keywords]", member.keywords)
        secretary.get_by_role("button", name="Thêm vào Hội đồng", exact=True).click()
        _flash(secretary, f"Đã thêm {member.full_name} vào Hội đồng.")
        shown = _flash(secretary, f"Mật khẩu ban đầu của {member.username}:").inner_text()
        passwords[member.username] = re.search(r": (\S+) \(chỉ hiện một lần\)", shown).group(1)
    expect(secretary.locator("main table tbody tr")).to_have_count(2 + len(MEMBERS))
    return passwords


def _secretary_imports_the_dossiers(secretary, round_path: str, tmp_path: Path) -> None:
    """Intake opens; the template is downloaded, filled in, checked, and the import confirmed."""
    from playwright.sync_api import expect

    secretary.goto(round_path)
    _advance(secretary, "Tiếp nhận hồ sơ")
    secretary.get_by_role("link", name="Nhập hồ sơ từ Excel/CSV", exact=True).click()
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Tải tệp mẫu (.xlsx)", exact=True).click()
    template = tmp_path / download.value.suggested_filename
    assert template.suffix == ".xlsx"
    download.value.save_as(template)
    sheet = tmp_path / "ho-so-binh-an.xlsx"
    _import_sheet(template, sheet)
    secretary.set_input_files("input[name=file]", str(sheet))
    secretary.get_by_role("button", name="Kiểm tra tệp", exact=True).click()
    expect(secretary.locator("main")).to_contain_text(f"Tệp có {len(DOSSIERS)} dòng hồ sơ")
    preview = secretary.locator("main table tbody tr")
    expect(preview).to_have_count(len(DOSSIERS))
    expect(preview.filter(has_text="Tạo mới")).to_have_count(len(DOSSIERS))
    for d in DOSSIERS:
        expect(preview.filter(has_text=d.title)).to_have_count(1)
    secretary.get_by_role("button", name=f"Xác nhận nhập {len(DOSSIERS)} hồ sơ").click()
    _flash(secretary, f"Đã nhập {len(DOSSIERS)} hồ sơ ({len(DOSSIERS)} mới, 0 cập nhật).")


@dataclass(frozen=True)
class Reviewers:
    """The assignment page's table "reviewers of each dossier", row by row."""

    rows: list[dict]  # id, code, title, unit, names

    def codes(self, full_name: str) -> set[str]:
        return {r["code"] for r in self.rows if full_name in r["names"]}


def _secretary_assigns_and_opens_scoring(secretary, round_path: str) -> Reviewers:
    """Intake closes; the assignment is run (k = 3) and published; scoring opens."""
    from playwright.sync_api import expect

    _advance(secretary, "Phân công chấm")
    secretary.get_by_role("link", name="Phân công chấm", exact=True).click()
    secretary.get_by_role("button", name="Chạy phân công", exact=True).click()
    pairs = 3 * len(DOSSIERS)
    _flash(secretary, f"Đã phân công: {pairs} cặp mới")
    secretary.get_by_role("button", name=f"Công bố {pairs} cặp").click()
    _flash(secretary, f"Đã công bố {pairs} cặp phân công.")
    expect(secretary.locator(".badge.published")).to_have_count(pairs)
    reviewers = Reviewers(_assignment_table(secretary))
    assert len(reviewers.rows) == len(DOSSIERS)
    assert all(len(row["names"]) == 3 for row in reviewers.rows)
    unit_of = {m.full_name: m.unit for m in MEMBERS} | {STAFF["chutich"]: FRONT}
    own = [(r["code"], name) for r in reviewers.rows for name in r["names"] if unit_of[name] == r["unit"]]
    assert not own, f"members assigned their own unit's dossiers: {own}"
    assert not reviewers.codes(STAFF["thuky"]), "the secretary does not score"

    secretary.get_by_role("link", name=f"← {ROUND_TITLE}").click()
    expect(secretary.locator("main")).not_to_contain_text("Phân công chưa xong")
    _advance(secretary, "Chấm điểm")
    return reviewers


def _member_is_refused_the_others_dossiers(
    browser: Browser, page, round_path: str, reviewers: Reviewers, full_name: str
) -> None:
    """Another member's dossier is refused (403), and so is the list of all the round's dossiers."""
    from playwright.sync_api import expect

    other = next(r for r in reviewers.rows if full_name not in r["names"])
    with browser.allowing("status of 403"):
        assert page.goto(f"{round_path}dossiers/{other['id']}").status == 403
        expect(page.locator("main")).to_contain_text("Hồ sơ này không được phân công cho bạn.")
        assert page.goto(f"{round_path}dossiers/").status == 403


def _chair_scores_closes_scoring_and_finalises(
    browser: Browser, site: str, round_path: str, reviewers: Reviewers
) -> None:
    """The chair scores their own sheets, checks everyone has, closes scoring, sets tiers, finalises."""
    from playwright.sync_api import expect

    chair = sign_in(browser, site, "chutich", PASSWORD, DESKTOP)
    assert _score_every_sheet(chair, 0.0) == reviewers.codes(STAFF["chutich"])
    chair.goto(round_path)
    progress = chair.eval_on_selector_all(
        "h2:text-is('Tiến độ chấm điểm') + .table-wrap tbody tr",
        "rows => rows.map(r => [r.cells[0].textContent.trim(), r.cells[2].textContent.trim(), "
        "r.cells[3].firstChild.textContent.trim()])",
    )
    scorers = {m.full_name for m in MEMBERS} | {STAFF["chutich"]}
    assert {name for name, _assigned, _submitted in progress} == scorers
    assert all(assigned == submitted for _name, assigned, submitted in progress), progress
    _advance(chair, "Họp xét")

    chair.get_by_role("link", name="Xếp hạng và mức khen", exact=True).click()
    ranking = chair.locator("table.ranking tbody tr")
    expect(ranking).to_have_count(len(DOSSIERS))
    expect(ranking.first).to_contain_text(BEST)
    chair.wait_for_function(
        "() => [...document.querySelectorAll('img.chart')].every(i => i.complete && i.naturalWidth > 0)"
    )
    chair.get_by_role("link", name="Các mức khen", exact=True).click()
    chair.fill("input[name=rows-0-name]", "Đề nghị khen thưởng cấp trên")
    chair.fill("input[name=rows-0-quota]", "1")
    chair.check("input[name=rows-0-nominate_upward]")
    chair.get_by_role("button", name="Thêm một mức", exact=True).click()
    chair.fill("input[name=rows-1-name]", "Công nhận sáng kiến")
    chair.fill("input[name=rows-1-min_score]", "50")
    chair.get_by_role("button", name="Lưu các mức khen", exact=True).click()
    _flash(chair, "Đã lưu các mức khen.")
    chair.get_by_role("link", name="← Xếp hạng").click()
    expect(ranking.first).to_contain_text("Đề nghị khen thưởng cấp trên")
    expect(ranking.filter(has_text="Công nhận sáng kiến")).to_have_count(len(DOSSIERS) - 1)
    chair.check("input[name=confirm]")
    chair.locator("#finalise button[type=submit]").click()
    _flash(chair, "Đã chốt kết quả")


def _secretary_issues_the_decision_and_reads_its_pdf(secretary, round_path: str) -> None:
    """The draft decision saved and issued; its PDF carries the number, the code and every dossier."""
    secretary.goto(round_path)
    secretary.get_by_role("link", name="Quyết định công nhận", exact=True).click()
    secretary.fill("input[name=place]", "Bình An")
    secretary.get_by_role("button", name="Lưu dự thảo", exact=True).click()
    _flash(secretary, "Đã lưu dự thảo")
    secretary.get_by_role("button", name="Ban hành và cấp số", exact=True).click()
    _flash(secretary, "Đã ban hành Quyết định số 01/QĐ-MTTQ-BTT")
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Tải PDF", exact=True).click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "QUYẾT ĐỊNH" in text and "Số: 01/QĐ-MTTQ-BTT" in text
    assert secretary.locator("dd.code").inner_text() in text
    missing = [d.title for d in DOSSIERS if d.title not in text]
    assert not missing, f"the decision's list lacks imported dossiers: {missing}"
