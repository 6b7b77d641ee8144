"""Who is signing in."""
from sqlalchemy import func, select

from app.accounts.models import User
from app.auth.passwords import hash_password, needs_rehash, password_matches
from app.extensions import db

# Verified when no account matches, so that a wrong email costs as long as a wrong password.
_NO_ACCOUNT_HASH = hash_password("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """The active person with this email and password, or None."""
    user = db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()
    if user is None:
        password_matches(_NO_ACCOUNT_HASH, password)
        return None
    if not user.active or not password_matches(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user
