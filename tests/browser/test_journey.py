"""The verdict's journey in a real browser: members score on phone and desktop, the chair finalises,
the secretary issues and downloads the decision, and anyone checks the printed code.

Headless Chromium (Debian's ``chromium``, which ``.ci/run`` installs) driven by Playwright; skipped
with a message when Chromium is missing. On a failure the page's screenshot is kept in
``$COUNCIL_ARTIFACTS`` (default ``artifacts/``). No page may violate the Content-Security-Policy,
log a console error or throw (``support.Browser``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from council.services.demo import load_demo
from tests.browser.support import DESKTOP, PHONE, Browser, needs_chromium, sign_in

pytestmark = needs_chromium
PASSWORD = "mat-khau-demo"


@pytest.fixture
def live_server(app, serve) -> Iterator[str]:
    """The app with the demo round, served on a free port of 127.0.0.1."""
    load_demo(PASSWORD)
    yield serve()


def _page(browser: Browser, base: str, username: str | None, device: dict):
    return sign_in(browser, base, username, PASSWORD, device)


def _score_one_open_sheet(page) -> str | None:
    """Open the first sheet not yet submitted, give 15,5 on every criterion, submit. Its code, or None."""
    page.goto("/review/")
    items = page.locator("ul.items li").filter(has_not=page.locator(".badge.submitted, .badge.recused"))
    if items.count() == 0:
        return None
    item = items.first
    code = item.locator(".code").inner_text()
    item.locator("a").first.click()
    page.wait_for_load_state("load")
    for field in page.locator("input.points").all():
        field.fill("15,5")
    page.check("input[name=confirm]")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state("load")
    return code


def test_members_score_the_chair_finalises_the_secretary_prints(live_server, browser):
    from playwright.sync_api import expect

    # Three members score from a phone, a desktop and a phone.
    scored = []
    for username, device in (("uyvien01", PHONE), ("uyvien02", DESKTOP), ("uyvien03", PHONE)):
        page = _page(browser, live_server, username, device)
        code = _score_one_open_sheet(page)
        if code:
            page.goto("/review/")
            row = page.locator("ul.items li").filter(has_text=code)
            expect(row.locator(".badge.submitted")).to_have_count(1)
            scored.append(code)
    assert scored, "the demo leaves every member some sheets to score"

    # The chair closes scoring, reads the ranking, records a vote and finalises.
    chair = _page(browser, live_server, "chutich", DESKTOP)
    chair.goto("/")
    chair.locator("main a").filter(has_text="An Hòa").first.click()
    chair.click("button:has-text('Xác nhận chuyển sang')")
    expect(chair.locator(".steps li.current")).to_have_text("Họp xét")
    chair.click("text=Xếp hạng và mức khen")
    chair.wait_for_load_state("load")
    assert chair.locator("table.ranking tbody tr").count() >= 50
    # The SVG charts arrive as images: each must load and have a size.
    chair.wait_for_function(
        "() => [...document.querySelectorAll('img.chart')].every(i => i.complete && i.naturalWidth > 0)"
    )
    chair.select_option("select[name=kind]", "vote")
    chair.fill("input[name=votes_for]", "9")
    chair.fill("textarea[name=reason]", "Hội đồng biểu quyết thống nhất kết quả xếp hạng.")
    chair.click("button:has-text('Ghi vào biên bản họp xét')")
    expect(chair.locator(".flash").first).to_contain_text("Đã ghi nội dung họp xét")
    chair.check("input[name=confirm]")
    chair.click("#finalise button[type=submit]")
    expect(chair.locator(".flash").first).to_contain_text("Đã chốt kết quả")

    # The secretary saves the draft decision, issues it and downloads the PDF.
    secretary = _page(browser, live_server, "thuky", DESKTOP)
    secretary.goto(chair.url.split("/ranking")[0] + "/decision/")
    secretary.click("button:has-text('Lưu dự thảo')")
    expect(secretary.locator(".flash").first).to_contain_text("Đã lưu dự thảo")
    secretary.click("button:has-text('Ban hành và cấp số')")
    expect(secretary.locator(".flash").first).to_contain_text("Đã ban hành Quyết định số 01/QĐ-MTTQ-BTT")
    with secretary.expect_download() as download_info:
        secretary.click("text=Tải PDF")
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "QUYẾT ĐỊNH" in text and "Số: 01/QĐ-MTTQ-BTT" in text
    code = secretary.locator("dd.code").inner_text()
    assert code in text

    # Anyone with the printed copy checks its code, without an account.
    visitor = _page(browser, live_server, None, PHONE)
    visitor.goto("/verify/")
    visitor.fill("input[name=code]", code)
    visitor.click("button:has-text('Kiểm tra')")
    expect(visitor.locator(".flash").first).to_contain_text("Mã hợp lệ")

    browser.assert_clean()
