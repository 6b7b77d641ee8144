"""What every list shares: its filters read from a query string, links keeping them, choices for
their selects, and its columns for page and export.

One tuple of `Column`s per list renders both its page (templates/fieldwork/lists/_cells.html has
the cell macros) and its export, in one order. A column names the (model, field) it shows when the
visibility book may withhold it (internal notes); `visible_columns` asks the book, so a page and its
export agree on who sees what, and the book's tag ("support team only") joins its header.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from flask import request, url_for
from marshmallow import Schema, ValidationError, fields, pre_load, validate

from app.fields import MAX_PAGE, Id, WholeNumber
from app.forms import InputSchema, flatten_errors
from tenants.visibility import badge, badge_seen, may_see_field

FORMATS = ("html", "csv", "xlsx")


def an_id(data_key: str | None = None) -> Id:
    """An optional id of something to filter by (a school, a lead, a rubric), named `data_key` in the query string."""
    return Id(load_default=None, data_key=data_key)


class QueryFilters(InputSchema):
    @pre_load
    def blanks_are_missing(self, data, **kwargs):
        # A GET form sends every field, the ones left on "any" as empty strings; spaces alone are blank here too.
        return {key: value for key, value in data.items() if value.strip()}

    def keys(self) -> frozenset[str]:
        """The query-string names this schema reads: what page and export links carry on."""
        return frozenset(field.data_key or name for name, field in self.load_fields.items())


class ListFilters(QueryFilters):
    page = WholeNumber(load_default=1, minimum=1, maximum=MAX_PAGE, error=f"Pages are numbered from 1 to {MAX_PAGE:,}.")
    format = fields.String(load_default="html", validate=validate.OneOf(FORMATS, error="Export as csv or xlsx."))


def filters_from_query(schema: Schema, fallback: dict | None = None) -> tuple[dict | None, dict[str, list[str]]]:
    """Load the request's query string through `schema`: (filters, {}), or (fallback, messages per field)."""
    try:
        return schema.load(request.args), {}
    except ValidationError as error:
        return fallback, flatten_errors(error.messages)


def url_maker(keys: frozenset[str]) -> Callable[..., str]:
    """A function giving this page's URL with its filters, changed by keyword (None drops one)."""

    def url_with(**changes) -> str:
        # Only the schema's own names: nothing else in the query string is echoed into links.
        args = {key: value for key, value in request.args.items() if key in keys and value.strip()}
        args = {key: value for key, value in (args | changes).items() if value is not None}
        return url_for(request.endpoint, **args)

    return url_with


def choices(rows: Iterable, label: Callable = lambda row: row.name) -> list[tuple[int, str]]:
    """(id, label) pairs for a select of rows."""
    return [(row.id, label(row)) for row in rows]


def enum_choices(enum: type[Enum]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select of an enumeration's members: their own `label`, or "in_progress" as
    "In progress"."""
    return [(member.value, getattr(member, "label", None) or member.value.replace("_", " ").capitalize())
            for member in enum]


@dataclass(frozen=True)
class Column:
    header: str
    # The export's cell, and what the page's cell macro is handed.
    value: Callable[[Any], Any]
    # The (model, field) shown, when the visibility book may withhold it.
    shows: tuple[str, str] | None = None
    # The macro of templates/fieldwork/lists/_cells.html drawing the page's cell from (value, row).
    cell: str = "text"
    page: bool = True
    export: bool = True
    numeric: bool = False  # right-aligned on the page
    row_header: bool = False  # the row's `<th scope="row">` on the page
    # The tag for the viewer of one district's list, set by `visible_columns`: whose rows they see in it.
    seen_tag: str | None = None

    @property
    def tag(self) -> str:
        """Who alone sees the column, as the book tags it ("support team only"), or ""."""
        if self.seen_tag is not None:
            return self.seen_tag
        return badge(*self.shows) if self.shows else ""

    @property
    def title(self) -> str:
        """The header with its tag, as an export's header row writes it."""
        return f"{self.header} ({self.tag})" if self.tag else self.header


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def visible_columns(columns: tuple[Column, ...], district_id: int) -> tuple[Column, ...]:
    """The columns the current viewer may see in the district's lists, as the visibility book says, a withheld
    field's header tagged with the audience the viewer sees it as ("district staff only" for a district leader)."""
    return tuple(column if column.shows is None else replace(column, seen_tag=badge_seen(*column.shows, district_id))
                 for column in columns if column.shows is None or may_see_field(*column.shows, district_id))


def on_page(columns: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(column for column in columns if column.page)


def in_export(columns: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(column for column in columns if column.export)
