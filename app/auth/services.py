"""Who is signing in, and setting a password through a link."""
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.auth.passwords import hash_password, needs_rehash, password_matches
from app.extensions import db


def _no_account_hash() -> str:
    """Verified when no account matches, so that a wrong email costs as long as a wrong password: made with
    the cost the app hashes passwords with (PASSWORD_HASH_COST), as every account's hash is."""
    return _hash_of_no_account(tuple(sorted((current_app.config.get("PASSWORD_HASH_COST") or {}).items())))


@lru_cache(maxsize=4)
def _hash_of_no_account(cost: tuple) -> str:
    return hash_password("no account has this password", dict(cost))


def person_with_email(email: str) -> User | None:
    """The person with this email, whatever its case."""
    return db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def authenticate(email: str, password: str) -> User | None:
    """The active person with this email and password, or None."""
    user = person_with_email(email)
    if user is None:
        password_matches(_no_account_hash(), password)
        return None
    if not user.active or not password_matches(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password_from_link(user: User, password: str) -> bool:
    """Set `user`'s password unless it or their email changed since the link was checked; the caller commits.

    The check and the write are one UPDATE, so the same link submitted twice at once sets one password.
    """
    changed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.email == user.email,
               User.password_hash.is_not_distinct_from(user.password_hash))
        .values(password_hash=hash_password(password)),
        execution_options={"synchronize_session": "fetch"},
    ).rowcount == 1
    return changed
