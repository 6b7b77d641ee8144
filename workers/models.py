"""The record of background work to do (a platform table): Redis only carries it out."""
from datetime import datetime

from sqlalchemy import JSON, String, func
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import Id
from tenants.database import db


class BackgroundJob(db.Model):
    """One job enqueued on RQ, kept until it has finished, so that work Redis lost is enqueued again.

    `rq_id` is the job's id on RQ (the same for every attempt and re-enqueue); `args` are the job's
    arguments (ids and ISO dates only); `finished_at` is set when a run succeeds.
    """

    __tablename__ = "background_jobs"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    rq_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    args: Mapped[list] = mapped_column(JSON)
    queue: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(index=True)
