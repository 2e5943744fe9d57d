"""Geoparsing accuracy on public corpora (gazetteer issue), next to a geotext + most-populous baseline.

Reads ../shared/data/external/<corpus>/docs.jsonl (evaluation data: never committed, never trained on;
the script skips a corpus that is absent). Prints per corpus:

- recognition precision / recall / F1 (a predicted span matches a gold span when they overlap);
- resolution over matched gold spans: acc@161 km, median error km, AUC (mean of ln(1 + km) / ln(20039),
  lower is better, as in Gritta et al.); acc161|id also counts as right a record with the gold's GeoNames
  id (countries and provinces sit on another centroid than GeoNames', often > 161 km away);
- end-to-end acc@161 over all gold toponyms (a missed toponym counts as wrong).

    python benchmarks/geoparse_eval.py [--limit N] [--corpus lgl ...]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

# benchmarks/gazetteer.py is named like the package: keep this folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.distance import distance_km  # noqa: E402
from gazetteer.geoparse import Geoparser  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = ROOT.parent / "shared" / "data" / "external"
CORPORA = ["lgl", "geowebnews", "trnews", "geovirus"]
MAX_KM = 20039.0


km = distance_km


def ours(gp: Geoparser):
    def run(text: str):
        return [
            (m.start, m.end, m.place.lat, m.place.lon, m.place.place_id) for m in gp.parse(text) if m.place is not None
        ]

    return run


def baseline(gz: Gazetteer):
    """geotext finds city and country names; each is put on the most populous record of that name."""
    try:
        from geotext import GeoText
    except ImportError:
        return None

    def run(text: str):
        out = []
        g = GeoText(text)
        for name in dict.fromkeys([*g.cities, *g.countries]):
            cands = gz.search(name, limit=50, fuzzy=False)
            if not cands:
                continue
            best = max(cands, key=lambda c: (c.place.kind == "country", c.place.population))
            start = 0
            while (i := text.find(name, start)) >= 0:
                out.append((i, i + len(name), best.place.lat, best.place.lon, best.place.place_id))
                start = i + len(name)
        return out

    return run


def score(docs, parse) -> dict:
    tp = fp = fn = 0
    errors: list[float] = []
    id_or_near = 0  # same GeoNames id as the gold, or within 161 km
    e2e_ok = total = 0
    t = time.perf_counter()
    chars = 0
    for d in docs:
        chars += len(d["text"])
        pred = parse(d["text"])
        gold = d["toponyms"]
        used = set()
        for g in gold:
            total += 1
            hit = next((i for i, p in enumerate(pred) if i not in used and p[0] < g["end"] and g["start"] < p[1]), None)
            if hit is None:
                fn += 1
                continue
            used.add(hit)
            tp += 1
            err = km(g["lat"], g["lon"], pred[hit][2], pred[hit][3])
            errors.append(err)
            e2e_ok += err <= 161
            id_or_near += err <= 161 or (bool(g.get("geonameid")) and pred[hit][4] == f"geonames:{g['geonameid']}")
        fp += len(pred) - len(used)
    secs = time.perf_counter() - t
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "P": p,
        "R": r,
        "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "acc161": sum(e <= 161 for e in errors) / len(errors) if errors else 0.0,
        "acc161|id": id_or_near / len(errors) if errors else 0.0,
        "median_km": statistics.median(errors) if errors else float("nan"),
        "AUC": sum(math.log1p(e) for e in errors) / len(errors) / math.log(MAX_KM) if errors else float("nan"),
        "e2e161": e2e_ok / total if total else 0.0,
        "KB/s": chars / 1000 / secs if secs else 0.0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", nargs="*", default=CORPORA)
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each corpus")
    args = ap.parse_args()
    gz = Gazetteer.default()
    systems = {"incident-mapper": ours(Geoparser(gz))}
    base = baseline(gz)
    if base:
        systems["geotext+pop"] = base
    else:
        print("(geotext not installed: pip install geotext for the baseline)")
    cols = ["P", "R", "F1", "acc161", "acc161|id", "median_km", "AUC", "e2e161", "KB/s"]
    print(f"{'corpus':<11} {'system':<16} " + " ".join(f"{c:>9}" for c in cols))
    for name in args.corpus:
        path = EXTERNAL / name / "docs.jsonl"
        if not path.exists():
            print(f"{name:<11} (absent: {path})")
            continue
        docs = [json.loads(line) for line in path.open(encoding="utf-8")][: args.limit]
        for sys_name, fn in systems.items():
            s = score(docs, fn)
            print(
                f"{name:<11} {sys_name:<16} "
                + " ".join(f"{s[c]:>9.3f}" if c != "KB/s" else f"{s[c]:>9.0f}" for c in cols)
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
