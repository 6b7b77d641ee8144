from flask_wtf import FlaskForm
from wtforms import BooleanField

from app.notifications.models import NotificationKind


class NotificationPreferencesForm(FlaskForm):
    """A checkbox per kind of notification; a kind left unchecked is turned off."""

    def kind_fields(self) -> list[BooleanField]:
        return [self[kind.value] for kind in NotificationKind]

    def wanted(self) -> set[NotificationKind]:
        return {kind for kind in NotificationKind if self[kind.value].data}


for _kind in NotificationKind:
    setattr(NotificationPreferencesForm, _kind.value, BooleanField(_kind.label, description=_kind.description))
