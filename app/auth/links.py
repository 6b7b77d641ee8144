"""Signed, expiring, single-use links to set a password: invitations and password resets.

No table: a link carries the person's id and a fingerprint of their password
hash and email, signed with SECRET_KEY and a salt per purpose. Setting a
password changes the fingerprint, so every link made before stops working.
"""
import hmac
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User
from app.extensions import db


class LinkPurpose(StrEnum):
    INVITATION = "invitation"
    RESET = "reset"

    @property
    def max_age_seconds(self) -> int:
        setting = "INVITATION_MAX_AGE_SECONDS" if self is LinkPurpose.INVITATION else "PASSWORD_RESET_MAX_AGE_SECONDS"
        return current_app.config[setting]


class LinkRefused(Exception):
    """A link that sets no password: `reason` is expired, used or broken."""

    STATUS = {"expired": 410, "used": 410, "broken": 400}

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.status = self.STATUS[reason]


def _serializer(purpose: LinkPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"set-password:{purpose}")


def make_link_token(user: User, purpose: LinkPurpose) -> str:
    return _serializer(purpose).dumps({"user": user.id, "fp": user.credentials_fingerprint})


def user_for_link(token: str, purpose: LinkPurpose) -> User:
    """The active person whose password this link may set, or LinkRefused saying why not."""
    try:
        payload = _serializer(purpose).loads(token, max_age=purpose.max_age_seconds)
    except SignatureExpired:
        raise LinkRefused("expired") from None
    except BadSignature:
        raise LinkRefused("broken") from None
    user = db.session.get(User, payload["user"])
    if user is None or not user.active or not hmac.compare_digest(payload["fp"], user.credentials_fingerprint):
        raise LinkRefused("used")
    return user
