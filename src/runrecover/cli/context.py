"""What a command gets from its context: the global options, the athlete it acts for, the
database session, the profile; and asking before destroying data."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from msgspec import Struct

from runrecover.units import Units  # loaded by settings on every start anyway

if TYPE_CHECKING:
    from sqlmodel import Session

    from runrecover.athletes import Athlete
    from runrecover.profile import Profile
    from runrecover.records import Records
    from runrecover.settings import Database


class State(Struct):
    db_option: str | None = None
    debug: bool = False
    athlete_option: str | None = None  # the global --athlete
    athlete: "Athlete | None" = None  # whom the command acts for (None: no athlete yet)
    resolved: bool = False  # whether `athlete` was picked yet


def state(ctx: typer.Context) -> State:
    found = ctx.find_object(State)
    if found is None:  # a command run on its own (the demo's story, a test)
        found = ctx.ensure_object(State)
    return found


def pick_athlete(ctx: typer.Context, option: str | None = None) -> "Athlete | None":
    """Pick whom the command acts for, once, before it reads its dates: the athlete named
    (`option`, the command's --athlete, beats the global one, which beats
    RUNRECOVER_ATHLETE), else the database's only one, else none yet. Their zone and units
    are then in force (`clock.local_zone`, `settings.setting`)."""
    from runrecover import athletes, settings

    name, where = athletes.named(option, state(ctx).athlete_option)
    database, _ = settings.db_choice(state(ctx).db_option)
    return act_for(ctx, athletes.pick(athletes.on_database(database), name, where=where))


def act_for(ctx: typer.Context, athlete: "Athlete | None") -> "Athlete | None":
    """Make `athlete` the one the command acts for, their zone and units in force."""
    from runrecover import clock, settings

    found = state(ctx)
    found.athlete, found.resolved = athlete, True
    clock.use_athlete_zone(athlete.time_zone if athlete else None)
    settings.use_athlete_settings({"units": athlete.units if athlete else None})
    return athlete


def athlete(ctx: typer.Context) -> "Athlete | None":
    """The athlete picked for the command (picked now if it was not yet)."""
    found = state(ctx)
    return found.athlete if found.resolved else pick_athlete(ctx)


def athlete_option(ctx: typer.Context, _param: object, value: str | None) -> str | None:
    """`--athlete`'s callback: runs while the command's options are parsed, given or not,
    so the athlete's zone is in force before any date is read."""
    if not ctx.resilient_parsing:  # shell completion: nothing to pick, nothing to say
        pick_athlete(ctx, value)
    return value


def chosen_database(ctx: typer.Context, *, write: bool) -> "Database | None":
    """The database file (or server), or None when a command that only reads finds no file
    yet (it answers from an empty record)."""
    from runrecover import settings
    from runrecover.errors import DatabaseError

    path, named_by = settings.db_choice(state(ctx).db_option)
    if isinstance(path, settings.ServerDatabase):
        return path
    if not write and not path.exists():
        # A command that only reads never creates a database: a typo in --db would
        # otherwise answer from an empty record, and status would say GO.
        if named_by is not None:
            raise DatabaseError(f"There is no database at {path}; check {named_by} (a "
                                "command that only reads never creates one).")
        return None
    return path


SQLITE3_FOR_LOCAL_FILES = True
"""`records` reads a local file through sqlite3 (a test sets False to run the same
commands through SQLAlchemy, as a database server is)."""


@contextmanager
def records(ctx: typer.Context, *, command: str | None = None,
            write: bool = True) -> Iterator["Records"]:
    """The command's one transaction, as the questions read the record; `command` names
    it in the undo journal."""
    database = chosen_database(ctx, write=write)
    if not SQLITE3_FOR_LOCAL_FILES or not (database is None or isinstance(database, Path)):
        from runrecover.records.session import SessionRecords

        with session(ctx, command=command, write=write) as s:
            yield SessionRecords(s)
        return
    from runrecover.records.sqlite import SqliteRecords

    with SqliteRecords.opened(database, write=write, athlete=athlete(ctx),
                              command=command) as opened:
        yield opened


@contextmanager
def session(ctx: typer.Context, *, command: str | None = None,
            write: bool = True) -> Iterator["Session"]:
    """The command's one transaction through SQLAlchemy, scoped to the athlete it acts for
    (`store.scope`); `command` names it in the undo journal."""
    from runrecover import db, store

    picked = athlete(ctx)
    database = chosen_database(ctx, write=write)
    if isinstance(database, Path):
        engine = db.open_database(database, write=write)
    else:
        from runrecover import postgres

        engine = (db.open_empty() if database is None
                  else postgres.open_database(database, write=write))
    try:
        with db.transaction(engine) as s:
            from runrecover import athletes

            picked = athletes.confirmed_in(s, picked, write=write)
            store.scope(s, picked.id if picked else None)
            yield s
            if command is not None:
                store.flush_journal(s, command=command)
    finally:
        engine.dispose()


def profile(*, builtin_only: bool = False) -> "Profile":
    """The profile in force, loaded once by the command that needs it: the user's protocol
    file when there is one (not with `builtin_only`, for the demo's story), the advice
    thresholds, `TZ` or the system's zone, and the units from the settings."""
    from runrecover import clock, settings, units
    from runrecover.profile import Profile
    from runrecover.protocols import load_advice, load_protocols
    from runrecover.protocols.ladders import load_ladders

    user_file = None if builtin_only else settings.user_protocols_file()
    ladders_file = None if builtin_only else settings.user_ladders_file()
    return Profile(protocols=load_protocols(user_file if user_file and user_file.exists()
                                            else None),
                   advice=load_advice(), zone=clock.local_zone(),
                   ladders=load_ladders(ladders_file),
                   units=units.UNITS[settings.setting("units")[0]])


def shown_units() -> Units:
    """The runner's units, as the profile has them, for a command that needs nothing else
    of it: loading the protocols (their data classes and files) would cost it tens of ms."""
    from runrecover import settings, units

    return units.UNITS[settings.setting("units")[0]]


def confirm(question: str, *, yes: bool) -> None:
    """Ask before destroying data; no answer (end of input, Ctrl-C) counts as no. A no is
    the runner's choice, not bad input: it exits 1, not 2."""
    from runrecover.errors import Declined

    if yes:
        return
    try:
        agreed = typer.confirm(question, default=False, err=True)
    except typer.Abort:
        # Nothing ended the prompt's line: the message must not run on after "[y/N]:".
        typer.echo(err=True)
        agreed = False
    if not agreed:
        raise Declined("Not confirmed, so nothing was changed; add --yes to skip the question.")
