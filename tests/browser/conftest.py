"""Browser tests: a live server, headless Chromium watching every page, and screenshots of failures."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.browser.support import ARTIFACTS, CHROMIUM, Browser


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """The outcome of each test phase on the item, so fixtures can keep screenshots of failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def serve(app: Flask) -> Iterator[Callable[[], str]]:
    """Start the app on a free port of 127.0.0.1 in a thread, with CSRF on; returns its base URL."""
    servers = []

    def start() -> str:
        app.config["WTF_CSRF_ENABLED"] = True  # the browser sends the real forms, tokens included
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in servers:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def browser(request) -> Iterator[Browser]:
    """Headless Chromium. A failed test keeps a screenshot of each page in ``$COUNCIL_ARTIFACTS``;
    a passed test that did not check its pages itself is checked here."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        wrapper = Browser(chromium)
        yield wrapper
        report = getattr(request.node, "rep_call", None)
        try:
            if report is not None and report.failed:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                for n, page in enumerate(wrapper.pages):
                    if not page.is_closed():
                        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
            elif report is not None and report.passed and not wrapper.checked:
                wrapper.assert_clean()
        finally:
            chromium.close()
