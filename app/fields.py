"""Field types shared by every schema (forms, imports, the API): what a person would type, nothing else.

One definition of each kind of value, so that no schema can let through what the
database cannot store (NUL, lone surrogates, a number beyond its column) or
quietly change what was typed (30.5 minutes stored as 30, "1e3" dollars as
$1,000.00, 12.345 rounded to 12.35). Each refusal is a ValidationError with a
message for the field, which forms show beside it and the API sends as 422.

Every message is in plain words, next to its field: a schema built on `PlainSchema`
replaces marshmallow's defaults ("Missing data for required field.", "Length must be
between ...", "Not a valid ...") with "Write what happened.", "Use at most 300
characters.", naming the field by the form's own label (`label=`, else its name).

Limits on request shape (lists, nesting) are here too, documented in the README.
"""
import copy
import re
from datetime import date
from decimal import Decimal, localcontext

from marshmallow import Schema, ValidationError, fields, validate

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


class Labelled:
    """A field that knows the label its form shows (`label="What happened"`), for its messages."""

    def __init__(self, *args, label: str | None = None, **kwargs):
        if label is not None:
            kwargs["metadata"] = {**kwargs.get("metadata", {}), "label": label}
        super().__init__(*args, **kwargs)


class Text(Labelled, fields.String):
    """Text that can be stored: no NUL, no lone surrogate; a required one is more than spaces.

    `max_length` (characters) is checked too. Raises ValidationError with a message for the field.
    """

    def __init__(self, *, max_length: int | None = None, **kwargs):
        if max_length is not None:
            kwargs["validate"] = [validate.Length(max=max_length, error=f"Use at most {max_length:,} characters."),
                                  *_as_list(kwargs.get("validate"))]
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = unstorable_character(text)
        if problem:
            raise ValidationError(f"Remove {problem}: it cannot be stored.")
        if self.required and not text.strip():
            # Spaces alone are nothing written: the same message as a field left empty.
            raise self.make_error("required")
        return text


class WholeNumber(Labelled, fields.Integer):
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


class PlainDecimal(Labelled, fields.Decimal):
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


class Cents(Labelled, fields.Field):
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


class Day(Labelled, fields.Date):
    """A date (YYYY-MM-DD) from EARLIEST_DATE to LATEST_DATE."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(f"Give a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}.")
        return day


class Choice(Labelled, fields.String):
    """One of `values` (as a form's select sends it); anything else is "Choose one from the list."."""

    def __init__(self, values, *, error: str = "Choose one from the list.", **kwargs):
        kwargs["validate"] = [validate.OneOf(list(values), error=error), *_as_list(kwargs.get("validate"))]
        super().__init__(**kwargs)


class BoundedList(fields.List):
    """A list of at most `max_length` items, counted before any item is read: 2,000 observations cost nothing."""

    def __init__(self, item: fields.Field, what: str, max_length: int = MAX_LIST_LENGTH, **kwargs):
        super().__init__(item, **kwargs)
        self.max_length, self.what = max_length, what

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list | tuple) and len(value) > self.max_length:
            raise ValidationError(f"At most {self.max_length} {self.what}.")
        return super()._deserialize(value, attr, data, **kwargs)


class IdChoices(BoundedList):
    """The ids ticked in a group of checkboxes (schools, supports): one message for the group, not one per box."""

    def __init__(self, what: str, **kwargs):
        super().__init__(Id(), what, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as error:
            if isinstance(error.messages, dict):  # an item's message, keyed by its index
                raise ValidationError(f"Choose {self.what} from the list.") from None
            raise


def _as_list(validators) -> list:
    if validators is None:
        return []
    return list(validators) if isinstance(validators, (list, tuple)) else [validators]


# --- plain messages -------------------------------------------------------------------------------

# What the value is, for a field of each type that was sent as something else.
_INVALID = (
    (fields.AwareDateTime, "Give a date and time with its time zone, such as 2026-09-15T10:30:00-04:00."),
    (fields.DateTime, "Give a date and time, such as 2026-09-15T10:30:00-04:00."),
    (fields.Date, "Give a date as year-month-day, such as 2026-09-15."),
    (fields.Boolean, "Choose yes or no."),
    (fields.Integer, "Give a whole number, such as 30."),
    (fields.Number, "Give a number, such as 42.5."),
    (fields.List, "Give a list."),
    (fields.Mapping, "Give the fields as an object."),
    (fields.String, "Write this as text."),
)
_ASKED_FOR = ("what", "who", "when", "where", "why", "how", "which", "a ", "an ", "the ")


def field_label(name: str, field: fields.Field) -> str:
    """The label a form shows for this field: its `label`, else its name in words ("owner_id": "Owner")."""
    label = field.metadata.get("label")
    if label:
        return label
    words = name.removesuffix("_id").removesuffix("_ids").replace("_", " ")
    return words[:1].upper() + words[1:]


def _the(label: str) -> str:
    """The label as words in a sentence: "What happened" -> "what happened", "Target date" -> "the target date"."""
    first = label.split(" ", 1)[0]
    words = label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]
    return words if words.lower().startswith(_ASKED_FOR) else f"the {words}"


def required_message(name: str, field: fields.Field) -> str:
    """ "Write the title.", "Choose the owner.", "Give the target date.": what a missing value asks for."""
    if isinstance(field, (Id, Choice, fields.Boolean)) or (
            isinstance(field, fields.List) and isinstance(field.inner, Id)):
        verb = "Choose"
    elif isinstance(field, fields.String):
        verb = "Write"
    else:
        verb = "Give"
    return f"{verb} {_the(field_label(name, field))}."


def _plain_validator(validator):
    """A copy of one of marshmallow's validators with its default message in plain words (others as they are)."""
    if getattr(validator, "error", True) is not None:
        return validator
    if isinstance(validator, validate.Length):
        if validator.max is not None and not validator.min:
            message = "Use at most {max:,} characters."
        elif validator.max is None:
            message = "Use at least {min:,} characters."
        else:
            message = "Use from {min:,} to {max:,} characters."
    elif isinstance(validator, validate.OneOf):
        message = "Choose one from the list."
    elif isinstance(validator, validate.Range):
        message = ("Give a number from {min} to {max}." if validator.min is not None and validator.max is not None
                   else "Give a number of at least {min}." if validator.min is not None
                   else "Give a number of at most {max}.")
    else:
        message = "Check this value."
    plain = copy.copy(validator)
    plain.error = message
    return plain


def plain_messages(name: str, field: fields.Field) -> None:
    """Replace the field's marshmallow default messages by plain words naming it by its label."""
    asked = required_message(name, field)
    invalid = next((message for kind, message in _INVALID if isinstance(field, kind)), "Check this value.")
    plain = {"required": asked, "null": asked, "validator_failed": "Check this value.", "invalid": invalid,
             "invalid_utf8": "Remove the invalid characters: they cannot be stored.",
             "too_large": "That number is too large.", "special": "Give a number, such as 42.5.",
             "invalid_awareness": invalid, "invalid_uuid": "Give the identifier the form made for it (a UUID).",
             "type": "Give the fields as an object.", "format": invalid}
    # Copies, not changes in place: a schema instance shares its fields' dicts with its class.
    field.error_messages = {key: plain.get(key, message) if message in MARSHMALLOW_DEFAULTS else message
                            for key, message in field.error_messages.items()}
    field.validators = [_plain_validator(v) for v in field.validators]


def _marshmallow_defaults() -> frozenset[str]:
    """Every default message of marshmallow's field types: what no person should be shown."""
    kinds = [getattr(fields, name) for name in dir(fields)]
    return frozenset(message for kind in kinds if isinstance(kind, type) and issubclass(kind, fields.Field)
                     for klass in kind.__mro__ for message in getattr(klass, "default_error_messages", {}).values())


MARSHMALLOW_DEFAULTS = _marshmallow_defaults()


class PlainSchema(Schema):
    """A schema whose messages are plain words naming each field by its form's label (see the module's doc)."""

    error_messages = {"unknown": "This form has no such field.", "type": "Give the fields as an object."}

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        plain_messages(field_name, field_obj)
