"""Outgoing email over SMTP, with the settings from the environment (config.py), and the one way to send it once.

Delivery of jobs is at least once: every mail a job sends goes through `send_once`, which claims the
unique key (person, kind, about) in `sent_mails` before sending and commits it after, so a rerun, a
retried job, a second scheduler or a job enqueued again after Redis lost it sends nothing twice. A mail
that fails releases its claim and the job's retry sends it. The record is in the database, not Redis:
a Redis that restarts empty between two attempts forgets nothing.
"""
import smtplib
from datetime import datetime
from email import policy
from email.message import EmailMessage
from enum import StrEnum
from urllib.parse import urlsplit
from uuid import uuid4

from flask import current_app
from rq import get_current_job
from sqlalchemy import ForeignKey, String, UniqueConstraint, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.base import Id
from tenants.models import enum_check
from workers.queues import enqueue

# Lines up to SMTP's limit go out as they are: a link longer than 78 characters is not wrapped in quoted-printable,
# so it survives copying from any mail program (and from what `make mail` prints).
LONG_LINES = policy.default.clone(max_line_length=998)
MAIL_QUEUE = "notifications"


class MailKind(StrEnum):
    """Every mail the platform sends; the notifications a person may turn off are among them (NotificationKind)."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"
    FOLLOW_UP_REMINDER = "follow_up_reminder"
    REPORT_READY = "report_ready"
    WEEKLY_DIGEST = "weekly_digest"
    # A principal's evaluation is ready to sign: says so, never what it says (tenants/personnel.py).
    EVALUATION_TO_SIGN = "evaluation_to_sign"


class SentMail(db.Model):
    """One mail sent (or being sent): its unique (person, kind, about) is the claim that makes it go once.

    `about` names what the mail is about: a day, an ISO week, a district's report, the job that sends a link.
    Platform-wide, as the person it goes to: the district a mail is about is in `about` ("report 3/17"), not
    in a `district_id`, since the jobs that send mail read their districts and write none.
    """

    __tablename__ = "sent_mails"
    __table_args__ = (
        enum_check("kind", "kind", MailKind),
        UniqueConstraint("user_id", "kind", "about"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[MailKind] = mapped_column(String(30))
    about: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime] = mapped_column(server_default=func.now())


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> None:
    """Send one message now; callers that may be retried (jobs) must make sending idempotent."""
    config = current_app.config
    message = EmailMessage(policy=LONG_LINES)
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def send_later(job_name: str, *args) -> bool:
    """Queue a mail job on the notifications queue; False if it ran in-process and the mail server did not answer.

    Without Redis the job runs now, inside the request: a mail server that is down is logged, never
    raised, so the page that asked (a report made, a person invited) still works.
    """
    try:
        enqueue(job_name, *args, queue_name=MAIL_QUEUE)
    except OSError as error:  # smtplib's errors are OSErrors
        if current_app.config.get("REDIS_URL"):
            raise
        current_app.logger.error("%s%s: no mail sent: %s", job_name, args, error)
        return False
    return True


def send_once(user, kind: MailKind, about: str, subject: str, text: str) -> bool:
    """Mail `user` unless a mail of `kind` about `about` went to them already; True if sent now.

    Commits: the claim is committed with each mail sent, so that a retried job skips those already sent.
    """
    claim = db.session.begin_nested()
    try:
        # On PostgreSQL a run at the same moment waits here for the other's commit, then finds the key taken.
        db.session.add(SentMail(user_id=user.id, kind=kind, about=about))
        db.session.flush()
    except IntegrityError:
        claim.rollback()
        return False
    try:
        send_mail(user.email, subject, text)
    except Exception:
        claim.rollback()  # not sent: the claim goes (and nothing else of the caller's), and the job's retry sends it
        raise
    claim.commit()
    db.session.commit()
    return True


def this_delivery() -> str:
    """What a mail sent once per job is about: the job's id, the same on each retry and when the reconcile
    enqueues again a job Redis lost; in-process (no Redis) nothing delivers a job twice, and a fresh id says so."""
    job = get_current_job()
    return f"job {job.id}" if job is not None else f"in-process {uuid4().hex}"


def link_to(endpoint: str, **values) -> str:
    """An absolute URL for a mail, from BASE_URL: a job has no request to take the host from."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def render_mail(template: str, **context) -> str:
    """The text of a mail from its template."""
    # Plain Jinja, not render_template: a worker has no request and no signed-in person for the layout's context.
    return current_app.jinja_env.get_template(template).render(**context)
