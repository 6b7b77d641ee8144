"""Browser sessions kept on the server, so that one ends when it should, even for a copied cookie.

The signed cookie carries a random secret; the `user_sessions` row (by the secret's SHA-256) says
whether that session is still open. Sign-out ends this session; deactivation ends all of a person's
(`withdraw_access`); a new password or email ends them too, through the credentials fingerprint in
Flask-Login's user id (User.get_id); a session unused for SESSION_IDLE_HOURS ends by itself.
"""
import hmac
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, or_, select, update

from app.accounts.models import User, UserSession
from app.accounts.tokens import LAST_USED_PRECISION, digest, revoke_every_token_of
from app.clock import stored_now
from app.extensions import db

SESSION_SECRET_KEY = "session_secret"  # the key of the secret in the cookie


def _idle_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_IDLE_HOURS"])


def start_session(user: User) -> None:
    """Sign `user` in in this browser (the caller commits), forgetting their sessions that have ended."""
    now = stored_now()
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id,
        or_(UserSession.ended_at.is_not(None), UserSession.last_seen_at < now - _idle_lifetime())))
    secret = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, secret_hash=digest(secret), last_seen_at=now))
    login_user(user)
    session[SESSION_SECRET_KEY] = secret
    # A cookie that survives a phone browser's restart; the server decides when the session ends.
    session.permanent = True


def end_session() -> None:
    """Sign out here: this session's cookie, and every copy of it, opens nothing any more (the caller commits)."""
    secret = session.get(SESSION_SECRET_KEY)
    if secret:
        db.session.execute(update(UserSession).where(UserSession.secret_hash == digest(secret),
                                                     UserSession.ended_at.is_(None)).values(ended_at=stored_now()))
    logout_user()
    session.clear()


def user_for_session(user_key: str) -> User | None:
    """Flask-Login's user loader: the person of this cookie, if its session is open, theirs and not idle too long.

    `user_key` is what User.get_id gave at sign-in: "<id>:<credentials fingerprint>".
    """
    user_id, _, fingerprint = user_key.partition(":")
    secret = session.get(SESSION_SECRET_KEY)
    if not user_id.isdigit() or not secret:
        return None
    user = db.session.get(User, int(user_id))
    # A password or email set since this session signed in (a reset, say) ends it.
    if user is None or not user.active or not hmac.compare_digest(fingerprint, user.credentials_fingerprint):
        return None
    open_session = db.session.scalars(select(UserSession).where(
        UserSession.secret_hash == digest(secret), UserSession.user_id == user.id,
        UserSession.ended_at.is_(None))).one_or_none()
    now = stored_now()
    if open_session is None or now - open_session.last_seen_at > _idle_lifetime():
        return None
    # One write a minute at most, as for API tokens.
    if now - open_session.last_seen_at >= LAST_USED_PRECISION:
        open_session.last_seen_at = now
        # Infrastructure of signing in, not a service: it runs before any view, on requests that commit nothing.
        db.session.commit()
    return user


def withdraw_access(user_id: int) -> None:
    """End every session and revoke every API token of a person (deactivated, say); the caller commits."""
    db.session.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                       .values(ended_at=stored_now()), execution_options={"synchronize_session": False})
    revoke_every_token_of(user_id)
