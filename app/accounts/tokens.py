"""Personal API tokens: issued once, stored only as a SHA-256 digest, revoked by their owner."""
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import ApiToken, User
from app.extensions import db

# A recognisable prefix, so that a token pasted into a chat or a repository is easy to spot.
TOKEN_PREFIX = "rsp_"
# Recording every use would add a write to every API call; to the minute is enough to spot a stale token.
LAST_USED_PRECISION = timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, name: str) -> str:
    """Make a token for `user` and return its secret, which is never stored and never shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name.strip(), token_hash=digest(secret)))
    db.session.commit()
    return secret


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.revoked, ApiToken.id.desc())
    ))


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    """Revoke one of `user`'s own tokens; another person's token is as good as missing."""
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    ).one_or_none()
    if token is not None:
        token.revoked = True
        db.session.commit()
    return token


def user_for_token(secret: str) -> User | None:
    """The active person a live token belongs to, noting when it was used."""
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == digest(secret), ApiToken.revoked.is_(False))
    ).one_or_none()
    if token is None or not token.user.active:
        return None
    now = datetime.now(UTC).replace(tzinfo=None)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.commit()
    return token.user
