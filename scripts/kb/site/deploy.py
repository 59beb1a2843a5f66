"""The production server config (deploy/nginx.conf) for this guide, and `make serve-prod`.

deploy/nginx.conf is the server block, with the values that depend on where and what is served
left as @…@: the site folder, the address to listen on, the default language, one location per
other language, read from mkdocs.yml (a fifth language gets its own with nothing to edit), and
the Content-Security-Policy, read from the built site's pages (kb/site/csp.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..model import locale
from ..project import read_languages
from . import csp, publish

TEMPLATE = "deploy/nginx.conf"
LANGUAGE = """\
    # `/FR/…`, typed from a handout: the address in the case the guide uses.
    location ~* ^/{lang}(?:/(.*))?$ {{
        return 301 /{lang}/$1$is_args$args;
    }}
    location ^~ /{lang}/ {{
        error_page 404 /{lang}/404.html;
        add_header Content-Security-Policy $csp always;
        add_header Content-Language {lang} always;
        add_header Cache-Control "no-cache" always;
        try_files $uri $uri/ =404;
    }}
"""
# A language whose tag has capitals (`pt-BR`) is also found at its address in lowercase, as typed.
LOWERCASE = """\
    location /{lower}/ {{
        rewrite ^/{lower}/(.*)$ /{lang}/$1 permanent;
    }}
"""
# A whole nginx.conf around the server block, for running it as any user, in the foreground,
# with every file nginx writes in one folder: `make serve-prod` and the tests.
LOCAL = """\
{user}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{server}
}}
"""


# What `kb nginx-config` pastes into the server block: a path nginx reads as one word, and a
# `listen` address. Anything else could end the directive (`;`), open a block (`{`), start a
# comment (`#`) or a variable (`$`), and add its own directives to the server.
PLAIN_PATH = re.compile(r"/[\w./+@,:=~-]*")
LISTEN = re.compile(r"(?:(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):)?(?P<port>[0-9]{1,5})")


def argument_problem(site: Path, listen: str) -> str | None:
    """Why `--site-dir` or `--listen` cannot go into the server block as they are; None if they can."""
    if not PLAIN_PATH.fullmatch(str(site)):
        return (
            f"--site-dir {str(site)!r} is not a plain absolute path: letters, digits and . _ - / + @ , : = ~ only "
            "(no spaces, quotes, `;`, `{`, `}`, `#` or `$`)"
        )
    port = LISTEN.fullmatch(listen)
    if not port or not 0 < int(port["port"]) < 65536:
        return f"--listen {listen!r} is not a port, host:port or [IPv6]:port (e.g. 80, 127.0.0.1:8080, [::1]:8080)"
    return None


def server_block(root: Path, site: Path, listen: str) -> str:
    """deploy/nginx.conf with its values filled in; ValueError when `site` is not a site this kb built."""
    policy = csp.site_policy(site)
    languages, default = read_languages(root)
    others = "".join(
        LANGUAGE.format(lang=locale(lang)) + (LOWERCASE.format(lang=locale(lang), lower=lang) if locale(lang) != lang else "")
        for lang in languages
        if lang != default
    )
    text = (root / TEMPLATE).read_text(encoding="utf-8")
    # The link `kb build` swaps, never the build it points to: nginx follows it on each request, so
    # the next build is served the moment it is swapped in (publish.py), and the one before it
    # answers for the assets of pages opened before then.
    link = Path(os.path.abspath(site))
    values = {
        "@LISTEN@": listen,
        "@ROOT@": str(link),
        "@PREVIOUS@": str(publish.previous_link(link)),
        "@DEFAULT@": locale(default),
        "@LANGUAGES@\n": others,
        "@CSP@": policy,
    }
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def local_config(root: Path, site: Path, listen: str, work: Path) -> str:
    """A whole nginx.conf that serves `site` on `listen`, keeping its files in `work`."""
    server = "\n".join("    " + line if line else line for line in server_block(root, site, listen).splitlines())
    user = "user root;\n" if os.geteuid() == 0 else ""  # as root, workers would run as nobody: the site may be private
    return LOCAL.format(user=user, work=work, server=server)


def nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)  # not on a user's PATH
    if found is None:
        raise FileNotFoundError("nginx is not installed; `make serve-prod` installs Debian's nginx package")
    return found


def serve(root: Path, site: Path, listen: str) -> int:
    """Run nginx in the foreground with the production config, until interrupted."""
    with tempfile.TemporaryDirectory(prefix="kb-nginx-") as work:
        config = Path(work) / "nginx.conf"
        config.write_text(local_config(root, site, listen, Path(work)), encoding="utf-8")
        print(f"kb: serving {site} with deploy/nginx.conf at http://{listen}/ (Ctrl+C stops)", file=sys.stderr, flush=True)
        try:
            return subprocess.call([nginx(), "-p", work, "-c", str(config)])
        except KeyboardInterrupt:
            return 0
