"""What every resource of the API shares: who is asking, CSRF for cookie sessions, errors by field name."""
from collections.abc import Callable
from typing import Any

import flask_smorest
from flask import abort, current_app, g, request
from flask_login import current_user
from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from app.accounts.tokens import live_token
from app.api.schemas import DistrictFilter
from app.errors import render_error
from app.extensions import csrf
from app.fields import MAX_PAGE
from app.forms import InvalidInput, flatten_errors
from tenants.scope import current_scope

URL_PREFIX = "/api/v1"


class FieldErrorParser(FlaskParser):
    """webargs' parser, reporting what is wrong by dotted field name, as the services do."""

    def _raw_load_json(self, req):
        # Through the app's JSON provider, which refuses deep nesting (app/input_limits.py) with a 400.
        if not is_json_request(req):
            return core.missing
        return req.get_json()

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        # webargs files messages under the request part they came from ("json", "query"): a client needs the field.
        raise InvalidInput({
            name: messages
            for location in error.messages.values()
            for name, messages in flatten_errors(location).items()
        })


class PageArgumentsParser(FieldErrorParser):
    """flask-smorest's `page` and `page_size`, with pages up to MAX_PAGE: beyond, the OFFSET overflows BIGINT."""

    def parse(self, *args, **kwargs):
        parameters = super().parse(*args, **kwargs)
        if parameters.page > MAX_PAGE:
            raise InvalidInput({"page": [f"Pages are numbered from 1 to {MAX_PAGE:,}."]})
        return parameters


def user_from_bearer_token(req):
    """Flask-Login's request loader: `Authorization: Bearer <token>` signs an API request in."""
    if not req.path.startswith(URL_PREFIX + "/"):
        return None
    scheme, _, secret = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    token = live_token(secret.strip())
    if token is None:
        return None
    g.signed_in_by_token = True
    g.read_only_token = token.read_only
    return token.user


def authenticate() -> None:
    """Answer 401 to strangers and 403 to a read-only token's changes; hold a cookie session's changes to the
    CSRF token, like its forms."""
    if not current_user.is_authenticated:
        abort(401, "Sign in, or send a personal API token as 'Authorization: Bearer <token>'.")
    # Every change to the API is a POST, PUT, PATCH or DELETE: a read-only token may send none of them.
    if g.get("read_only_token") and request.method not in ("GET", "HEAD", "OPTIONS"):
        abort(403, "This token is read-only: make a token without \"Read only\" at /account/tokens to change records.")
    # A bearer token cannot be sent by another site's page, a cookie can: only the cookie needs the check.
    if not g.get("signed_in_by_token") and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()


def invalid_input(error: InvalidInput):
    return render_error(422, errors=error.messages)


class ApiBlueprint(flask_smorest.Blueprint):
    """One resource of the API: signed-in people only, validation errors by field name."""

    ARGUMENTS_PARSER = FieldErrorParser()
    PAGINATION_ARGUMENTS_PARSER = PageArgumentsParser()
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 200}

    def __init__(self, name: str, import_name: str, **options):
        super().__init__(name, import_name, url_prefix=f"{URL_PREFIX}/{name}", **options)
        self.before_request(authenticate)
        self.register_error_handler(InvalidInput, invalid_input)
        # Checked in `authenticate` instead, where it is known whether a cookie or a token signed the request in.
        csrf.exempt(self)


def check_district_filter(filters: dict) -> None:
    """A list asked for a district out of reach answers 404, as that district's pages do."""
    if "district_id" in filters and not current_scope().can_read(filters["district_id"]):
        abort(404)


def district_list_blueprint(name: str, import_name: str, *, description: str, schema: type[Schema],
                            rows: Callable[[dict, Any], list], summary: str) -> ApiBlueprint:
    """A resource that only lists, a page at a time, the rows `rows` finds of the districts you may read,
    narrowed to one by `district_id`."""
    bp = ApiBlueprint(name, import_name, description=description)

    @bp.get("", endpoint=name)
    @bp.arguments(DistrictFilter, location="query")
    @bp.response(200, schema(many=True))
    @bp.paginate()
    @bp.doc(summary=summary)
    def listing(filters, pagination_parameters):
        check_district_filter(filters)
        return rows(filters, pagination_parameters)

    return bp
