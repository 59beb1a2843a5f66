"""What meets MkDocs or the built site: the hook, the search index, the parallel build, the live preview, the output audit and policy, the 404 pages, deploy and the offline zip."""
