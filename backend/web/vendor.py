"""Fetch the browser libraries the pages use (Leaflet, htmx) into static/vendor/ (pure, no Django).

They come from the npm registry as exact, checksummed release tarballs, so a clean checkout or CI
gets the same bytes every time and nothing third-party is copied into the repository. Run
`make vendor` (or `python -m backend.web.vendor`); it does nothing when the files are present.
"""

import hashlib
import io
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    sha256: str
    # Path inside the tarball (below `package/`) -> path below static/vendor/<folder>/.
    files: dict[str, str]
    folder: str

    @property
    def url(self) -> str:
        base = self.name.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.name}/-/{base}-{self.version}.tgz"


PACKAGES = [
    Package(
        name="leaflet",
        version="1.9.4",
        sha256="84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77",
        folder="leaflet",
        files={
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
            "LICENSE": "LICENSE",
        },
    ),
    Package(
        name="htmx.org",
        version="2.0.11",
        sha256="165a2655073e9e6e55e307a7c74e8ebcdb76afb7701f9c16cfd106a13add408e",
        folder="htmx",
        files={"dist/htmx.min.js": "htmx.min.js", "LICENSE": "LICENSE"},
    ),
]


# The web forms' Enketo bundle is built from backend/web/enketo/ by `make enketo` (node and npm),
# not fetched: this only says whether it is there.
ENKETO_BUNDLE = ("enketo/webform.js", "enketo/webform.css")


def enketo_built(root: Path = VENDOR_DIR) -> bool:
    """Whether the web forms' bundle has been built (the pages say so when it has not)."""
    return all((root / name).is_file() for name in ENKETO_BUNDLE)


def missing(package: Package, root: Path = VENDOR_DIR) -> list[Path]:
    """The files of the package not yet in place (a version change counts as missing)."""
    stamp = root / package.folder / ".version"
    targets = [root / package.folder / target for target in package.files.values()]
    if not stamp.exists() or stamp.read_text().strip() != package.version:
        return targets
    return [path for path in targets if not path.exists()]


def install(package: Package, root: Path = VENDOR_DIR) -> None:
    """Download the tarball, check its SHA-256, and extract the listed files."""
    with urllib.request.urlopen(package.url, timeout=60) as response:  # noqa: S310  fixed https URL
        data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != package.sha256:
        raise SystemExit(f"{package.name} {package.version}: checksum {digest} does not match")
    extract(package, data, root)


def extract(package: Package, data: bytes, root: Path = VENDOR_DIR) -> None:
    """Write the listed members of a verified tarball below root/<folder>/."""
    target_dir = root / package.folder
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member, target in package.files.items():
            extracted = archive.extractfile(f"package/{member}")
            if extracted is None:
                raise SystemExit(f"{package.name}: {member} is not a file in the tarball")
            path = target_dir / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(extracted.read())
    (target_dir / ".version").write_text(package.version + "\n")


def main() -> int:
    for package in PACKAGES:
        if missing(package):
            install(package)
            print(f"vendored {package.name} {package.version}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
