"""A signed-in person's notification settings: which mails they get."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.guards import sign_in_required
from app.notifications.forms import wanted_kinds
from app.notifications.models import NotificationKind
from app.notifications.services import save_preferences, turned_off

bp = Blueprint("notifications", __name__, url_prefix="/account")


sign_in_required(bp)


@bp.route("/notifications", methods=["GET", "POST"])
def preferences():
    if request.method == "POST":
        # Checkboxes only: nothing a person sends can be refused (CSRFProtect has checked the token).
        save_preferences(current_user, wanted_kinds(request.form))
        db.session.commit()
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.preferences"))
    off = turned_off(current_user)
    return render_template("notifications/preferences.html", kinds=[(kind, kind not in off) for kind in NotificationKind])
