"""Storage backends: the dense vector store (Chroma) and the lexical index (BM25)."""

from store.lexical import LexicalIndex
from store.vectors import ChromaStore, VectorStore, open_vector_store

__all__ = ["ChromaStore", "LexicalIndex", "VectorStore", "open_vector_store"]
