"""kb: the knowledge base's build pipeline (load, validate, model, check, render)."""
