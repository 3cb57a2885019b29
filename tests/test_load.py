"""Many users at once: 20 chat sessions through the real Gradio server, and ingest
running while questions are answered. Bounded in count and time, loopback only."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ARTICLES, Server
from gradio_client import Client

from assistant import Assistant, Settings
from evals.metrics import percentile

SESSIONS, PER_SESSION = 20, 10
QUESTIONS = [
    "ما الذي سحبته روسيا من كوبا؟",
    "من هو السفير الروسي لدى الولايات المتحدة؟",
    "كم دولة وافقت على القرار الروسي الأميركي المشترك بشأن الأمن السيبراني؟",
    "من هو وزير الدفاع الطاجيكي؟",
    "ما هي متلازمة هافانا؟",
    "Who did Wendy Sherman meet in Geneva?",
    "How many Russian soldiers are being sent to Tajikistan for the drills?",
    "Who is the spokeswoman of the Russian foreign ministry?",
    "What is the capital of France?",
    "What did Blinken ask Lavrov to do?",
]


def _essentials(result: dict) -> tuple:
    return result["text"], result["answered"], json.dumps(result["citations"], sort_keys=True)


@pytest.mark.slow
def test_twenty_concurrent_sessions_get_the_single_user_answers(
    ui_server: Server, tmp_path: Path
) -> None:
    single = Client(ui_server.url, verbose=False)
    expected = {q: _essentials(single.predict(q, [], api_name="/chat")) for q in QUESTIONS}

    def session(n: int) -> list[tuple[str, dict, float]]:
        client = Client(ui_server.url, verbose=False)
        asked = []
        for i in range(PER_SESSION):
            question = QUESTIONS[(n + i) % len(QUESTIONS)]
            started = time.perf_counter()
            result = client.predict(question, [], api_name="/chat")
            asked.append((question, result, time.perf_counter() - started))
        return asked

    with ThreadPoolExecutor(SESSIONS) as pool:
        futures = [pool.submit(session, n) for n in range(SESSIONS)]
        results = [item for f in futures for item in f.result(timeout=900)]

    assert len(results) == SESSIONS * PER_SESSION
    assert [r for _, r, _ in results if "error" in r] == []
    assert all(_essentials(r) == expected[q] for q, r, _ in results)
    latencies = [s * 1000 for _, _, s in results]
    figures = {
        "questions": len(results),
        "sessions": SESSIONS,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
    }
    (tmp_path / "load.json").write_text(json.dumps(figures, indent=1))
    server_log = ui_server.log.read_text(errors="replace")
    assert not any(q in server_log for q in QUESTIONS)  # questions are not logged


def test_questions_are_answered_while_an_ingest_runs(fresh_settings: Settings) -> None:
    """The ingest waits, midway through embedding, until questions asked after it
    began have been answered: if questions waited for the ingest, it never would."""
    assistant = Assistant(fresh_settings)
    question = QUESTIONS[0]
    reference = assistant.ask(question)
    errors: list[Exception] = []
    answers = []
    ingesting, answered_meanwhile, done = threading.Event(), threading.Event(), threading.Event()

    def ask_until_done() -> None:
        while not done.is_set() or len(answers) < 20:
            try:
                started_during = ingesting.is_set()
                answers.append(assistant.ask(question))
                if started_during and len(answers) >= 5:
                    answered_meanwhile.set()
            except Exception as exc:  # collected: the test fails on any
                errors.append(exc)

    def progress(done_texts: int, total: int) -> None:
        ingesting.set()
        assert answered_meanwhile.wait(timeout=120), "no question was answered during the ingest"

    askers = [threading.Thread(target=ask_until_done) for _ in range(2)]
    for t in askers:
        t.start()
    article = Path(__file__).parent / "data" / "injection_article.txt"
    try:
        report = assistant.ingest([article], progress)
    finally:
        done.set()
        for t in askers:
            t.join(timeout=300)

    assert errors == []
    assert answered_meanwhile.is_set()
    assert all((a.text, a.citations) == (reference.text, reference.citations) for a in answers)
    assert report.articles == 6 and report.paragraphs == 68
    index = assistant.open().index
    assert index.store.count() == 68 == len(index.paragraphs)
    reopened = Assistant(fresh_settings).open().index.report  # a new process would see the same
    assert (reopened.paragraphs, reopened.embedded) == (68, 0)
    assert ARTICLES["C"] in {p.paragraph.article_id for p in assistant.search(question)}
