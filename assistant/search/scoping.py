"""Turning the filters a user gives (outlet names, dates as text) into a `Scope`.

Outlets are matched by name or archive id, whatever the case (`okaz`, `Okaz`);
one the archive does not hold is an error that lists those it does, rather
than a filter that silently admits nothing. Dates are read like the archive's
own (`dates.parse_date`). Messages follow the question's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from assistant.errors import InvalidQuestion
from assistant.ingest.dates import DateError, parse_date
from assistant.ingest.records import outlet_name
from assistant.prompts import load_prompt
from assistant.types import Language, Scope, outlet_key

DateLike = date | str | None


def make_scope(
    outlets: Iterable[str],
    since: DateLike,
    until: DateLike,
    known: Sequence[str],
    language: Language = "en",
) -> Scope:
    """The scope named by the filters, `known` the archive's outlets; InvalidQuestion
    saying what to fix."""
    words = load_prompt("filters", language)
    known_keys = {outlet_key(name) for name in known}
    keys = frozenset(_outlet(name, known, known_keys, words) for name in outlets if name.strip())
    first, last = (
        _date(value, field, words) for value, field in ((since, "since"), (until, "until"))
    )
    if first and last and last < first:
        raise InvalidQuestion(words["reversed"].format(since=first, until=last))
    return Scope(keys, first, last)


def _outlet(name: str, known: Sequence[str], keys: set[str], words: dict[str, str]) -> str:
    key = outlet_key(outlet_name(name))
    if key in keys:
        return key
    if not known:
        raise InvalidQuestion(words["no_outlets"])
    listed = ", ".join(sorted(set(known)))
    raise InvalidQuestion(words["unknown_outlet"].format(outlet=name, known=listed))


def _date(value: DateLike, field: str, words: dict[str, str]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        return parse_date(value)
    except DateError as exc:
        raise InvalidQuestion(
            words["bad_date"].format(field=field, value=value, reason=exc)
        ) from exc
