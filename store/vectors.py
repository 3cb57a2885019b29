"""The dense side of the index: paragraph vectors in Chroma, written through LlamaIndex.

Embedded Chroma (`PersistentClient`) is the default; a URL switches the same
code to a Chroma server (`HttpClient`). The collection never gets an embedding
function: Chroma's default one downloads a model, so vectors are always given.

A search asks Chroma for ids and distances only: LlamaIndex's query also reads
every hit's text and metadata and rebuilds a node from them, work the
retriever never uses. Its HNSW graph is searched with `ef_search` candidates;
Chroma's default (100) found 78% of the true 30 nearest among 176,575
paragraphs (evals/experiments.md), so the default here is 1,000.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import chromadb
import httpx
import numpy as np
from chromadb.api.collection_configuration import CreateHNSWConfiguration
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.vector_stores.chroma import ChromaVectorStore

from store.errors import StoreUnavailable

# Chroma caps the records in one call (SQLite variable limit); stay well under it.
_BATCH = 2000
DEFAULT_EF_SEARCH = 1000


Metadata = Mapping[str, str | int | float]


@dataclass(frozen=True)
class Where:
    """Which records a search may return, by their metadata: `outlet` one of
    `outlets` (any when empty) and `day` (YYYYMMDD) within [`since`, `until`]."""

    outlets: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None

    def chroma(self) -> dict[str, Any] | None:
        """The same limits as a Chroma `where`."""
        found: list[dict[str, Any]] = []
        if self.outlets:
            found.append({"outlet": {"$in": list(self.outlets)}})
        if self.since is not None:
            found.append({"day": {"$gte": self.since}})
        if self.until is not None:
            found.append({"day": {"$lte": self.until}})
        if len(found) > 1:
            return {"$and": found}
        return found[0] if found else None


class VectorStore(Protocol):
    """Vectors of texts addressed by vector id, each with its text and flat metadata."""

    def add(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadata: Sequence[Metadata],
        vectors: np.ndarray,
    ) -> None: ...

    def existing(self, ids: Sequence[str]) -> set[str]:
        """Which of `ids` are stored already."""
        ...

    def ids(self) -> list[str]: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def search(
        self, vector: np.ndarray, k: int, where: Where | None = None
    ) -> list[tuple[str, float]]:
        """(vector id, cosine similarity), best first, among the records `where` admits."""
        ...

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those of `ids` the store holds."""
        ...

    def count(self) -> int: ...


class ChromaStore:
    """Vectors in one Chroma collection (cosine space), one LlamaIndex node per text."""

    def __init__(
        self, client: chromadb.ClientAPI, collection: str, ef_search: int = DEFAULT_EF_SEARCH
    ) -> None:
        hnsw: CreateHNSWConfiguration = {"space": "cosine", "ef_search": ef_search}
        self._collection = client.get_or_create_collection(
            collection, embedding_function=None, configuration={"hnsw": hnsw}
        )
        if (self._collection.configuration_json.get("hnsw") or {}).get("ef_search") != ef_search:
            # an existing collection keeps what it was made with; Chroma reads the change
            # when a process first loads the collection's graph, which is not yet
            self._collection.modify(configuration={"hnsw": {"ef_search": ef_search}})
        self._store = ChromaVectorStore(chroma_collection=self._collection)

    def add(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadata: Sequence[Metadata],
        vectors: np.ndarray,
    ) -> None:
        rows = zip(ids, texts, metadata, vectors, strict=True)
        nodes: list[BaseNode] = [_node(*row) for row in rows]
        if nodes:
            self._store.add(nodes)

    def existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), _BATCH):
            batch = list(ids[start : start + _BATCH])
            found.update(self._collection.get(ids=batch, include=[])["ids"])
        return found

    def ids(self) -> list[str]:
        found: list[str] = []
        while batch := self._collection.get(include=[], limit=_BATCH, offset=len(found))["ids"]:
            found += batch
        return found

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), _BATCH):
            self._collection.delete(ids=list(ids[start : start + _BATCH]))

    def search(
        self, vector: np.ndarray, k: int, where: Where | None = None
    ) -> list[tuple[str, float]]:
        # No count() to cap k: Chroma returns what it has, and counting cost
        # 9 ms per search at 100k paragraphs (a third of search time, pyinstrument).
        if k <= 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector.tolist()],
            n_results=k,
            where=where.chroma() if where else None,
            include=["distances"],
        )
        distances = (result["distances"] or [[]])[0]
        # Chroma's cosine distance is 1 - cos
        return [(key, 1.0 - d) for key, d in zip(result["ids"][0], distances, strict=True)]

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        found = self._collection.get(ids=list(ids), include=["embeddings"])
        rows = found["embeddings"] if found["embeddings"] is not None else []
        return {
            vector_id: np.asarray(row, dtype=np.float32)
            for vector_id, row in zip(found["ids"], rows, strict=True)
        }

    def count(self) -> int:
        return self._collection.count()


def _node(vector_id: str, text: str, metadata: Metadata, vector: np.ndarray) -> TextNode:
    """A node whose source is the article named in `metadata` (LlamaIndex's document link)."""
    source = str(metadata.get("article_id", vector_id))
    return TextNode(
        id_=vector_id,
        text=text,
        embedding=vector.tolist(),
        metadata=dict(metadata),
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=source)},
    )


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _remote_store(url: str, collection: str, ef_search: int) -> ChromaStore:
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise StoreUnavailable(f"ASSISTANT_CHROMA_URL={url!r} is not an http(s) URL.")
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    try:
        client = chromadb.HttpClient(
            host=parsed.host, port=port, ssl=parsed.scheme == "https", settings=_chroma_settings()
        )
        return ChromaStore(client, collection, ef_search)
    except Exception as exc:
        raise StoreUnavailable(
            f"Cannot reach the Chroma server at {url}: {exc}. "
            "Start it with `chroma run --path DIR --host 127.0.0.1 --port 8000` "
            "or unset ASSISTANT_CHROMA_URL to use the embedded store."
        ) from exc


def reload_embedded(path: Path) -> None:
    """Make the next embedded store opened on `path` read the folder as it is now.

    Embedded Chroma keeps one System per folder per process, its HNSW index in
    memory, and never reads what another process has written since
    (chroma-core/chroma#3769, #3792: "clear the system cache before recreating
    the client"). Forgetting the cached System for this folder makes the next
    client load it afresh; stores opened before keep the System they hold, so
    questions already running on them are not disturbed. Only one process
    should write at a time (`assistant ingest`); several writers want a Chroma
    server.
    """
    key = str(path)
    SharedSystemClient._identifier_to_system.pop(key, None)
    SharedSystemClient._identifier_to_refcount.pop(key, None)


def open_vector_store(
    path: Path, url: str | None, collection: str, ef_search: int = DEFAULT_EF_SEARCH
) -> ChromaStore:
    """Embedded Chroma under `path`, or the Chroma server at `url` when one is given."""
    if url:
        return _remote_store(url, collection, ef_search)
    try:
        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        return ChromaStore(client, collection, ef_search)
    except Exception as exc:
        raise StoreUnavailable(
            f"Cannot open the vector store in {path}: {exc}. "
            "Check free disk space and that the folder is writable."
        ) from exc
