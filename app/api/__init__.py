"""The JSON API under /api/v1 (flask-smorest): the same tenancy and roles as the pages.

A request is signed in by the browser session or by a personal token
(`Authorization: Bearer <token>`, made at /account/tokens); either way the tenant
scope comes from that person. The spec is at /api/v1/openapi.json, a reference
page at /api/v1/docs.
"""
import flask_smorest
from marshmallow import Schema, fields

from app.api.base import URL_PREFIX, user_from_bearer_token


class ErrorBody(Schema):
    status = fields.Integer()
    message = fields.String()
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": "For 422: what is wrong, by dotted field name (observations.0.minutes)."},
    )


class ErrorEnvelope(Schema):
    """Every error of the site, as JSON (app/errors.py)."""

    error = fields.Nested(ErrorBody)


class Api(flask_smorest.Api):
    """flask-smorest's Api, leaving errors to app/errors.py so that the whole site answers them one way."""

    ERROR_SCHEMA = ErrorEnvelope

    def _register_error_handlers(self):
        """Register nothing: app/errors.py answers JSON under /api/, and the blueprints add 422 by field."""


SECURITY_SCHEMES = {
    "bearerToken": {"type": "http", "scheme": "bearer", "description": "A personal token made at /account/tokens."},
    "browserSession": {"type": "apiKey", "in": "cookie", "name": "session",
                       "description": "The signed-in browser session; changes also need the X-CSRFToken header."},
}


def init_api(app) -> None:
    from app.api import assignments, docs, observations, schools, visits
    from app.extensions import login_manager

    app.config.setdefault("OPENAPI_URL_PREFIX", URL_PREFIX)
    api = Api(app, spec_kwargs={
        "title": "Regional support API",
        "version": "v1",
        "openapi_version": "3.0.3",
        "security": [{name: []} for name in SECURITY_SCHEMES],
    })
    for name, scheme in SECURITY_SCHEMES.items():
        api.spec.components.security_scheme(name, scheme)
    for resource in (visits, observations, schools, assignments):
        api.register_blueprint(resource.bp)
    app.register_blueprint(docs.bp)
    login_manager.request_loader(user_from_bearer_token)
