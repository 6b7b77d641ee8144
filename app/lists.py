"""What every list shares: its filters read from a query string, and its columns for page and export.

A column names the (model, field) it shows when the visibility book may withhold it
(internal notes); `visible_columns` asks the book, so a page and its export agree on
who sees what.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from app.fields import MAX_PAGE, Id, WholeNumber
from tenants.visibility import may_see_field

FORMATS = ("html", "csv", "xlsx")


def an_id(data_key: str | None = None) -> Id:
    """An optional id of something to filter by (a school, a lead, a rubric), named `data_key` in the query string."""
    return Id(load_default=None, data_key=data_key)


class QueryFilters(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def drop_blanks(self, data, **kwargs):
        # A GET form sends every field, the ones left on "any" as empty strings.
        return {key: value for key, value in data.items() if value.strip()}

    def keys(self) -> frozenset[str]:
        """The query-string names this schema reads: what page and export links carry on."""
        return frozenset(field.data_key or name for name, field in self.load_fields.items())


class ListFilters(QueryFilters):
    page = WholeNumber(load_default=1, minimum=1, maximum=MAX_PAGE, error=f"Pages are numbered from 1 to {MAX_PAGE:,}.")
    format = fields.String(load_default="html", validate=validate.OneOf(FORMATS, error="Export as csv or xlsx."))


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    # The (model, field) shown, when the visibility book may withhold it.
    shows: tuple[str, str] | None = None


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def visible_columns(columns: tuple[Column, ...], district_id: int) -> tuple[Column, ...]:
    """The columns the current viewer may see in the district's lists, as the visibility book says."""
    return tuple(column for column in columns if column.shows is None or may_see_field(*column.shows, district_id))
