"""`make offline`: zip the offline build into one file that opens from file:// (training rooms).

Usage: python -m kb.site.offline SITE_DIR ZIP. The zip holds one folder, `guide-offline/`; open
`guide-offline/index.html`. It is written next to its final name and then renamed, so an
interrupted run never leaves a half-written zip.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from ..files import replaced
from .search import OFFLINE_INDEX

FOLDER = "guide-offline"


def make_zip(site: Path, target: Path) -> int:
    if not (site / "index.html").is_file() or not (site / OFFLINE_INDEX).is_file():
        raise FileNotFoundError(f"{site} is not an offline build (no index.html or {OFFLINE_INDEX.as_posix()})")
    count = 0
    with replaced(target) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(site.rglob("*")):
            if path.is_file():
                archive.write(path, f"{FOLDER}/{path.relative_to(site).as_posix()}")
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m kb.site.offline SITE_DIR ZIP", file=sys.stderr)
        return 2
    try:
        count = make_zip(Path(argv[0]), Path(argv[1]))
    except FileNotFoundError as err:
        print(f"kb offline: {err}", file=sys.stderr)
        return 2
    print(f"kb offline: {argv[1]} ({count} files); unzip it and open {FOLDER}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
