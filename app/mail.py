"""Outgoing email over SMTP, with the settings from the environment (config.py)."""
import smtplib
from email import policy
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app
from rq import get_current_job

from workers.queues import enqueue, redis_connection

# Lines up to SMTP's limit go out as they are: a link longer than 78 characters is not wrapped in quoted-printable,
# so it survives copying from any mail program (and from what `make mail` prints).
LONG_LINES = policy.default.clone(max_line_length=998)
MAIL_QUEUE = "notifications"
# How long a job remembers that it sent its mail: longer than all of its retries.
SENT_MARK_SECONDS = 24 * 3600


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


def send_mail_once(to: str, subject: str, text: str) -> bool:
    """Send from a job at most once per job and address, even if the queue delivers it again; False if sent before."""
    job = get_current_job()
    if job is None:  # in-process: nothing delivers it twice
        send_mail(to, subject, text)
        return True
    mark = f"mail-sent:{job.id}:{to}"
    if redis_connection().exists(mark):
        return False
    send_mail(to, subject, text)
    redis_connection().set(mark, 1, ex=SENT_MARK_SECONDS)
    return True


def link_to(endpoint: str, **values) -> str:
    """An absolute URL for a mail, from BASE_URL: a job has no request to take the host from."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def render_mail(template: str, **context) -> str:
    """The text of a mail from its template."""
    # Plain Jinja, not render_template: a worker has no request and no signed-in person for the layout's context.
    return current_app.jinja_env.get_template(template).render(**context)
