"""A signed-in person's own API tokens: make one (shown once), revoke one."""
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from app.accounts.forms import NewTokenForm, RevokeTokenForm
from app.accounts.tokens import issue_token, revoke_token, tokens_of
from app.auth.guards import sign_in_required
from app.clock import stored_now

bp = Blueprint("accounts", __name__, url_prefix="/account")


sign_in_required(bp)


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    form = NewTokenForm()
    secret = None
    if form.validate_on_submit():
        secret = issue_token(current_user, form.name.data, form.days.data, form.read_only.data)
        form = NewTokenForm(formdata=None)
    status = 422 if form.errors else 200
    page = render_template("accounts/tokens.html", form=form, secret=secret, tokens=tokens_of(current_user),
                           now=stored_now())
    response = make_response(page, status)
    # The new secret is in this page only: keep it out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    token = revoke_token(current_user, token_id)
    if token is None:
        abort(404)
    flash(f"Revoked the token “{token.name}”: it no longer signs anything in.", "success")
    return redirect(url_for("accounts.tokens"))
