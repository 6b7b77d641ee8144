import re
import unicodedata


def slugify(text: str) -> str:
    """A URL-safe name: 'Abby Kelley Foster Charter Public (District)' -> 'abby-kelley-foster-charter-public-district'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
