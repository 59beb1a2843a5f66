"""What writes translators' and commands' changes back into the sources: kb sync, kb export/import (PO, XLIFF), kb add-language, and the YAML text editing they share."""
