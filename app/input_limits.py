"""Limits every request meets before a view reads it: JSON nesting, ids in URLs, text that cannot be stored.

The schemas (app/fields.py) explain bad values field by field; these limits catch
what never reaches a schema: a JSON body nested so deep that parsing it would
exhaust the stack, an id in a URL beyond the BIGINT column, a NUL character in
a query string, a form field or a URL (PostgreSQL cannot store it).
"""
import re

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from app.fields import LARGEST_ID

# Our deepest body is a visit > observations > ratings > rating (5 levels); 32 leaves room, 3,000 does not.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects in `text` nest deeper than `limit`, without parsing it (strings skipped)."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return True
    return False


class LimitedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing bodies nested deeper than MAX_JSON_DEPTH with a 400 that says so."""

    def loads(self, s, **kwargs):
        text = s.decode("utf-8") if isinstance(s, bytes | bytearray) else s
        if json_depth_exceeds(text):
            # Not a ValueError: Flask would replace that with a bare "Bad request" outside debug mode.
            raise BadRequest(f"JSON nested deeper than {MAX_JSON_DEPTH} levels: send at most {MAX_JSON_DEPTH}.")
        return super().loads(text, **kwargs)


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: up to the largest BIGINT, so a larger id is a 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def refuse_nul_characters():
    """400 naming the first query, form or URL field that carries a NUL character."""
    places = [("address", {"path": request.path}), ("query", request.args), ("form", request.form)]
    for where, values in places:
        for name, value in values.items(multi=True) if hasattr(values, "getlist") else values.items():
            if "\x00" in name or "\x00" in value:
                abort(400, f"The {where} field '{name.replace(chr(0), '')}' contains a NUL character, which cannot "
                           "be stored. Remove it and send again.")


def init_input_limits(app: Flask) -> None:
    """Before the blueprints: their `<int:...>` rules are built with the bounded converter."""
    app.json = LimitedJSONProvider(app)
    app.url_map.converters["int"] = RowIdConverter
    app.before_request(refuse_nul_characters)
