"""Outgoing email over SMTP, with the settings from the environment (config.py)."""
import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> None:
    """Send one message now; callers that may be retried (jobs) must make sending idempotent."""
    config = current_app.config
    message = EmailMessage()
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
