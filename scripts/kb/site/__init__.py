"""What talks to MkDocs or the built site: the output audit."""
