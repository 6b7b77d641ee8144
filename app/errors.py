"""Error pages in the site's layout, and JSON errors for JSON requests."""
from flask import current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotFound

from app.extensions import db
from app.text import rate_in_words
from tenants.scope import TenantWriteRefused
from tenants.session import ScopeBypassRefused

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    413: "Too large to send",
    422: "Check what you entered",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Try again in a moment",
}
MESSAGES = {
    403: "Your role does not allow this.",
    404: "There is nothing here, or it is not in the districts you work with.",
    429: "Too many attempts in a short time. Wait a minute, then try again.",
    500: "The error has been logged. Try again in a moment.",
}


def too_large_message() -> str:
    """What a 413 says: the limit (MAX_CONTENT_LENGTH) in megabytes, and what to do."""
    megabytes = current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
    return (f"This is more than the site accepts in one request ({megabytes:g} MB). Nothing was saved: "
            "send a smaller file, or split it into parts.")


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or (request.is_json and best != "text/html") or best == "application/json"


def render_error(status: int, message: str | None = None, errors: dict[str, list[str]] | None = None,
                 title: str | None = None):
    """The error page, or for JSON `{"error": {"status", "message"}}` with `errors` by field name if given.

    A refused form (a POST) also says that what was typed is kept, and links back to the form.
    """
    message = message or MESSAGES.get(status) or (too_large_message() if status == 413 else None) \
        or TITLES.get(status, "Error")
    if wants_json():
        return jsonify(error={"status": status, "message": message, **({"errors": errors} if errors else {})}), status
    return render_template("errors/error.html", status=status, title=title or TITLES.get(status, "Error"),
                           message=message, refused_form=refused_form_link()), status


def too_many_message(limit: str | None) -> str:
    """The limiter's own words ('10 per 1 minute') said as people say them, with what to do."""
    what = "sign-in" if request.endpoint == "auth.sign_in" else "attempt"
    said = rate_in_words(limit or "", what)
    if said is None:
        return MESSAGES[429]
    words, window = said
    return f"Too many attempts in a short time: at most {words}. Wait {window}, then try again."


def refused_form_link() -> dict | None:
    """For a refused form: where to get it back, filled in (static/drafts.js kept what was typed), and how.

    {"href", "text"}, or None for anything but a form's POST.
    """
    if request.method != "POST" or wants_json():
        return None
    form_page = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
    if not _answers_get(request.path):
        form_page = url_for("home.index")
    # The sign-in, password and invitation forms are for people not signed in: they just go back.
    if not current_user.is_authenticated and request.blueprint != "auth":
        return {"href": url_for("auth.sign_in", next=form_page), "text": "Sign in again"}
    return {"href": form_page, "text": "Back to the form"}


def _answers_get(path: str) -> bool:
    try:
        current_app.url_map.bind(request.host).match(path, method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    except HTTPException:  # a redirect: a page is there
        return True
    return True


def form_not_sent(error: CSRFError):
    """The session ended (a restarted phone browser, a new secret at a deploy) or the form predates a sign-in."""
    if wants_json():
        # A program (the offline outbox) fetches a fresh token from /field/session, or asks its person to sign in.
        return render_error(400, f"Not saved: {error.description} Sign in again or get a fresh token, then send again.")
    if request.blueprint == "auth":
        message = ("This page was opened in an earlier session, so it was not sent. "
                   "Go back to the form and send it again; what you typed is kept on this device, except passwords.")
    elif current_user.is_authenticated:
        message = ("This form was opened before your last sign-in, so it was not saved. "
                   "What you typed is kept on this device: go back to the form, check it and save again.")
    else:
        message = ("Your session ended before this form reached us, so it was not saved. "
                   "What you typed is kept on this device: sign in again and the form comes back filled in.")
    return render_error(400, message, title="Not saved yet")


def refused_by_postgresql(error: DBAPIError):
    """The second wall held where the first did not: a 404 like any row out of reach, and a warning.

    Called by the one DBAPIError handler (app/resilience.py), which also handles lost connections."""
    db.session.rollback()
    current_app.logger.warning("row-level security refused: %s", error.orig)
    return render_error(404)


def init_errors(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        custom = error.description if error.description != type(error).description else None
        if error.code == 429:
            custom = too_many_message(error.description)
        return render_error(error.code, custom)

    app.register_error_handler(CSRFError, form_not_sent)

    @app.errorhandler(TenantWriteRefused)
    @app.errorhandler(ScopeBypassRefused)
    def refused(error):
        db.session.rollback()
        app.logger.warning("tenant guard refused: %s", error)
        return render_error(403, "That change is outside the districts you may change.")

    @app.errorhandler(InternalServerError)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
