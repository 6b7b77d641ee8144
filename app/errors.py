"""Error pages in the site's layout, and JSON errors for JSON requests."""
from flask import jsonify, render_template, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from tenants.rls import refused_by_row_security
from tenants.scope import TenantWriteRefused
from tenants.session import ScopeBypassRefused

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    422: "Check what you entered",
    429: "Too many attempts",
    500: "Something went wrong",
}
MESSAGES = {
    403: "Your role does not allow this.",
    404: "There is nothing here, or it is not in the districts you work with.",
    429: "Too many attempts in a short time. Wait a minute, then try again.",
    500: "The error has been logged. Try again in a moment.",
}


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or (request.is_json and best != "text/html") or best == "application/json"


def render_error(status: int, message: str | None = None, errors: dict[str, list[str]] | None = None):
    """The error page, or for JSON `{"error": {"status", "message"}}` with `errors` by field name if given."""
    message = message or MESSAGES.get(status) or TITLES.get(status, "Error")
    if wants_json():
        return jsonify(error={"status": status, "message": message, **({"errors": errors} if errors else {})}), status
    return render_template("errors/error.html", status=status, title=TITLES.get(status, "Error"), message=message), status


def init_errors(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        custom = error.description if error.description != type(error).description else None
        return render_error(error.code, custom)

    @app.errorhandler(TenantWriteRefused)
    @app.errorhandler(ScopeBypassRefused)
    def refused(error):
        db.session.rollback()
        app.logger.warning("tenant guard refused: %s", error)
        return render_error(403, "That change is outside the districts you may change.")

    @app.errorhandler(DBAPIError)
    def refused_by_postgresql(error):
        # The second wall held where the first did not: a 404 like any row out of reach, and a warning.
        if not refused_by_row_security(error):
            raise error
        db.session.rollback()
        app.logger.warning("row-level security refused: %s", error.orig)
        return render_error(404)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
