import re
import unicodedata
from datetime import date
from decimal import Decimal


def slugify(text: str) -> str:
    """A URL-safe name: 'Abby Kelley Foster Charter Public (District)' -> 'abby-kelley-foster-charter-public-district'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# Nouns whose plural is not the noun and an "s".
IRREGULAR = {"person": "people", "activity": "activities", "priority": "priorities", "strategy": "strategies",
             "entry": "entries", "inquiry": "inquiries", "county": "counties", "city": "cities", "match": "matches"}


def plural(count, noun: str, many: str | None = None) -> str:
    """A count with its noun: (1, 'action') -> '1 action', (3, 'action') -> '3 actions', (2, 'person') -> '2 people'.

    Templates: `{{ n|plural("visit") }}`; thousands are grouped (1,250 schools). Only exactly 1 is singular."""
    word = noun if count == 1 else (many or IRREGULAR.get(noun) or noun + "s")
    shown = f"{count:,}" if isinstance(count, int) else str(count)
    return f"{shown} {word}"


def duration_in_words(seconds: int) -> str:
    """The largest whole unit: 604800 -> '7 days', 3600 -> '1 hour', 900 -> '15 minutes'."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            return plural(seconds // size, unit)
    return plural(seconds, "second")


def rate_in_words(limit: str, what: str = "attempt") -> tuple[str, str] | None:
    """A rate limit as people say it, and the window to wait: '10 per 1 minute' or '10/minute' ->
    ('10 sign-ins a minute', 'a minute') with what='sign-in'; '3 per 2 hours' -> ('3 attempts every 2 hours',
    '2 hours'); None for words it does not know."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:per|/)\s*(\d+)?\s*(second|minute|hour|day)s?\s*", limit)
    if not match:
        return None
    count, every, unit = int(match[1]), int(match[2] or 1), match[3]
    window = ("an " if unit == "hour" else "a ") + unit if every == 1 else plural(every, unit)
    return f"{plural(count, what)} {window if every == 1 else 'every ' + window}", window


def day(value: date) -> str:
    """A date as people here write it: date(2026, 11, 4) -> '4 Nov 2026'. Templates: `{{ visit.visited_on|day }}`."""
    return f"{value.day} {value:%b %Y}"


def dollars(cents: int | None) -> str:
    """Integer cents as dollars: 850050 -> '$8,500.50'; None -> '—'. Templates: `{{ action.spent_cents|dollars }}`."""
    return "—" if cents is None else f"${Decimal(cents) / 100:,.2f}"
