"""The gazetteer is the ground floor: it imports nothing from mapper, so it installs, imports and works
with mapper unimportable."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GAZETTEER = ROOT / "gazetteer"

SCRIPT = r"""
import importlib, json, pkgutil, sys
sys.modules["mapper"] = None  # any "import mapper..." now fails
import gazetteer
for info in pkgutil.walk_packages(gazetteer.__path__, "gazetteer."):
    importlib.import_module(info.name)
from gazetteer import Gazetteer
from gazetteer.geocoder import OfflineGazetteer
from gazetteer.geoparse import geoparse
from gazetteer.sentences import sentences
gz = Gazetteer.default()
found = [m.place.place_id for m in geoparse("Clashes near Lashkar Gah in Helmand province on Monday.", gz) if m.place]
print(json.dumps({
    "modules": sorted(k for k, v in sys.modules.items() if v is not None and k.split(".")[0] in ("gazetteer", "mapper")),
    "geocode": gz.geocode("Lashkargah", country="AF").place.place_id,
    "geoparse": found,
    "geopy": OfflineGazetteer(gz).geocode("Kandahar").raw["country_code"],
    "sentences": len(sentences("Gen. Smith left. Then Kabul.")),
}))
"""


def test_no_gazetteer_module_imports_mapper():
    """Static check (imports inside functions too): no ``mapper`` in any import of the gazetteer."""
    offenders = []
    for path in sorted(GAZETTEER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            offenders += [f"{path.name}:{node.lineno} {n}" for n in names if n.split(".")[0] == "mapper"]
    assert offenders == []


def test_gazetteer_imports_and_works_without_mapper(gazetteer):
    """Every gazetteer module imports, and a lookup, a geoparse and the geopy adapter work, in a Python
    where ``mapper`` cannot be imported (the index is the session's, built by the fixture)."""
    import json

    r = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert not [m for m in out["modules"] if m.startswith("mapper")]
    assert {"gazetteer.index", "gazetteer.geoparse", "gazetteer.geocoder", "gazetteer.errors"} <= set(out["modules"])
    assert out["geocode"] == "geonames:1134720"
    assert "geonames:1134720" in out["geoparse"] and len(out["geoparse"]) == 2
    assert out["geopy"] == "AF" and out["sentences"] == 2
