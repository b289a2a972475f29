"""The root Typer app: global options and the error boundary every command runs inside."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperArgument, TyperGroup

from runrecover import __version__, clock, settings
from runrecover.cli import coercion, usage
from runrecover.cli.complete import athlete_names
from runrecover.cli.context import State
from runrecover.errors import ExitCode, Remedy, RunRecoverError
from runrecover.render.console import error


def _database_error(exc: Exception, path: "settings.Database") -> str | None:
    """A sentence for failures of the database at `path` (a SQLite file, or a PostgreSQL
    server's database: see `_server_error`), or None if not one."""
    if isinstance(path, settings.ServerDatabase):
        return _server_error(exc, path)
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    import sqlite3

    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.DBAPIError):
        exc = exc.orig
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return ("The database stayed locked by another runrecover for too long; "
                "try again in a moment.")
    if code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and _disk_full(path)):
        return f"No space left on {path}; nothing was changed."
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return (f"The database {path} cannot be used ({exc}): the file or its folder may be "
                "read-only; make both writable, or give another file with --db.")
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return (f"The database {path} is damaged ({exc}); nothing was changed: restore a "
                "backup with 'runrecover restore FILE'.")
    return (f"The database {path} cannot be used ({exc}); "
            "check it with 'runrecover backup' or restore one with 'runrecover restore'.")


def _server_error(exc: Exception, database: "settings.ServerDatabase") -> str | None:
    """A sentence for the driver's failures on a PostgreSQL database, URL without password."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None:
        return None
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.DBAPIError):
        exc = exc.orig
    if not isinstance(exc, psycopg.Error):
        return None
    from runrecover import postgres

    return str(postgres.unusable(database, exc))


def _disk_full(path: Path) -> bool:
    """SQLite reports a -shm it cannot grow as an I/O error, without the errno: an I/O
    error on a disk with (next to) no free space is that disk being full."""
    try:
        disk = os.statvfs(path.parent)
    except OSError:
        return False
    return disk.f_bavail * disk.f_frsize < 1024 * 1024


REMEDY_WORDS = {
    Remedy.restore: "restore a backup with 'runrecover restore FILE'",
    Remedy.other_file: "give another file with --db, or move this one aside",
    Remedy.upgrade: "upgrade runrecover",
    Remedy.writable: "make the file and its folder writable, or give another file with --db",
    Remedy.target: "give the database to restore into with --db",
}


def _sentence(exc: RunRecoverError) -> str:
    """An error's message, and for a database that cannot be used what to do about it."""
    remedy = getattr(exc, "remedy", None)
    message = str(exc).rstrip(".")
    return f"{message}; {REMEDY_WORDS[remedy]}." if remedy else str(exc)


def _say(message: str) -> None:
    """One line on stderr, ending as a sentence: a value the user typed may hold a newline or
    other control characters, which are shown escaped, or a database URL's password, which
    is hidden."""
    from runrecover.settings import hide_passwords

    line = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in hide_passwords(message.strip()))
    error(line if line.endswith((".", "?", "!")) else line + ".")


def _is_help(exc: Exception) -> bool:
    # A group run with no command shows its help: not an error to reword (Typer checks the same).
    return type(exc).__name__ == "NoArgsIsHelpError"


# `runrecover --help` lists commands by when they are used; one missing here shows under
# "More".
PANELS = {
    "Every day": ("log", "pain", "status"),
    "After a visit": ("treat",),
    "Looking back": ("timeline", "injury", "list", "report"),
    "Several athletes": ("athletes",),
    "Planning": ("ladder", "race", "rules", "config"),
    "Your data": ("export", "import", "backup", "restore", "undo", "edit", "delete"),
}


class Boundary(TyperGroup):
    """Turns every error into one sentence on stderr and an exit code (tracebacks: --debug);
    lists its commands by panel."""

    def format_commands(self, ctx, formatter) -> None:
        shown = {name: cmd for name in self.list_commands(ctx)
                 if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden}
        panels = {title: [n for n in names if n in shown] for title, names in PANELS.items()}
        panels["More"] = [n for n in shown if not any(n in names for names in PANELS.values())]
        for title, names in panels.items():
            if names:
                # The whole first sentence, wrapped by the formatter rather than cut at "...".
                rows = [(n, shown[n].get_short_help_str(limit=1000)) for n in names]
                with formatter.section(title):
                    formatter.write_dl(rows)

    def make_context(self, info_name, args, parent=None, **extra):
        # The global options are parsed here, outside invoke(): their usage errors too.
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except typer.TyperException as exc:
            if _is_help(exc):
                raise
            _say(usage.sentence(exc))
            raise typer.Exit(int(ExitCode.BAD_INPUT)) from None

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            # The reader (head, a pager closed early) stopped listening: not our failure.
            # Point stdout at nothing so that the flush at exit does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except RunRecoverError as exc:
            if _debug(ctx):
                raise
            _say(_sentence(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except typer.TyperException as exc:  # Typer's usage errors: bad option values
            if _is_help(exc):
                raise
            _say(usage.sentence(exc))
            raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
        except Exception as exc:
            if _debug(ctx):
                raise
            state = ctx.find_object(State) or State()
            message = _database_error(exc, settings.db_path(state.db_option))
            if message is None:
                _say(f"runrecover failed unexpectedly ({type(exc).__name__}: {exc}); "
                     "run again with --debug for the details.")
                raise typer.Exit(70) from None
            _say(message)
            raise typer.Exit(int(ExitCode.DB_UNUSABLE)) from None


def _metavar_only(self, ctx):
    # An argument given a metavar ("FILE...") says all it takes; Typer would add its Python
    # type after it ("<list[Path]>").
    return None if self.metavar else self.display_type(ctx)


TyperArgument.display_type_rich = _metavar_only


def _debug(ctx: typer.Context) -> bool:
    state = ctx.find_object(State)
    return bool(state and state.debug) or bool(os.environ.get("RUNRECOVER_DEBUG"))


coercion.install()  # no pydantic for the plain values of our options
app = typer.Typer(
    cls=Boundary,
    help="Track an injury's recovery: treatments, pain, runs, and when you may run again.",
    # Bare `runrecover` answers the morning question (the root callback below).
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"runrecover {__version__}")
        raise typer.Exit()


def _forget_athlete() -> None:
    clock.use_athlete_zone(None)
    settings.use_athlete_settings({})


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="PATH", show_envvar=False,
        help="Database file, sqlite:///PATH or postgresql://URL (also RUNRECOVER_DB; "
        "default: runrecover.db in your user data directory).")] = None,
    athlete: Annotated[str | None, typer.Option(
        "--athlete", metavar="NAME", help="Whose record, for every command: the athlete's "
        "name, any case (also RUNRECOVER_ATHLETE; a command's own --athlete beats it; none "
        "needed while the database holds one athlete).",
        autocompletion=athlete_names)] = None,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the full traceback when something fails.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    ctx.obj = State(db_option=db, debug=debug, athlete_option=athlete)
    # Whose zone and units are in force is picked anew by each command (`pick_athlete`),
    # and forgotten when it ends (a process may run several: the tests do).
    _forget_athlete()
    ctx.call_on_close(_forget_athlete)
    # Health data: everything this process creates (database, exports, backups) is private.
    os.umask(0o077)
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        # Bare `runrecover` is `runrecover status`: can I run today? (With nothing recorded,
        # the status view welcomes with first steps.) Imported here: `--help` stays light.
        from runrecover.cli.context import pick_athlete
        from runrecover.cli.status import status

        pick_athlete(ctx)
        status(ctx)


