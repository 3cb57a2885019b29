"""EmbeddingGemma end to end; runs only where the `[gemma]` extra and its weights exist.

It is never part of the default install, so CI skips it; locally:
`pip install -e '.[gemma]' && assistant fetch-model embeddinggemma`.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from assistant import Assistant, Settings
from assistant.errors import ModelUnavailable
from assistant.models.weights import gemma_path
from assistant.settings import default_home

WEIGHTS = gemma_path(default_home(os.environ) / "models")


def test_missing_weights_say_how_to_fetch_them(fresh_settings: Settings) -> None:
    with pytest.raises(ModelUnavailable, match="assistant fetch-model embeddinggemma"):
        Assistant(fresh_settings, embedder="embeddinggemma").open()


@pytest.mark.skipif(not (WEIGHTS / "model.safetensors").exists(), reason="weights not fetched")
def test_gemma_answers_with_citations(fresh_settings: Settings) -> None:
    pytest.importorskip("sentence_transformers")
    gemma = Assistant(fresh_settings, embedder="embeddinggemma", models=str(WEIGHTS.parent))
    vector = gemma.open().models.embedder.query("ما الذي سحبته روسيا من كوبا؟")
    assert vector.shape == (768,) and np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)
    answer = gemma.ask("ما الذي سحبته روسيا من كوبا؟")
    assert answer.answered
    assert ("002_5ea31fea1596766f", 11) in {
        (c.paragraph.article_id, c.paragraph.number) for c in answer.citations
    }
    assert (fresh_settings.index.index_dir / "embeddinggemma" / "CURRENT").exists()
