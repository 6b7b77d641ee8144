"""Lists as downloads: CSV and Excel (XLSX) files with a header row, one helper for every list."""
import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from app.clock import state_today

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_response(rows: Iterable, columns: Sequence, file_format: str, name: str) -> Response:
    """Answer with `rows` as a CSV or XLSX download named `<name>-<today>.<format>`.

    `columns` (`app.lists.Column`) give the header row's `title`s and each cell's `value(row)`.
    """
    table = [[column.title for column in columns], *([column.value(row) for column in columns] for row in rows)]
    body = _csv(table) if file_format == "csv" else _xlsx(table, title=name)
    filename = f"{name}-{state_today().isoformat()}.{file_format}"
    return Response(body, content_type=CONTENT_TYPES[file_format], headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        # Exports may carry internal notes: no shared cache keeps a copy.
        "Cache-Control": "private, no-store",
    })


def _csv(table: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([_csv_text(value) for value in row] for row in table)
    # The byte order mark makes Excel read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def _xlsx(table: list[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on a sheet name
    sheet.freeze_panes = "A2"
    header, *rows = table
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, value, font=bold) for value in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, font: Font | None = None) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Text stays text: "=SUM(...)" typed into a note is never run as a formula.
        cell.data_type = "s"
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    return cell
