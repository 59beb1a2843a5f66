"""MkDocs hook: the build's pages come from content/ and translations/ through the kb package."""

from kb.site.hook import (  # noqa: F401
    on_config,
    on_env,
    on_files,
    on_page_content,
    on_page_markdown,
    on_page_read_source,
    on_post_build,
    on_post_page,
    on_post_template,
    on_template_context,
)
from kb.site.preview import on_serve  # noqa: F401 - the live preview's rebuilds
