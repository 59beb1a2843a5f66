"""`mkdocs serve`: each rebuild is a parallel build (kb/site/parallel.py) in a new folder, shown
with one rename when it succeeds.

MkDocs rebuilds into the folder it serves, and holds every request until a build succeeds: a
save with an error left the preview half-built, or hanging until the next good save. Here the
server reads a link to the last good build; a failed build is dropped, its error printed, and the
preview goes on answering at once with the last good pages, while a build runs too.

Each build runs in a process of its own (with the workers it forks, a process group), so that a
build that takes longer than KB_PREVIEW_TIMEOUT seconds (a text slow to render, a file whose read
never ends) is killed: the server never waits on it, and the next save builds again.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import multiprocessing
import os
import shutil
import signal
import tempfile
import traceback
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from . import csp, parallel, publish

log = get_plugin_logger("kb")
KEPT = "The preview keeps the last good pages; fix the error and save again."
LIMIT_ENV = "KB_PREVIEW_TIMEOUT"  # seconds a save's build may take before it is stopped
LIMIT_S = 60.0
STOPPED = "the build was stopped. The preview keeps the last good pages; the next save builds again."


class Preview:
    """The builds of one `mkdocs serve`, and the link the server reads from."""

    def __init__(self, server, config):
        self.folder = Path(tempfile.mkdtemp(prefix="kb-preview-"))
        self.link = self.folder / "site"
        self.shown = Path(config.site_dir)  # the first build, by MkDocs in its own folder
        self.link.symlink_to(self.shown)
        self.root = Path(config.config_file_path).parent
        self.site_url = config.site_url  # the preview's address, as MkDocs set it
        self.files = _files(self.root)  # what the shown build was made from
        self.seen = self.files  # what the last build was made from, shown or not: a save is what changed since
        self.sitemaps: dict = {}  # filled by the first parallel build: until then every build is whole
        self.server = server
        self.building = None  # the process of the build under way
        self.limit = _limit()
        server.root = str(self.link)
        server.builder = self.rebuild
        server.error_handler = self.error_page
        allow_live_reload(server)
        # Stopped as Ctrl+C stops it (the process then ends, and close() runs), not only killed:
        # a terminal closed or a `kill` left every build of the preview in the temporary folder.
        with contextlib.suppress(ValueError):  # not the main thread (a test's server): Ctrl+C only
            signal.signal(signal.SIGTERM, _interrupt)

    def rebuild(self, config=None) -> None:
        """A parallel build into a new folder, shown if it succeeded. When only files of some
        languages changed, only those languages are built again (kb/site/parallel.py)."""
        files = _files(self.root)
        changed = _changed_languages(self.files, files)
        saved = sorted(rel for rel in self.seen.keys() | files.keys() if self.seen.get(rel) != files.get(rel))
        self.files = self.seen = files
        build = Path(tempfile.mkdtemp(prefix="build-", dir=self.folder))
        previous = parallel.Previous(self.shown, self.sitemaps) if self.sitemaps else None
        with self._answering():
            code, keep = self._build_apart(build, changed, previous)
        if code is None:
            what = ", ".join(saved[:3]) + (" …" if len(saved) > 3 else "") if saved else "the last save"
            log.error(f"The save of {what} took more than {self.limit:g} s to build ({LIMIT_ENV} sets the limit): {STOPPED}")
        elif code != 0:
            log.error(KEPT)
        if code != 0:
            self.files = {}  # the next build is a whole one
            shutil.rmtree(build, ignore_errors=True)
            return
        self.sitemaps = keep.get("sitemaps", {})
        if changed is not None and self.sitemaps:
            log.info(f"Built again: {', '.join(keep.get('built', []))}; the other languages are as they were")
        publish.point(self.link, build)
        old, self.shown = self.shown, build
        shutil.rmtree(old, ignore_errors=True)

    @contextlib.contextmanager
    def _answering(self):
        """Requests answered from the shown build while a build runs. MkDocs's server holds every
        request until the build it started (its `_wanted_epoch`, set before it calls the builder)
        is done, as it builds into the folder it serves; these builds are made apart and shown
        with one rename. The browsers are reloaded when the build ends, as MkDocs does."""
        server = self.server
        with server._epoch_cond:
            wanted, server._wanted_epoch = server._wanted_epoch, server._visible_epoch
            server._epoch_cond.notify_all()
        try:
            yield
        finally:
            with server._epoch_cond:
                server._wanted_epoch = wanted

    def _build_apart(self, build: Path, changed, previous) -> tuple[int | None, dict]:
        """parallel.build_site in a forked process (and process group) of its own, stopped with
        every worker it started past the time limit: its exit code (None when stopped) and what
        it keeps for the next build."""
        fork = multiprocessing.get_context("fork")
        receive, send = fork.Pipe(duplex=False)

        def run() -> None:
            os.setpgid(0, 0)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # this process's is the server's (_interrupt)
            signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # its log, printed from outside the terminal's group
            keep: dict = {}
            try:
                code = parallel.build_site(self.root, build, site_url=self.site_url, changed=changed, previous=previous, keep=keep)
            except Exception:  # noqa: BLE001 - a failed build must never stop the preview
                log.error(traceback.format_exc())
                code = 1
            send.send((code, keep))

        process = fork.Process(target=run)
        process.start()
        send.close()
        with contextlib.suppress(OSError):  # as the child does: whichever runs first
            os.setpgid(process.pid, process.pid)
        self.building = process
        try:
            if not receive.poll(self.limit):
                return None, {}
            code, keep = receive.recv()
            process.join()
            return code, keep
        except EOFError:  # it ended without a word (killed, out of memory)
            process.join()
            log.error(f"The build stopped with exit code {process.exitcode}")
            return process.exitcode or 1, {}
        finally:
            receive.close()
            self._stop_build()

    def _stop_build(self) -> None:
        """Kill the build under way, if any, with the workers it forked, and remove their folders."""
        process, self.building = self.building, None
        if process is None:
            return
        if process.exitcode is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            process.join()
        for left in self.folder.glob(".languages-*"):  # a killed build's workers' folders
            shutil.rmtree(left, ignore_errors=True)

    def error_page(self, code: int) -> bytes | None:
        page = self.link / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    def close(self) -> None:
        self._stop_build()
        shutil.rmtree(self.folder, ignore_errors=True)


def _limit() -> float:
    """KB_PREVIEW_TIMEOUT's seconds, or LIMIT_S (said once, when it is not a positive number)."""
    value = os.environ.get(LIMIT_ENV)
    if value is None:
        return LIMIT_S
    with contextlib.suppress(ValueError):
        if 0 < float(value) < math.inf:  # nan is neither
            return float(value)
    log.warning(f"{LIMIT_ENV}={value!r} is not a number of seconds above 0; the limit is {LIMIT_S:g} s")
    return LIMIT_S


def allow_live_reload(server) -> None:
    """MkDocs's live server adds its reload poller to each page it sends, as an inline script
    before `</body>`, which the page's Content-Security-Policy would block: its hash joins the
    page's policy, in the preview only."""
    inject = server._inject_js_into_html

    def injected(content: bytes, epoch) -> bytes:
        page = inject(content, epoch)
        start = page.rfind(b"<script>", 0, page.rfind(b"</body>"))
        if start < 0 or csp.META_PATTERN.search(page.decode("utf-8", "replace")) is None:
            return page
        poller = page[start + len(b"<script>") : page.index(b"</script>", start)].decode("utf-8")
        return csp.allow_script(page.decode("utf-8"), poller).encode("utf-8")

    server._inject_js_into_html = injected


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file a build reads that a translator or contributor edits, with its mtime and size."""
    found = {}
    for top in ("content", "translations", "docs", "overrides"):
        for path in (root / top).rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    stat = (root / "mkdocs.yml").stat()
    found["mkdocs.yml"] = (stat.st_mtime_ns, stat.st_size)
    return found


def _changed_languages(before: dict, now: dict) -> set[str] | None:
    """The languages whose translations alone changed, or None when anything else did."""
    langs = set()
    for rel in before.keys() | now.keys():
        if before.get(rel) == now.get(rel):
            continue
        parts = rel.split("/")
        if parts[0] != "translations" or len(parts) != 3 or parts[1].startswith("."):
            return None
        langs.add(parts[1])
    return langs


def on_serve(server, config, builder):
    """Rebuilds are parallel builds into new folders, shown only when they succeed (Preview above);
    when the preview stops, its folder goes (Ctrl+C, or a `kill`: _interrupt)."""
    atexit.register(Preview(server, config).close)
    return server
