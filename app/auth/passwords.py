"""Password hashing with Argon2id (argon2-cffi).

The cost is argon2-cffi's default (RFC 9106's low-memory profile) unless the app's
`PASSWORD_HASH_COST` says otherwise: only `TestingConfig` does, so that a test that
signs five people in does not spend seconds hashing. A hash carries its own cost,
so `needs_rehash` upgrades any hash made with another cost at the next sign-in.
"""
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

# Length is what makes a password strong; no rules about digits or symbols (NIST SP 800-63B).
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 200


def hash_password(password: str, cost: dict | None = None) -> str:
    """An Argon2id hash; `cost` (PasswordHasher's arguments) defaults to the app's setting."""
    return _hasher(cost).hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def _hasher(cost: dict | None = None) -> PasswordHasher:
    if cost is None and has_app_context():
        cost = current_app.config.get("PASSWORD_HASH_COST")
    return _hasher_with(tuple(sorted((cost or {}).items())))


@lru_cache(maxsize=4)
def _hasher_with(cost: tuple) -> PasswordHasher:
    return PasswordHasher(**dict(cost))
