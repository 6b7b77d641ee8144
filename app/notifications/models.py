"""Which notifications a person turned off (a platform-wide table: it is about a person); mail sent is app.mail's."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.base import Id
from tenants.models import enum_check


class NotificationKind(StrEnum):
    """The notifications a person may turn off; invitations and password resets are not among them.

    Each is also a `MailKind` of the same value (app/mail.py), under which it is sent once.
    """

    FOLLOW_UP_REMINDER = "follow_up_reminder"
    REPORT_READY = "report_ready"
    WEEKLY_DIGEST = "weekly_digest"

    @property
    def label(self) -> str:
        return KIND_LABELS[self][0]

    @property
    def description(self) -> str:
        return KIND_LABELS[self][1]


KIND_LABELS = {
    NotificationKind.FOLLOW_UP_REMINDER: (
        "Follow-up reminders",
        "Each morning, the follow-ups of your visits due that day or overdue (none sent when there are none).",
    ),
    NotificationKind.REPORT_READY: (
        "Status report ready",
        "When a status report of a district you lead is made, scheduled or on demand, with its link.",
    ),
    NotificationKind.WEEKLY_DIGEST: (
        "Weekly digest",
        "Monday mornings, for regional directors: last week's visits in your regions, schools needing "
        "assistance not visited in 30 days, overdue follow-ups.",
    ),
}


class NotificationOptOut(db.Model):
    """A kind of notification a person turned off; every kind is on until they do."""

    __tablename__ = "notification_opt_outs"
    __table_args__ = (enum_check("kind", "kind", NotificationKind),)

    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(String(30), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

