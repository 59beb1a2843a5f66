"""Readers always get a full page: a missing string falls back to the source text, marked and explained."""

from __future__ import annotations

from kb.project import load_project
from kb.render import PageRenderer


def render(sample, lang, page="care"):
    return PageRenderer(load_project(sample.root), lang).render(page)


def test_every_heading_carries_its_id_as_anchor(sample):
    md = render(sample, "fr")
    assert '# <span class="kb-number">1</span> · Service client {#care}' in md
    assert '## <span class="kb-number">1.1</span> · Écouter {#listening}' in md
    assert '### <span class="kb-number">1.1.1</span> · Enquêtes {#surveys}' in md


def test_a_missing_body_shows_the_source_text_marked_with_its_language_and_a_notice(sample):
    sample.replace("translations/fr/care.yaml", '  body: "Achats répétés."\n', "")
    md = render(sample, "fr")
    section = md[md.index("{#habits}") :]
    assert "Cette section n’est pas encore traduite.\n{: .kb-notice .kb-untranslated }" in section
    assert '<div class="kb-fallback" lang="vi" markdown>\n\nMua lặp lại.\n\n</div>' in section
    assert md.count("kb-notice") == 1


def test_a_missing_title_falls_back_with_a_lang_attribute(sample):
    sample.replace("translations/fr/care.yaml", '  title: "Habitudes"\n', "")
    assert '### <span class="kb-number">1.1.2</span> · Thói quen {#habits lang=vi}' in render(sample, "fr")


def test_a_language_with_no_file_at_all_still_gets_a_full_page(sample):
    (sample.root / "translations/fr/care.yaml").unlink()
    md = render(sample, "fr")
    assert '# <span class="kb-number">1</span> · Chăm sóc khách hàng {#care lang=vi}' in md
    assert "Một bảng hỏi." in md


def test_see_also_links_both_ways_and_example_is_labelled(sample):
    md = render(sample, "fr")
    assert '!!! example "Exemple"' in md
    assert "[Habitudes](care.md#habits)" in md
    assert "[Enquêtes](care.md#surveys)" in md


def test_topic_cites_its_sources(sample):
    assert "[Article un (vietnamien)](sources.md#seed-one)" in render(sample, "fr")


def test_text_cannot_inject_html_or_headings(sample):
    sample.replace("translations/fr/care.yaml", '"Achats répétés."', '"<script>alert(1)</script> {#x}"')
    md = render(sample, "fr")
    assert "<script>" not in md
    assert "&lt;script&gt;" in md
    assert "{#x}" not in md


def test_glossary_terms_link_to_their_item(sample):
    md = render(sample, "fr", "glossary")
    assert "[Enquêtes](care.md#surveys)\n:   Demander l’avis." in md


def test_sources_page_names_language_date_and_original_title(sample):
    md = render(sample, "fr", "sources")
    assert "## Article un (vietnamien) {#seed-one}" in md
    assert "Langue\n:   Vietnamien\n" in md  # a language's name, standing alone, with a capital
    assert "Publié\n:   24 septembre 2021\n" in md  # the date as French writes it, not 2021-09-24
    assert '<span lang="vi">Bài một</span>' in md


def render_checked(sample, lang, page):
    from kb.checks import run_checks

    project = load_project(sample.root)
    return PageRenderer(project, lang, run_checks(project)).render(page)


def test_a_stale_section_tells_readers_it_may_be_outdated(sample):
    sample.replace("translations/vi/care.yaml", '"Mua lặp lại."', '"Mua hàng lặp đi lặp lại."')
    md = render_checked(sample, "fr", "care")
    habits = md[md.index("{#habits}") :]
    assert "Peut-être obsolète.\n{: .kb-notice .kb-outdated }" in habits
    assert md.count("kb-outdated") == 1


def test_the_status_page_shows_progress_and_links_to_work(sample):
    sample.replace("translations/fr/care.yaml", '  title: "Habitudes"\n', "")
    sample.replace("translations/vi/care.yaml", '"Hỏi khách hàng."', '"Hỏi ý kiến khách hàng."')
    md = render_checked(sample, "vi", "status")
    assert "# Tình trạng dịch {#status}" in md
    french = md[md.index("{#status-fr}") :]
    row = '| <a href="../fr/care/" hreflang="fr">Chăm sóc khách hàng</a> | '  # that language's page
    row += '<progress class="kb-translated" value="8" max="9"></progress> 8/9 | '
    row += '<progress class="kb-stale" value="1" max="9"></progress> 1/9 | '
    row += '<progress class="kb-missing" value="1" max="9"></progress> 1/9 |'
    assert row in french
    assert md.index('| <a href="#status-fr">Tiếng Pháp</a> | ') < md.index("{#status-vi}")  # the summary first
    assert '<a href="../fr/care/#habits" hreflang="fr">Thói quen</a> (Còn thiếu)' in md
    assert '<a href="../fr/care/#surveys" hreflang="fr">Khảo sát</a> (Cần cập nhật)' in md
    vietnamese = md[md.index("{#status-vi}") : md.index("{#status-fr}")]
    assert "|\n\nĐã dịch xong.\n" in vietnamese  # its pages, then nothing to do


def test_inline_code_is_kept_as_code_and_cannot_carry_html():
    from kb import markdown_safe as safe

    md = safe.block("Run `kb check --lang <lang>` then `<script>alert(1)</script>`; not <b>bold</b>.")
    assert "`kb check --lang <lang>`" in md and "`<script>alert(1)</script>`" in md
    assert "&lt;b&gt;bold&lt;/b&gt;" in md
    assert safe.inline("`SYNTAX` *x*") == "`SYNTAX` \\*x\\*"
    import markdown

    html = markdown.markdown(md)
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in html and "<script>" not in html


def test_no_break_spaces_in_titles_and_labels_are_kept(sample):
    # French typography: a no-break space before `?` and inside « » is text, not a place to squash.
    sample.replace("translations/fr/care.yaml", '"Écouter"', '"Écouter\u00a0? «\u00a0Oui\u00a0»"')
    sample.replace("translations/fr/site.yaml", '"Exemple"', '"Exemple\u00a0:"')
    md = render(sample, "fr")
    assert "Écouter\u00a0? «\u00a0Oui\u00a0»" in md and "Exemple\u00a0:" in md
