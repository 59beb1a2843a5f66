"""What translators and commands write back into the sources: sync, exchange files, add-language."""
