"""The Chroma store's search: ids and cosines only, as many of the true nearest as asked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from store import Where, open_vector_store


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _filled(path: Path, ef_search: int, n: int = 3000):
    rng = np.random.default_rng(25)
    vectors = _unit(rng.standard_normal((n, 64)).astype(np.float32))
    store = open_vector_store(path, None, "paragraphs-test", ef_search)
    ids = [f"v{i}" for i in range(n)]
    meta = [{"outlet": "Okaz" if i % 2 else "Sabq", "day": 20150801 + i % 10} for i in range(n)]
    store.add(ids, ["text"] * n, meta, vectors)
    return store, vectors


def test_search_returns_the_true_nearest_with_their_cosines(tmp_path: Path) -> None:
    store, vectors = _filled(tmp_path, ef_search=500)
    query = vectors[7] * 0.6 + vectors[8] * 0.4
    query = query / np.linalg.norm(query)
    cosines = vectors @ query
    truth = np.argsort(-cosines)[:20]
    hits = store.search(query, 20)
    assert [key for key, _ in hits] == [f"v{i}" for i in truth]
    assert np.allclose([score for _, score in hits], cosines[truth], atol=1e-4)


def test_a_where_limits_outlet_and_days(tmp_path: Path) -> None:
    store, vectors = _filled(tmp_path, ef_search=500)
    hits = store.search(vectors[0], 50, Where(outlets=("Okaz",), since=20150803, until=20150804))
    days = {int(key[1:]) % 10 for key, _ in hits}
    assert hits and all(int(key[1:]) % 2 for key, _ in hits) and days <= {2, 3}


def test_an_existing_collection_takes_the_configured_ef_search(tmp_path: Path) -> None:
    _filled(tmp_path, ef_search=40)
    store = open_vector_store(tmp_path, None, "paragraphs-test", 700)
    assert store._collection.configuration_json["hnsw"]["ef_search"] == 700
