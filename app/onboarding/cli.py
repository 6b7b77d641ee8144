"""`flask import directory PATH`: the state directory from the command line, with a progress bar."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.extensions import db
from app.onboarding.jobs import apply_import
from app.onboarding.services import preview_directory_import
from tenants.roles import Role
from tenants.scope import entered
from tenants.scopes import system_task_scope


@click.group("import")
def import_cli() -> None:
    """Import data from files."""


@import_cli.command("directory")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--as", "admin_email", help="The platform admin recorded as the importer (default: the first one).")
@with_appcontext
def directory_command(path: Path, admin_email: str | None) -> None:
    """Import districts.csv and schools.csv from PATH (the state directory format); safe to run again."""
    with entered(system_task_scope("directory import from the command line")):
        admin = _platform_admin(admin_email)
        preview = preview_directory_import(*(_file(path / name) for name in ("districts.csv", "schools.csv")), admin)
        for error in preview.errors[:50]:
            click.echo(f"{error.file} line {error.line}, {error.column}: {error.message}", err=True)
        if preview.errors:
            raise click.ClickException(f"{len(preview.errors)} rows need fixing; nothing was imported.")
        db.session.commit()  # the batch, before its import: a failed import is recorded on it
        with click.progressbar(length=preview.batch.row_count, label="Importing") as bar:
            result = apply_import(preview.batch.id, admin.id, progress=lambda done, total: bar.update(done - bar.pos))
    click.echo(", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in result.items()))


def _file(path: Path) -> tuple[str, bytes]:
    return path.name, path.read_bytes()


def _platform_admin(email: str | None) -> User:
    query = select(User).where(User.grants.any(RoleGrant.role == Role.PLATFORM_ADMIN)).order_by(User.id)
    if email:
        query = query.where(User.email == email.lower())
    admin = db.session.scalars(query).first()
    if admin is None:
        raise click.ClickException("No platform admin to record as the importer: create one (or run `flask demo load`).")
    return admin
