"""Vendor the browser assets a self-contained map carries, from the npm registry, exactly as released.

Each package below is fetched with ``npm pack NAME@VERSION``; the tarball's sha512 must equal the
pinned npm integrity string, and the files we use are copied unmodified (with the package's licence)
to ``mapper/maps/vendor/NAME@VERSION/``. ``mapper/maps/vendor/manifest.json`` records the sha256 of every file,
and the test suite checks the files still match it (vendored files are never edited).

Run (needs npm and the network to the npm registry; a developer tool, not run by users):
    python scripts/vendor_assets.py
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "mapper" / "maps" / "vendor"

# name, version, npm integrity, files inside the package (under "package/")
PACKAGES = [
    (
        "leaflet",
        "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        [
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
            "LICENSE",
        ],
    ),
    (
        "leaflet.markercluster",
        "1.5.3",
        "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
        [
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
            "MIT-LICENCE.txt",
        ],
    ),
    (
        "leaflet.heat",
        "0.2.0",
        "sha512-Cd5PbAA/rX3X3XKxfDoUGi9qp78FyhWYurFg3nsfhntcM/MCNK08pRkf4iEenO1KNqwVPKCmkyktjW3UD+h9bQ==",
        ["dist/leaflet-heat.js", "LICENSE"],
    ),
    (
        "leaflet.fullscreen",
        "3.0.0",
        "sha512-81wWSUXz1ZtdneR0v5eJDWXUSx+Zo5J50WXWeydG/UcILfIEAgz/iOjZSi3p00Z9MJ/FC/P5i3CgdYuEAos0yQ==",
        ["Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg", "LICENSE"],
    ),
    (
        "leaflet-minimap",
        "3.6.1",
        "sha512-6px8f6cfv1rKB6ACpL6bbUFGxipZOq4KsntJgBj9nOcW1RYa5+xFp8emOZwks9X+VtVVsQEwWwfgT1kTTL/LzA==",
        [
            "dist/Control.MiniMap.min.js",
            "dist/Control.MiniMap.min.css",
            "dist/images/toggle.png",
            "dist/images/toggle.svg",
            "LICENSE.txt",
        ],
    ),
]


def npm_pack(name: str, version: str, dest: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dest / json.loads(out.stdout)[0]["filename"]


def main() -> int:
    manifest: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, integrity, files in PACKAGES:
            tgz = npm_pack(name, version, Path(tmp))
            data = tgz.read_bytes()
            algo, digest = integrity.split("-", 1)
            got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
            if got != digest:
                print(f"{name}@{version}: integrity mismatch ({got})", file=sys.stderr)
                return 1
            target = VENDOR / f"{name}@{version}"
            if target.exists():
                shutil.rmtree(target)
            entry = {"integrity": integrity, "files": {}}
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                for f in files:
                    blob = tar.extractfile(f"package/{f}").read()
                    path = target / f
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(blob)
                    entry["files"][f] = hashlib.sha256(blob).hexdigest()
            manifest[f"{name}@{version}"] = entry
            print(f"vendored {name}@{version}: {len(files)} files")
    (VENDOR / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
