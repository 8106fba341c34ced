"""The watch on every page (``support.Browser``) does see what the journeys assert never happens.

Without this the journeys' "no Content-Security-Policy violation, no console or JavaScript error"
could pass because nothing was listening. Here a page is made to break the policy and to throw,
and the reports must arrive, including those of a page the browser has already left.
"""

from __future__ import annotations

from tests.browser.support import DESKTOP, Browser, needs_chromium

pytestmark = needs_chromium

BREAK_THE_POLICY = """() => {
  const style = document.createElement("style");
  style.textContent = "body { color: red; }";
  document.head.append(style);
  const script = document.createElement("script");
  script.textContent = "window.inlineRan = true;";
  document.head.append(script);
  setTimeout(() => { throw new Error("thrown on purpose"); }, 0);
}"""


def test_the_watch_reports_violations_errors_and_failed_loads(app, serve, browser: Browser):
    base = serve()
    page = browser.new_page(base, DESKTOP)
    page.goto("/login")
    with page.expect_event("pageerror"):
        page.evaluate(BREAK_THE_POLICY)
    page.wait_for_function("() => window.__cspViolations.length >= 2")
    assert page.evaluate("() => window.inlineRan") is None  # the policy held
    page.goto("/verify/")  # the login page's own record is gone with it: the binding kept it
    assert page.evaluate("() => window.__cspViolations") == []
    with browser.allowing("status of 404"):
        assert page.goto("/no-such-page").status == 404
    assert page.goto("/also-missing").status == 404

    problems = browser.collect()
    violations = [p for p in problems if p.startswith("CSP violation on")]
    assert any("style-src" in p for p in violations), problems
    assert any("script-src" in p for p in violations), problems
    assert any("thrown on purpose" in p for p in problems if p.startswith("JavaScript error")), problems
    refused = [p for p in problems if p.startswith("console error") and "Content Security Policy" in p]
    assert refused, problems  # Chromium's own report in the console
    missing = [p for p in problems if "status of 404" in p]
    assert len(missing) == 1 and "also-missing" in missing[0], problems  # the allowed one is not there

    browser.problems.clear()  # all of them were asked for
    browser.assert_clean()
