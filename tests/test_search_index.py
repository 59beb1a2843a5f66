"""The search index as built: one per language, Thai split into words."""

from __future__ import annotations

import json

from pythainlp.tokenize import word_dict_trie, word_tokenize

from conftest import LANG_PREFIXES as LANG_ROOTS
from conftest import ROOT
from kb.search import JOINER, THAI_RUN, WORD_BREAK, ThaiWords, _thai_dictionary, segment_thai, thai_dictionary_for


def test_thai_is_split_into_words_and_compounds_into_their_parts():
    words = segment_thai("ความภักดีของลูกค้าประจำ and Rice").split(WORD_BREAK)
    assert words[:2] == [f"ความ{JOINER}ภักดี", "ของ"] and words[-1] == f"ลูกค้า{JOINER}ประจำ and Rice"
    assert segment_thai("ความภักดีของลูกค้าประจำ and Rice").replace(WORD_BREAK, "").replace(JOINER, "") == "ความภักดีของลูกค้าประจำ and Rice"


def test_the_dictionary_sets_find_what_pythainlps_trie_finds():
    """kb's ThaiWords stands in for PyThaiNLP's Trie: every Thai run of the guide is cut the same."""
    runs = {m.group() for path in sorted((ROOT / "translations").rglob("*.yaml")) for m in THAI_RUN.finditer(path.read_text("utf-8"))}
    trie, words = word_dict_trie(), _thai_dictionary()
    assert len(runs) > 100 and len(words) == len(trie)
    for run in runs:
        assert word_tokenize(run, custom_dict=words, engine="newmm") == word_tokenize(run, custom_dict=trie, engine="newmm"), run
        assert all(words.prefixes(run, i) == trie.prefixes(run, i) for i in range(len(run)))


def test_the_words_a_build_can_find_cut_its_texts_as_the_whole_dictionary_does():
    """A build segments its texts with the dictionary's words that they can hold (a tenth of them)."""
    texts = [path.read_text("utf-8") for path in sorted((ROOT / "translations").rglob("*.yaml"))]
    few = thai_dictionary_for(texts)
    assert 0 < len(few) < len(_thai_dictionary()) / 5
    for text in texts:
        for run in {m.group() for m in THAI_RUN.finditer(text)}:
            assert segment_thai(run, few) == segment_thai(run), run
    assert segment_thai("ลูกค้าประจำ", thai_dictionary_for(["ลูกค้าประจำ"])) == f"ลูกค้า{JOINER}ประจำ"  # a compound's parts too


def test_a_word_removed_and_added_again_is_found_again():
    words = ThaiWords(["ลูกค้า", "ลูกค้าประจำ", " ประจำ "])
    assert words.prefixes("ลูกค้าประจำ") == ["ลูกค้า", "ลูกค้าประจำ"] and "ประจำ" in words
    words.remove("ลูกค้าประจำ")
    assert words.prefixes("ลูกค้าประจำ") == ["ลูกค้า"] and "ลูกค้าประจำ" not in words
    words.add("ลูกค้าประจำมาก")
    assert words.prefixes("ลูกค้าประจำมาก") == ["ลูกค้า", "ลูกค้าประจำมาก"]


def test_other_scripts_are_left_as_they_are():
    assert segment_thai("cam kết của khách hàng") == "cam kết của khách hàng"


def test_each_language_has_its_own_index_with_its_own_pages(built_site):
    for lang, root in LANG_ROOTS.items():
        index = json.loads((built_site / root / "search/search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [f"kb{lang}"]
        locations = [doc["location"] for doc in index["docs"]]
        assert any(loc.startswith(f"{root}loyalty-levels/") for loc in locations)
        others = [r for r in LANG_ROOTS.values() if r and r != root]
        assert not [loc for loc in locations if any(loc.startswith(o) for o in others)]
        if lang == "th":
            assert all(WORD_BREAK in doc["text"] for doc in index["docs"] if len(doc["text"]) > 40)


def test_the_pages_that_repeat_every_title_are_left_out_of_search(built_site):
    """The home page sums up every page, the trainers' page lists every heading and the status
    page every page title: searched, they would come before the page a reader is looking for."""
    for root in LANG_ROOTS.values():
        index = json.loads((built_site / root / "search/search_index.json").read_text(encoding="utf-8"))
        pages = {doc["location"].split("#")[0] for doc in index["docs"]}
        assert f"{root}loyalty-levels/" in pages and f"{root}translators/" in pages
        assert not pages & {root, f"{root}trainers/", f"{root}status/"}, pages
