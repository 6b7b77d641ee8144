"""A signed-in person's notification settings: which mails they get."""
from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.guards import sign_in_required
from app.notifications.forms import NotificationPreferencesForm
from app.notifications.models import NotificationKind
from app.notifications.services import save_preferences, turned_off

bp = Blueprint("notifications", __name__, url_prefix="/account")


sign_in_required(bp)


@bp.route("/notifications", methods=["GET", "POST"])
def preferences():
    # An unchecked box is not sent: on a POST its absence means "off", so the stored settings are no default.
    stored = None if request.method == "POST" else {
        kind.value: kind not in turned_off(current_user) for kind in NotificationKind
    }
    form = NotificationPreferencesForm(data=stored)
    if form.validate_on_submit():
        save_preferences(current_user, form.wanted())
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.preferences"))
    page = render_template("notifications/preferences.html", form=form)
    return make_response(page, 400 if form.errors else 200)
