"""Map build time, page size and time to usable in Chromium, for 1 k / 10 k / 100 k synthetic events,
next to the by-hand folium way (one folium.CircleMarker with a Popup per event in a MarkerCluster),
measured in the same run.

    python benchmarks/maps.py [--sizes 1000 10000 100000] [--baseline-max 10000]

"Usable" = page load until every event is in its layer and the map has drawn (Chromium, network blocked).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

from mapper.maps import make_map, map_html  # noqa: E402
from mapper.schema import CATEGORIES, FIELDS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent


def synthetic(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(61, 71, n)
    lat = rng.uniform(30, 37, n)
    days = pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    df = pd.DataFrame({f: pd.Series([None] * n, dtype=t) for f, t in FIELDS.items()})
    df["event_id"] = [f"e{i:07d}" for i in range(n)]
    df["category"] = rng.choice(list(CATEGORIES[:5]), n)
    df["event_type"] = "Battles"
    df["sub_event_type"] = "Armed clash"
    df["event_date"] = days.strftime("%Y-%m-%d")
    df["time_precision"] = 1
    df["location"] = [f"Village {i % 5000}" for i in range(n)]
    df["country_code"] = "AF"
    df["geo_precision"] = rng.choice([1, 2, 3], n, p=[0.7, 0.2, 0.1])
    df["fatalities"] = pd.array(rng.integers(0, 30, n), dtype="Int64")
    # every event its own sentence, as in real reports (repeated text would compress unrealistically well)
    df["source_text"] = [
        f"Fighting was reported near village {i % 5000} on day {d}; officials gave a toll of {k} the next day."
        for i, d, k in zip(range(n), rng.integers(1, 365, n), rng.integers(0, 30, n), strict=True)
    ]
    df["source"] = [f"reports/report-{i // 20:05d}.txt" for i in range(n)]
    return gpd.GeoDataFrame(df, geometry=shapely.points(lon, lat), crs=4326)


def by_hand(gdf: gpd.GeoDataFrame) -> str:
    import folium
    from folium.plugins import MarkerCluster

    m = folium.Map(location=[33, 66], zoom_start=6)
    cluster = MarkerCluster().add_to(m)
    for r in gdf.itertuples():
        folium.CircleMarker(
            [r.geometry.y, r.geometry.x], radius=5, popup=folium.Popup(f"{r.event_date} {r.source_text}")
        ).add_to(cluster)
    return m.get_root().render()


def load_time(html: str, browser, screenshot: Path | None = None, size: tuple[int, int] = (1200, 800)) -> float | None:
    """Seconds to a drawn map, or None when the page cannot draw offline (its assets are on CDNs)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        path.write_text(html, encoding="utf-8")
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        page.route("http*://**", lambda r: r.abort())
        t = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load", timeout=600_000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        secs = time.perf_counter() - t
        works = page.evaluate("typeof L !== 'undefined'")
        if screenshot is not None:
            page.wait_for_timeout(500)
            page.screenshot(path=str(screenshot))
        page.close()
        return secs if works else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    ap.add_argument("--baseline-max", type=int, default=10_000, help="largest size to run the by-hand baseline on")
    ap.add_argument(
        "--screenshots", type=Path, default=None, help="folder for a screenshot of each map (and the seed's)"
    )
    args = ap.parse_args()
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        print(f"{'events':>8} {'system':<14} {'build s':>9} {'MB':>8} {'load s':>9}")
        for n in args.sizes:
            gdf = synthetic(n)
            t = time.perf_counter()
            page = map_html(make_map(gdf, title=f"{n} events"))
            build = time.perf_counter() - t
            shot = args.screenshots / f"map-{n}.png" if args.screenshots else None
            load = load_time(page, browser, shot)
            print(f"{n:>8} {'incident-mapper':<14} {build:>9.2f} {len(page) / 1e6:>8.1f} {load or float('nan'):>9.2f}")
            if n <= args.baseline_max:
                t = time.perf_counter()
                base = by_hand(gdf)
                b_build = time.perf_counter() - t
                b_load = load_time(base, browser)
                shown = f"{b_load:>9.2f}" if b_load else f"{'n/a':>9}"
                print(
                    f"{n:>8} {'folium by hand':<14} {b_build:>9.2f} {len(base) / 1e6:>8.1f} {shown}"
                    f"   ratio build x{b_build / build:.1f}, size x{len(base) / len(page):.1f} (by hand / ours)"
                    + ("" if b_load else "; offline it draws nothing: its Leaflet, jQuery, Bootstrap come from CDNs")
                )
        seed = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "helmand-2020-10-12.txt"
        if args.screenshots:
            from mapper.pipeline import events_from_files

            examples = map_html(make_map(events_from_files([ROOT / "examples"]), title="Examples"))
            for size in ((1280, 800), (800, 600)):  # the quick-start map on a laptop and a small screen
                load_time(examples, browser, args.screenshots / f"examples-{size[0]}x{size[1]}.png", size)
            if seed.exists():
                load_time(
                    map_html(make_map(events_from_files([seed]), title="Helmand")),
                    browser,
                    args.screenshots / "seed.png",
                )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
