"""`mkdocs serve`: each rebuild is made in a new folder and shown with one rename when it succeeds.

MkDocs rebuilds into the folder it serves, and holds every request until a build succeeds: a
save with an error left the preview half-built, or hanging until the next good save. Here the
server reads a link to the last good build; a failed build is dropped, its error printed, and the
preview goes on answering at once with the last good pages.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import traceback
from pathlib import Path

from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("kb")
KEPT = "The preview keeps the last good pages; fix the error and save again."


class Preview:
    """The builds of one `mkdocs serve`, and the link the server reads from."""

    def __init__(self, server, site_dir: str, builder):
        self.folder = Path(tempfile.mkdtemp(prefix="kb-preview-"))
        self.link = self.folder / "site"
        self.shown = Path(site_dir)  # the first build, in MkDocs's own folder
        self.link.symlink_to(self.shown)
        self.next: Path | None = None
        self.builder = builder
        server.root = str(self.link)
        server.builder = self.rebuild
        server.error_handler = self.error_page

    def site_dir(self) -> str:
        """Where the build that is starting writes: a new folder."""
        self.next = Path(tempfile.mkdtemp(prefix="build-", dir=self.folder))
        return str(self.next)

    def rebuild(self, config=None) -> None:
        self.next = None
        try:
            self.builder(config)
        except Exception as err:  # noqa: BLE001 - a failed build must never stop the preview
            detail = str(err) if isinstance(err, MkDocsException) else traceback.format_exc()
            log.error(f"{detail}\n{KEPT}")
            if self.next is not None:
                shutil.rmtree(self.next, ignore_errors=True)
            return
        if self.next is not None:
            self.show(self.next)

    def show(self, build: Path) -> None:
        link = self.folder / "site.new"
        link.unlink(missing_ok=True)
        link.symlink_to(build)
        os.replace(link, self.link)
        old, self.shown = self.shown, build
        shutil.rmtree(old, ignore_errors=True)

    def error_page(self, code: int) -> bytes | None:
        page = self.link / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
