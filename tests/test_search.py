"""Search in Chromium: each language finds its own pages only, with or without accents, Thai by word."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from urllib.parse import urlsplit

import pytest

from conftest import DEFAULT_LANG, LANG_PREFIXES, MKDOCS, ROOT, QuietHandler, run

pytestmark = pytest.mark.browser

# (language, query, a page it must find, why)
QUERIES = [
    ("vi", "cam kết", "commitment-framework", "with diacritics"),
    ("vi", "cam ket", "commitment-framework", "without diacritics"),
    ("vi", "trung thanh", "loyalty-levels", "without diacritics"),
    ("vi", "do luong", "measuring-loyalty", "đ without its stroke"),
    ("vi", "ĐO LƯỜNG", "measuring-loyalty", "capital Đ"),
    ("fr", "fidelite", "loyalty-levels", "accents optional"),
    ("fr", "fidélité", "loyalty-levels", "accents typed"),
    ("fr", "engagement affectif", "commitment-framework", "two words"),
    ("fr", "enquetes", "measuring-loyalty", "accents optional, plural"),
    ("fy", "befestiging", "loyalty-theories", "ê optional"),
    ("fy", "befêstiging", "loyalty-theories", "ê typed"),
    ("fy", "klant", "loyalty-levels", "a singular finds the plural klanten"),
    ("fy", "strategy", "loyalty-strategies", "a singular finds the plural strategyen"),
    ("th", "ภักดี", "loyalty-levels", "a word inside ความภักดี"),
    ("th", "ความไว้วางใจ", "loyalty-theories", "a word in running text"),
    ("th", "ความพึงพอใจของลูกค้า", "loyalty-theories", "several words typed without spaces"),
    ("th", "ลูกค้า ภักดี", "loyalty-levels", "several words with a space"),
]


def search(page, base: str, lang: str, query: str) -> tuple[list[str], list[str]]:
    """Type a query on a topic page of `lang`; return the result paths and highlighted words."""
    page.goto(f"{base}/{LANG_PREFIXES[lang]}sources/")  # search and its index load on first use (kb-search.js)
    type_query(page, query)
    hrefs = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    marks = page.locator(".md-search-result__item mark").evaluate_all("els => els.map(e => e.textContent)")
    return [urlsplit(h).path for h in hrefs], marks


def type_query(page, query: str) -> None:
    """Enter a query and wait for the results. Material searches on keyup; an input method (Thai,
    accents) inserts text without one, so a last key press ends the query as a reader's would."""
    page.fill(".md-search__input", query)
    page.press(".md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)


def language_of(path: str, prefix: str) -> str:
    first = path[len(prefix) :].strip("/").split("/", 1)[0]
    return first if first in LANG_PREFIXES and first != DEFAULT_LANG else DEFAULT_LANG


@pytest.mark.parametrize(("lang", "query", "expected", "case"), QUERIES, ids=[f"{q[0]}-{q[3]}" for q in QUERIES])
def test_a_query_finds_its_page_and_only_pages_of_its_language(page, site_server, lang, query, expected, case):
    paths, marks = search(page, site_server, lang, query)
    assert f"/{LANG_PREFIXES[lang]}{expected}/" in paths, paths
    assert {language_of(p, "/") for p in paths} == {lang}, paths
    assert marks, "matches are highlighted"


def test_result_titles_and_snippets_are_in_the_readers_language(page, site_server):
    page.goto(f"{site_server}/th/loyalty-theories/")
    type_query(page, "ความไว้วางใจ")
    first = page.locator(".md-search-result__item").first.inner_text()
    assert "ความไว้วางใจ" in first.replace("\u200b", "").replace("\u2060", "")
    assert page.locator(".md-search-result__meta").inner_text().startswith("พบ")  # Material's Thai strings


@pytest.fixture(scope="module")
def prefixed_site(tmp_path_factory):
    """The real site built for https://…/guide/ and served under /guide/ only."""
    site = tmp_path_factory.mktemp("prefixed")
    result = run([MKDOCS, "build", "--strict", "--site-dir", site], ROOT, env_extra={"KB_SITE_URL": "http://127.0.0.1/guide/"})
    assert result.returncode == 0, result.stderr

    class Prefixed(QuietHandler):
        def translate_path(self, path):
            if not path.startswith("/guide/"):
                return str(site / "no-such-file")
            return super().translate_path(path[len("/guide") :])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Prefixed, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/guide"
    server.shutdown()


@pytest.mark.parametrize(("lang", "query", "expected"), [("vi", "cam ket", "commitment-framework"), ("th", "ภักดี", "loyalty-levels")])
def test_search_works_under_a_path_prefix(page, prefixed_site, lang, query, expected):
    paths, _ = search(page, prefixed_site, lang, query)
    assert f"/guide/{LANG_PREFIXES[lang]}{expected}/" in paths, paths
    assert {language_of(p, "/guide/") for p in paths} == {lang}, paths


SEARCH_FILES = ("search_index.json", "workers/search.", "/lunr/")


def _search_requests(urls: list[str]) -> list[str]:
    return [u for u in urls if any(part in u for part in SEARCH_FILES)]


@pytest.mark.parametrize(
    "how",
    ["focus", "slash key", "s key", "button"],
)
def test_search_loads_on_first_use_and_then_finds_as_before(page, site_server, how):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_server}/fr/loyalty-levels/", wait_until="networkidle")
    assert _search_requests(requests) == []  # a page view loads no search at all
    if how == "focus":
        page.focus(".md-search__input")
    elif how == "button":
        page.set_viewport_size({"width": 600, "height": 800})  # the search button of a narrow screen
        page.click("label.md-header__button[for=__search]")
    else:
        page.keyboard.press("/" if how == "slash key" else "s")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    type_query(page, "fidelite")
    paths = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all("els => els.map(e => new URL(e.href).pathname)")
    assert "/fr/loyalty-levels/" in paths
    assert any("/fr/search/search_index.json" in u for u in _search_requests(requests))


def test_a_search_address_loads_search_at_once(page, site_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    with page.expect_request(lambda request: "/fr/search/search_index.json" in request.url):
        page.goto(f"{site_server}/fr/?q=fidelite")
    assert any("/fr/search/search_index.json" in u for u in _search_requests(requests))


def _words(marks: list[str]) -> set[str]:
    return {m.replace("\u2060", "").replace("\u200b", "") for m in marks if m.strip()}


@pytest.mark.parametrize(
    ("lang", "query", "check"),
    [
        ("fr", "fidelite", lambda w: w and all(m.lower() == "fidélité" for m in w)),  # accents optional, no comma or stop marked
        ("th", "ความภักดี", lambda w: w == {"ความภักดี"}),  # a compound, whole: not every ความ
        ("th", "ภักดี", lambda w: "ความภักดี" in w and "ความ" not in w),  # a part marks the whole word it is in
    ],
    ids=["fr-accents", "th-compound", "th-part"],
)
def test_result_snippets_mark_whole_words(page, site_server, lang, query, check):
    _, marks = search(page, site_server, lang, query)
    assert check(_words(marks)), sorted(_words(marks))


def test_an_elided_word_is_found_and_marked(page, site_server):
    """`l’engagement`: the apostrophe separates words, so `engagement` finds it."""
    page.goto(f"{site_server}/fr/commitment-framework/")
    assert "l’engagement" in page.locator("article").inner_text()
    _, marks = search(page, site_server, "fr", "engagement")
    assert "engagement" in {m.lower() for m in _words(marks)}


@pytest.mark.parametrize(
    ("lang", "query", "expected", "forbidden"),
    [
        ("fr", "fidelite", {"fidélité"}, set()),
        ("vi", "trung thanh", {"trung", "thành"}, set()),
        ("th", "ความภักดี", {"ความภักดี"}, {"ความ"}),
    ],
    ids=["fr", "vi", "th"],
)
def test_a_result_opens_its_page_with_the_matching_words_marked(page, site_server, lang, query, expected, forbidden):
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}loyalty-levels/")
    type_query(page, query)
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url(lambda url: "?h=" in url)  # and its load: kb.js marks the words as it runs
    assert urlsplit(page.url).query.startswith("h=")
    marked = {m.lower() for m in page.locator("article mark").all_inner_texts()}
    assert expected <= marked and not marked & forbidden, sorted(marked)


MARKING = ("kb-marks.js", "search_words.js")  # the code that marks matched words, and the language's words it reads


def test_a_page_view_loads_no_marking_and_a_page_opened_from_a_result_loads_it_and_marks(browser, site_server, offline_site):
    """The marking is downloaded only where it is used: not by a page view, but by a page opened
    from a result (`?h=`), from a server or from file:// (the offline zip), under the site's policy."""
    from conftest import watched

    context = browser.new_context()
    page = watched(context)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_server}/fr/loyalty-levels/", wait_until="networkidle")
    assert [u for u in requests if u.endswith(MARKING)] == []
    opened = [f"{site_server}/fr/loyalty-levels/?h=fidelite", (offline_site / "fr" / "loyalty-levels.html").as_uri() + "?h=fidelite"]
    for url in opened:
        requests.clear()
        page.goto(url)
        page.wait_for_selector("article mark")
        assert {m.lower() for m in page.locator("article mark").all_inner_texts()} == {"fidélité"}, url
        assert sorted(u.rsplit("/", 1)[1] for u in requests if u.endswith(MARKING)) == sorted(MARKING), url
    assert page.evaluate("window.__violations") == [] and page.errors == [] and page.failed == []
    context.close()


def test_materials_own_page_marking_is_off():
    """kb.js marks the words on the page; Material's search.highlight (any run of letters,
    accents included) would mark them a second time, differently."""
    from mkdocs.config import load_config

    assert "search.highlight" not in load_config(str(ROOT / "mkdocs.yml")).theme["features"]


KHMER_SENTENCE = "សួរអតិថិជនអំពីការពេញចិត្តរបស់ពួកគេ។"  # "Ask customers about their satisfaction." (អតិថិជន: customers)


def test_a_reader_of_a_newly_added_khmer_finds_a_word_inside_a_sentence_and_sees_it_marked(sample, tmp_path, browser):
    """Khmer writes no spaces between words, as Thai: `kb add-language km` is all it takes for
    its search to find a word inside a sentence, in the results and on the page they lead to."""
    from conftest import KB, LOCAL, serving
    from kb.cli import main
    from kb.confirmed import confirm
    from kb.project import load_project

    shutil.copytree(ROOT / "overrides", sample.root / "overrides")  # where add-language writes its partial
    sample.replace("mkdocs.yml", f"custom_dir: {ROOT / 'overrides'}", "custom_dir: overrides")
    sample.write("docs/assets/kb.js", (ROOT / "docs/assets/kb.js").read_text(encoding="utf-8"))  # marks the words on the page
    sample.write("mkdocs.yml", sample.read("mkdocs.yml") + "extra_javascript:\n  - assets/kb.js\n")
    assert main(["--root", str(sample.root), "add-language", "km", "ខ្មែរ"]) == 0
    sample.replace("translations/km/care.yaml", 'body: !todo "Hỏi khách hàng."', f'body: "{KHMER_SENTENCE}"')
    confirm(load_project(sample.root), "km")
    site = tmp_path / "site"
    result = run([KB, "--root", sample.root, "build", "--site-dir", site], sample.root, LOCAL)
    assert result.returncode == 0, result.stderr
    context = browser.new_context()
    page = context.new_page()
    try:
        with serving(site) as base:
            page.goto(f"{base}/km/sources/")  # another page: the result is opened, not scrolled to
            type_query(page, "អតិថិជន")
            links = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
            marks = page.locator(".md-search-result__item mark").evaluate_all("els => els.map(e => e.textContent)")
            assert {urlsplit(h).path for h in links} == {"/km/care/"}, links  # its own language's page only
            assert _words(marks) == {"អតិថិជន"}, marks
            page.locator(".md-search-result__link").first.click()
            page.wait_for_url(lambda url: "?h=" in url)
            assert page.locator("article mark").all_inner_texts() == ["អតិថិជន"]
    finally:
        context.close()


def _open_first_result(page) -> tuple[str, list[str]]:
    """Open the first result as a reader does; return its path and the words marked on it."""
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url(lambda url: "?h=" in url)  # and its load: kb.js marks the words as it runs
    return urlsplit(page.url).path, page.locator("article mark").all_inner_texts()


def _fold(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c)).replace("đ", "d")


# (language, what a reader types, what the page opened from the first result marks: a check of the set of
# marked words, lower case). The queries of issue 36.
MARKED = [
    ("th", "โปรแกรมสมาชิก", lambda w: {"โปรแกรม", "สมาชิก"} <= w),  # typed without spaces: nothing was marked
    # A word the search matched by its stem (programmes) is marked; no stop word: was every de, des and devenir too.
    ("fr", "programme de fidélité", lambda w: {"programme", "fidélité"} <= w and all(m.startswith(("programme", "fidélité")) for m in w)),
    ("vi", "do luong", lambda w: w and {_fold(m) for m in w} <= {"do", "luong"}),  # whole syllables: was dõi and đổi too
    ("vi", "cam kết tình cảm", lambda w: {"cam", "kết", "tình", "cảm"} <= w and "tính" not in w),  # tình as typed: was tính too
]


@pytest.mark.parametrize(("lang", "query", "check"), MARKED, ids=[f"{m[0]}-{m[1]}" for m in MARKED])
def test_a_reader_who_opens_a_result_sees_the_words_the_search_matched_marked_and_no_others(page, site_server, lang, query, check):
    assert lang in LANG_PREFIXES, f"the guide has no {lang}: this story is about its words"
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}sources/")
    type_query(page, query)
    path, marks = _open_first_result(page)
    words = {m.lower() for m in _words(marks)}
    assert check(words), (path, sorted(words))


@pytest.mark.parametrize(
    ("lang", "query", "forbidden"),
    [("fr", "programme de fidélité", {"de", "des", "devenir"}), ("vi", "cam kết tình cảm", {"tính", "cẩm"})],
    ids=["fr-stop-words", "vi-accents-as-typed"],
)
def test_the_result_list_marks_no_stop_word_and_no_word_with_other_accents(page, site_server, lang, query, forbidden):
    """Material marks the words of its index, where accents are folded (tình marked tính), and the
    worker searched every word of the query (de)."""
    assert lang in LANG_PREFIXES, f"the guide has no {lang}: this story is about its words"
    _, marks = search(page, site_server, lang, query)
    words = {m.lower() for m in _words(marks)}
    assert words and not words & forbidden, sorted(words)


# (language, a word as a reader mistypes it, the section it finds at one typo, the word that section has
# and the forms of it the search finds). The queries of issue 36.
MISTYPED = [
    ("fr", "satisfation", "loyalty-theories/#satisfaction-theory", "satisfaction", {"satisfaction"}),
    ("fy", "tefredenhied", "loyalty-strategies/#after-sales-satisfaction", "tefredenheid", {"tefredenheid"}),
    ("fy", "vertrouwen", "loyalty-strategies/#trust-and-engagement", "fertrouwen", {"fertrouwen", "fertrouwe"}),  # Dutch on /fy/
    ("th", "ความภักดิ", "loyalty-levels/", "ความภักดี", {"ความภักดี"}),  # not every section with ความ
]


@pytest.fixture(scope="module")
def guide():
    from kb.project import load_project

    return load_project(ROOT)


@pytest.mark.parametrize(("lang", "query", "section", "word", "forms"), MISTYPED, ids=[f"{m[0]}-{m[1]}" for m in MISTYPED])
def test_a_reader_who_mistypes_a_word_finds_the_word_one_typo_away_and_is_told_so(
    page, site_server, guide, lang, query, section, word, forms
):
    from conftest import shown

    assert lang in LANG_PREFIXES, f"the guide has no {lang}: this story is about its words"
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}sources/")
    type_query(page, query)
    results = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    assert f"/{LANG_PREFIXES[lang]}{section}" in {
        urlsplit(h).path + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "") for h in results
    }
    near = page.locator(".kb-search-near")
    assert near.is_visible() and near.inner_text() == shown(guide, lang, "site", "search", "near")
    snippets = page.locator(".md-search-result__item mark").evaluate_all("els => els.map(e => e.textContent)")
    assert word in {m.lower() for m in _words(snippets)} <= forms, "only the word found is marked, in every result"
    assert not page.locator(".md-search-result__terms").count(), "the typed word is not listed as missing"
    path, marks = _open_first_result(page)
    assert word in {m.lower() for m in _words(marks)} <= forms, path
    # A word found as typed says nothing of typos.
    page.goto(f"{site_server}/{LANG_PREFIXES[lang]}sources/")
    type_query(page, word)
    assert not page.locator(".kb-search-near").is_visible()


def test_every_language_has_its_own_line_for_results_found_at_one_typo(built_site, guide):
    """The line is read from the page (kb-search.js), in the page's language."""
    import json

    from conftest import LANGUAGES, shown

    for lang in LANGUAGES:
        html = (built_site / LANG_PREFIXES[lang] / "sources" / "index.html").read_text(encoding="utf-8")
        settings = json.loads(html.split('<script id="__kb" type="application/json">', 1)[1].split("</script>", 1)[0])
        assert settings["search"]["near"] == shown(guide, lang, "site", "search", "near") != "", lang
