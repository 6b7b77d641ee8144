"""Security headers on every response, with a CSP that the pages satisfy.

Our own pages have no inline script or style. Flask-Admin's templates carry a few
inline event handlers; on /admin only, exactly those are allowed by their hashes.
"""
import base64
import hashlib
import secrets

from flask import g, request

# Inline handlers in Flask-Admin 2.2's bootstrap4 list templates (filters menu, row delete, and the
# "With selected" menu: one handler per action of app/admin/).
ADMIN_INLINE_HANDLERS = (
    "return false;",
    "return faHelpers.safeConfirm('Are you sure you want to delete this record?');",
    "return modelActions.execute('new_version');",
    "return modelActions.execute('resend_invitation');",
)


def _hash_source(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


ADMIN_SCRIPT_HASHES = "'unsafe-hashes' " + " ".join(_hash_source(h) for h in ADMIN_INLINE_HANDLERS)


def content_security_policy(nonce: str, admin: bool) -> str:
    scripts = f"'self' 'nonce-{nonce}'" + (f" {ADMIN_SCRIPT_HASHES}" if admin else "")
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        f"style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def init_security_headers(app) -> None:
    def make_nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    # First of all: a page refused early (a CSRF failure, a rate limit) is rendered with a nonce too.
    app.before_request_funcs.setdefault(None, []).insert(0, make_nonce)

    @app.after_request
    def add_headers(response):
        policy = content_security_policy(g.get("csp_nonce", ""), admin=request.path.startswith("/admin"))
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
