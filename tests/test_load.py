"""Many users at once: 20 chat sessions through the real Gradio server, and ingest
running while questions are answered. Bounded in count and time, loopback only."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
OUT = Path(__file__).resolve().parent.parent / "out"


def _essentials(result: dict) -> tuple:
    return result["text"], result["answered"], json.dumps(result["citations"], sort_keys=True)


def test_twenty_concurrent_sessions_get_the_single_user_answers(ui_server: Server) -> None:
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
    OUT.mkdir(exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(figures, indent=1))
    server_log = ui_server.log.read_text(errors="replace")
    assert not any(q in server_log for q in QUESTIONS)  # questions are not logged


def test_ingest_while_answering_keeps_the_index_whole(fresh_settings: Settings) -> None:
    assistant = Assistant(fresh_settings)
    question = QUESTIONS[0]
    reference = assistant.ask(question)
    errors: list[Exception] = []
    answers = []
    done = threading.Event()

    def ask_until_done() -> None:
        while not done.is_set() or len(answers) < 20:
            try:
                answers.append(assistant.ask(question))
            except Exception as exc:  # collected: the test fails on any
                errors.append(exc)

    askers = [threading.Thread(target=ask_until_done) for _ in range(2)]
    for t in askers:
        t.start()
    article = Path(__file__).parent / "data" / "injection_article.txt"
    report = assistant.ingest([article])
    done.set()
    for t in askers:
        t.join(timeout=300)

    assert errors == []
    assert all((a.text, a.citations) == (reference.text, reference.citations) for a in answers)
    assert report.articles == 6 and report.paragraphs == 68
    assert assistant.index.store.count() == 68 == len(assistant.index.paragraphs)
    reopened = Assistant(fresh_settings).index.report  # a new process would see the same
    assert (reopened.paragraphs, reopened.embedded) == (68, 0)
    assert ARTICLES["C"] in {p.article_id for p in assistant.search(question)}
