"""The corpus of bad inputs: each one edits the sample project and names the exact finding it must produce.

A case is (name, edits, expected). An edit is (file, old, new): replace `old` by `new` in the
file, write the whole file when `old` is None (`new` may be bytes), make `file` a symbolic link to
`new` when `old` is "symlink", or remove a folder when it is "rmtree". `expected` lists every
finding as (code, file, line, column, a piece of the message); nothing else may be reported.
"""

from __future__ import annotations

from conftest import SAMPLE_TEXTS

FR = "translations/fr/care.yaml"
VI = "translations/vi/care.yaml"
CARE = "content/care.yaml"
SITE = "content/site.yaml"

BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
)


def grouped(group: str, pages: str) -> list:
    """Edits that put `pages` (of content/site.yaml's, `care` and so on) in a group titled and
    confirmed in each language of the sample; the sample's other pages stay outside it."""
    site = (SITE, "pages: [care, glossary, sources]", f"pages:\n  - group: {group}\n    pages: [{pages}]\n  - glossary\n  - sources")
    source, *others = SAMPLE_TEXTS
    titles = [
        (f"translations/{lang}/site.yaml", "language-banner:", f'{group}:\n  title: "{group} ({lang})"\nlanguage-banner:')
        for lang in SAMPLE_TEXTS
    ]
    confirmed = [(f"translations/.confirmed/{lang}.yaml", "site:\n", f'site:\n  {group}.title: "{group} ({source})"\n') for lang in others]
    return [site, *titles, *confirmed]


CASES = [
    # YAML syntax, in a translator's words
    (
        "comment inside unquoted text",
        [(FR, '"Écouter les clients."', "Écouter les clients #1 de la fidélité")],
        [("SYNTAX", FR, 6, 29, "` #` starts a comment in YAML: the text after it is lost; put the whole text in double quotes")],
    ),
    (
        "apostrophe inside single quotes",
        [(FR, '"Écouter"', "'L'art d’écouter'")],
        [
            (
                "SYNTAX",
                FR,
                5,
                12,
                "an apostrophe inside single quotes ends the text; put the text in double quotes, or write the apostrophe as ’",
            )
        ],
    ),
    (
        "a line of a folded text indented like a key",
        [(FR, '  body: "Écouter les clients."', "  body: >-\n    Écouter les clients\n  et leur dire: merci.")],
        [("ORPHAN", FR, 8, 3, "this line is indented less than the text above it")],
    ),
    (
        "a line that is neither a key nor text",
        [(FR, '  body: "Écouter les clients."', '  body: "Écouter les clients."\n  une ligne sans deux-points\n  other: x')],
        [("SYNTAX", FR, 7, 3, "this line is neither `key: text` nor part of the text above it")],  # its own line, not the next
    ),
    # Block structures inside a text
    (
        "heading inside a text",
        [(FR, '"Écouter les clients."', '"## Écouter\\n\\nles clients."')],
        [("MARKUP", FR, 6, 9, "headings (`## …`) are not allowed")],
    ),
    (
        "underlined heading inside a text",
        [(FR, '"Écouter les clients."', '"Écouter\\n---\\nles clients."')],
        [("MARKUP", FR, 6, 9, "`===` or `---` under a line")],
    ),
    (
        "table inside a text",
        [(FR, '"Écouter les clients."', '"a | b\\n--- | ---\\n1 | 2"')],
        [("MARKUP", FR, 6, 9, "tables are not allowed")],
    ),
    (
        "definition list inside a text",
        [(VI, '"Lắng nghe khách hàng."', '"Lắng nghe\\n: khách hàng."')],
        [("STALE", FR, 6, 9, "source changed"), ("MARKUP", VI, 6, 9, "definition lists")],
    ),
    # YAML syntax
    ("unclosed double quote", [(FR, '"Écouter"', '"Écouter')], [("SYNTAX", FR, 5, 10, "never closed")]),
    ("unclosed single quote", [(FR, '"Écouter"', "'Écouter")], [("SYNTAX", FR, 5, 10, "never closed")]),
    ("tab indentation", [(FR, '  body: "Écouter les', '\tbody: "Écouter les')], [("SYNTAX", FR, 6, 1, "tab")]),
    ("bad indentation", [(FR, '  body: "Écouter les', '   body: "Écouter les')], [("SYNTAX", FR, 6, 4, "indent")]),
    ("stray colon in French text", [(FR, '"Introduction."', "Introduction : le service")], [("SYNTAX", FR, 3, 22, "double quotes")]),
    ("unclosed bracket", [(FR, '"Habitudes"', "[Habitudes")], [("SYNTAX", FR, 12, 10, "never closed")]),
    # A translator's slips (issue 34), each at the place to fix, with a fix that works
    (
        "a field without its colon",
        [(FR, '  title: "Habitudes"', "  title Habitudes")],
        [("SYNTAX", FR, 12, 8, "`title` has no `:` after it; write `title: Habitudes`")],
    ),
    ("an id without its colon", [(FR, "habits:\n", "habits\n")], [("SYNTAX", FR, 11, 7, "`habits` has no `:` after it; write `habits:`")]),
    (
        "text after a closing quote",
        [(FR, '"Habitudes"', '"Habitudes" anciennes')],
        [
            (
                "SYNTAX",
                FR,
                12,
                22,
                'text after the closing ": quotes must hold the whole text; put it all in double quotes, with \\" for a quote inside: `title: "\\"Habitudes\\" anciennes"`',
            )
        ],
    ),
    (
        "a bracket starting a title",
        [(FR, '"Habitudes"', "[Nouveau] Habitudes")],
        [
            (
                "SYNTAX",
                FR,
                12,
                10,
                'a text cannot start with `[` in YAML (it starts a list); put the whole text in double quotes: `title: "[Nouveau] Habitudes"`',
            )
        ],
    ),
    (
        "an ampersand starting a title",
        [(FR, '"Habitudes"', "& habitudes")],
        [
            (
                "SYNTAX",
                FR,
                12,
                10,
                'a text cannot start with `&` in YAML (it marks an anchor); put the whole text in double quotes: `title: "& habitudes"`',
            )
        ],
    ),
    (
        "a backquote starting a title",
        [(FR, '"Habitudes"', "`kb` habitudes")],
        [
            (
                "SYNTAX",
                FR,
                12,
                10,
                'a text cannot start with a backquote in YAML (it is reserved); put the whole text in double quotes: `title: "`kb` habitudes"`',
            )
        ],
    ),
    (
        "a dash starting a title",
        [(FR, '"Habitudes"', "- Habitudes")],
        [
            (
                "SYNTAX",
                FR,
                12,
                10,
                'a text cannot start with `- ` in YAML (it starts a list item); put the whole text in double quotes: `title: "- Habitudes"`',
            )
        ],
    ),
    (
        "text on the line of >-",
        [(FR, '  body: "Achats répétés."', "  body: >- Achats répétés.")],
        [("SYNTAX", FR, 13, 12, "text after `>-` on its line: a block's text starts on the next line, indented; move it there")],
    ),
    (
        "a Frisian 't opening a value",
        [(FR, '"Habitudes"', "'t Habitudes")],
        [
            (
                "SYNTAX",
                FR,
                12,
                10,
                "the quote ' opened here is never closed; put the whole text in double quotes, or write an apostrophe as ’",
            )
        ],
    ),
    (
        "a translated id",
        [(FR, "habits:", "achats-repetes:")],
        [("ORPHAN", FR, 11, 1, "`achats-repetes` is not an id in content/care.yaml; ids are never translated (did you mean `habits`?)")],
    ),
    (
        "typographic quotes around a title",
        [(FR, '"Habitudes"', "“Habitudes”")],
        [
            (
                "UNICODE",
                FR,
                12,
                10,
                "the whole text is inside “…”, which the page shows; to quote in YAML use straight double quotes, or delete them",
            )
        ],
    ),
    ("guillemets around a title", [(FR, '"Habitudes"', "«Habitudes»")], [("UNICODE", FR, 12, 10, "the whole text is inside «…»")]),
    ("low-high quotes around a title", [(FR, '"Habitudes"', "„Habitudes“")], [("UNICODE", FR, 12, 10, "the whole text is inside „…“")]),
    (
        "a comment inside a block",
        [(FR, '  body: "Achats répétés."', "  body: >-\n    Achats # TODO répétés.")],
        [
            (
                "COMMENT",
                FR,
                14,
                12,
                "` #` inside a block is text, not a comment: the page shows it; delete it (a comment goes on a line of its own, above the key)",
            )
        ],
    ),
    # Duplicate keys
    (
        "duplicate field",
        [(FR, '  body: "Introduction."', '  body: "Introduction."\n  body: "Bis"')],
        [("DUPLICATE-KEY", FR, 4, 3, "line 3")],
    ),
    ("duplicate id in a translation", [(FR, "habits:\n", "habits:\n  body: x\nhabits:\n")], [("DUPLICATE-KEY", FR, 13, 1, "line 11")]),
    (
        "duplicate key in content",
        [(CARE, "source_lang: vi\n", "source_lang: vi\nsource_lang: fr\n")],
        [("DUPLICATE-KEY", CARE, 3, 1, "line 2")],
    ),
    # YAML 1.1 surprises where text is expected
    ("yes", [(FR, '"Habitudes"', "yes")], [("TYPE", FR, 12, 10, "boolean")]),
    ("no", [(FR, '"Habitudes"', "no")], [("TYPE", FR, 12, 10, "boolean")]),
    ("on", [(FR, '"Habitudes"', "on")], [("TYPE", FR, 12, 10, "boolean")]),
    ("off", [(FR, '"Habitudes"', "off")], [("TYPE", FR, 12, 10, "boolean")]),
    ("octal", [(FR, '"Habitudes"', "0755")], [("TYPE", FR, 12, 10, "number")]),
    ("sexagesimal 1:30", [(FR, '"Habitudes"', "1:30")], [("TYPE", FR, 12, 10, "minutes")]),
    ("date", [(FR, '"Habitudes"', "2021-09-24")], [("TYPE", FR, 12, 10, "date")]),
    ("float", [(FR, '"Habitudes"', "3.14")], [("TYPE", FR, 12, 10, "number")]),
    ("null ~", [(FR, '"Habitudes"', "~")], [("TYPE", FR, 12, 10, "null")]),
    ("empty value", [(FR, ' "Habitudes"', "")], [("TYPE", FR, 12, 9, "null")]),
    # Lists or mappings where text is expected
    ("list for text", [(FR, '"Habitudes"', "[Habitudes, Routines]")], [("TYPE", FR, 12, 10, "list")]),
    ("mapping for text", [(FR, '"Habitudes"', "{fr: Habitudes}")], [("TYPE", FR, 12, 10, "mapping")]),
    (
        "text for a unit",
        [(FR, 'habits:\n  title: "Habitudes"\n  body: "Achats répétés."', 'habits: "Habitudes"')],
        [("TYPE", FR, 11, 9, "fields")],
    ),
    # Unknown or missing fields, bad ids
    (
        "unknown field in a translation",
        [(FR, '  title: "Habitudes"', '  titel: "Habitudes"')],
        [("ORPHAN", FR, 12, 3, "did you mean `title`")],
    ),
    ("unknown id in a translation", [(FR, "habits:", "habit:")], [("ORPHAN", FR, 11, 1, "did you mean `habits`")]),
    (
        "unknown field in content",
        [(CARE, "        see_also: [habits]", "        see_als: [habits]")],
        [("SCHEMA", CARE, 9, 9, "did you mean `see_also`")],
    ),
    ("missing required field", [(CARE, "source_lang: vi\n", "")], [("SCHEMA", CARE, 1, 1, "`source_lang`")]),
    ("uppercase id", [(CARE, "- id: habits", "- id: Habits")], [("ID", CARE, 10, 13, "`habits`")]),
    ("id with a space", [(CARE, "- id: habits", "- id: my habits")], [("ID", CARE, 10, 13, "`my-habits`")]),
    ("non-ASCII id", [(CARE, "- id: habits", "- id: thói-quen")], [("ID", CARE, 10, 13, "`thoi-quen`")]),
    (
        "duplicate id in one topic",
        [(CARE, "      - id: habits", "      - id: habits\n      - id: habits")],
        [("DUPLICATE-ID", CARE, 11, 13, "line 10")],
    ),
    (
        "duplicate id across topics",
        [
            (SITE, "pages: [care,", "pages: [care, more,"),
            ("content/more.yaml", None, "id: more\nsource_lang: vi\nsources: [seed-one]\nsections:\n  - id: habits\n"),
            (
                "translations/vi/more.yaml",
                None,
                "more:\n  title: Thêm nữa\n  body: Thêm một phần.\nhabits:\n  title: Thói quen khác\n  body: Mua nữa.\n",
            ),
            (
                "translations/fr/more.yaml",
                None,
                "more:\n  title: Encore\n  body: Une partie de plus.\nhabits:\n  title: Autres habitudes\n  body: Acheter encore.\n",
            ),
        ],
        [("DUPLICATE-ID", "content/more.yaml", 5, 9, "content/care.yaml")]
        + [("STALE", "translations/fr/more.yaml", line, col, "kb confirm fr") for line, col in ((2, 10), (3, 9), (5, 10), (6, 9))],
    ),
    # Relations
    ("dangling relation", [(CARE, "see_also: [habits]", "see_also: [habit]")], [("RELATION", CARE, 9, 20, "did you mean `habits`")]),
    ("relation to itself", [(CARE, "see_also: [habits]", "see_also: [surveys]")], [("RELATION", CARE, 9, 20, "itself")]),
    ("dangling source", [(CARE, "sources: [seed-one]", "sources: [seed-two]")], [("RELATION", CARE, 3, 11, "seed-one")]),
    # Alias bombs and tags
    ("billion laughs", [(FR, None, BILLION_LAUGHS)], [("SYNTAX", FR, 1, 4, "aliases")]),
    ("python object tag", [(FR, '"Habitudes"', '!!python/object/apply:os.system ["touch $KB_MARKER"]')], [("TYPE", FR, 12, 10, "tag")]),
    ("python name tag", [(FR, '"Habitudes"', "!!python/name:os.system")], [("TYPE", FR, 12, 10, "tag")]),
    # A plain `=` or `<<` is a tag YAML 1.1 gives on its own: the translator wrote none (issue 32, U1 Z05, Z06)
    ("a title of =", [(FR, '"Habitudes"', "=")], [("TYPE", FR, 12, 10, '`=` alone is not text in YAML; put it in double quotes: "="')]),
    ("a title of <<", [(FR, '"Habitudes"', "<<")], [("TYPE", FR, 12, 10, '`<<` alone is not text in YAML; put it in double quotes: "<<"')]),
    ("explicit merge tag", [(FR, '"Habitudes"', "!!merge x")], [("TYPE", FR, 12, 10, "the tag `!!merge` is not allowed")]),
    ("custom local tag", [(FR, '"Habitudes"', '!shell "rm -rf /"')], [("TYPE", FR, 12, 10, "tag")]),
    # Encodings and characters
    ("Latin-1 bytes", [(FR, None, 'care:\n  title: "Caf\xe9"\n'.encode("latin-1"))], [("SYNTAX", FR, 2, 14, "UTF-8")]),
    ("UTF-16 file", [(FR, None, 'care:\n  title: "Service client"\n'.encode("utf-16"))], [("SYNTAX", FR, 1, 1, "UTF-16")]),
    ("NFD text", [(FR, '"Achats répétés."', '"Achats re\u0301pe\u0301te\u0301s."')], [("UNICODE", FR, 13, 9, "NFC")]),
    ("zero-width space", [(FR, '"Achats répétés."', '"Achats\u200b répétés."')], [("UNICODE", FR, 13, 9, "U+200B")]),
    ("control character", [(FR, '"Achats répétés."', '"Achats\\x07 répétés."')], [("UNICODE", FR, 13, 9, "U+0007")]),
    ("raw control byte", [(FR, '"Achats répétés."', '"Achats\x07 répétés."')], [("SYNTAX", FR, 13, 16, "U+0007")]),
    # Characters that show nothing, or show the text in another order than it is stored (issue 32, S8)
    *(
        (f"U+{ord(char[0]):04X} in a title", [(FR, '"Achats répétés."', f'"Achats{char} répétés."')], [("CHARACTER", FR, 13, 9, shown)])
        for char, shown in [
            ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE (character 7 of the text, after `Achats`)"),
            ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"),
            ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
            ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
            ("\u061c", "U+061C ARABIC LETTER MARK"),
            ("\U000e0041\U000e0042", "U+E0041 TAG LATIN CAPITAL LETTER A"),
            ("\u3164", "U+3164 HANGUL FILLER"),
            ("\u115f", "U+115F HANGUL CHOSEONG FILLER"),
            ("\u1160", "U+1160 HANGUL JUNGSEONG FILLER"),
            ("\uffa0", "U+FFA0 HALFWIDTH HANGUL FILLER"),
            ("\u2800", "U+2800 BRAILLE PATTERN BLANK"),
            ("\u00ad", "U+00AD SOFT HYPHEN"),
            ("\u034f", "U+034F COMBINING GRAPHEME JOINER"),
            ("\u180e", "U+180E MONGOLIAN VOWEL SEPARATOR"),
        ]
    ),
    (
        "TAG character as an escape",
        [(FR, '"Achats répétés."', '"Achats\\U000E007F répétés."')],
        [("CHARACTER", FR, 13, 9, "U+E007F CANCEL TAG")],
    ),
    ("line separator as \\L", [(FR, '"Achats répétés."', '"Achats\\Lrépétés."')], [("CHARACTER", FR, 13, 9, "U+2028 LINE SEPARATOR")]),
    (
        "paragraph separator as \\P",
        [(FR, '"Achats répétés."', '"Achats\\Prépétés."')],
        [("CHARACTER", FR, 13, 9, "U+2029 PARAGRAPH SEPARATOR")],
    ),
    ("next line as \\N", [(FR, '"Achats répétés."', '"Achats\\Nrépétés."')], [("CHARACTER", FR, 13, 9, "U+0085 NEXT LINE")]),
    (
        "raw paragraph separator in a plain title",
        [(FR, '"Habitudes"', "Habi\u2029tudes")],
        [("SYNTAX", FR, 12, 14, "U+2029 PARAGRAPH SEPARATOR")],
    ),
    ("raw next line in a plain title", [(FR, '"Habitudes"', "Habi\x85tudes")], [("SYNTAX", FR, 12, 14, "U+0085 NEXT LINE")]),
    (
        "key with a bidi override",
        [(FR, '  body: "Achats répétés."\n', '  body: "Achats répétés."\n  title\u202e: "x"\n')],
        [("ORPHAN", FR, 14, 3, "`habits` has no field `title\\u202e`")],  # quoted as its escape: it never reorders the line
    ),
    (
        "bidi override in a source's author",
        [("content/sources.yaml", "    seed: 000.txt\n", '    seed: 000.txt\n    author: "Nguyễn\u202eAn"\n')],
        [("CHARACTER", "content/sources.yaml", 7, 13, "U+202E RIGHT-TO-LEFT OVERRIDE (character 7 of the text, after `Nguyễn`)")],
    ),
    ("left-to-right mark", [(FR, '"Achats répétés."', '"Achats\u200e répétés."')], [("UNICODE", FR, 13, 9, "U+200E LEFT-TO-RIGHT MARK")]),
    # Sizes and shapes of files
    ("empty translation file", [(FR, None, "")], "MISSING"),
    ("empty content file", [(CARE, None, "")], [("SCHEMA", CARE, 1, 1, "empty")]),
    ("10 MB file", [(FR, '"Achats répétés."', '"' + "Achats répétés. " * 655_360 + 'fin"')], [("TOO-LONG", FR, 13, 9, "at most 10,000")]),
    ("1 MB line", [(FR, '"Achats répétés."', '"' + "x" * 1_048_576 + '"')], [("TOO-LONG", FR, 13, 9, "at most 10,000")]),
    ("missing content file", [(SITE, "pages: [care,", "pages: [care, gone,")], [("SCHEMA", SITE, 1, 15, "no file content/gone.yaml")]),
    ("page listed twice", [(SITE, "sources]", "sources, care]")], [("DUPLICATE-ID", SITE, 1, 34, "the page `care` is listed twice")]),
    # Topic groups in the sidebar (each titled in every language, as a site string)
    ("group id not kebab-case", grouped("Customer Care", "care"), [("ID", SITE, 2, 12, "(e.g. `customer-care`)")]),
    ("group id of a site string", grouped("labels", "care"), [("DUPLICATE-ID", SITE, 2, 12, "the id `labels` is already used on line")]),
    (
        "group id of a section",
        grouped("surveys", "care"),
        [("DUPLICATE-ID", SITE, 2, 12, "the group id `surveys` is already used in content/care.yaml")],
    ),
    (
        "group of an unknown page",
        grouped("customers", "care, gone"),
        [("SCHEMA", SITE, 3, 19, "the page `gone` has no file content/gone.yaml")],
    ),
    ("group of no pages", grouped("customers", ""), [("SCHEMA", SITE, 2, 5, "the group `customers` lists no pages")]),
    # Found by the fuzz test: a site string whose `text` is not a list crashed the loader.
    (
        "site string text not a list",
        [(SITE, "text: [untranslated, outdated]", "text: 3")],
        [("SCHEMA", SITE, 10, 11, "`text` must be a list")],
    ),
    ("missing language folder", [("translations/fr", "rmtree", None)], "MISSING"),
    (
        "extra language folder",
        [("translations/de/care.yaml", None, "care:\n  title: Pflege\n")],
        [("ORPHAN", "translations/de", 1, 1, "not a language")],
    ),
    # HTML, script and links
    ("raw HTML", [(FR, '"Achats répétés."', '"<b>Achats</b> répétés."')], [("MARKUP", FR, 13, 9, "raw HTML")]),
    ("script", [(FR, '"Achats répétés."', '"<script>alert(1)</script>"')], [("MARKUP", FR, 13, 9, "raw HTML")]),
    (
        "javascript link",
        [(FR, '"Achats répétés."', '"[Achats](javascript:alert(1)) répétés."')],
        [("MARKUP", FR, 13, 9, "`javascript:alert(1`")],
    ),
    ("data link", [(FR, '"Achats répétés."', '"[Achats](data:text/html;base64,PHNjcmlwdD4=)"')], [("MARKUP", FR, 13, 9, "`data:")]),
    ("vbscript link", [(FR, '"Achats répétés."', '"[Achats](vbscript:msgbox) répétés."')], [("MARKUP", FR, 13, 9, "`vbscript:msgbox`")]),
    (
        "link hidden in nested brackets",
        [(FR, '"Achats répétés."', '"[Achats [répétés]](javascript:alert(1))"')],
        [("MARKUP", FR, 13, 9, "`javascript:")],
    ),
    (
        "reference definition",
        [(FR, '"Achats répétés."', '"[r]: javascript:alert(1)"')],
        [("MARKUP", FR, 13, 9, "reference-style"), ("UNICODE", FR, 13, 9, "no-break space")],
    ),
    ("image", [(FR, '"Achats répétés."', '"![x](https://example.org/x.png)"')], [("MARKUP", FR, 13, 9, "images")]),
    # Found trying the guide as an attacker would (issue 13)
    (
        "tag with no closing >",
        [(FR, '"Habitudes"', '"Habitudes <img src=x onerror=alert(1) x="')],
        [("MARKUP", FR, 12, 10, "raw HTML `<img src=x onerror=alert(1) x=` is not allowed")],
    ),
    ("comment opener", [(FR, '"Habitudes"', '"Habitudes <!-- x"')], [("MARKUP", FR, 12, 10, "raw HTML `<!-- x`")]),
    ("declaration", [(FR, '"Habitudes"', '"Habitudes <!doctype x"')], [("MARKUP", FR, 12, 10, "raw HTML `<!doctype x`")]),
    (
        "link definition in a list item",
        [(FR, '"Achats répétés."', '"Achats\\n\\n- [m]:javascript:alert(1)\\n\\n[texte][m]"')],
        [("MARKUP", FR, 13, 9, "reference-style")],
    ),
    (
        "link definition in a numbered item",
        [(FR, '"Achats répétés."', '"Achats\\n\\n1. [m]:javascript:alert(1)"')],
        [("MARKUP", FR, 13, 9, "reference-style")],
    ),
    # Found trying the guide as an attacker would (issue 32): the checker reads code as Python-Markdown does
    (
        "backslash before inline code hiding a comment (H2)",
        [(FR, '"Achats répétés."', '"Voir \\\\`<!--><img src=x onerror=alert(1)>-->` plus."')],
        [("MARKUP", FR, 13, 9, "inline code must open and close"), ("MARKUP", FR, 13, 9, "raw HTML `<!-->`")],
    ),
    (
        "backslash before inline code hiding a link (S5)",
        [(FR, '"Achats répétés."', '"\\\\`[x](javascript:alert(19))`"')],
        [("MARKUP", FR, 13, 9, "inline code must open and close"), ("MARKUP", FR, 13, 9, "`javascript:alert(19`")],
    ),
    (
        "inline code across paragraphs",
        [(FR, '"Achats répétés."', '"`a\\n\\nb` <b>x</b> `c`"')],
        [("MARKUP", FR, 13, 9, "inline code must open and close"), ("MARKUP", FR, 13, 9, "raw HTML `<b>`")],
    ),
    (
        "attribute list on emphasis",
        [(FR, '"Achats répétés."', '"*Achats*{onclick=alert(1)} répétés."')],
        [("MARKUP", FR, 13, 9, "sets HTML attributes")],
    ),
    (
        "attribute list on its own line",
        [(FR, '"Achats répétés."', '"Achats\\n{onclick=alert(1)}"')],
        [("MARKUP", FR, 13, 9, "sets HTML attributes")],
    ),
    ("heading in a list item", [(FR, '"Achats répétés."', '"- # Achats"')], [("MARKUP", FR, 13, 9, "headings")]),
    ("quote", [(FR, '"Achats répétés."', '"> Achats"')], [("MARKUP", FR, 13, 9, "quotes")]),
    ("admonition", [(FR, '"Achats répétés."', '"!!! danger"')], [("MARKUP", FR, 13, 9, "admonitions")]),
    (
        "empty links (H9)",
        [(FR, '"Achats répétés."', '"' + "[](#" * 2_500 + '"')],
        [("TOO-COMPLEX", FR, 13, 9, "2500 `[` in 10,000 characters")],
    ),
    (
        "unclosed links (H9)",
        [(FR, '"Achats répétés."', '"' + ("[a](https://" * 834)[:10_000] + '"')],
        [("TOO-COMPLEX", FR, 13, 9, "at most 10 here")],
    ),
    (
        "ampersands (H9)",
        [(FR, '"Achats répétés."', '"' + "&" * 10_000 + '"')],
        [("TOO-COMPLEX", FR, 13, 9, "10000 of the characters")],
    ),
    (
        "a long link target is quoted to 80 characters (U1)",
        [(FR, '"Achats répétés."', '"[a](' + "x" * 5_000 + ')"')],
        [("MARKUP", FR, 13, 9, "`" + "x" * 79 + "…`")],
    ),
    ("300,000 spaces after <", [(FR, '"Habitudes"', '"<' + " " * 300_000 + '"')], [("TOO-LONG", FR, 12, 10, "300,001 characters")]),
    (
        "symbolic link to a system file",
        [("content/zz.yaml", "symlink", "/etc/passwd")],
        [("FILE", "content/zz.yaml", 1, 1, "symbolic link")],
    ),
    ("symbolic link as a language folder", [("translations/de", "symlink", "/etc")], [("FILE", "translations/de", 1, 1, "symbolic link")]),
    (
        "symbolic link in a language folder",
        [("translations/fr/zz.yaml", "symlink", "/etc/passwd")],
        [("FILE", "translations/fr/zz.yaml", 1, 1, "symbolic link")],
    ),
    ("folder in content", [("content/more/care.yaml", None, "id: x\n")], [("FILE", "content/more", 1, 1, "a folder")]),
    ("file that is not YAML", [("translations/fr/notes.txt", None, "x")], [("FILE", "translations/fr/notes.txt", 1, 1, "`notes.yaml`")]),
    (
        "alias of a special page",
        [(CARE, "id: care\n", "id: care\naliases: [glossary]\n")],
        [("ID", CARE, 2, 11, "`glossary` is a name the site uses")],
    ),
    ("alias of a language", [(CARE, "id: care\n", "id: care\naliases: [fr]\n")], [("ID", CARE, 2, 11, "`fr` is a language code")]),
    ("id of a site folder", [(CARE, "  - id: listening", "  - id: assets")], [("ID", CARE, 5, 9, "`assets` is a name the site uses")]),
    ("id of the search folder", [(CARE, "- id: habits", "- id: search")], [("ID", CARE, 10, 13, "`search` is a name")]),
    ("id of a sitemap", [(CARE, "- id: habits", "- id: sitemap-index")], [("ID", CARE, 10, 13, "`sitemap-index` is a name")]),
    ("id with a final newline", [(CARE, "- id: habits", '- id: "habits\\n"')], [("ID", CARE, 10, 13, "`habits\\n` is not a valid id")]),
    ("10,000 nested brackets", [(FR, '"Achats répétés."', "[" * 10_000)], [("SYNTAX", FR, 13, 71, "nested more than 64 levels")]),
    ("100,000 nested brackets", [(FR, '"Achats répétés."', "[" * 100_000)], [("SYNTAX", FR, 13, 71, "nested more than 64 levels")]),
    (
        "70 nested block lists",
        [(FR, '"Achats répétés."', "".join("\n" + "  " * (i + 2) + "- " for i in range(70)) + "x")],
        [("SYNTAX", FR, 76, 129, "nested more than 64 levels")],
    ),
    ("100,000-character key", [(FR, "habits:\n", "habits:\n  ? " + "k" * 100_000 + "\n  : x\n")], [("ORPHAN", FR, 12, 5, "`kkkk")]),
    ("100,000-character id", [(FR, "habits:\n", "? " + "k" * 100_000 + "\n: x\nhabits:\n")], [("ORPHAN", FR, 11, 3, "`kkkk")]),
    (
        "100,000-character field in content",
        [(CARE, "source_lang: vi\n", "source_lang: vi\n? " + "k" * 100_000 + "\n: x\n")],
        [("SCHEMA", CARE, 3, 3, "`kkkk")],
    ),
    (
        "syntax error on a 200,000-character line",
        [(FR, '"Habitudes"', "Habitudes : " + "y" * 200_000)],
        [("SYNTAX", FR, 12, 20, "double quotes")],
    ),
]

# Markdown that would break out of its block: harmless once made safe, so it builds, and the
# built HTML must show the text as text (no heading, fence, admonition or forged id).
BREAKOUTS = [
    ("heading", "\\n# Faux titre", "# Faux titre"),
    ("fence", "\\n```\\ncode\\n```", "```"),
    ("admonition", '\\n!!! danger \\"Piège\\"', "!!! danger"),
    ("attribute list forging an id", "Achats {#habits}", "{#habits}"),
    ("block attribute list", "Achats\\n{: #listening .x}", "{: #listening .x}"),
    ("html entity", "&lt;script&gt;", "&lt;script&gt;"),
]
