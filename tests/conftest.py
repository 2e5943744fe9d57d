"""Shared fixtures. The place index is built once into a cache folder shared by test runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "helmand-2020-10-12.txt"
# our own short account of the seed's facts (not its text), so the seed tests also run in a plain clone
OWN_SEED = ROOT / "tests" / "data" / "helmand-own-words-2020-10-12.txt"
# the first wording of that account, kept as written: tests/test_seed.py records what it gives today
OWN_SEED_FIRST = ROOT / "tests" / "data" / "helmand-own-words-first-2020-10-12.txt"
EXAMPLES = ROOT / "examples"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


# fixtures that start a dask cluster: a test that uses one is marked `dask` (pyproject's markers)
DASK_FIXTURES = {"client"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if DASK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.dask)


@pytest.fixture(scope="session")
def gazetteer():
    from gazetteer import Gazetteer

    return Gazetteer.default()


@pytest.fixture(scope="session")
def geoparser(gazetteer):
    from gazetteer.geoparse import Geoparser

    return Geoparser(gazetteer)


@pytest.fixture(scope="session")
def seed_report():
    """The seed's facts in our own words (committed): four events, as README's "What you get" table."""
    from mapper.reports import read_report

    return read_report(OWN_SEED)


@pytest.fixture(scope="session")
def shared_seed_report():
    """The seed report itself, which lives beside the repo (../shared/seed), not in it."""
    if not SEED.exists():
        pytest.skip(f"the seed report is not beside the repo ({SEED}); the same tests ran on {OWN_SEED.name}")
    from mapper.reports import read_report

    return read_report(SEED)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("IM_SKIP_BROWSER") == "1":
            pytest.skip("IM_SKIP_BROWSER=1 and no Chromium")
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium (bash .ci/run does) or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


class PageRun:
    """A page opened offline: every http(s) request is blocked; errors and dialogs are collected."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(f"console: {m.text}")
                if m.type == "error" and "net::ERR_FAILED" not in m.text
                else None
            ),
        )
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r):
            self.requests.append(r.request.url)
            return r.abort() if r.request.url.startswith(("http:", "https:")) else r.continue_()

        self.page.route("**/*", route)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("typeof L !== 'undefined'")
        self.page.wait_for_timeout(300)

    def close(self):
        self.page.close()


@pytest.fixture
def open_page(browser):
    pages = []

    def _open(path: Path) -> PageRun:
        run = PageRun(browser, path)
        pages.append(run)
        return run

    yield _open
    for p in pages:
        p.close()


@pytest.fixture
def examples_copy(tmp_path):
    d = tmp_path / "examples"
    shutil.copytree(EXAMPLES, d)
    return d
