"""Equity-goal figures as the state prints them in its reports: "18", "18.5", "18%", "<10" or "-".

"<10" (a group too small to report) and "-" (not reported) are suppressed figures: the
year is recorded, with no value, and stays out of the gap and the trajectory. Nothing
else is read as a number: no "NaN", "Infinity", "1e3" nor thousands separators.
"""
import re
from dataclasses import dataclass
from decimal import Decimal

# What the state prints for a figure it does not report; "suppressed" is how the app shows one back.
SUPPRESSED = re.compile(r"<\s*\d+|[-–—]|suppressed", re.IGNORECASE | re.ASCII)
NUMBER = re.compile(r"(?P<number>\d{1,5}(?:\.\d+)?|\.\d+)\s*(?P<percent>%?)", re.ASCII)
LARGEST = Decimal("99999.99")
# "percentile" (student growth percentile) is not a percentage; "percent", "%" and a rate are.
PERCENTAGE_WORDS = re.compile(r"%|\bpercent(?:age)?\b|\brate\b", re.IGNORECASE)


class NotAFigure(ValueError):
    """Text that is not a figure as the state prints it; the message says what to type."""


@dataclass(frozen=True)
class StateFigure:
    """A figure read from what was typed: `value` in the metric's unit (None when suppressed)."""

    value: Decimal | None
    percent_sign: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None


def read_state_figure(text: str) -> StateFigure:
    """Read "18", "18.5", "18%", "<10" or "-"; raise NotAFigure otherwise (at most two decimals)."""
    text = text.strip()
    if SUPPRESSED.fullmatch(text):
        return StateFigure(None)
    found = NUMBER.fullmatch(text)
    if not found:
        raise NotAFigure('Give the figure as the state prints it, such as 18, 18.5 or 18%, '
                         'or "<10" or "-" when the state did not report it.')
    value = Decimal(found["number"])
    if value.as_tuple().exponent < -2:
        raise NotAFigure("Give at most two decimals, as typed from the state's report.")
    return StateFigure(value, percent_sign=bool(found["percent"]))


def is_percentage_metric(metric: str) -> bool:
    """Whether a goal's metric is a percentage ("... (%)", "percent ...", "... rate")."""
    return bool(PERCENTAGE_WORDS.search(metric))


def figure_problem(metric: str, figure: StateFigure) -> str | None:
    """What is wrong with `figure` for a goal measuring `metric`, if anything."""
    if figure.suppressed:
        return None
    percentage = is_percentage_metric(metric)
    if figure.percent_sign and not percentage:
        return "This goal's metric is not a percentage: give the number without %."
    if percentage and figure.value > 100:
        return "A percentage is between 0 and 100."
    if figure.value > LARGEST:
        return "That number is too large."
    return None
