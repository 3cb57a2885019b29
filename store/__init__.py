"""Storage backends: the dense vector store (Chroma) and the lexical index (BM25).

The bottom layer: it imports nothing from `assistant`, so `import store` works alone.
"""

from store.errors import StoreError, StoreUnavailable
from store.lexical import LexicalIndex
from store.vectors import (
    ChromaStore,
    Metadata,
    VectorStore,
    Where,
    open_vector_store,
    reload_embedded,
)

__all__ = [
    "ChromaStore",
    "LexicalIndex",
    "Metadata",
    "StoreError",
    "StoreUnavailable",
    "VectorStore",
    "Where",
    "open_vector_store",
    "reload_embedded",
]
