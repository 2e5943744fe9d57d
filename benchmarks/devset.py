"""Extraction quality on our own dev set (tests/data/devset): event precision/recall/F1, median km,
figures and dates right, and every miss and spurious event, for error analysis.

    python benchmarks/devset.py [--quiet] [FOLDER]

Goals (extraction issue): F1 >= 0.90, median <= 5 km, figures right >= 90 %.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from gazetteer.geoparse import Geoparser  # noqa: E402
from mapper.evaluation import FIGURES, read_devset, score  # noqa: E402

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "data" / "devset"


def _short(e: dict) -> str:
    figs = ", ".join(f"{f}={e[f]}" for f in FIGURES if e.get(f) is not None)
    where = e.get("location") or e.get("place")
    day = e.get("event_date") or e.get("date")
    return f"{e['category']:<12} {where} ({e['lat']:.3f}, {e['lon']:.3f}) {day} {figs}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quiet", action="store_true", help="only the summary")
    ap.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=DEVSET,
        help="reports with <stem>.gold.json beside them (default: tests/data/devset; also devset-2, devset-3, a holdout)",
    )
    args = ap.parse_args()
    s = score(read_devset(args.folder, Geoparser()))
    if not args.quiet:
        for r in s.reports:
            bad_figs = [
                (f, g.get(f), p.get(f)) for g, p, _ in r.matched for f in FIGURES if f in g and g[f] != p.get(f)
            ]
            far = [(g["place"], round(k)) for g, _p, k in r.matched if k > 25]
            if not (r.missed or r.spurious or bad_figs or far):
                continue
            print(f"== {r.report}")
            for g in r.missed:
                print("  missed   ", _short(g))
            for p in r.spurious:
                print("  spurious ", _short(p), "|", p["source_text"][:90])
            for f, g, p in bad_figs:
                print(f"  figure    {f}: gold {g}, got {p}")
            for name, k in far:
                print(f"  far       {name}: {k} km")
    print()
    for k, v in s.summary().items():
        print(f"{k:>17}: {v}")


if __name__ == "__main__":
    main()
