"""Publication dates as archives and pages write them, into one type."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.ingest.dates import DateError, mentions_date, parse_date

AUG_3 = date(2015, 8, 3)


@pytest.mark.parametrize(
    "text",
    [
        "2015-08-03",
        "2015-08-03 20:54:51",  # SaudiNewsNet's date_extracted
        "2015-08-03T20:54:51+03:00",
        "2015-08-03T17:54:51Z",
        "2015-08-03T20:54:51.123",
        "Mon, 03 Aug 2015 20:54:51 +0300",  # RFC 2822
        "3 Aug 2015 20:54:51 GMT",
        "August 3, 2015",
        "3 August 2015",
        "٣ أغسطس ٢٠١٥",  # Arabic-Indic digits
        "الاثنين 3 أغسطس 2015 - 10:30 ص",
        "3 آب 2015",  # Levantine
        "3 غشت 2015",  # Maghreb
        "03/08/2015",  # day first
    ],
)
def test_each_form_gives_the_same_date(text: str) -> None:
    assert parse_date(text) == AUG_3


@pytest.mark.parametrize(
    ("levantine", "latin", "month"),
    [
        ("كانون الثاني", "يناير", 1),
        ("شباط", "فبراير", 2),
        ("آذار", "مارس", 3),
        ("نيسان", "أبريل", 4),
        ("أيار", "مايو", 5),
        ("حزيران", "يونيه", 6),
        ("تموز", "يوليو", 7),
        ("آب", "غشت", 8),
        ("أيلول", "سبتمبر", 9),
        ("تشرين الأول", "أكتوبر", 10),
        ("تشرين الثاني", "نونبر", 11),
        ("كانون الأول", "دجنبر", 12),
    ],
)
def test_both_families_of_arabic_month_names(levantine: str, latin: str, month: int) -> None:
    assert parse_date(f"14 {levantine} 2024") == date(2024, month, 14)
    assert parse_date(f"14 {latin} 2024") == date(2024, month, 14)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("3000-01-01", "not a plausible publication date"),
        ("1700-05-05", "not a plausible publication date"),
        ("2015-02-30", "not a date"),
        ("yesterday", "not a date"),
        ("   ", "empty"),
    ],
)
def test_an_impossible_or_unreadable_date_is_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(text)


def test_a_line_holding_a_date_is_recognised() -> None:
    assert mentions_date("كتبت: سارة أحمد 14 مارس 2024")
    assert not mentions_date("قال الوزير إن المحادثات مستمرة")
