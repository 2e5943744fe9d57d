"""`mapper serve` in headless Chromium: the server runs in a subprocess on a free port; the page uploads the
examples, settles one review row by picking a candidate and another by clicking the map; hostile text
uploaded as a report never runs."""

from __future__ import annotations

import csv
import json
import re
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper.cli import main

from .conftest import EXAMPLES
from .test_hostile_browser import PAYLOADS
from .test_serve import _page, start_server

pytestmark = pytest.mark.browser

VILLAGE = """date 2021-05-02
Air strikes hit Qala-e Gaz village in Helmand province on Sunday, killing 12 people, officials said.
Clashes continued in Lashkar Gah.
"""
SLOW = 180_000  # ms: a rebuild on a busy 2-core machine


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def server(tmp_path):
    folder = (tmp_path / "review").resolve()
    proc, url = start_server(folder)
    yield folder, url
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "stopped" in out, out


@pytest.fixture
def app_page(browser):
    pages = []

    def _open(url: str):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.errors, page.dialogs = [], []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        # offline, as the tests of the map: only the local server is reachable (its requests are not routed at
        # all: a routed request loses a File body)
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda r: r.abort())
        page.goto(url)
        pages.append(page)
        return page

    yield _open
    for p in pages:
        p.close()


def _wait_ok(page, text: str) -> None:
    page.wait_for_function(
        "t => { const s = document.getElementById('status'); return s.className === 'ok' && s.textContent.includes(t) }",
        arg=text,
        timeout=SLOW,
    )
    page.wait_for_selector("#map[data-ready]", state="attached", timeout=SLOW)


def test_upload_pick_click_and_mapper_map_agrees(server, app_page, tmp_path):
    folder, url = server
    village = tmp_path / "helmand-village.txt"
    village.write_text(VILLAGE, encoding="utf-8")
    page = app_page(url)
    page.set_input_files("#files", [*sorted(EXAMPLES.iterdir()), village])
    _wait_ok(page, "file(s) added")
    assert sorted(p.name for p in (folder / "inputs").iterdir()) == sorted(
        [p.name for p in EXAMPLES.iterdir()] + [village.name]
    )
    geo0 = (folder / "events.geojson").read_bytes()
    assert page.frame_locator("#map").locator(".folium-map.leaflet-container").count() == 1  # the map of `mapper map`
    rows = page.locator(".review-row")
    assert rows.count() >= 3
    # 1. a candidate: Idlib (province only) -> the town of Idlib
    idlib = page.locator(".review-row", has=page.locator(".name-written", has_text="Idlib"))
    idlib.locator("li.candidate", has_text="populated place").first.locator("button.use").click()
    _wait_ok(page, "Idlib →")
    ov = _rows(folder / "overrides.csv")
    assert [(r["name"], r["country"], r["place_id"].startswith("geonames:")) for r in ov] == [("Idlib", "SY", True)]
    # 2. a click on the map: Qala-e Gaz (not in the gazetteer)
    qala = page.locator(".review-row", has=page.locator(".name-written", has_text="Qala-e Gaz"))
    page.wait_for_selector("#map[data-ready]", state="attached", timeout=SLOW)  # the rebuilt map is up
    # the frame is sandboxed (no storage): find the map among its "map_..." globals only
    centre = (
        "() => { for (const k of Object.keys(window)) { if (!k.startsWith('map_')) continue;"
        " const m = window[k]; if (m instanceof L.Map) { const c = m.getCenter(); return [c.lat, c.lng]; } }"
        " return [0, 0]; }"
    )
    for _ in range(10):  # "show" centres the map on the event (again if a rebuild reloaded the frame meanwhile)
        qala.locator("button.link", has_text="show").click()
        page.wait_for_timeout(800)
        lat0, lon0 = page.frame_locator("#map").locator("body").evaluate(centre)
        if 30 < lat0 < 33 and 62 < lon0 < 66:
            break
    assert 30 < lat0 < 33 and 62 < lon0 < 66
    qala.locator("button.pick").click()
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.frame_locator("#map").locator(".folium-map.leaflet-container").click(
        position={"x": box["width"] / 2 - 80, "y": box["height"] / 2 + 50}
    )
    _wait_ok(page, "Qala-e Gaz placed at")
    ov = _rows(folder / "overrides.csv")
    assert [r["name"] for r in ov] == ["Idlib", "Qala-e Gaz"]
    assert ov[1]["country"] == "AF" and ov[1]["lat"] and ov[1]["lon"] and ov[1]["event_id"]
    lat, lon = float(ov[1]["lat"]), float(ov[1]["lon"])
    assert 30 < lat < 33 and 62 < lon < 66  # near the Helmand point the map was centred on
    feats = {f["properties"]["event_id"]: f for f in json.loads((folder / "events.geojson").read_text())["features"]}
    assert (folder / "events.geojson").read_bytes() != geo0
    moved = feats[ov[1]["event_id"]]
    assert moved["properties"]["location"] == "Qala-e Gaz" and moved["properties"]["review"] is None
    assert moved["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-6)
    # the review list on the page follows: neither row is left
    names = page.locator(".review-row .name-written").all_inner_texts()
    assert "Qala-e Gaz" not in names and "Idlib" not in names
    # a fresh `mapper map` over the same inputs with that overrides.csv gives the same events
    out = tmp_path / "fresh"
    r = CliRunner().invoke(
        main, ["map", str(folder / "inputs"), "--out-dir", str(out), "--overrides", str(folder / "overrides.csv")]
    )
    assert r.exit_code == 0, r.output
    assert (out / "events.geojson").read_bytes() == (folder / "events.geojson").read_bytes()
    assert (out / "review.csv").read_bytes() == (folder / "review.csv").read_bytes()
    assert _page(out / "map.html") == _page(folder / "map.html")
    page.screenshot(path=str(tmp_path / "serve.png"))
    assert page.errors == [] and page.dialogs == []


def test_hostile_report_uploaded_runs_nothing(server, app_page, tmp_path):
    folder, url = server
    lines = [f"Shelling hit Aleppo {p} on Monday, killing 3 people." for p in PAYLOADS]
    lines += [f"{p} forces clashed with rebels in Idlib province." for p in PAYLOADS[:5]]
    hostile = tmp_path / '"><img src=x onerror=window.__pwned=99>.txt'
    hostile.write_text("date 2021-03-01\n" + "\n\n".join(lines), encoding="utf-8")
    page = app_page(url)
    page.set_input_files("#files", [hostile])
    _wait_ok(page, "file(s) added")
    page.locator(".tab[data-tab=events]").click()
    text = page.locator("#panel-events").inner_text()
    assert "<script>window.__pwned=1;alert(1)</script>" in text  # shown as text
    page.locator(".tab[data-tab=inputs]").click()
    assert hostile.name in page.locator("#panel-inputs").inner_text()
    for tab in ("review", "changes", "events"):
        page.locator(f".tab[data-tab={tab}]").click()
    # open every popup on the map as well
    frame = page.frame_locator("#map")
    markers = frame.locator("path.im-marker")
    for i in range(min(markers.count(), 6)):
        markers.nth(i).dispatch_event("click")
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    assert frame.locator(".leaflet-popup-content").count() == 1  # a popup opened, its text as text
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('#side img, #side svg, #side script, #side iframe').length") == 0
    map_frame = next(f for f in page.frames if "/map?" in f.url)
    assert map_frame.evaluate("window.__pwned") is None
    assert page.errors == [] and page.dialogs == []


def test_wrong_token_gets_no_page(server, app_page):
    folder, url = server
    page = app_page(url.replace("token=", "token=x"))
    assert "wrong token" in page.inner_text("body")
    assert not (folder / "inputs").exists() or not any((folder / "inputs").iterdir())
