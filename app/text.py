import re
import unicodedata
from datetime import date
from decimal import Decimal


def slugify(text: str) -> str:
    """A URL-safe name: 'Abby Kelley Foster Charter Public (District)' -> 'abby-kelley-foster-charter-public-district'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def duration_in_words(seconds: int) -> str:
    """The largest whole unit: 604800 -> '7 days', 3600 -> '1 hour', 900 -> '15 minutes'."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


def day(value: date) -> str:
    """A date as people here write it: date(2026, 11, 4) -> '4 Nov 2026'. Templates: `{{ visit.visited_on|day }}`."""
    return f"{value.day} {value:%b %Y}"


def dollars(cents: int | None) -> str:
    """Integer cents as dollars: 850050 -> '$8,500.50'; None -> '—'. Templates: `{{ action.spent_cents|dollars }}`."""
    return "—" if cents is None else f"${Decimal(cents) / 100:,.2f}"
