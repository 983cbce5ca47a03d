"""Fixtures for the website tests: the built site, a local web server for it, and headless Chromium.

The site must be built first (``bash tests/site/run.sh`` builds it and runs these tests):

    python -m sphinx -W -c docs -b html . docs/_build/html

``SITE_DIR`` points the tests at another build. Playwright drives the system Chromium with the
launch flags of the JupyterLab browser tests; it is imported lazily, so the default test run (which
deselects the ``site`` marker) does not need it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

REPO_ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("SITE_DIR", REPO_ROOT / "docs" / "_build" / "html")).resolve()
SCREENSHOTS = REPO_ROOT / "docs" / "_build" / "screenshots"
BUILD_COMMAND = "python -m sphinx -W -c docs -b html . docs/_build/html"


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE_DIR / "docs" / "index.html").exists():
        pytest.fail(f"no built site in {SITE_DIR}: build it first with `{BUILD_COMMAND}` (or bash tests/site/run.sh)")
    return SITE_DIR


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="session")
def server(site):
    """A web server on 127.0.0.1 serving the built site; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run tests/e2e/install_chromium.sh (or set E2E_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: pip install -e '.[e2e]'")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class OfflinePage:
    """A browser page that may reach the local server only: every other request is aborted and recorded."""

    def __init__(self, browser, base_url: str):
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("response", self._response)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url + "/") or url == self.base_url:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _response(self, response):
        if response.url.startswith(self.base_url) and response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def close(self):
        with contextlib.suppress(Exception):
            self.context.close()


@pytest.fixture
def offline_page(browser, server):
    p = OfflinePage(browser, server)
    try:
        yield p
    finally:
        p.close()
