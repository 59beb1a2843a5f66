"""`mkdocs serve`: each rebuild is a parallel build (kb/site/parallel.py) in a new folder, shown
with one rename when it succeeds.

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

from mkdocs.plugins import get_plugin_logger

from . import parallel

log = get_plugin_logger("kb")
KEPT = "The preview keeps the last good pages; fix the error and save again."


class Preview:
    """The builds of one `mkdocs serve`, and the link the server reads from."""

    def __init__(self, server, config):
        self.folder = Path(tempfile.mkdtemp(prefix="kb-preview-"))
        self.link = self.folder / "site"
        self.shown = Path(config.site_dir)  # the first build, by MkDocs in its own folder
        self.link.symlink_to(self.shown)
        self.root = Path(config.config_file_path).parent
        self.site_url = config.site_url  # the preview's address, as MkDocs set it
        server.root = str(self.link)
        server.builder = self.rebuild
        server.error_handler = self.error_page

    def rebuild(self, config=None) -> None:
        """Every language, in parallel, into a new folder, shown if the build succeeded."""
        build = Path(tempfile.mkdtemp(prefix="build-", dir=self.folder))
        try:
            code = parallel.build_site(self.root, build, site_url=self.site_url)
        except Exception:  # noqa: BLE001 - a failed build must never stop the preview
            log.error(traceback.format_exc())
            code = 1
        if code != 0:
            log.error(KEPT)
            shutil.rmtree(build, ignore_errors=True)
            return
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
