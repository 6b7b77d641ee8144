"""Reading an uploaded table (CSV or XLSX) into rows of text keyed by normalised column names.

The file is read as a stream and reading stops at the row limit: a small workbook
of a million rows is refused after MAX_ROWS rows, not read whole first. What is
wrong with the file as a whole (its separator, where its header row is, which
columns it lacks) is said once, as one FileRefused, before any row is checked.
"""
import csv
import io
import re
from collections.abc import Iterator, Sequence
from itertools import islice
from zipfile import BadZipFile

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

# An onboarding file of a large district is well under this; the state directory is 0.2 MB.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# How far down a header row pushed by a title is looked for.
HEADER_SEARCH_ROWS = 10
OTHER_SEPARATORS = {";": "semicolons (;)", "\t": "tabs"}


class FileRefused(ValueError):
    """The file cannot be read as a table: wrong type, too big, unreadable, or not laid out as a table."""


def column_name(header) -> str:
    """'School code' -> 'school_code', so that headers typed by people match (a BOM or stray spaces too)."""
    return re.sub(r"[^a-z0-9]+", "_", str(header or "").strip().lower()).strip("_")


def read_table(data: bytes, filename: str, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file, each a dict of text with runs of spaces made one; blank rows dropped.

    `required`: column names (as `column_name` gives them) the header must have.
    Raises FileRefused, with one message saying what is wrong with the file.
    """
    if len(data) > MAX_BYTES:
        raise FileRefused(f"{filename} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    lower = filename.lower()
    if lower.endswith(".csv"):
        return _table(_csv_lines(data, filename), filename, required, csv_file=True)
    if lower.endswith(".xlsx"):
        return _table(_xlsx_lines(data, filename), filename, required, csv_file=False)
    raise FileRefused(f"{filename}: upload a .csv or .xlsx file.")


def _table(lines: Iterator, filename: str, required: Sequence[str], csv_file: bool) -> list[dict[str, str]]:
    header = next(lines, None)
    if header is None:
        raise FileRefused(f"{filename} is empty.")
    names = [column_name(h) for h in header]
    # Read one row past the limit, no more: that row alone says the file is too long.
    body = list(islice(lines, MAX_ROWS + 1))
    problem = _layout_problem(header, names, body, required, csv_file)
    if problem:
        raise FileRefused(f"{filename}: {problem}")
    if len(body) > MAX_ROWS:
        raise FileRefused(f"{filename} has more than {MAX_ROWS:,} rows: split it, or import the rest in a second file.")
    rows = [dict(zip(names, (_text(v) for v in row))) for row in body]
    rows = [row for row in rows if any(row.values())]
    if not rows:
        raise FileRefused(f"{filename} has a header row but no rows under it.")
    return rows


def _layout_problem(header: list, names: list[str], body: list, required: Sequence[str], csv_file: bool) -> str | None:
    """What is wrong with the file's layout, in one sentence, or None."""
    missing = [name for name in required if name not in names]
    if not missing:
        return None
    if csv_file and len([n for n in names if n]) <= 1:
        for separator, words in OTHER_SEPARATORS.items():
            if any(separator in str(cell) for cell in _first_cells(header, body)):
                return (f"its columns are separated by {words}, not commas. In Excel, save it as "
                        "\"CSV UTF-8 (Comma delimited)\"; or upload it as .xlsx.")
    for offset, row in enumerate(body[:HEADER_SEARCH_ROWS], start=2):
        if all(name in [column_name(cell) for cell in row] for name in required):
            above = offset - 1
            return (f"its header row (the column names) is line {offset}, not line 1: delete the "
                    f"{above} line{'s' if above > 1 else ''} above it (a title?) and upload it again.")
    return (f"the file has no {_listed(missing)} column{'s' if len(missing) > 1 else ''}: its first line should "
            f"name the columns {_listed(list(required))} (in any order); it names "
            f"{_listed([n for n in names if n]) or 'nothing'}.")


def _first_cells(header: list, body: list) -> list[str]:
    """The header's cells and the first cell of the rows under it: where another separator shows."""
    return [*(str(cell) for cell in header), *(str(row[0]) for row in body[:HEADER_SEARCH_ROWS] if row)]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _csv_lines(data: bytes, filename: str) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")  # Excel writes a byte order mark
    except UnicodeDecodeError:
        raise FileRefused(f"{filename} is not UTF-8 text: save it as CSV UTF-8.") from None
    return csv.reader(io.StringIO(text, newline=""))


def _xlsx_lines(data: bytes, filename: str) -> Iterator[list]:
    """The first sheet's rows, parsed as they are asked for.

    Not `load_workbook(read_only=True)`: when a sheet has no <dimension> element
    (a generated file may omit it), it parses the whole sheet to size it before
    the first row (most of the 203 s a 250,000-row file took here). Cells keep their values; dates
    stay Excel's serial numbers (no onboarding column is a date).
    """
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        _sheet, relation = next(iter(reader.parser.find_sheets()))
        source = reader.archive.open(relation.target)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError, StopIteration):
        raise FileRefused(f"{filename} is not a readable Excel workbook.") from None
    return _sheet_rows(source, reader.shared_strings)


def _sheet_rows(source, shared_strings) -> Iterator[list]:
    with source:
        last = 0
        for number, cells in WorkSheetParser(source, shared_strings, data_only=True).parse():
            # A row Excel left out is a blank row: keep counting, so that line numbers stay true.
            yield from ([] for _ in range(last + 1, number))
            last = number
            row = [None] * max((cell["column"] for cell in cells), default=0)
            for cell in cells:
                row[cell["column"] - 1] = cell["value"]
            yield row


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 0421 typed as a number as 421.0
    # Runs of spaces (and the no-break spaces of copied web pages) are one space: " A  B " is "A B".
    return " ".join(str(value).split())
