"""A reference page for the API, rendered on the server from its OpenAPI spec.

Swagger UI and ReDoc load scripts from a CDN, which the site's Content-Security-Policy
(and a closed network) refuses: this page needs no script at all.
"""
from flask import Blueprint, current_app, render_template

from app.api.base import URL_PREFIX

bp = Blueprint("api_reference", __name__, url_prefix=URL_PREFIX)

METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/docs")
def docs():
    # flask-smorest keeps each app's Api by config prefix; ours has none.
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "body": _type_of(operation["requestBody"]["content"]["application/json"]["schema"])
            if "requestBody" in operation else None,
            "query": [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"],
            "responses": list(operation["responses"]),
        }
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    schemas = {
        name: [
            {"name": field, "type": _type_of(about), "required": field in schema.get("required", ()),
             "read_only": about.get("readOnly", False), "description": about.get("description", ""),
             "choices": about.get("enum", [])}
            for field, about in schema.get("properties", {}).items()
        ]
        for name, schema in spec["components"]["schemas"].items()
    }
    return render_template("api/docs.html", spec=spec, operations=operations, schemas=schemas)


def _type_of(about: dict) -> str:
    """'integer', 'string (date)', 'array of Observation': an OpenAPI type in words."""
    if "$ref" in about:
        return about["$ref"].rsplit("/", 1)[-1]
    if "allOf" in about:
        return _type_of(about["allOf"][0])
    kind = about.get("type", "any")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if "items" in about:
        return f"{kind} of {_type_of(about['items'])}"
    return f"{kind} ({about['format']})" if "format" in about else kind
