"""`runrecover backup [FILE]` and `runrecover restore FILE`."""

from pathlib import Path
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import confirm, state
from runrecover.cli.options import YesOption


def _local_file(ctx: typer.Context, command: str) -> Path:
    """The database file: backup and restore copy files, which a server's database is not."""
    from runrecover import settings
    from runrecover.errors import InputError

    database = settings.db_path(state(ctx).db_option)
    if isinstance(database, settings.ServerDatabase):
        raise InputError(f"'{command}' copies a local database file, and {database} is a "
                         "PostgreSQL database: copy it with 'runrecover export' or pg_dump.")
    return database


@app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(
        help="Where to write the copy (default: backups/ beside the database).",
        dir_okay=False)] = None,
) -> None:
    """Copy the database safely, every athlete's record in it, even while other commands
    write to it (mode 0600)."""
    from runrecover import clock, db
    from runrecover.render import console

    path = _local_file(ctx, "backup")
    engine = db.open_database(path, write=False)
    engine.dispose()
    if file is None:
        stamp = clock.now().strftime("%Y-%m-%d-%H%M%S")
        file = path.parent / "backups" / f"runrecover-{stamp}.db"
    db.backup_file(path, file)
    done = f"Backed up {path} to {file}."
    if str(file) == "-":
        console.warn(done)  # stdout holds the copy itself
    else:
        console.show(done)


@app.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup made by 'runrecover backup'.",
                                         dir_okay=False)],
    yes: YesOption = False,
) -> None:
    """Replace the database with a backup, every athlete's record in it (what it replaces is
    kept beside it)."""
    from runrecover import clock, db
    from runrecover.errors import InputError
    from runrecover.render import console

    path = _local_file(ctx, "restore")
    if not file.is_file():
        raise InputError(f"There is no backup file {file}.")
    db.check_backup(file)
    confirm(f"Replace {path} with {file}?", yes=yes)
    kept, unreadable = None, False
    if path.exists():
        unreadable = db.check_replaceable(path)
        kept = path.with_name(f"{path.name}.before-restore-{clock.now():%Y-%m-%d-%H%M%S}")
        db.keep_before_restore(path, kept)
    db.restore_file(file, path, unreadable=unreadable)
    db.open_database(path, write=False).dispose()  # brings an older backup up to date
    console.show(f"Restored {path} from {file}."
                 + (f" The previous database is kept as {kept}." if kept else ""))
