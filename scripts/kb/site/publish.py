"""`kb build`: a strict build of every language (in parallel, kb/site/parallel.py), swapped in
whole, or not at all.

`site` is a link to one finished build in `.site.builds/`. Each build is made in a new folder
there and the link is replaced in one `rename`, so a reader, a host or a crash sees the old site
or the new one, never a mix. The build before it stays, linked as `.site.previous`: a page a
reader opened before the swap still loads its assets from there (deploy/nginx.conf falls back to
it), until the next build replaces it. A lock file lets one build run at a time: a second one
waits, and says so. Folders left by an interrupted build are removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from ..characters import describe
from ..files import lock_waiting
from . import parallel


def builds_dir(site: Path) -> Path:
    return site.parent / f".{site.name}.builds"


@contextmanager
def build_lock(site: Path, out=sys.stderr):
    """Hold `.site.lock` while building; a second build waits for the first (the lock goes with
    the process, so a killed build never leaves it held)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    with open(site.parent / f".{site.name}.lock", "w") as handle:
        lock_waiting(handle, f"kb build: another build of {site} is running; waiting for it to finish", out)
        yield


def previous_link(site: Path) -> Path:
    return site.parent / f".{site.name}.previous"


def _current(link: Path) -> Path | None:
    return (link.parent / os.readlink(link)).resolve() if link.is_symlink() else None


def _clean(site: Path) -> None:
    """Remove every build but the one `site` shows and the one before it (what interrupted builds
    left behind, and older builds)."""
    keep = {_current(site), _current(previous_link(site))}
    folder = builds_dir(site)
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.resolve() not in keep:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def point(link: Path, target: Path) -> None:
    """Make `link` a symbolic link to `target` in one rename: whoever reads it sees the old
    target or the new one, never neither."""
    new = link.parent / f".{link.name}.link-{os.getpid()}"
    new.unlink(missing_ok=True)
    new.symlink_to(target)
    os.replace(new, link)


def swap_in(site: Path, new: Path) -> None:
    """Point `site` at `new` in one step; the build it showed becomes the previous one, and the
    one before that goes."""
    old = _current(site)
    if site.exists() and not site.is_symlink():  # a real folder, from before builds were linked
        old = builds_dir(site) / f"previous-{time.time_ns()}"
        os.rename(site, old)
    point(site, new.relative_to(site.parent))
    if old is not None and old.exists() and old != new:
        point(previous_link(site), Path(os.path.relpath(old, os.path.realpath(site.parent))))
    _clean(site)


SITE_URL = "KB_SITE_URL"
LOCAL = "local"  # KB_SITE_URL=local (make build-local): mkdocs.yml's preview address, on purpose


class NoAddress(ValueError):
    """A site for publishing, built without its public address."""


def public_address(environ=os.environ, required: bool = True) -> str | None:
    """The address the site is built for: KB_SITE_URL, required. A guide built with mkdocs.yml's
    local preview address would publish a canonical link and a sitemap that point at the
    builder's own machine. `local` asks for that address on purpose (None: mkdocs.yml's)."""
    value = environ.get(SITE_URL, "").strip()
    if value == LOCAL:
        del environ[SITE_URL]  # mkdocs.yml reads it too: there, unset means the preview address
        return None
    if not required and not value:
        return None
    how = (
        "set it to the address readers will open, e.g. `make build KB_SITE_URL=https://guide.example.org/` "
        "(a path works: https://example.org/guide/); for a build to look at on this machine only, "
        f"run `make build-local` ({SITE_URL}={LOCAL})"
    )
    if not value:
        raise NoAddress(f"{SITE_URL} is not set: {how}")
    problem = address_problem(environ[SITE_URL])
    if problem:
        raise NoAddress(f"{SITE_URL}={environ[SITE_URL]!r} {problem}: {how}")
    return value if value.endswith("/") else value + "/"


def address_problem(value: str) -> str | None:
    """Why `value` cannot be the address every canonical link and sitemap.xml carry; None if it
    can. The raw string is read first: urlsplit drops a newline or a tab without a word."""
    bad = next((c for c in value if c.isspace() or not c.isprintable() or c in '<>"`'), None)
    if bad is not None:
        shown = "a space" if bad == " " else f"`{bad}`" if bad.isprintable() and not bad.isspace() else describe(bad)
        return f"holds {shown} (an address has no spaces, control characters, quotes or angle brackets)"
    if "?" in value or "#" in value:
        return "has a query or a fragment (`?`, `#`); give the address of the site's home only"
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return "has a port that is not a number"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http:// or https:// address"
    if "@" in parts.netloc:
        return "holds a user name or password, which every page and sitemap.xml would publish"
    return None


def build(root: Path, site: Path, offline: bool = False, out=sys.stderr, site_url: str | None = None) -> int:
    """Build the guide into a new folder and swap it in; an exit code. `site_url`: the public
    address (None: mkdocs.yml's)."""
    site = site if site.is_absolute() else Path.cwd() / site
    with build_lock(site, out):
        _clean(site)
        new = builds_dir(site) / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        new.mkdir(parents=True)
        code = parallel.build_site(root, new, offline=offline, site_url=site_url, out=out)
        if code != 0:
            shutil.rmtree(new, ignore_errors=True)
            print(f"kb build: the build failed; {site} is as it was", file=out)
            return code
        swap_in(site, new)
    print(f"kb build: {site} is the new site", file=out)
    return 0
