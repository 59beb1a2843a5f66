"""The search index as built: one per language, Thai split into words."""

from __future__ import annotations

import json

from conftest import LANG_PREFIXES as LANG_ROOTS
from kb.search import JOINER, WORD_BREAK, segment_thai


def test_thai_is_split_into_words_and_compounds_into_their_parts():
    words = segment_thai("ความภักดีของลูกค้าประจำ and Rice").split(WORD_BREAK)
    assert words[:2] == [f"ความ{JOINER}ภักดี", "ของ"] and words[-1] == f"ลูกค้า{JOINER}ประจำ and Rice"
    assert segment_thai("ความภักดีของลูกค้าประจำ and Rice").replace(WORD_BREAK, "").replace(JOINER, "") == "ความภักดีของลูกค้าประจำ and Rice"


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
