"""The SQLAlchemy object, made here because every session it opens is a `TenantSession`.

`app.extensions` re-exports it beside the other extensions, so the application has one place to take
it from; tenancy itself takes it from here and so needs nothing of `app`.
"""
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

from tenants.session import TenantSession

# Stable constraint names, so that migrations can drop and alter them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING), session_options={"class_": TenantSession})


def commit_keeping_loaded() -> None:
    """Commit, leaving the rows in the session as loaded instead of expired.

    For a request that reads, after its commit, rows it has just read or written in that very transaction
    (the token that signed it in, the visit it answers with): expired, each would be read again, a statement
    apiece, to find what the request already holds.
    """
    session = db.session()
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring
