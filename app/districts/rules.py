"""The rules for a school's fields, once: the district's school form, the import and /admin apply them."""
import re

from app.districts.models import GRADES

NAME_MAX_LENGTH = 200
CODE_MAX_LENGTH = 20
CODE_PATTERN = r"^[A-Za-z0-9-]+$"
CODE_MESSAGE = "Letters, digits and hyphens only."
# No school is anywhere near 20,000 pupils: the upper bound catches a slipped digit.
ENROLLMENT_MIN, ENROLLMENT_MAX = 0, 20000
ENROLLMENT_MESSAGE = f"Use a whole number of pupils from {ENROLLMENT_MIN} to {ENROLLMENT_MAX:,}."
GRADE_SPAN_MESSAGE = "Use a span of grades from lowest to highest, such as PK-5, 6-8 or 9-12."


def is_grade_span(text: str) -> bool:
    """Whether `text` reads lowest-highest in GRADES order, such as "PK-5" (case and spaces aside)."""
    low, _, high = grade_span(text or "").partition("-")
    return low in GRADES and high in GRADES and GRADES.index(low) <= GRADES.index(high)


def school_code(text: str) -> str:
    """A school code as stored: without spaces, upper-case."""
    return re.sub(r"\s+", "", text).upper()


def grade_span(text: str) -> str:
    """A grade span as stored: "pk - 5" is "PK-5"."""
    return text.upper().replace(" ", "")
