"""Real-browser journeys: Playwright for Python drives Debian's Chromium against a live server.

The browser is the system's (/usr/bin/chromium, or CHROMIUM_PATH); no test tool downloads one.
Locally the journeys are skipped, with the reason, where Chromium or axe-core is missing;
in CI (CI=true) that is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import IN_CI, PASSWORD

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parent.parent / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason: str):
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium findes ikke ({CHROMIUM}); installér Debians pakke 'chromium' (.ci/run gør det).")
    if not AXE.exists():
        _missing("axe-core mangler; kør 'npm ci' i tests/browser (.ci/run gør det).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class Visit:
    """A browser tab that checks every page it opens: no console errors (a CSP violation is one), no serious or critical axe findings."""

    def __init__(self, page, base_url):
        self.page, self.base_url, self.console_errors, self.checked = page, base_url, [], []
        page.on(
            "console", lambda message: self.console_errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate(AXE.read_text() + ";0")
        violations = self.page.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
            ".filter(v => v.impact === 'critical' || v.impact === 'serious').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
        )
        assert violations == [], f"{self.page.url}: {violations}"
        assert self.console_errors == [], f"{self.page.url}: {self.console_errors}"
        self.checked.append(self.page.url)

    def login(self, username):
        self.page.goto(self.base_url + "/log-ind/")
        self.check()
        self.page.get_by_label("Brugernavn").fill(username)
        self.page.get_by_label("Adgangskode").fill(PASSWORD)
        self.page.locator("main").get_by_role("button", name="Log ind").click()
        self.check()

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        print(f"skærmbillede: {path}")


@pytest.fixture
def visit(browser, live_server):
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    yield Visit(context.new_page(), live_server.url)
    context.close()


@pytest.fixture
def task_runner(request):
    """A real Celery worker where Redis is available (CI), otherwise tasks run in-process."""
    if os.environ.get("REDIS_URL"):
        return request.getfixturevalue("celery_worker_process")
    return request.getfixturevalue("eager_tasks")
