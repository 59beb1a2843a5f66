"""Tooling for us, not installed with the product: `make bench` and its synthetic corpora."""
