"""The `Assistant` contract, on the real index (Chroma + e5-small) of the shipped corpus."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from assistant import Answer, Assistant, InvalidQuestion, Settings
from assistant.answer.extractive import SentenceVectors, rank_evidence
from assistant.settings import DEFAULT_CORPUS
from assistant.types import Query
from tests.conftest import ARTICLES

CUBA_AR = "ما الذي سحبته روسيا من كوبا؟"


def markers(text: str) -> list[int]:
    return [int(m) for m in re.findall(r"\[(\d+)\]", text)]


def assert_well_cited(answer: Answer) -> None:
    """Every marker resolves to a citation, every citation is used and was retrieved."""
    used = markers(answer.text)
    assert sorted(set(used)) == [c.marker for c in answer.citations]
    retrieved = {p.key for p in answer.passages}
    for c in answer.citations:
        assert f"{c.paragraph.article_id}#{c.paragraph.number}" in retrieved
        for quote in c.quotes:
            assert quote in c.paragraph.text and quote in answer.text


def test_arabic_question_is_answered_with_the_right_paragraph(assistant: Assistant) -> None:
    answer = assistant.ask(CUBA_AR)
    assert answer.answered and answer.language == "ar" and answer.mode == "extractive"
    first = answer.citations[0]
    assert (first.marker, first.paragraph.article_id, first.paragraph.number) == (
        1,
        ARTICLES["C"],
        11,
    )
    assert "قاعدتها العسكرية من كوبا" in answer.text
    assert first.paragraph.title.startswith("موسكو مستعدة")
    assert first.paragraph.text == assistant.open().index.paragraphs[f"{ARTICLES['C']}#11"].text
    assert answer.text.startswith("بحسب")
    assert_well_cited(answer)


def test_english_question_gets_english_framing_and_verbatim_evidence(assistant: Assistant) -> None:
    answer = assistant.ask("What did Russia withdraw from Cuba?")
    assert answer.answered and answer.language == "en"
    # where the evidence is, what the quote matched, and no claim of a translation
    assert answer.text.startswith("Found in 1 paragraph of 1 article.")
    assert "not translations" in answer.text.splitlines()[0]
    assert "cuba ↔ كوبا" in answer.text
    assert (answer.citations[0].paragraph.article_id, answer.citations[0].paragraph.number) == (
        ARTICLES["C"],
        11,
    )
    assert answer.notice and "LLM" in answer.notice
    assert_well_cited(answer)


@pytest.mark.parametrize(
    ("question", "article", "paragraph"),
    [
        ("Who is the Russian ambassador to the United States?", "D", 3),
        ("Who is the spokeswoman of the Russian foreign ministry?", "D", 5),
    ],
)
def test_english_evidence_is_chosen_with_the_arabic_words_it_was_searched_with(
    assistant: Assistant, question: str, article: str, paragraph: int
) -> None:
    """Sentences are Arabic: the English words share none, the dictionary gloss does.

    On the same passages, the best sentence comes from the right paragraph when
    the gloss's words count and from another one when only the cosine does;
    the support that decides refusal is the same either way.
    """
    query = assistant.open().plan(question)
    assert query.lexical_text != query.text  # glossed into Arabic
    vector = assistant.open().models.embedder.query(query.text)
    passages = assistant.search(query)
    sentences = SentenceVectors(assistant.open().models.embedder)

    def best(q: Query) -> tuple[tuple[str, int], float]:
        ranked = rank_evidence(
            q, vector, passages, sentences, assistant.settings.extractive.lexical_bonus
        )
        top = ranked[0].passage
        return (top.paragraph.article_id, top.paragraph.number), max(e.support for e in ranked)

    right = (ARTICLES[article], paragraph)
    (glossed, support), (unglossed, unglossed_support) = (
        best(query),
        best(dataclasses.replace(query, lexical_text=query.text)),
    )
    assert glossed == right and unglossed != right
    assert support == unglossed_support
    answer = assistant.ask(question)
    assert (answer.citations[0].paragraph.article_id, answer.citations[0].paragraph.number) == right
    assert_well_cited(answer)


@pytest.mark.parametrize(
    ("question", "letter", "number", "quoted"),
    [
        # «مناقشتها» stems to مناقشت, «مناقشة» to مناقشه: matched by their first five
        # letters, the sentence on what Moscow hopes to discuss comes first.
        (
            "ما المسائل التي تأمل موسكو مناقشتها مع واشنطن بعد قمة جنيف؟",
            "C",
            10,
            "مناقشة المسائل المتعلقة بالأمن الدولي",
        ),
        # «ثلاث مراحل» answers it; «1000 من عسكرييها», one paragraph earlier, does not.
        ("كم مرحلة تشمل التدريبات المشتركة لروسيا وطاجاكستان وأوزبكستان؟", "D", 14, "ثلاث مراحل"),
    ],
    ids=["pronoun-after-ta-marbuta", "how-many-stages-not-troops"],
)
def test_the_sentence_that_answers_is_quoted_first(
    assistant: Assistant, question: str, letter: str, number: int, quoted: str
) -> None:
    answer = assistant.ask(question)
    first = answer.citations[0]
    assert (first.paragraph.article_id, first.paragraph.number) == (ARTICLES[letter], number)
    assert quoted in first.quotes[0]
    assert_well_cited(answer)


def test_a_number_spelled_out_answers_a_how_many_question(assistant: Assistant) -> None:
    """The answer is «مئتي شخص»; a sentence about 1000 troops elsewhere is not."""
    answer = assistant.ask("كم عدد الذين أصيبوا بمتلازمة هافانا؟")
    assert answer.answered and "مئتَيْ شخص" in answer.text
    assert (answer.citations[0].paragraph.article_id, answer.citations[0].paragraph.number) == (
        ARTICLES["B"],
        11,
    )
    assert "1000" not in answer.text
    assert_well_cited(answer)


@pytest.mark.parametrize(
    ("question", "language", "sentence"),
    [
        ("ما هي عاصمة فرنسا؟", "ar", "لا تتضمن المقالات"),
        ("What is the capital of France?", "en", "do not contain"),
    ],
)
def test_questions_outside_the_articles_are_declined(
    assistant: Assistant, question: str, language: str, sentence: str
) -> None:
    answer = assistant.ask(question)
    assert not answer.answered and answer.language == language
    assert sentence in answer.text and answer.citations == ()
    assert markers(answer.text) == []


def test_search_returns_ranked_passages(assistant: Assistant) -> None:
    passages = assistant.search("السفير الروسي لدى الولايات المتحدة", k=5)
    assert len(passages) == 5
    assert (passages[0].paragraph.article_id, passages[0].paragraph.number) == (ARTICLES["D"], 3)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    for p in passages:
        assert p.paragraph.title and p.paragraph.text and p.paragraph.number >= 1


def test_follow_up_uses_the_history(assistant: Assistant) -> None:
    answer = assistant.ask("وماذا قال عن الهجمات؟", history=["من هو السفير الروسي لدى واشنطن؟"])
    assert answer.language == "ar" and answer.question == "وماذا قال عن الهجمات؟"
    assert (answer.citations[0].paragraph.article_id, answer.citations[0].paragraph.number) == (
        ARTICLES["D"],
        3,
    )
    pairs = [("من هو السفير الروسي لدى واشنطن؟", "…")]
    assert assistant.ask("وماذا قال عن الهجمات؟", history=pairs).citations == answer.citations


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("\u200b\u202e\u2066", "empty"),
        ("؟!…", "no words"),
        ("x" * 100_000, "100,000 characters"),
        (None, "must be text"),
    ],
)
def test_bad_questions_get_one_clear_error(
    assistant: Assistant, question: object, message: str
) -> None:
    with pytest.raises(InvalidQuestion, match=message):
        assistant.ask(question)  # type: ignore[arg-type]


def test_control_and_bidi_characters_are_ignored(assistant: Assistant) -> None:
    noisy = "\u202bما الذي\x00 سحبته\u200f روسيا من\x07 كوبا؟\u202c"
    assert assistant.ask(noisy).citations == assistant.ask(CUBA_AR).citations


def test_malformed_history_is_refused(assistant: Assistant) -> None:
    with pytest.raises(InvalidQuestion, match="history"):
        assistant.ask("وماذا قال؟", history="not a list")  # type: ignore[arg-type]
    with pytest.raises(InvalidQuestion, match="history turn"):
        assistant.ask("وماذا قال؟", history=[42])


def test_ingest_adds_articles_and_reindexes_only_what_changed(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    first = Assistant(fresh_settings)
    report = first.ingest()
    assert (report.articles, report.paragraphs, report.embedded) == (5, 63, 63 + 58)  # + windows

    new = tmp_path / "incoming"
    new.mkdir()
    (new / "100_new.txt").write_text(
        "عنوان خبر جديد\n\nأعلنت وزارة الزراعة أن محصول القمح هذا العام بلغ ثلاثة ملايين طن، "
        "وهو رقم قياسي لم يسجل منذ عشر سنوات بحسب البيان الرسمي الصادر صباح اليوم.\n",
        encoding="utf-8",
    )
    (new / "101_broken.txt").write_bytes("خبر".encode("cp1256"))
    refused = first.ingest([new / "101_broken.txt"])  # skipped and named, never copied
    ((path, reason),) = refused.skipped
    assert path.endswith("101_broken.txt") and "not UTF-8" in reason
    assert (
        refused.articles == 5 and not (fresh_settings.index.user_corpus / "101_broken.txt").exists()
    )
    report = first.ingest([new / "100_new.txt"])
    assert (report.articles, report.embedded) == (6, 1)  # one paragraph: no window yet

    again = Assistant(fresh_settings)  # a new process reopens without re-embedding
    assert again.open().index.report.embedded == 0
    answer = again.ask("كم بلغ محصول القمح هذا العام؟")
    assert answer.answered and answer.citations[0].paragraph.article_id == "100_new"

    copy = fresh_settings.index.user_corpus / "100_new.txt"
    copy.write_text(
        copy.read_text(encoding="utf-8") + "\nوأضاف البيان أن التصدير سيبدأ الشهر المقبل.\n"
    )
    report = Assistant(fresh_settings).ingest()
    assert (report.embedded, report.removed) == (2, 1)  # the new paragraph, and its window
    copy.unlink()
    report = Assistant(fresh_settings).ingest()
    assert (report.articles, report.removed, report.embedded) == (5, 1, 0)
    index = Assistant(fresh_settings).open().index  # unused vectors deleted
    assert (index.store.count(), index.windows.store.count()) == (63, 58)


def test_a_corpus_folder_with_bad_files_still_indexes_the_rest(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(DEFAULT_CORPUS / f"{ARTICLES['D']}.txt", folder)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    assistant = Assistant(fresh_settings.replace(corpus=(folder,)))
    report = assistant.ingest()
    assert report.articles == 1 and report.paragraphs == 17
    assert {Path(p).name for p, _ in report.skipped} == {"empty.txt", "binary.txt"}
    assert assistant.ask("من هو السفير الروسي لدى الولايات المتحدة؟").answered
