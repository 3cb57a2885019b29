"""The baseline the pipeline must beat: plain LlamaIndex over the raw files.

A `VectorStoreIndex` over LlamaIndex's default `SentenceSplitter` chunks of the
uncleaned article files, with the same embedder and the same top-k. Each
retrieved chunk is mapped back, by character span, to the cleaned paragraphs it
overlaps (most overlap first), and the first k distinct paragraphs are its
result, so it is scored on the same paragraph ids. A default chunk (1,024
tokens) spans several paragraphs, so this mapping gives the baseline the
benefit of the doubt: every paragraph its chunk contains counts. It plugs
into an `Assistant` as its retriever, so answers come from the same extractive
answerer and the comparison isolates cleaning, paragraphing and hybrid retrieval.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llama_index.core import Document, VectorStoreIndex
from llama_index.core.embeddings import BaseEmbedding
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import NodeWithScore
from pydantic import PrivateAttr

from assistant import Assistant
from assistant.ingest.corpus import article_files, read_items
from assistant.ingest.formats import Item
from assistant.models.embedding import Embedder
from assistant.types import Paragraph, Passage, Query


class LlamaIndexEmbedding(BaseEmbedding):
    """Our `Embedder` seen through LlamaIndex's embedding interface (query/passage kept apart)."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, **kwargs)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.passages(texts).tolist()


def _overlap(a_start: int, a_end: int, p: Paragraph) -> int:
    return max(0, min(a_end, p.span.end) - max(a_start, p.span.start))


class LlamaIndexBaseline:
    """A `Retriever` that ranks with a default LlamaIndex pipeline over the raw files."""

    def __init__(self, assistant: Assistant) -> None:
        """Over `assistant`'s corpus files, embedder and cleaned paragraphs."""
        pipeline = assistant.open()
        files, _ = article_files(assistant.settings.index.corpus_paths())
        items = [i for f in files for i in read_items(f) if isinstance(i, Item)]
        documents = [
            Document(text=i.raw, id_=i.article_id, metadata={"article_id": i.article_id})
            for i in items
        ]
        nodes = SentenceSplitter().get_nodes_from_documents(documents)
        embedding = LlamaIndexEmbedding(pipeline.models.embedder)
        self._index = VectorStoreIndex(nodes, embed_model=embedding)
        self._by_article: dict[str, list[Paragraph]] = {}
        for p in pipeline.index.paragraphs.values():
            self._by_article.setdefault(p.article_id, []).append(p)
        self.chunks = len(nodes)

    def _paragraphs_of(self, hit: NodeWithScore) -> list[Paragraph]:
        node = hit.node
        start, end = node.start_char_idx or 0, node.end_char_idx or 0
        overlaps = [
            (_overlap(start, end, p), p) for p in self._by_article[node.metadata["article_id"]]
        ]
        return [p for size, p in sorted(overlaps, key=lambda o: -o[0]) if size > 0]

    def retrieve(self, query: Query, vector: np.ndarray, k: int) -> list[Passage]:
        """LlamaIndex embeds `query.text` itself, as a default pipeline would."""
        retriever = self._index.as_retriever(similarity_top_k=k)
        passages: dict[str, Passage] = {}
        for hit in retriever.retrieve(query.text):
            for p in self._paragraphs_of(hit):
                passages.setdefault(p.key, Passage(p, hit.score or 0.0))
        return list(passages.values())[:k]
