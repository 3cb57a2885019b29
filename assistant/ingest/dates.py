"""Publication dates as archives write them, parsed into one type (`datetime.date`).

Accepted: ISO 8601 (`2015-08-03`, `2015-08-03T20:54:51+03:00`), the scrapers'
`2015-08-03 20:54:51`, RFC 2822 (`Mon, 03 Aug 2015 20:54:51 +0300`), and a day,
month name and year in Arabic or English (`3 أغسطس 2015`, `الاثنين 3 آب 2015`,
`03 غشت 2015`, `August 3, 2015`), in Western or Arabic-Indic digits. Both
families of Arabic month names are known: the Levantine and Iraqi (كانون
الثاني، شباط، آذار … حزيران) and the Egyptian and Maghreb ones taken from the
Latin (يناير، فبراير … يونيو/يونيه … أغسطس/غشت … نوفمبر/نونبر).

Only the date is kept: it is what a citation shows and what filters compare.
A date outside `EARLIEST`..`LATEST` is a crawler's error, not a publication
date, and is refused like text that is not a date at all.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

EARLIEST = date(1800, 1, 1)
LATEST = date(2100, 12, 31)

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Each month's names: Egyptian/Maghreb (from the Latin), Levantine/Iraqi, English.
_NAMES = (
    "يناير ينير جانفي كانون_الثاني january jan",
    "فبراير فبرير فيفري شباط february feb",
    "مارس آذار اذار march mar",
    "أبريل ابريل إبريل أفريل نيسان april apr",
    "مايو ماي أيار ايار may",
    "يونيو يونيه جوان حزيران june jun",
    "يوليو يوليه يوليوز جويلية تموز july jul",
    "أغسطس اغسطس غشت أوت آب اب august aug",
    "سبتمبر شتنبر أيلول ايلول september sep sept",
    "أكتوبر اكتوبر تشرين_الأول تشرين_الاول october oct",
    "نوفمبر نونبر تشرين_الثاني november nov",
    "ديسمبر دجنبر كانون_الأول كانون_الاول december dec",
)
_MONTHS = {
    name.replace("_", " "): number
    for number, names in enumerate(_NAMES, start=1)
    for name in names.split()
}
# Longest names first, so «كانون الثاني» is not read as a shorter name.
_MONTH_NAME = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?({_MONTH_NAME})[\s,،]*(?:سنة\s+|عام\s+)?(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_NAME})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_SLASHED = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")


class DateError(ValueError):
    """Text that does not hold a plausible publication date; the message says why."""


def month_number(name: str) -> int | None:
    return _MONTHS.get(" ".join(name.casefold().split()))


def parse_date(text: str) -> date:
    """The date `text` names; DateError when it names none or an implausible one."""
    cleaned = " ".join(text.translate(_DIGITS).split())
    if not cleaned:
        raise DateError("empty date")
    found = _iso(cleaned) or _rfc2822(cleaned) or _named(cleaned) or _slashed(cleaned)
    if found is None:
        raise DateError(f"{text.strip()[:40]!r} is not a date this assistant can read")
    if not EARLIEST <= found <= LATEST:
        raise DateError(f"{found.isoformat()} is not a plausible publication date")
    return found


def _checked(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso(text: str) -> date | None:
    match = _ISO.match(text)
    if match is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return _checked(int(match[1]), int(match[2]), int(match[3]))


def _rfc2822(text: str) -> date | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError):
        return None


def _named(text: str) -> date | None:
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        month = month_number(match[2])
        return _checked(int(match[3]), month, int(match[1])) if month else None
    match = _MONTH_DAY_YEAR.search(text)
    if match:
        month = month_number(match[1])
        return _checked(int(match[3]), month, int(match[2])) if month else None
    return None


def _slashed(text: str) -> date | None:
    """Day first (03/08/2015), as Arabic and European pages write it."""
    match = _SLASHED.search(text)
    return _checked(int(match[3]), int(match[2]), int(match[1])) if match else None


def mentions_date(text: str) -> bool:
    """Whether a line of text holds a date (bylines and datelines do)."""
    cleaned = text.translate(_DIGITS)
    return bool(
        _ISO.search(cleaned)
        or _DAY_MONTH_YEAR.search(cleaned)
        or _MONTH_DAY_YEAR.search(cleaned)
        or _SLASHED.search(cleaned)
    )
