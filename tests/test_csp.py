"""The browser enforces it: every page carries kb's Content-Security-Policy (kb/site/csp.py), as a
`<meta>` first in its head and as nginx's header, so that a script or a request to another host
that got onto a page is blocked even when the checker, the escaper and the audit all failed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import KB, LANG_PREFIXES, LANGUAGES, ROOT, nginx_serving, run, watched
from kb.site import audit, csp

# What an attacker's text would become if every other defence failed, written into a built page.
INJECTED = (
    "<img src=x onerror=alert(1)>"
    "<script>alert(2)</script>"
    "<img src=https://evil.example/t.png>"
    '<div id="kb-injected" onmouseover=alert(3) style="height:40px">hover me</div>'
)
ATTACKED = f"{LANG_PREFIXES[LANGUAGES[-1]]}loyalty-levels"  # a topic page; its copy without a policy is a sibling


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 30
    return found


def first_in_head(html: str):
    head = LexborHTMLParser(html).head
    return next(iter(head.iter()))


# On every page of the real build, without a browser


def test_every_page_of_the_guide_starts_its_head_with_a_policy_that_allows_only_its_own_inline_scripts(built_site):
    for path in pages(built_site):
        html = path.read_text(encoding="utf-8")
        meta = first_in_head(html)
        assert meta.tag == "meta" and meta.attributes.get("http-equiv") == "Content-Security-Policy", path
        directives = dict(part.strip().split(" ", 1) for part in meta.attributes["content"].split(";"))
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'", path
        assert directives["base-uri"] == "'none'" and directives["form-action"] == "'none'", path
        assert "unsafe" not in directives["script-src"] and "unsafe" not in directives["style-src"], path
        hashes = set(re.findall(r"'sha256-[^']+'", directives["script-src"]))
        assert hashes == {csp.script_hash(text) for text in csp.inline_scripts(html)}, path  # each inline script, nothing else
        assert html.encode().find(b"<meta charset") < 1024, path  # a browser still reads the encoding (file://)


def test_a_script_that_came_from_contributed_text_gets_no_hash_even_when_the_audit_misses_it(built_site):
    material = Path(__import__("material").__file__).parent / "templates"
    allowed = audit.allowlist([str(ROOT / "overrides"), str(material)], str(ROOT / "docs"), [], LANGUAGES, "/")
    html = (built_site / ATTACKED / "index.html").read_text(encoding="utf-8")
    built = csp.page_hashes(html)
    bare = html.replace(csp.META_PATTERN.search(html).group(), "")
    attacked = bare.replace("</article>", "<script>alert(2)</script></article>")
    assert csp.page_hashes(csp.with_policy(attacked, allowed.writes_script)) == built
    assert csp.script_hash("alert(2)") in csp.page_hashes(csp.with_policy(attacked, lambda text: True))  # the control: it is seen


def test_the_audit_lets_through_kbs_policy_and_refuses_any_other(tmp_path):
    page_template = "<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body></body></html>"
    allowed = audit.allowlist([], str(tmp_path), [], LANGUAGES, "/", templates=[page_template])
    kb = csp.META.format(policy=csp.policy([csp.script_hash("var a = 1")]))

    def problems(head: str, fragment: bool = False) -> list[str]:
        page = f"<!doctype html><html><head>{head}<title>t</title></head><body><p>x</p></body></html>"
        return [p.format() for p in audit.audit_html("page.html", head if fragment else page, allowed, fragment)]

    assert problems(kb) == []
    others = [
        kb.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
        kb.replace("default-src 'self'", "default-src *"),
        kb.replace("Content-Security-Policy", "content-security-policy"),
        kb.replace("'sha256-", "'sha384-"),
        '<meta http-equiv="Content-Security-Policy" content="script-src * \'unsafe-eval\'">',
        '<meta http-equiv="Set-Cookie" content="session=1">',
    ]
    for other in others:
        found = problems(other)
        assert found and all("SECURITY" in p for p in found), other
    assert problems(kb, fragment=True)  # in contributed text (a search result), even kb's own is refused
    assert any("a Content-Security-Policy that is not kb's" in p for p in problems(others[0]))


def test_kb_nginx_config_refuses_a_folder_that_is_not_a_site_with_kbs_policy(tmp_path, built_site):
    result = run([KB, "--root", ROOT, "nginx-config", "--site-dir", tmp_path], ROOT)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"kb nginx-config: {tmp_path} holds no page: build the site first (make build)\n"
    (tmp_path / "index.html").write_text("<!doctype html><html><head><title>old</title></head><body></body></html>")
    result = run([KB, "--root", ROOT, "nginx-config", "--site-dir", tmp_path], ROOT)
    assert result.returncode == 2 and "index.html has no Content-Security-Policy of kb's" in result.stderr
    assert "Traceback" not in result.stderr
    result = run([KB, "--root", ROOT, "nginx-config", "--site-dir", built_site, "--listen", "127.0.0.1:8080"], ROOT)
    assert result.returncode == 0 and f'set $csp "{csp.site_policy(built_site)}";' in result.stdout


# In Chromium


def search(page) -> None:
    """Search the first word of the page's title: results are shown."""
    word = next(w for w in page.locator("h1").inner_text().split() if len(w) > 3)
    page.fill(".md-search__input", word)
    page.press(".md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)


@pytest.mark.browser
def test_no_page_of_the_guide_reports_a_violation_and_search_still_finds_words(browser, site_server, built_site, guide_views):
    assert sorted(guide_views) == [p.relative_to(built_site).as_posix() for p in pages(built_site)]
    # Each page viewed once, for this test and others (conftest.py): its violations and console errors.
    assert {rel: seen.violations + seen.errors for rel, seen in guide_views.items() if seen.violations or seen.errors} == {}
    context = browser.new_context()
    page = watched(context)
    for lang in LANGUAGES:
        page.goto(f"{site_server}/{LANG_PREFIXES[lang]}loyalty-levels/")
        search(page)
        assert page.evaluate("window.__violations") == [], lang
    context.close()
    assert page.errors == []


def write_attack(site: Path) -> None:
    """The attack written into one topic page of a built site, bypassing the checker, the escaper
    and the audit: the page as built (its policy kept) and, as a sibling folder, without its policy."""
    page = site / ATTACKED / "index.html"
    html = page.read_text(encoding="utf-8")
    body = re.search(r"<body[^>]*>", html).end()
    html = html[:body] + INJECTED + html[body:]
    page.write_text(html, encoding="utf-8")
    bare = site / f"{ATTACKED}-bare" / "index.html"
    bare.parent.mkdir()
    bare.write_text(csp.META_PATTERN.sub("", html, count=1), encoding="utf-8")


def copy_of(built_site: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    return site


def attack(browser, url: str) -> tuple[list[str], list[str], list[str]]:
    """Open `url` and hover the injected element: the dialogs shown, the addresses asked for on
    another host than 127.0.0.1 (never sent: the test routes them nowhere), the violations reported."""
    context = browser.new_context()
    elsewhere, dialogs = [], []
    context.route(
        lambda url: urlsplit(url).hostname not in (None, "127.0.0.1"), lambda route: (elsewhere.append(route.request.url), route.abort())
    )
    page = watched(context)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, wait_until="networkidle")
    page.hover("#kb-injected")
    page.wait_for_timeout(300)
    violations = page.evaluate("window.__violations")
    context.close()
    return sorted(dialogs), elsewhere, violations


def assert_blocked(violations: list[str]) -> None:
    kinds = [v.split(" ")[0] for v in violations]
    assert "script-src-elem" in kinds, violations  # <script>alert(2)</script>
    assert kinds.count("script-src-attr") >= 2, violations  # onerror, onmouseover
    assert any(v.startswith("img-src https://evil.example/") for v in violations), violations


@pytest.mark.browser
def test_an_attack_written_into_a_built_page_is_blocked_by_the_pages_policy_alone(browser, built_site, tmp_path):
    from conftest import serving

    site = copy_of(built_site, tmp_path)
    write_attack(site)
    with serving(site) as base:  # a static server that sends no policy header
        dialogs, elsewhere, violations = attack(browser, f"{base}/{ATTACKED}/")
        assert dialogs == [] and elsewhere == []
        assert_blocked(violations)
        # The control: without its policy, the same page runs every script and asks the other host.
        dialogs, elsewhere, violations = attack(browser, f"{base}/{ATTACKED}-bare/")
        assert dialogs == ["1", "2", "3"] and elsewhere == ["https://evil.example/t.png"] and violations == []


@pytest.mark.browser
def test_an_attack_on_a_page_without_its_meta_is_blocked_by_nginxs_header_alone(browser, built_site, tmp_path):
    site = copy_of(built_site, tmp_path)
    with nginx_serving(site, tmp_path) as nginx:  # its header is the build's: the attack comes after
        write_attack(site)
        dialogs, elsewhere, violations = attack(browser, f"{nginx}/{ATTACKED}-bare/")
    assert dialogs == [] and elsewhere == []
    assert_blocked(violations)


@pytest.mark.browser
def test_from_file_urls_no_page_reports_a_violation_and_search_still_finds_words(browser, offline_site):
    context = browser.new_context()
    page = watched(context)
    assert all(csp.page_hashes(p.read_text(encoding="utf-8")) is not None for p in pages(offline_site))  # kb build's, in parallel
    shown = [p for p in pages(offline_site) if p.name != "404.html"]  # no server sends them from file://
    for path in shown:
        page.goto(path.as_uri())
        assert page.evaluate("window.__violations") == [], path
    for lang in LANGUAGES:  # Thai: the worker loads lunr's scripts into its frame too
        page.goto((offline_site / f"{LANG_PREFIXES[lang]}loyalty-levels.html").as_uri())
        search(page)
        assert page.evaluate("window.__violations") == [], lang
    context.close()
    assert page.errors == []
