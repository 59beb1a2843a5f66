"""MkDocs hook: the build's pages come from content/ and translations/ through the kb package."""

from kb.mkdocs_hook import on_config, on_env, on_files, on_page_read_source, on_post_build  # noqa: F401
