"""The guide on its real host: addresses, 404 pages, language choice, the production server."""

from __future__ import annotations

import os
import re
import subprocess
import threading
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from markupsafe import escape

from conftest import LANG_PREFIXES, MKDOCS, ROOT, copy_project, nginx_serving, shown
from kb.project import load_project, read_languages
from kb.site.handouts import QuietHandler, serving
from kb.site.publish import NoAddress, public_address

LANGUAGES, DEFAULT = read_languages(ROOT)


def test_a_publishing_build_needs_the_public_address():
    with pytest.raises(NoAddress, match=r"KB_SITE_URL is not set: .*make build KB_SITE_URL=https://.*make build-local"):
        public_address({})
    for wrong in ("guide.example.org", "ftp://example.org/", "https://", "/guide/", "javascript:alert(1)//"):
        with pytest.raises(NoAddress, match="is not an http:// or https:// address"):
            public_address({"KB_SITE_URL": wrong})
    assert public_address({"KB_SITE_URL": "https://example.org/guide"}) == "https://example.org/guide/"
    environ = {"KB_SITE_URL": "local"}
    assert public_address(environ) is None and environ == {}  # mkdocs.yml's preview address


# Issue 32, S9: what was published as it was given, in every canonical link and in sitemap.xml.
WRONG_ADDRESSES = [
    ("https://user:pass@a.example/", "holds a user name or password"),
    ("https://a.example/my guide/", "holds a space"),
    ("https://a.example/\nx/", "holds U+000A"),  # urlsplit drops the newline: https://a.example/x/
    ("https://a.example/\tx/", "holds U+0009"),
    ("https://a.example/\u202ex/", "holds U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("https://a.example/?", "has a query or a fragment"),  # urlsplit: an empty query, as if there were none
    ("https://example.org/?a=1", "has a query or a fragment"),
    ("https://a.example/#top", "has a query or a fragment"),
    ('https://a.example/"><script>', 'holds `"`'),
    ("https://a.example:eighty/", "has a port that is not a number"),
]


@pytest.mark.parametrize(("value", "message"), WRONG_ADDRESSES, ids=[m for _, m in WRONG_ADDRESSES])
def test_an_operator_who_sets_a_public_address_with_credentials_spaces_or_a_newline_is_told_what_to_set(value, message):
    with pytest.raises(NoAddress) as refused:
        public_address({"KB_SITE_URL": value})
    text = str(refused.value)
    assert text.startswith(f"KB_SITE_URL={value!r} {message}") and "\n" not in text
    assert "set it to the address readers will open" in text


def test_kb_build_refuses_a_public_address_with_credentials_before_it_starts(sample, tmp_path):
    from conftest import KB, run

    result = run(
        [KB, "--root", sample.root, "build", "--site-dir", tmp_path / "site"], sample.root, {"KB_SITE_URL": "https://u:p@a.example/"}
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("kb: error: KB_SITE_URL='https://u:p@a.example/' holds a user name or password")
    assert not (tmp_path / "site").exists()


def test_make_build_refuses_without_kb_site_url_and_says_what_to_set(tmp_path):
    guide = copy_project(tmp_path / "guide")
    env = {k: v for k, v in os.environ.items() if k != "KB_SITE_URL"}
    command = ["make", "build", f"BIN={Path(MKDOCS).parent}", "-o", "setup"]
    result = subprocess.run(command, cwd=guide, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "kb: error: KB_SITE_URL is not set" in result.stderr
    assert "make build-local" in result.stderr and "Traceback" not in result.stderr
    assert not (guide / "site").exists() and not (guide / ".site.builds").exists()


@contextmanager
def served_under(site: Path, prefix: str):
    """The site on a random port of 127.0.0.1, under `prefix` (`/guide/`): any host, any path."""

    class Handler(QuietHandler):
        def translate_path(self, path):
            return super().translate_path("/" + path.removeprefix(prefix)) if path.startswith(prefix) else str(site / "missing")

    with serving(site, Handler) as base:
        yield f"{base}{prefix}"


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["/", "/guide/"])
def test_copy_link_copies_the_address_the_reader_is_on(browser, built_site, prefix):
    lang = LANGUAGES[-1]
    with served_under(built_site, prefix) as base:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(f"{base}{lang}/loyalty-levels/")
        page.locator("#loyal-customers + p .kb-copy-link").click()
        page.wait_for_timeout(300)
        assert page.evaluate("navigator.clipboard.readText()") == f"{base}{lang}/loyalty-levels/#loyal-customers"
        page.goto(f"{base}{lang}/trainers/")
        # Paths (the host is the same for every row), and each row's button copies the whole address.
        shown = page.locator("a.kb-address").evaluate_all("els => els.map(a => a.textContent)")
        assert f"{prefix}{lang}/loyalty-levels/#loyal-customers" in shown
        assert all(text.startswith(f"{prefix}{lang}/") for text in shown), shown[:3]
        row = page.locator("tr", has=page.locator('a.kb-address[href$="loyalty-levels/#loyal-customers"]'))
        row.locator(".kb-copy-link").click()
        page.wait_for_timeout(300)
        assert page.evaluate("navigator.clipboard.readText()") == f"{base}{lang}/loyalty-levels/#loyal-customers"
        context.close()


@pytest.mark.browser
def test_the_trainers_page_fits_a_phone_and_prints_from_the_first_page(browser, site_server):
    lang = LANGUAGES[-1]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_server}/{lang}/trainers/")
    widths = page.locator(".md-typeset__table").evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth])")
    assert widths and all(scroll <= client for scroll, client in widths), widths  # nothing to scroll to
    right = page.locator("a.kb-address").evaluate_all("els => Math.max(...els.map(a => a.getBoundingClientRect().right))")
    assert right <= 390
    page.emulate_media(media="print")
    table = page.locator(".md-typeset table").first
    assert table.evaluate("t => getComputedStyle(t).breakInside") != "avoid"
    for box in (".md-typeset__scrollwrap", ".md-typeset__table"):  # an inline-block is never split over pages
        assert page.locator(box).first.evaluate("e => getComputedStyle(e).display") == "block"
    context.close()


def test_every_language_has_its_own_404_page_whose_links_work_from_any_depth(built_site):
    project = load_project(ROOT)
    for lang in LANGUAGES:
        html = (built_site / LANG_PREFIXES[lang] / "404.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        title = shown(project, lang, "site", "not-found", "title")
        assert f'<h1 id="not-found">{escape(title)}</h1>' in html
        hrefs = re.findall(r'href="([^"]*)"', html)
        assert len(hrefs) > 20
        for href in hrefs:
            assert href.startswith("/") and not href.startswith("//"), (lang, href)  # the same at any depth
            path = urlsplit(urljoin("http://host/any/depth/", href)).path  # `/.` is `/`
            target = built_site / path.lstrip("/")
            assert (target / "index.html").is_file() if path.endswith("/") else target.is_file(), (lang, href)
        pages = re.findall(r'<li><a href="(/[^"]*)">', html)
        assert pages[0] == f"/{LANG_PREFIXES[lang]}" and f"/{LANG_PREFIXES[lang]}loyalty-levels/" in pages, (lang, pages)
        switcher = dict(re.findall(r'<a href="([^"]*)" hreflang="([^"]*)" lang="[^"]*" class="md-select__link"', html))
        assert sorted(switcher.values()) == sorted(LANGUAGES)
        assert {lang: href for href, lang in switcher.items()} == {other: f"/{LANG_PREFIXES[other]}" for other in LANGUAGES}


def every_pair(langs: list[str]) -> list[str]:
    """A walk through `langs` that goes from each language to each other one exactly once (an
    Eulerian circuit of the complete directed graph, by Hierholzer's algorithm)."""
    onward = {lang: [other for other in langs if other != lang] for lang in langs}
    stack, walk = [langs[0]], []
    while stack:
        if onward[stack[-1]]:
            stack.append(onward[stack[-1]].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


@pytest.mark.browser
def test_the_switcher_keeps_the_page_and_the_section_in_every_pair_of_languages(browser, site_server):
    walk = every_pair(LANGUAGES)  # each switch lands on the page the next one starts from
    assert sorted(pairwise(walk)) == sorted((a, b) for a in LANGUAGES for b in LANGUAGES if a != b)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_server}/{LANG_PREFIXES[walk[0]]}commitment-framework/#economic-commitment")
    for target in walk[1:]:
        page.locator(".md-header__option .md-select").hover()
        page.locator(f'.md-select__link[hreflang="{target}"]').click()
        page.wait_for_url(f"{site_server}/{LANG_PREFIXES[target]}commitment-framework/#economic-commitment")
    context.close()


@pytest.mark.browser
def test_a_reader_whose_browser_asks_for_another_language_is_offered_it_never_sent(browser, site_server):
    project = load_project(ROOT)
    other = LANGUAGES[-1]
    context = browser.new_context(locale=f"{other}-XX")
    page = context.new_page()
    address = f"{site_server}/commitment-framework/#economic-commitment"
    page.goto(address)
    offer = page.locator(".kb-language-banner")
    assert offer.get_attribute("lang") == other
    link = offer.locator("a")
    assert link.inner_text() == project.texts[other]["site"]["language-banner"]["text"]
    assert link.get_attribute("href").endswith(f"/{LANG_PREFIXES[other]}commitment-framework/#economic-commitment")
    assert page.url == address  # offered, never redirected
    close = offer.locator("button")
    assert close.get_attribute("aria-label") == project.texts[other]["site"]["language-banner"]["dismiss"]
    close.click()
    assert offer.count() == 0
    page.goto(f"{site_server}/loyalty-levels/")
    assert page.locator(".kb-language-banner").count() == 0  # closed once: remembered
    context.close()

    # In the language the browser asks for, or one it does not know: nothing.
    for locale, at in ((other, f"{LANG_PREFIXES[other]}loyalty-levels/"), ("zz-ZZ", "loyalty-levels/")):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(f"{site_server}/{at}")
        assert page.locator(".kb-language-banner").count() == 0, locale
        context.close()

    # A language chosen in the switcher is offered from then on, over the browser's.
    chosen = LANGUAGES[1]
    context = browser.new_context(locale=f"{other}-XX")
    page = context.new_page()
    page.goto(f"{site_server}/{LANG_PREFIXES[other]}loyalty-levels/")
    page.locator(".md-header__option .md-select").hover()
    page.locator(f'.md-select__link[hreflang="{chosen}"]').click()
    page.wait_for_url(f"{site_server}/{LANG_PREFIXES[chosen]}loyalty-levels/")
    assert page.locator(".kb-language-banner").count() == 0
    page.goto(f"{site_server}/{LANG_PREFIXES[other]}loyalty-levels/#loyal-customers")
    assert page.locator(".kb-language-banner").get_attribute("lang") == chosen
    context.close()


@pytest.mark.browser
def test_no_page_view_asks_for_a_file_that_does_not_exist(guide_views):
    assert len([rel for rel in guide_views if rel.endswith("index.html")]) > 30  # each page viewed once, for this test and others
    assert {rel: seen.failed for rel, seen in guide_views.items() if seen.failed} == {}


# The production server: deploy/nginx.conf in Debian's nginx, on a loopback port


# Issue 32, S11: `kb nginx-config` pasted its arguments into the server block as they were.
NGINX_ARGUMENTS = [
    (["--site-dir", "/srv/g; include /etc/passwd"], "--site-dir '/srv/g; include /etc/passwd' is not a plain absolute path"),
    (["--site-dir", "/srv/guide", "--listen", '80;\n location / { return 200 "pwned"; }\n #'], "--listen '80;\\n location"),
    (["--site-dir", "/srv/{guide}"], "is not a plain absolute path"),
    (["--site-dir", '/srv/"guide"'], "is not a plain absolute path"),
    (["--site-dir", "/srv/$document_root"], "is not a plain absolute path"),
    (["--site-dir", "/srv/my guide"], "is not a plain absolute path"),
    (["--site-dir", "/srv/guide#x"], "is not a plain absolute path"),
    (["--site-dir", "/srv/guide\n"], "is not a plain absolute path"),
    (["--site-dir", "/srv/guide", "--listen", "80 default_server"], "is not a port, host:port or [IPv6]:port"),
    (["--site-dir", "/srv/guide", "--listen", "$port"], "is not a port"),
    (["--site-dir", "/srv/guide", "--listen", "70000"], "is not a port"),
    (["--site-dir", "/srv/guide", "--listen", "[::1]:80;"], "is not a port"),
]


@pytest.mark.parametrize(("arguments", "message"), NGINX_ARGUMENTS, ids=[repr(a[-1]) for a, _ in NGINX_ARGUMENTS])
def test_an_operator_whose_nginx_config_arguments_would_add_directives_is_refused(capsys, arguments, message):
    from kb.cli import main

    assert main(["--root", str(ROOT), "nginx-config", *arguments]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("kb nginx-config: ") and message in err and err.count("\n") == 1, err


def test_nginx_config_takes_a_port_a_host_and_port_and_an_ipv6_address(capsys, tmp_path):
    from kb.cli import main
    from kb.site.csp import policy

    site = tmp_path / "guide-1.0" / "site"  # a built page: the header's policy is read from the pages
    site.mkdir(parents=True)
    (site / "index.html").write_text(
        f'<html><head><meta http-equiv="Content-Security-Policy" content="{policy([])}"></head></html>', encoding="utf-8"
    )
    for listen in ("80", "127.0.0.1:8080", "[::1]:8080", "guide.example.org:443"):
        assert main(["--root", str(ROOT), "nginx-config", "--site-dir", str(site), "--listen", listen]) == 0
        out = capsys.readouterr().out
        assert f"listen {listen};" in out and f"root {site};" in out


@pytest.fixture(scope="module")
def nginx_site(built_site, tmp_path_factory):
    """nginx with the production config, serving the built site on a free port."""
    with nginx_serving(built_site, tmp_path_factory.mktemp("nginx")) as base:
        yield base


def fetch(url: str, gzip: bool = False):
    """status, headers, body of one GET, following no redirect."""
    import http.client

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request("GET", target, headers={"Accept-Encoding": "gzip"} if gzip else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_nginx_answers_the_home_and_deep_links_without_redirecting(nginx_site):
    status, headers, body = fetch(f"{nginx_site}/")
    assert status == 200 and f'<html lang="{DEFAULT}"'.encode() in body
    assert headers["content-language"] == DEFAULT and headers["cache-control"] == "no-cache"
    for lang in LANGUAGES:
        status, headers, body = fetch(f"{nginx_site}/{LANG_PREFIXES[lang]}loyalty-levels/")
        assert status == 200 and f'<html lang="{lang}"'.encode() in body, lang
        assert headers["content-language"] == lang and headers["cache-control"] == "no-cache"
    status, headers, _ = fetch(f"{nginx_site}/{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels")
    assert status == 301 and headers["location"] == f"/{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels/"  # relative: any host


def test_nginx_sends_the_404_page_of_the_address_language(nginx_site):
    project = load_project(ROOT)
    for lang in LANGUAGES:
        for missing in ("no-such-page/", "loyalty-levels/no/such/depth/", "old.html"):
            status, headers, body = fetch(f"{nginx_site}/{LANG_PREFIXES[lang]}{missing}")
            assert status == 404, (lang, missing)
            assert f'<html lang="{lang}"'.encode() in body, (lang, missing)
            assert escape(shown(project, lang, "site", "not-found", "title")).encode() in body
            assert headers["content-language"] == lang


def test_nginx_compresses_text_and_caches_only_fingerprinted_assets(nginx_site, built_site):
    import gzip

    status, headers, body = fetch(f"{nginx_site}/{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels/", gzip=True)
    assert status == 200 and headers["content-encoding"] == "gzip" and b"<html" in gzip.decompress(body)
    fingerprinted = [p.relative_to(built_site).as_posix() for p in (built_site / "assets").rglob("*.min.*")]
    fingerprinted = [rel for rel in fingerprinted if re.search(r"\.[0-9a-f]{8}\.min\.(css|js)$", rel)]
    assert len(fingerprinted) >= 2  # Material's stylesheet and script at least
    for rel in fingerprinted:
        status, headers, _ = fetch(f"{nginx_site}/{rel}", gzip=True)
        assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable", rel
        assert headers.get("content-encoding") == "gzip", rel
    for rel in ("assets/kb.css", "assets/kb.js", "search/search_index.json", "sitemap.xml"):
        status, headers, _ = fetch(f"{nginx_site}/{rel}")
        assert status == 200 and headers["cache-control"] == "no-cache", rel


def test_a_returning_reader_keeps_the_theme_s_stylesheet_for_a_year(nginx_site):
    """A page links Material's stylesheet by its fingerprinted name, which nginx lets a browser
    keep for a year; kb.css beside it is checked on each visit, as the pages are."""
    address = f"{nginx_site}/{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels/"
    sheets = [urljoin(address, href.decode()) for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)"', fetch(address)[2])]
    cache = {urlsplit(url).path.rsplit("/", 1)[-1]: fetch(url)[1]["cache-control"] for url in sheets}
    theme = [name for name in cache if re.fullmatch(r"main\.[0-9a-f]{8}\.min\.css", name)]
    assert len(theme) == 1 and cache[theme[0]] == "public, max-age=31536000, immutable", cache
    assert cache["kb.css"] == "no-cache"


@pytest.mark.browser
def test_a_missing_address_shows_its_languages_404_page_with_working_search(browser, nginx_site):
    lang = LANGUAGES[-1]
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(f"{nginx_site}/{LANG_PREFIXES[lang]}loyalty-levels/gone/for/good/")
    assert response.status == 404 and page.locator("html").get_attribute("lang") == lang
    page.locator("h1#not-found + p + h2 + ul a").nth(1).click()  # the first topic, from three folders deep
    page.wait_for_url(f"{nginx_site}/{LANG_PREFIXES[lang]}commitment-framework/")
    page.go_back()
    query = next(word for word in page.locator(".kb-not-found a").nth(2).inner_text().split() if len(word) > 3)
    page.fill(".md-search__input", query)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    results = page.locator("a.md-search-result__link").evaluate_all("els => els.map(a => a.href)")
    assert results and all(r.startswith(f"{nginx_site}/{LANG_PREFIXES[lang]}") for r in results), results
    context.close()


def test_nginx_sends_the_sites_policy_on_every_response(nginx_site, built_site):
    from kb.site import csp

    policy = csp.site_policy(built_site)
    assert policy.endswith("; frame-ancestors 'none'")  # which a page's <meta> cannot say
    pages = [p.relative_to(built_site).as_posix().removesuffix("index.html") for p in built_site.rglob("*.html")]
    assets = [p.relative_to(built_site).as_posix() for p in (built_site / "assets").rglob("*.*s")]  # .css, .js
    other = ["sitemap.xml", "search/search_index.json", f"{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels"]  # the last: a 301
    missing = [f"{LANG_PREFIXES[lang]}no-such-page/" for lang in LANGUAGES] + ["assets/none.js", "assets/none.12345678.min.js"]
    for rel in pages + assets + other + missing:
        status, headers, _ = fetch(f"{nginx_site}/{rel}")
        assert headers.get("content-security-policy") == policy, (rel, status)
    for path in built_site.rglob("*.html"):  # each page's own scripts are in it
        assert set(csp.page_hashes(path.read_text(encoding="utf-8"))) <= set(re.findall(csp.HASH, policy)), path


@pytest.mark.browser
def test_no_page_served_by_nginx_reports_a_policy_violation(browser, nginx_site, built_site):
    from conftest import view, watched

    context = browser.new_context()
    page = watched(context)
    for path in sorted(built_site.rglob("index.html")):
        rel = path.parent.relative_to(built_site).as_posix()
        view(page, f"{nginx_site}/{'' if rel == '.' else rel + '/'}")
        assert page.evaluate("window.__violations") == [], rel
    for lang in LANGUAGES:  # the 404 pages, from any depth
        view(page, f"{nginx_site}/{LANG_PREFIXES[lang]}loyalty-levels/gone/for/good/")
        assert page.evaluate("window.__violations") == [], lang
    context.close()
    assert page.errors == [] or all("404" in e for e in page.errors), page.errors


def test_production_keeps_answering_while_the_guide_is_built_again_twice(tmp_path):
    """nginx serves the `site` link, not the build it points to: two rebuilds while readers load
    pages, and every address answers 200 throughout; a page opened before a rebuild still gets an
    asset the new build no longer has, from the build before it."""
    import time
    import urllib.error
    import urllib.request

    from conftest import KB, LOCAL, run

    guide = copy_project(tmp_path / "guide")
    site = tmp_path / "www" / "site"
    build = lambda: run([KB, "--root", guide, "build", "--site-dir", site], guide, LOCAL)  # noqa: E731
    assert build().returncode == 0
    (site.resolve() / "assets" / "only-in-the-first.css").write_text("a {}\n", encoding="utf-8")  # as a theme upgrade renames one
    languages, default = read_languages(guide)
    prefix = {lang: "" if lang == default else f"{lang}/" for lang in languages}
    paths = ["/", "/assets/kb.css"] + [f"/{prefix[lang]}loyalty-levels/" for lang in languages]
    (tmp_path / "nginx").mkdir()
    with nginx_serving(site, tmp_path / "nginx") as base:
        failures, done = [], threading.Event()

        def read_all() -> None:
            while not done.is_set():
                for path in paths:
                    try:
                        status = urllib.request.urlopen(base + path, timeout=5).status
                    except urllib.error.HTTPError as err:
                        status = err.code
                    if status != 200:
                        failures.append((path, status))

        reader = threading.Thread(target=read_all)
        reader.start()
        try:
            for word in ("first", "second"):
                page = guide / "translations" / default / "loyalty-levels.yaml"
                page.write_text(page.read_text(encoding="utf-8").replace("title: ", f"title: {word} ", 1), encoding="utf-8")
                assert build().returncode == 0
                time.sleep(0.3)
                if word == "first":  # the build before the last one answers for the asset it alone has
                    assert urllib.request.urlopen(base + "/assets/only-in-the-first.css", timeout=5).status == 200
        finally:
            done.set()
            reader.join()
        assert failures == []
        assert "second" in urllib.request.urlopen(base + f"/{prefix[default]}loyalty-levels/", timeout=5).read().decode()
        with pytest.raises(urllib.error.HTTPError):  # two builds later, it is gone
            urllib.request.urlopen(base + "/assets/only-in-the-first.css", timeout=5)


def test_a_language_prefix_typed_in_capitals_redirects_to_the_guides_address(nginx_site):
    languages, default = read_languages(ROOT)
    for lang in [code for code in languages if code != default]:
        status, headers, _ = fetch(f"{nginx_site}/{lang.upper()}/loyalty-levels/?h=x")
        assert (status, headers["location"]) == (301, f"/{lang}/loyalty-levels/?h=x"), lang
        assert fetch(f"{nginx_site}/{lang}/loyalty-levels/")[0] == 200  # the address itself is answered, not redirected
        assert fetch(f"{nginx_site}/{lang.capitalize()}")[0] == 301


def test_an_attacker_cannot_add_a_header_through_a_redirected_address(nginx_site):
    """`/FR/…` is redirected with the path the reader typed: an encoded line break in it
    (`%0d%0a`) must never end the Location header and start one of the attacker's."""
    import socket

    languages, default = read_languages(ROOT)
    port = int(urlsplit(nginx_site).port)
    for lang in [code for code in languages if code != default]:
        for path in (f"/{lang.upper()}/x%0d%0aSet-Cookie:%20owned=1", f"/{lang.upper()}%0d%0aSet-Cookie:%20owned=1/"):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
                head = b""
                while b"\r\n\r\n" not in head and (chunk := connection.recv(4096)):
                    head += chunk
            lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
            assert not [line for line in lines if line.lower().startswith("set-cookie")], (path, lines)
