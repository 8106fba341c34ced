"""What the browser journeys share: headless Chromium, the devices, signing in, and a watch on every page.

The watch is how the journeys prove that the pages pass their Content-Security-Policy: every context
gets, before any page script runs, a ``securitypolicyviolation`` listener that records each violation
into ``window.__cspViolations`` and hands it at once to the test through an exposed binding (so that a
violation on a page the journey has since left is not lost); Chromium's console errors (it also logs
each refused inline style or script there) and uncaught JavaScript errors are collected as well, and
so is any response of the server with a 5xx status. :meth:`Browser.assert_clean` fails the test if
any of these happened, after reading back the violations still recorded in each open page.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium): browser journey skipped"
)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
ARTIFACTS = Path(os.environ.get("COUNCIL_ARTIFACTS", "artifacts"))

# Runs in every document before the page's own scripts (Playwright's init scripts are not subject to
# the page's CSP, so the listener is there even on pages that forbid inline scripts).
CSP_LISTENER = """
(() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    const record = {
      document: event.documentURI,
      directive: event.violatedDirective,
      blocked: event.blockedURI,
      sample: event.sample,
      source: event.sourceFile,
      line: event.lineNumber,
    };
    window.__cspViolations.push(record);
    if (typeof window.councilCspViolation === "function") {
      window.councilCspViolation(record);
    }
  });
})();
"""


def describe_violation(record: dict[str, Any]) -> str:
    where = f" ({record.get('source')}:{record.get('line')})" if record.get("source") else ""
    sample = f", sample {record['sample']!r}" if record.get("sample") else ""
    return (
        f"CSP violation on {record.get('document')}: {record.get('directive')} blocked "
        f"{record.get('blocked') or 'inline'}{sample}{where}"
    )


class Browser:
    """Headless Chromium with a context per person and device; watches every page it opens.

    It remembers its pages so that a failure keeps a screenshot of each (see the ``browser`` fixture).
    """

    def __init__(self, chromium: Any) -> None:
        self.chromium = chromium
        self.pages: list[Any] = []
        self.problems: list[str] = []
        self.checked = False
        self._allowed: list[re.Pattern[str]] = []
        self._seen_violations: set[tuple[Any, ...]] = set()

    def new_page(self, base: str, device: dict[str, Any]) -> Any:
        context = self.chromium.new_context(base_url=base, accept_downloads=True, **device)
        context.expose_binding("councilCspViolation", lambda _source, record: self._violation(record))
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on("response", self._response)
        self.pages.append(page)
        return page

    @contextmanager
    def allowing(self, pattern: str) -> Iterator[None]:
        """Console errors matching ``pattern`` are expected inside the block (e.g. a 403 asked for)."""
        compiled = re.compile(pattern)
        self._allowed.append(compiled)
        try:
            yield
        finally:
            self._allowed.remove(compiled)

    def _violation(self, record: dict[str, Any]) -> None:
        key = tuple(sorted((k, str(v)) for k, v in record.items()))
        if key not in self._seen_violations:
            self._seen_violations.add(key)
            self.problems.append(describe_violation(record))

    def _console(self, page: Any, message: Any) -> None:
        if message.type != "error" or any(p.search(message.text) for p in self._allowed):
            return
        location = (message.location or {}).get("url") or ""
        self.problems.append(f"console error on {location or page.url}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(
                f"server error {response.status} for {response.request.method} {response.url}"
            )

    def collect(self) -> list[str]:
        """Every problem seen so far, including violations still recorded in the open pages."""
        for page in self.pages:
            if page.is_closed():
                continue
            for record in page.evaluate("() => window.__cspViolations || []"):
                self._violation(record)
        return list(self.problems)

    def assert_clean(self) -> None:
        """No CSP violation, console error, uncaught JavaScript error or 5xx on any page so far."""
        self.checked = True
        problems = self.collect()
        assert not problems, "the pages were not clean:\n" + "\n".join(problems)


def sign_in(browser: Browser, base: str, username: str | None, password: str, device: dict[str, Any]) -> Any:
    """A new page (its own cookies: another person or device), signed in unless ``username`` is None."""
    page = browser.new_page(base, device)
    if username:
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("form.stack button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
    return page
