"""Personal API tokens: issued once, stored only as a SHA-256 digest, revoked by their owner.

A token lives for the days chosen when it is made (1-365), may be read-only, and dies with its
person's password or email (a token carries the credentials fingerprint it was issued for) and with
their deactivation (`withdraw_access`).
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import ApiToken, User
from app.clock import stored_now
from app.extensions import db
from tenants.database import commit_keeping_loaded

# A recognisable prefix, so that a token pasted into a chat or a repository is easy to spot.
TOKEN_PREFIX = "rsp_"
# Recording every use would add a write to every API call; to the minute is enough to spot a stale token.
LAST_USED_PRECISION = timedelta(minutes=1)
# Long enough for a district's yearly data sync, short enough that a forgotten token dies on its own.
TOKEN_DAYS_MIN, TOKEN_DAYS_MAX, TOKEN_DAYS_DEFAULT = 1, 365, 90


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, name: str, days: int = TOKEN_DAYS_DEFAULT, read_only: bool = False) -> str:
    """Make a token for `user`, valid for `days` days, and return its secret (never stored, never shown again).

    Raises ValueError if `days` is outside TOKEN_DAYS_MIN..TOKEN_DAYS_MAX (forms check this first). The caller commits.
    """
    if not TOKEN_DAYS_MIN <= days <= TOKEN_DAYS_MAX:
        raise ValueError(f"A token lives {TOKEN_DAYS_MIN} to {TOKEN_DAYS_MAX} days, not {days}.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name.strip(), token_hash=digest(secret), read_only=read_only,
                            expires_at=stored_now() + timedelta(days=days), issued_for=user.credentials_fingerprint))
    return secret


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.revoked, ApiToken.id.desc())
    ))


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    """Revoke one of `user`'s own tokens (the caller commits); another person's token is as good as missing."""
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    ).one_or_none()
    if token is not None:
        token.revoked = True
    return token


def is_live(token: ApiToken, now: datetime) -> bool:
    """Not revoked, not expired, its person active and with the credentials it was issued for."""
    return (not token.revoked and now < token.expires_at and token.user.active
            and token.issued_for == token.user.credentials_fingerprint)


def live_token(secret: str) -> ApiToken | None:
    """The live token with this secret, noting when it was used; None for any other.

    One statement reads the token, its person and their grants (the scope of the request is made from them).
    """
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == digest(secret))
        .options(joinedload(ApiToken.user, innerjoin=True).joinedload(User.grants))
    ).unique().one_or_none()
    now = stored_now()
    if token is None or not is_live(token, now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        # Infrastructure of signing in, as a session's last-seen time (app/auth/sessions.py): a request that
        # changes nothing (a GET) commits nothing else, and the note must outlive it. Not expired by this commit:
        # the token, its person and their grants were read in this transaction, and reading them again cost three
        # statements.
        commit_keeping_loaded()
    return token


def revoke_every_token_of(user_id: int) -> None:
    """Revoke all of a person's tokens (the caller commits): deactivation must not be undone by reactivating."""
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
                       .values(revoked=True), execution_options={"synchronize_session": False})
