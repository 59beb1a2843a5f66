"""Each section's address and QR code for print (kb/addresses.py): written by the renderer into the
page's Markdown, drawn as the page is converted, so the page memo keeps it; made from ids and
site_url only, and the sanitiser's few new elements (svg, path) let nothing else through."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import SAMPLE_TEXTS, make_sample
from kb import addresses, render
from kb.site import audit, sanitise
from kb.site.build import Build
from test_security import PAGE, TEXT_FIELDS, allowed_for, build, checker_without_markup_errors, hostile_project

SITE_URL = "https://guide.example.org/"
CARE_UNITS = ["care", "listening", "surveys", "habits"]  # the sample's topic: each has its address on paper
# What an attacker writes in SVG: each would run script, load from elsewhere, or print a QR code
# of an address that is not the guide's, if it reached the page as markup.
SVG_ATTACKS = [
    "<svg onload=alert(1)>",
    '<svg><a href="javascript:alert(2)"><text>x</text></a></svg>',
    "<svg><script>alert(3)</script></svg>",
    '<svg><use href="https://evil.example/x.svg#a"/></svg>',
    "<svg><foreignObject><img src=x onerror=alert(4)></foreignObject></svg>",
    '<svg viewBox="0 0 9 9" class="kb-qr" style="x" onclick="alert(5)"><path d="M0 0h9" stroke="#000" onmouseover="alert(6)"/></svg>',
]
ATTACK = " ".join(SVG_ATTACKS)
# The block the renderer writes for the conversion to draw, with another site's address: alone
# in a body text, a raw HTML block of its own, as the renderer's is.
FORGED = '\n\n<div class="kb-print-address" data-kb-address="https://evil.example/"></div>\n\n'
SVG_ATTRIBUTES = {"svg": {"viewBox", "class"}, "path": {"d", "stroke"}}


def with_site_url(root: Path) -> None:
    path = root / "mkdocs.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("site_name: kb\n", f"site_name: kb\nsite_url: {SITE_URL}\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = make_sample(tmp_path_factory.mktemp("svg") / "project").root
    with_site_url(root)
    return root


def _article(path: Path) -> LexborHTMLParser:
    html = path.read_text(encoding="utf-8")
    return LexborHTMLParser(html[html.index('<article class="md-content__inner') : html.index("</article>")], is_fragment=True)


def running_markup(site: Path) -> list[str]:
    """What a page's text holds of SVG or script that runs, loads or styles: beyond the shapes and
    attributes of kb's QR codes."""
    found = []
    for path in sorted(site.rglob("index.html")):
        tree = _article(path)
        for node in tree.root.traverse() if tree.root is not None else ():
            attributes = set(node.attributes)
            if node.tag in ("use", "foreignobject", "script", "text", "style") or attributes - SVG_ATTRIBUTES.get(node.tag, attributes):
                found.append(f"{path}: {node.html[:80]}")
            if any(name.startswith("on") or name == "style" for name in attributes) or "".join(
                node.attributes.get("href", "").split()
            ).lower().startswith("javascript:"):
                found.append(f"{path}: {node.html[:80]}")
    return found


def printed_addresses(site: Path) -> list[str]:
    return [block.text() for path in sorted(site.rglob("index.html")) for block in _article(path).css(".kb-print-address .kb-print-url")]


@pytest.mark.parametrize("defence", ["escaping", "sanitiser", "audit"])
def test_an_attacker_who_writes_svg_into_any_translated_field_sees_it_as_text_or_removed(base, tmp_path, monkeypatch, defence):
    """Every translated field holds every attack, the checker's markup errors off, and one defence
    off at a time: the renderer's escaping, the sanitiser or the audit. The build goes through,
    nothing of it runs or loads, and every address printed is one of the guide's sections: a
    block naming another site's address is never drawn."""
    edits = [(where, f"T{i} {ATTACK}" + (FORGED if where[-1] == "body" else "")) for i, where in enumerate(TEXT_FIELDS)]
    root = hostile_project(base, edits)
    monkeypatch.setenv("KB_NO_CACHE", "1")  # nothing kept from a build with another defence on
    if defence == "escaping":
        monkeypatch.setattr(render.safe, "block", lambda text, code_lang=None: text)
        monkeypatch.setattr(render.safe, "inline", lambda text, code_lang=None: text)
    elif defence == "sanitiser":
        monkeypatch.setattr(sanitise, "clean", lambda html: html)
    else:
        monkeypatch.setattr(Build, "refuse", lambda self, problems: None)
    site = tmp_path / "site"
    try:
        with checker_without_markup_errors():
            build(root, site)
    finally:
        shutil.rmtree(root.parent)
    assert running_markup(site) == []
    printed = printed_addresses(site)  # every page's
    assert len(printed) == len(CARE_UNITS) * len(SAMPLE_TEXTS)
    assert all(address.startswith("guide.example.org/") for address in printed)
    assert all(not address.startswith("evil") for address in printed)
    if defence != "escaping":  # shown as written
        page = (site / "fr" / "care" / "index.html").read_text(encoding="utf-8")
        assert "&lt;svg onload=alert(1)&gt;" in page


@pytest.mark.parametrize("attack", SVG_ATTACKS[:5])
def test_the_audit_refuses_svg_that_runs_or_loads_and_accepts_kbs_address_block(attack):
    allowed = allowed_for(Path(__file__).resolve().parents[1])
    block = addresses.address_block(SITE_URL + "fr/care/#habits")
    assert audit.audit_html("fr/care/index.html", PAGE.format(block), allowed) == []
    assert audit.audit_html("fr/care/index.html", PAGE.format(block + attack), allowed) != []


def test_the_sanitiser_keeps_kbs_address_block_whole_and_removes_the_rest_of_svg():
    block = addresses.address_block(SITE_URL + "fr/care/#habits")
    tree = LexborHTMLParser(sanitise.clean(block + ATTACK), is_fragment=True)
    code = tree.css_first("div.kb-print-address > svg.kb-qr")
    assert code.attributes["viewBox"] == LexborHTMLParser(block, is_fragment=True).css_first("svg").attributes["viewBox"]  # its case kept
    assert code.css_first("path").attributes["d"].startswith("M4 4.5h7")
    assert [svg.attributes for svg in tree.css("svg")][1:] == [{}] * 5 + [{"viewBox": "0 0 9 9", "class": "kb-qr"}]
    assert not tree.css("use, foreignObject, script, text, [onload], [onclick], [onmouseover], [style], [data-kb-address]")


def test_a_warm_build_draws_no_qr_code_and_a_saved_page_draws_its_own_only(base, tmp_path, monkeypatch):
    """The blocks are in the page's Markdown and drawn by its conversion: the page memo keeps them.
    A build after one translator's save (as the live preview's) draws the codes of that page alone."""
    root = tmp_path / "project"
    shutil.copytree(base, root)
    build(root, tmp_path / "cold")
    drawn = []
    make = addresses.segno.make
    monkeypatch.setattr(addresses.segno, "make", lambda content, **kw: (drawn.append(content), make(content, **kw))[1])
    addresses.qr_svg.cache_clear()  # each build is a process of its own: none drawn before
    build(root, tmp_path / "warm")
    assert drawn == []
    assert (tmp_path / "warm" / "fr" / "care" / "index.html").read_bytes() == (
        tmp_path / "cold" / "fr" / "care" / "index.html"
    ).read_bytes()
    path = root / "translations" / "fr" / "care.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"Habitudes"', '"Habitudes fidèles"'), encoding="utf-8")
    build(root, tmp_path / "saved")
    assert sorted(drawn) == sorted(SITE_URL + "fr/care/" + ("" if uid == "care" else f"#{uid}") for uid in CARE_UNITS)
