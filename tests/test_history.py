"""The web chat's conversation record: which reply a 👍 belongs to, follow-ups, and what
the browser keeps (newest first, at most `KEPT`, unreadable entries left out)."""

from __future__ import annotations

from assistant import Assistant
from assistant.export import answer_record
from ui.history import KEPT, Conversation, choices, failed, find, saved, stored


def _asked(conversation: Conversation, assistant: Assistant, question: str) -> Conversation:
    record = answer_record(assistant.ask(question, history=conversation.questions))
    shown = [
        *conversation.messages,
        {"role": "user", "content": question},
        {"role": "assistant", "content": record["text"]},
    ]
    return conversation.with_reply(shown, record)


def test_each_reply_finds_its_own_record(assistant: Assistant) -> None:
    conversation = _asked(Conversation.new(), assistant, "من هو السفير الروسي لدى واشنطن؟")
    shown = [*conversation.messages, {"role": "user", "content": "  "}]
    error = failed("  ", "en", "Please type a question.")
    conversation = conversation.with_reply([*shown, {"role": "assistant", "content": "x"}], error)
    conversation = _asked(conversation, assistant, "وماذا قال عن الهجمات؟")
    assert conversation.record_at(0) is None  # a question has no record
    assert conversation.record_at(1) == conversation.records[0]
    assert conversation.record_at(3) == error
    assert conversation.record_at(5) == conversation.records[2]
    assert conversation.record_at(6) is None
    assert conversation.questions == ["من هو السفير الروسي لدى واشنطن؟", "وماذا قال عن الهجمات؟"]
    assert conversation.title == "من هو السفير الروسي لدى واشنطن؟"


def test_the_browser_keeps_the_newest_conversations_first(assistant: Assistant) -> None:
    history: dict[str, list[dict[str, object]]] = {"conversations": []}
    first = _asked(Conversation.new(), assistant, "ما الذي سحبته روسيا من كوبا؟")
    history = saved(history, first)
    second = _asked(Conversation.new(), assistant, "Who did Wendy Sherman meet in Geneva?")
    history = saved(history, second)
    again = _asked(first, assistant, "ومتى؟")
    history = saved(history, again)
    assert [c.id for c in stored(history)] == [first.id, second.id]
    assert find(history, first.id) == again
    assert [label for label, _ in choices(history)][1].endswith(
        "Who did Wendy Sherman meet in Geneva?"
    )
    history = saved({"conversations": [{"id": "old layout"}, *history["conversations"]]}, first)
    assert [c.id for c in stored(history)] == [first.id, second.id]
    for _ in range(KEPT + 3):
        history = saved(history, _asked(Conversation.new(), assistant, "ومتى؟"))
    assert len(stored(history)) == KEPT
    assert saved({"conversations": []}, Conversation.new()) == {"conversations": []}
