"""The offline field form, the web app manifest, the service worker and the outbox's session check."""
import hashlib
from pathlib import Path

from flask import Blueprint, current_app, jsonify, make_response, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from app.districts.models import GRADES
from app.fieldwork.visit_form import DEFAULT_KIND, VISIT_KINDS, field_limits, required_fields
from app.offline.services import field_kit

bp = Blueprint("offline", __name__)

# Static files the field form needs offline, relative to app/static; the service worker caches them on install.
FIELD_ASSETS = ("app.css", "drafts.js", "offline/session.js", "offline/outbox.js", "offline/field.js",
                "offline/icon-192.png", "offline/icon-512.png")


@bp.get("/field")
@login_required
def field():
    return render_template("offline/field.html", kit=field_kit(current_user), grades=GRADES, kinds=VISIT_KINDS,
                           default_kind=DEFAULT_KIND, limits=field_limits(), required=required_fields())


@bp.get("/field/session")
def session():
    """Who is signed in and a fresh CSRF token: the outbox asks before sending, never trusting a cached page."""
    if not current_user.is_authenticated:
        response = jsonify(error={"status": 401, "message": "Sign in again to send what is waiting."})
        response.status_code = 401
    else:
        response = jsonify(user_id=current_user.id, csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    response = jsonify(
        name="Regional support · Field capture",
        short_name="Field capture",
        description="Log school visits and classroom observations, with or without a connection.",
        start_url=url_for("offline.field"),
        scope="/",
        display="standalone",
        background_color="#ffffff",
        theme_color="#0b4f8a",
        icons=[
            {"src": url_for("static", filename=f"offline/icon-{size}.png"), "sizes": f"{size}x{size}",
             "type": "image/png", "purpose": "any"}
            for size in (192, 512)
        ],
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/service-worker.js")
def service_worker():
    """Served from the site root so that its scope covers /field; its version changes with the assets it caches."""
    assets = [url_for("static", filename=name) for name in FIELD_ASSETS]
    body = render_template("offline/service-worker.js", version=assets_version(), assets=assets,
                           field_page=url_for("offline.field"))
    response = make_response(body)
    response.mimetype = "text/javascript"
    # The browser checks for a new worker on navigation; never let an HTTP cache hide one.
    response.headers["Cache-Control"] = "no-cache"
    return response


def assets_version() -> str:
    static = Path(current_app.static_folder)
    digest = hashlib.sha256()
    for name in FIELD_ASSETS:
        digest.update((static / name).read_bytes())
    return digest.hexdigest()[:12]
