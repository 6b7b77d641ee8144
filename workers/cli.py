"""`flask worker`: an RQ worker with the application's context."""
import click
from flask.cli import with_appcontext
from rq import Worker

from workers.queues import QUEUES, redis_connection


class AppWorker(Worker):
    """A forking worker whose work horse opens its own database connections."""

    def main_work_horse(self, job, queue):
        from app.extensions import db

        # Connections inherited through fork() are the parent's: never share them.
        db.engine.dispose(close=False)
        return super().main_work_horse(job, queue)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.argument("queues", nargs=-1)
@with_appcontext
def worker_command(burst: bool, queues: tuple[str, ...]) -> None:
    """Run jobs from the queues (all of them by default) until stopped."""
    from flask import current_app

    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError("Set REDIS_URL to run a worker; without it jobs run in-process.")
    AppWorker(list(queues or QUEUES), connection=redis_connection()).work(burst=burst)
