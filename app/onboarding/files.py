"""Reading an uploaded table (CSV or XLSX) into rows of text keyed by normalised column names."""
import csv
import io
import re
from zipfile import BadZipFile

from openpyxl import load_workbook

# An onboarding file of a large district is well under this; the state directory is 0.2 MB.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


class FileRefused(ValueError):
    """The file cannot be read as a table: wrong type, too big, or unreadable."""


def column_name(header) -> str:
    """'School code' -> 'school_code', so that headers typed by people match."""
    return re.sub(r"[^a-z0-9]+", "_", str(header or "").strip().lower()).strip("_")


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file, each a dict of stripped text; blank rows dropped."""
    if len(data) > MAX_BYTES:
        raise FileRefused(f"{filename} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    lower = filename.lower()
    if lower.endswith(".csv"):
        table = _csv_rows(data, filename)
    elif lower.endswith(".xlsx"):
        table = _xlsx_rows(data, filename)
    else:
        raise FileRefused(f"{filename}: upload a .csv or .xlsx file.")
    if not table:
        raise FileRefused(f"{filename} is empty.")
    header, *body = table
    names = [column_name(h) for h in header]
    if len(body) > MAX_ROWS:
        raise FileRefused(f"{filename} has more than {MAX_ROWS:,} rows.")
    rows = [dict(zip(names, (_text(v) for v in row))) for row in body]
    return [row for row in rows if any(row.values())]


def _csv_rows(data: bytes, filename: str) -> list[list]:
    try:
        text = data.decode("utf-8-sig")  # Excel writes a byte order mark
    except UnicodeDecodeError:
        raise FileRefused(f"{filename} is not UTF-8 text: save it as CSV UTF-8.") from None
    return list(csv.reader(io.StringIO(text, newline="")))


def _xlsx_rows(data: bytes, filename: str) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise FileRefused(f"{filename} is not a readable Excel workbook.") from None
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 0421 typed as a number as 421.0
    return str(value).strip()
