"""A signed-in person's own API tokens: make one (shown once), revoke one."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.forms import load_new_token
from app.accounts.tokens import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX, TOKEN_DAYS_MIN, issue_token, revoke_token, tokens_of
from app.clock import stored_now
from app.extensions import db
from app.forms import InvalidInput
from app.guards import sign_in_required

bp = Blueprint("accounts", __name__, url_prefix="/account")


sign_in_required(bp)


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    values, errors, secret = {"days": TOKEN_DAYS_DEFAULT}, {}, None
    if request.method == "POST":
        try:
            details = load_new_token(request.form)
        except InvalidInput as invalid:
            values, errors = request.form, invalid.messages
        else:
            secret = issue_token(current_user, details["name"], details["days"], details["read_only"])
            db.session.commit()
    page = render_template("accounts/tokens.html", values=values, errors=errors, secret=secret,
                           tokens=tokens_of(current_user), now=stored_now(),
                           token_days=(TOKEN_DAYS_MIN, TOKEN_DAYS_MAX))
    response = make_response(page, 422 if errors else 200)
    # The new secret is in this page only: keep it out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return response


# Flask-WTF's CSRFProtect has checked the POST's token before this runs: a link elsewhere cannot revoke anything.
@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    token = revoke_token(current_user, token_id)
    if token is None:
        abort(404)
    db.session.commit()
    flash(f"Revoked the token “{token.name}”: it no longer signs anything in.", "success")
    return redirect(url_for("accounts.tokens"))
