"""The benchmark harness's own parts: synthetic data, sentence-mean vectors, tables.

The benchmarks themselves measure speed (`python -m benchmarks`); these tests
only check that what they measure is built correctly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, Settings
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.ingest.paragraphs import sentences
from benchmarks.__main__ import environment, plan
from benchmarks.report import BEGIN, END, update_readme
from benchmarks.scenarios import percentiles
from benchmarks.synthetic import SentenceMean, corpus_sentences, write_articles

README = Path(__file__).resolve().parents[1] / "README.md"


def test_synthetic_articles_are_reproducible_real_sentences(corpus: Corpus, tmp_path: Path) -> None:
    pool = corpus_sentences(corpus)
    first = write_articles(tmp_path / "a", pool, 40)
    again = write_articles(tmp_path / "b", pool, 40)
    assert [p.read_text() for p in first] == [p.read_text() for p in again]
    loaded = load_corpus([tmp_path / "a"])
    assert len(loaded.paragraphs) == 40 and not loaded.skipped  # cleaning keeps them all
    known = set(pool)
    assert all(s in known for p in loaded.paragraphs for s in sentences(p.text))


def test_sentence_mean_is_the_model_for_one_sentence(assistant: Assistant, corpus: Corpus) -> None:
    model = assistant.open().models.embedder
    mean = SentenceMean(model)
    one = corpus_sentences(corpus)[3]
    assert np.allclose(mean.passages([one])[0], model.passages([one])[0], atol=1e-5)
    two = " ".join(corpus_sentences(corpus)[3:5])
    vector = mean.passages([two])[0]
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)
    assert mean.name != model.name  # never shares a collection with real vectors


def test_percentiles_match_a_sorted_reference() -> None:
    seconds = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    result = percentiles(seconds)
    assert result == {"p50_ms": pytest.approx(50.5), "p95_ms": pytest.approx(95.05), "n": 100}


def test_the_readme_table_is_replaced_between_its_markers(tmp_path: Path) -> None:
    assert BEGIN in README.read_text() and END in README.read_text()
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{BEGIN}\nold\n{END}\nrest\n")
    update_readme(readme, "| new |\n")
    assert readme.read_text() == f"intro\n{BEGIN}\n| new |\n{END}\nrest\n"


@pytest.mark.parametrize("quick", [True, False])
def test_each_baseline_opens_an_index_a_scale_run_built(quick: bool) -> None:
    runs = plan(quick, whole=True, beyond=True)
    built = {r.label: r.args for r in runs if r.scenario == "scale" and not r.server}
    baselines = [r for r in runs if r.scenario == "baseline"]
    assert baselines and all(built[r.reuses] == r.args for r in baselines)
    assert [r.label for r in runs if r.profile] == ["whole SaudiNewsNet archive"]


@pytest.mark.parametrize("float_type", ["bf16", "fp32"])
def test_every_benchmark_child_embeds_with_the_float_type_chosen_once(
    float_type: str, tmp_path: Path
) -> None:
    env = environment(tmp_path / "home", float_type)
    settings = Settings.load(env=env)
    assert settings.index.embed_precision == float_type
    assert settings.index.home == tmp_path / "home"
