"""The LLM path against a real OpenAI-protocol server on loopback (tests/openai_server.py).

Client tests check the protocol and each failure; assistant tests check that
citations are verified, follow-ups keep their language, English questions get
an Arabic lexical query, and every failure still gives the extractive answer.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ARTICLES
from openai_server import FakeOpenAI, cite, fake_openai, passages_of

from assistant import Answer, Assistant, Settings
from assistant.models.llm import (
    BadResponse,
    ChatClient,
    EndpointRejected,
    EndpointUnreachable,
)
from assistant.settings import LLMConfig

pytestmark = pytest.mark.slow  # starts a server, an LLM or runs the question set

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
CUBA = "ما الذي سحبته روسيا من كوبا؟"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with fake_openai() as fake:
        yield fake


def client(server: FakeOpenAI, **changes: float | str) -> ChatClient:
    options = {"read_timeout": 2.0, "timeout": 10.0, **changes}
    return ChatClient(LLMConfig(server.base_url, "fake-model", **options))  # type: ignore[arg-type]


@pytest.fixture
def llm(assistant: Assistant, server: FakeOpenAI) -> Assistant:
    return assistant.derive(
        llm_base_url=server.base_url, llm_model="fake-model", llm_read_timeout=2.0, llm_timeout=10.0
    )


def events(a: Assistant, question: str, **kwargs: object) -> tuple[list[str], Answer]:
    stream = a.stream(question, **kwargs)  # type: ignore[arg-type]
    deltas = list(stream)
    answer = stream.answer()
    assert isinstance(answer, Answer) and all(isinstance(d, str) for d in deltas)
    return deltas, answer


# -- the client ------------------------------------------------------------------------


def test_streams_deltas_with_model_key_and_stream_flag(server: FakeOpenAI) -> None:
    server.behaviour.answer = lambda body: "Russia withdrew its base from Cuba [1]."
    c = ChatClient(LLMConfig(server.base_url, "fake-model", api_key="sk-secret-123"))
    deltas = list(c.stream(MESSAGES))
    assert len(deltas) > 5 and "".join(deltas) == "Russia withdrew its base from Cuba [1]."
    headers, body = server.requests[0]
    assert body["model"] == "fake-model" and body["stream"] is True
    assert body["messages"] == MESSAGES
    assert headers["Authorization"] == "Bearer sk-secret-123"
    assert "sk-secret" not in repr(c.endpoint)


def test_a_server_that_ignores_stream_and_sends_json_still_works(server: FakeOpenAI) -> None:
    server.behaviour.answer = lambda body: "plain"
    server.behaviour.plain_json = True
    assert client(server).complete(MESSAGES) == "plain"


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (401, EndpointRejected, "ASSISTANT_LLM_API_KEY"),
        (403, EndpointRejected, "ASSISTANT_LLM_API_KEY"),
        (404, EndpointRejected, "/v1"),
        (400, EndpointRejected, "400"),
        (500, EndpointUnreachable, "500"),
        (503, EndpointUnreachable, "503"),
        (429, EndpointUnreachable, "429"),
    ],
)
def test_error_statuses_become_clear_errors(
    server: FakeOpenAI, status: int, error: type[Exception], words: str
) -> None:
    server.behaviour.status = status
    c = client(server, attempts=2)
    with pytest.raises(error) as caught:
        list(c.stream(MESSAGES))
    assert words in caught.value.message and "fake failure" in caught.value.message
    retried = status in (429, 500, 503)
    assert len(server.requests) == (2 if retried else 1)


def test_a_wrong_path_is_a_404_that_names_the_base_url(server: FakeOpenAI) -> None:
    c = ChatClient(LLMConfig(server.base_url.removesuffix("/v1"), "fake-model"))
    with pytest.raises(EndpointRejected, match="usually ends in /v1"):
        c.complete(MESSAGES)


def test_transient_5xx_and_429_are_retried_then_succeed(server: FakeOpenAI) -> None:
    server.behaviour.status, server.behaviour.fail_times = 503, 2
    server.behaviour.answer = lambda body: "third time lucky"
    assert client(server, attempts=3).complete(MESSAGES) == "third time lucky"
    assert len(server.requests) == 3


def test_malformed_json_in_the_stream_is_a_bad_response(server: FakeOpenAI) -> None:
    server.behaviour.broken_json = True
    server.behaviour.answer = lambda body: "a long enough answer"
    with pytest.raises(BadResponse, match="invalid JSON"):
        client(server).complete(MESSAGES)


def test_a_stream_dropped_midway_is_reported_not_taken_as_complete(server: FakeOpenAI) -> None:
    server.behaviour.answer = lambda body: "the first half and the second half"
    server.behaviour.drop_after = 3
    with pytest.raises(EndpointUnreachable, match="dropped"):
        client(server).complete(MESSAGES)


def test_a_stalled_stream_gives_up_after_the_read_timeout(server: FakeOpenAI) -> None:
    server.behaviour.stall = 30.0
    started = time.perf_counter()
    with pytest.raises(EndpointUnreachable, match="silent"):
        client(server, read_timeout=1.0).complete(MESSAGES)
    assert time.perf_counter() - started < server.behaviour.stall  # did not wait it out


def test_an_unreachable_endpoint_is_retried_then_not_called_again_for_a_while() -> None:
    with fake_openai() as gone:
        c = client(gone, attempts=2)
    with pytest.raises(EndpointUnreachable, match="Cannot reach"):
        c.complete(MESSAGES)
    with pytest.raises(EndpointUnreachable, match="Cannot reach"):
        c.complete(MESSAGES)  # fails at once: no second round of retries


# -- answers through the assistant -----------------------------------------------------


def test_stream_yields_deltas_then_a_verified_cited_answer(
    llm: Assistant, server: FakeOpenAI
) -> None:
    deltas, answer = events(llm, CUBA)
    assert len(deltas) > 3
    assert answer.mode == "llm" and answer.answered and answer.dropped_markers == 0
    assert answer.text.endswith("[1]")
    (citation,) = answer.citations
    assert (citation.paragraph.article_id, citation.paragraph.number) == (ARTICLES["C"], 11)
    assert citation.quotes and citation.quotes[0] in citation.paragraph.text
    system, user = server.bodies("answer")[0]["messages"]
    assert "[n]" not in system["content"] and "لا تتضمن المقالات" in system["content"]
    assert CUBA in user["content"] and len(passages_of(server.bodies("answer")[0])) == 5


def test_invented_markers_are_dropped_and_counted(llm: Assistant, server: FakeOpenAI) -> None:
    server.behaviour.answer = lambda body: cite(2)(body) + " وقيل أيضاً إن ذلك مهم [9][12]."
    _, answer = events(llm, CUBA)
    assert answer.mode == "llm" and answer.dropped_markers == 2
    assert "[9]" not in answer.text and "[12]" not in answer.text
    assert [c.marker for c in answer.citations] == [1]  # passage 2 renumbered as [1]
    assert answer.citations[0].paragraph.number == answer.passages[1].paragraph.number


def test_an_answer_citing_only_missing_passages_falls_back_to_extractive(
    llm: Assistant, server: FakeOpenAI
) -> None:
    server.behaviour.answer = cite(99)
    _, answer = events(llm, CUBA)
    assert answer.mode == "extractive" and answer.dropped_markers == 1
    assert answer.notice and "cited none" in answer.notice
    assert answer.answered and answer.citations


def test_an_answer_with_no_markers_falls_back(llm: Assistant, server: FakeOpenAI) -> None:
    server.behaviour.answer = lambda body: "روسيا سحبت قاعدتها العسكرية من كوبا."
    _, answer = events(llm, CUBA)
    assert answer.mode == "extractive" and "extractive" in (answer.notice or "")


def test_the_model_declining_is_an_unanswered_answer(llm: Assistant, server: FakeOpenAI) -> None:
    server.behaviour.answer = lambda body: "The articles do not contain an answer to this question."
    _, answer = events(llm, "What is the capital of Australia?")
    assert answer.mode == "llm" and not answer.answered and not answer.citations


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 500},
        {"status": 429},
        {"status": 401},
        {"stall": 30.0},
        {"broken_json": True},
        {"drop_after": 3},
    ],
)
def test_every_fault_still_gives_the_extractive_answer_with_a_notice(
    llm: Assistant, server: FakeOpenAI, fault: dict[str, object]
) -> None:
    for name, value in fault.items():
        setattr(server.behaviour, name, value)
    started = time.perf_counter()
    _, answer = events(llm, CUBA)
    assert answer.mode == "extractive" and answer.answered
    assert answer.notice and "extractive answer instead" in answer.notice
    assert (ARTICLES["C"], 11) in {
        (c.paragraph.article_id, c.paragraph.number) for c in answer.citations
    }
    assert time.perf_counter() - started < llm.settings.llm.timeout  # within the timeout


def test_a_stopped_server_gives_the_extractive_answer(assistant: Assistant) -> None:
    with fake_openai() as gone:
        url = gone.base_url
    llm = assistant.derive(llm_base_url=url, llm_model="m", llm_timeout=10.0)
    _, answer = events(llm, CUBA)
    assert answer.mode == "extractive" and "Cannot reach" in (answer.notice or "")
    assert answer.citations[0].paragraph.number == 11


def test_an_arabic_follow_up_is_rewritten_in_arabic(llm: Assistant, server: FakeOpenAI) -> None:
    server.behaviour.condense = "ماذا قال السفير الروسي لدى واشنطن عن الهجمات؟"
    history = ["من هو السفير الروسي لدى واشنطن؟"]
    _, answer = events(llm, "وماذا قال عن الهجمات؟", history=history)
    assert answer.search_query == server.behaviour.condense
    (request,) = server.bodies("condense")
    assert "بالعربية" in request["messages"][0]["content"]  # the Arabic condense prompt
    assert history[0] in request["messages"][1]["content"]
    assert (ARTICLES["D"], 3) in {
        (p.paragraph.article_id, p.paragraph.number) for p in answer.passages
    }


def test_a_rewrite_that_switches_to_english_is_discarded(
    llm: Assistant, server: FakeOpenAI
) -> None:
    server.behaviour.condense = "What did the Russian ambassador say about the attacks?"
    history = ["من هو السفير الروسي لدى واشنطن؟"]
    _, answer = events(llm, "وماذا قال عن الهجمات؟", history=history)
    assert answer.search_query == f"{history[0]} وماذا قال عن الهجمات؟"  # the heuristic
    assert answer.language == "ar"


def test_an_english_question_searches_bm25_with_its_arabic_translation(
    llm: Assistant, server: FakeOpenAI, assistant: Assistant
) -> None:
    server.behaviour.translate = "ما الذي سحبته روسيا من كوبا؟"
    question = "What did Russia withdraw from Cuba?"
    _, answer = events(llm, question)
    assert server.bodies("translate")[0]["messages"][1]["content"] == question
    assert any(p.lexical is not None for p in answer.passages)  # BM25 took part
    query = llm.open().plan(question)  # the translation, weighted as an Arabic question
    assert (query.lexical_text, query.fusion_language) == (server.behaviour.translate, "ar")
    assert query.dense_text == question  # a fluent translation adds nothing for the embedder
    assert assistant.open().plan(question).fusion_language == "en"  # without the LLM: the gloss
    assert answer.language == "en" and answer.passages[0].paragraph.number == 11


def test_passage_text_cannot_close_the_fence(llm: Assistant, server: FakeOpenAI) -> None:
    events(llm, CUBA)
    user = server.bodies("answer")[0]["messages"][1]["content"]
    assert user.count("</passage>") == 5 and user.count("<passage ") == 5


def test_cli_ask_streams_a_cited_answer_from_the_endpoint(
    server: FakeOpenAI, settings: Settings, tmp_path: Path
) -> None:
    command = [
        sys.executable, "-m", "assistant.cli", "--home", str(settings.index.home), "ask",
        "--llm-base-url", server.base_url, "--llm-model", "fake-model", CUBA,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True).stdout
    assert "[1]" in out and f"{ARTICLES['C']} · ¶11" in out
    assert server.bodies("answer")


def test_settings_hide_the_api_key(tmp_path: Path) -> None:
    s = Settings.load(env={"ASSISTANT_LLM_API_KEY": "sk-hidden", "HOME": str(tmp_path)})
    assert s.llm.api_key == "sk-hidden" and "sk-hidden" not in repr(s)
