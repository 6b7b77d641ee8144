"""Field types shared by every schema (forms, imports, the API): what a person would type, nothing else.

One definition of each kind of value, so that no schema can let through what the
database cannot store (NUL, lone surrogates, a number beyond its column) or
quietly change what was typed (30.5 minutes stored as 30, "1e3" dollars as
$1,000.00, 12.345 rounded to 12.35). Each refusal is a ValidationError with a
message for the field, which forms show beside it and the API sends as 422.

Limits on request shape (lists, nesting) are here too, documented in the README.
"""
import re
from datetime import date
from decimal import Decimal, localcontext

from marshmallow import ValidationError, fields, validate

# Column ranges: ids are BIGINT, counts and amounts of minutes or hours INTEGER, cents BIGINT.
LARGEST_ID = 2**63 - 1
LARGEST_INTEGER = 2**31 - 1
# The longest list one request may carry (observations of a visit, ratings, supports); more is not a visit.
MAX_LIST_LENGTH = 100
# Dates the platform keeps: a plan, a visit or a contract outside these is a typing slip.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# The last page a list offers: page x rows per page must stay an OFFSET PostgreSQL takes.
MAX_PAGE = 100_000
# 100 million dollars: more is a typing slip.
MAX_CENTS = 10_000_000_000

# Beyond 2^53 a JSON number read as a float is no longer the number that was written.
_EXACT_FLOAT = 2**53
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_WHOLE = re.compile(r"[+-]?\d+", re.ASCII)
_PLAIN_DECIMAL_DIGITS = 40  # characters of a plain decimal as typed, sign and point included
_PLAIN_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
# "12500", "12,500", "$12,500.00", "0.5": digits grouped by thousands or not, at most cents.
# "-5" or "12.345": a number, but not an amount of money (negative, or fractions of a cent).
_SIGNED_OR_FINE = re.compile(r"-\$?\s*[\d,]*(\.\d*)?|\$?\s*[\d,]*\.\d{3,}", re.ASCII)
_DOLLARS = re.compile(r"\$?\s*(?P<whole>\d{1,3}(,\d{3})+|\d+)?(\.(?P<cents>\d{1,2}))?", re.ASCII)


def unstorable_character(text: str) -> str | None:
    """A description of the first character PostgreSQL cannot store as text, or None if there is none."""
    match = _UNSTORABLE.search(text)
    if match is None:
        return None
    return "a NUL character" if match.group() == "\x00" else "an invalid character (a lone surrogate)"


class Text(fields.String):
    """Text that can be stored: no NUL, no lone surrogate; a required one is more than spaces.

    `max_length` (characters) is checked too. Raises ValidationError with a message for the field.
    """

    def __init__(self, *, max_length: int | None = None, **kwargs):
        if max_length is not None:
            kwargs["validate"] = [validate.Length(max=max_length, error=f"At most {max_length} characters."),
                                  *_as_list(kwargs.get("validate"))]
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = unstorable_character(text)
        if problem:
            raise ValidationError(f"Remove {problem}: it cannot be stored.")
        if self.required and not text.strip():
            raise ValidationError("Fill this in: spaces alone are not enough.")
        return text


class WholeNumber(fields.Integer):
    """A whole number in [minimum, maximum]: 30, "30" or 30.0; never 30.5, "1e3", true or beyond the column.

    The default range is the INTEGER column's; `error` replaces the range message.
    """

    def __init__(self, *, minimum: int = -LARGEST_INTEGER - 1, maximum: int = LARGEST_INTEGER,
                 error: str | None = None, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        self.range_error = error or f"Give a whole number from {minimum:,} to {maximum:,}."
        super().__init__(**kwargs)

    def _validated(self, value) -> int:
        if isinstance(value, bool):
            raise ValidationError("Give a whole number, such as 30.")
        if isinstance(value, float) and value.is_integer() and abs(value) <= _EXACT_FLOAT:
            number = int(value)
        elif isinstance(value, int):
            number = value
        elif isinstance(value, str) and _WHOLE.fullmatch(value.strip()) and len(value) <= 40:
            number = int(value)
        else:
            raise ValidationError("Give a whole number, such as 30: no fractions or exponents.")
        if not self.minimum <= number <= self.maximum:
            raise ValidationError(self.range_error)
        return number


class Id(WholeNumber):
    """The id of a row (BIGINT): a whole number from 1 up; anything else is no such row."""

    def __init__(self, *, error: str = "Choose one from the list.", **kwargs):
        super().__init__(minimum=1, maximum=LARGEST_ID, error=error, **kwargs)


class PlainDecimal(fields.Decimal):
    """A decimal number as typed, "12.5" or 12.5, with at most `places` decimals; no "NaN", "Infinity", "1e3".

    Never rounded: more decimals than `places` are refused.
    """

    def __init__(self, places: int = 2, **kwargs):
        super().__init__(places=None, allow_nan=False, **kwargs)
        self.decimals = places

    def _validated(self, value) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError("Give a number, such as 42.5.")
        # str() of a float is its shortest exact form ("12.5"); an infinity or a huge one fails the pattern.
        text = value.strip() if isinstance(value, str) else str(value)
        if len(text) > _PLAIN_DECIMAL_DIGITS or not _PLAIN_DECIMAL.fullmatch(text):
            raise ValidationError("Give a number, such as 42.5: digits and a decimal point only.")
        number = Decimal(text)
        step = Decimal(1).scaleb(-self.decimals)
        # Room for the 40 characters let through above plus the decimals: the default 28 digits would make
        # quantize raise on a long whole number (found by hypothesis) instead of leaving it to the range check.
        with localcontext(prec=_PLAIN_DECIMAL_DIGITS + self.decimals):
            exact = number.quantize(step)
        if number != exact:
            raise ValidationError(f"Give at most {self.decimals} decimal places.")
        return exact


class Cents(fields.Field):
    """Dollars as typed ("12,500", "12500.00", "$0.50" or a whole number of dollars), held as integer cents.

    Refuses "NaN", "Infinity", "1e3", negative amounts, fractions of a cent and more than MAX_CENTS.
    """

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        match = _DOLLARS.fullmatch(value.strip()) if isinstance(value, str) and len(value) <= 40 else None
        if match is None or not (match["whole"] or match["cents"]):
            if isinstance(value, str) and _SIGNED_OR_FINE.fullmatch(value.strip()):
                raise ValidationError("Give a positive amount in dollars and cents.")
            raise ValidationError("Give an amount in dollars, such as 12500 or 12,500.00.")
        cents = int((match["whole"] or "0").replace(",", "")) * 100 + int((match["cents"] or "0").ljust(2, "0"))
        if cents > MAX_CENTS:
            raise ValidationError("That amount is too large.")
        return cents

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class Day(fields.Date):
    """A date (YYYY-MM-DD) from EARLIEST_DATE to LATEST_DATE."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(f"Give a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}.")
        return day


class BoundedList(fields.List):
    """A list of at most `max_length` items, counted before any item is read: 2,000 observations cost nothing."""

    def __init__(self, item: fields.Field, what: str, max_length: int = MAX_LIST_LENGTH, **kwargs):
        super().__init__(item, **kwargs)
        self.max_length, self.what = max_length, what

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list | tuple) and len(value) > self.max_length:
            raise ValidationError(f"At most {self.max_length} {self.what}.")
        return super()._deserialize(value, attr, data, **kwargs)


def _as_list(validators) -> list:
    if validators is None:
        return []
    return list(validators) if isinstance(validators, (list, tuple)) else [validators]
