"""The notification settings: a checkbox per kind, loaded by `app.forms.load_form`."""
from marshmallow import EXCLUDE, Schema, fields
from werkzeug.datastructures import MultiDict

from app.forms import load_form
from app.notifications.models import NotificationKind

NotificationPreferencesSchema = Schema.from_dict(
    {kind.value: fields.Boolean(load_default=False) for kind in NotificationKind},
    name="NotificationPreferencesSchema")


def wanted_kinds(form: MultiDict) -> set[NotificationKind]:
    """The kinds checked on the form; a kind left unchecked (a checkbox not sent) is turned off."""
    kinds = [kind.value for kind in NotificationKind]
    chosen = load_form(NotificationPreferencesSchema(unknown=EXCLUDE), form, checkboxes=kinds)
    return {kind for kind in NotificationKind if chosen[kind.value]}
