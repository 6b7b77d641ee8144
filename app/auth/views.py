from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.forms import PASSWORD_RULE, PASSWORDS, ForgotPasswordSchema, SetPasswordSchema, SignInSchema
from app.auth.invitations import request_password_reset
from app.auth.links import LinkPurpose, LinkRefused, user_for_link
from app.auth.services import authenticate, set_password_from_link
from app.auth.sessions import end_session, start_session
from app.extensions import db, limiter
from app.forms import checked_form
from app.text import duration_in_words
from tenants.access import landing_district_slug

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["SIGN_IN_ACCOUNT_RATE_LIMIT"]


def _account_typed() -> str:
    """The account an attempt is for, as the limiter's key: the email typed, spaces and case aside."""
    return "account:" + request.form.get("email", "").strip().lower()


def _refused(response) -> bool:
    """A sign-in that succeeds answers a redirect; only refused ones count: the limit stops guessing, not people
    signing in (a trainer switching demo roles signs in many times a minute)."""
    return response.status_code != 302


# Per client address and per account: people behind one proxy or NAT do not share one allowance. Every attempt
# counts on the pages that send mail; on the sign-in page only the refused ones.
limit_per_address = limiter.limit(_sign_in_limit, methods=["POST"])
limit_per_account = limiter.limit(_account_limit, methods=["POST"], key_func=_account_typed)
refusals_per_address = limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_refused)
refusals_per_account = limiter.limit(_account_limit, methods=["POST"], key_func=_account_typed, deduct_when=_refused)


@bp.route("/sign-in", methods=["GET", "POST"])
@refusals_per_address
@refusals_per_account
def sign_in():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    errors = {}
    if request.method == "POST":
        typed, errors = checked_form(SignInSchema(), request.form, verbatim=PASSWORDS)
        user = authenticate(typed["email"], typed["password"]) if typed else None
        if user is not None:
            start_session(user)
            db.session.commit()
            flash(f"Signed in as {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next"), user))
        errors = errors or {"password": ["That email and password do not match an active account."]}
    return render_template("auth/sign_in.html", values=_shown(request.form), errors=errors), 422 if errors else 200


# CSRFProtect has checked the POST's token before this runs: a link elsewhere cannot sign anyone out.
@bp.post("/sign-out")
def sign_out():
    end_session()
    db.session.commit()
    flash("You are signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limit_per_address
@limit_per_account
def forgot_password():
    errors = {}
    if request.method == "POST":
        typed, errors = checked_form(ForgotPasswordSchema(), request.form)
        if typed:
            request_password_reset(typed["email"])
            # The same answer whether the email has an account or not: this page never tells who has one.
            lasts = duration_in_words(LinkPurpose.RESET.max_age_seconds)
            flash(f"If {request.form['email'].strip()} is the email of an account, a link to set a new password is "
                  f"on its way there. It works once, for {lasts}.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html", values=request.form, errors=errors), 422 if errors else 200


@bp.route("/set-password/<any(invitation, reset):purpose>/<token>", methods=["GET", "POST"])
@limit_per_address
def set_password(purpose: str, token: str):
    purpose = LinkPurpose(purpose)
    try:
        user = user_for_link(token, purpose)
        errors = {}
        if request.method == "POST":
            typed, errors = checked_form(SetPasswordSchema(), request.form, verbatim=PASSWORDS)
            if typed:
                if not set_password_from_link(user, typed["password"]):
                    raise LinkRefused("used")
                start_session(user)
                db.session.commit()
                flash(f"Your password is set. Signed in as {user.name}.", "success")
                return redirect(url_for("home.index"))
        page = render_template("auth/set_password.html", errors=errors, user=user, purpose=purpose,
                               password_rule=PASSWORD_RULE)
        status = 422 if errors else 200
    except LinkRefused as refused:
        page = render_template("auth/link_refused.html", reason=refused.reason, purpose=purpose,
                               lasts=duration_in_words(purpose.max_age_seconds))
        status = refused.status
    response = make_response(page, status)
    # The token is in this page's address: keep it out of caches and out of Referer headers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _shown(form) -> dict:
    """What a refused form shows again: everything typed but the passwords, which never go back into a page."""
    return {key: value for key, value in form.items() if key not in PASSWORDS}


def _safe_next(target: str | None, user) -> str:
    """Only a path on this site, never another host; else where this person's work is."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return landing_url(user)


def landing_url(user) -> str:
    """Where a person's work is: a district leader of one district on its dashboard, everyone else home."""
    slug = landing_district_slug(user)
    return url_for("plans.dashboard", slug=slug) if slug else url_for("home.index")
