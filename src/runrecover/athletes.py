"""Whose record: the athletes of a database (a clinic's or a club's holds many).

Every entry and journal row belongs to one athlete (`athlete_id`); which one a command acts
for is picked once, before the command reads its options' dates (`pick`): the athlete
named, else the database's only one. A database with no athlete yet (a new one) gets `me`
from the first command that writes, inside that command's transaction, where the pick is
also checked again (`confirmed`).

The athlete table is read and written here alone, with the SQL of one `Step` connection
(`migrations.StepConnection`: sqlite3 or psycopg underneath, `?` placeholders on both), so
that choosing the athlete costs a local file one small query and no SQLAlchemy.
"""

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from runrecover.errors import InputError
from runrecover.migrations import FIRST_ATHLETE, SQLITE_DATETIME
from runrecover.migrations import StepConnection as Step
from runrecover.units import quoted

if TYPE_CHECKING:
    from runrecover.settings import Database, ServerDatabase

__all__ = ["FIRST_ATHLETE", "Athlete", "Step"]

ENV = "RUNRECOVER_ATHLETE"
NAME_MAX = 200
UNITS = ("km", "mi")


class Athlete(Struct, frozen=True):
    id: int
    name: str
    time_zone: str | None = None
    units: str | None = None
    note: str | None = None


_COLUMNS = "id, name, time_zone, units, note"


def key(name: str) -> str:
    """What two names are compared by: the whole name, its case and surrounding spaces
    aside."""
    return name.strip().casefold()


def listed(found: Sequence[Athlete]) -> str:
    return ", ".join(a.name for a in found)


def all_of(conn: Step) -> list[Athlete]:
    """The athletes, in the order they were added."""
    return [Athlete(*row) for row in conn.execute(
        f"SELECT {_COLUMNS} FROM athlete ORDER BY id").fetchall()]


def pick(found: Sequence[Athlete], name: str | None, *, where: str = "--athlete"
         ) -> Athlete | None:
    """The athlete a command acts for among `found`: the one `name` names (`where` says
    where it was given), else the only one, else None when there is none yet. Several and
    none named, or a name that is not there, is refused: never an answer from a guessed
    record, never an athlete made by a typo."""
    if name is not None and name.strip():
        wanted = key(name)
        for athlete in found:
            if key(athlete.name) == wanted:
                return athlete
        there = (f"the athletes here are {listed(found)}" if found
                 else "this database holds no athlete yet")
        raise InputError(f"There is no athlete {quoted(name.strip())} ({where}): {there}; "
                         "add one with 'runrecover athletes add NAME'.")
    if len(found) > 1:
        raise InputError(f"This database holds several athletes ({listed(found)}): name one "
                         f"with --athlete NAME or {ENV}.")
    return found[0] if found else None


def confirmed(conn: Step, picked: Athlete | None, *, write: bool) -> Athlete | None:
    """The athlete a command picked before reading its dates (`pick`), as its own
    transaction finds them (under the write lock for a write). Another process may have
    added an athlete or changed this one's zone or units meanwhile, and the command's dates
    were read in the zone picked: it goes on only when the settings it read them with are
    still the athlete's. A write with no athlete yet makes `me`."""
    from runrecover.errors import DatabaseError

    found = all_of(conn)
    if picked is None:
        now = pick(found, None)  # several now, none named: refused as ever
        if now is None:
            return add(conn, FIRST_ATHLETE) if write else None
    else:
        now = next((a for a in found if a.id == picked.id), None)

    def settings(athlete: Athlete | None) -> tuple[str | None, str | None]:
        return (athlete.time_zone, athlete.units) if athlete else (None, None)

    if now is None or settings(now) != settings(picked):
        raise DatabaseError("The athletes of this database changed while the command ran (a "
                            "zone, units or a new athlete), so nothing was written or "
                            "answered: run it again.")
    return now


def confirmed_in(session: Any, picked: Athlete | None, *, write: bool) -> Athlete | None:
    """`confirmed` in a SQLAlchemy session's transaction."""
    return confirmed(Step(session.connection().connection.dbapi_connection,
                          session.get_bind().dialect.name), picked, write=write)


# -- reading them before the command runs ---------------------------------------------------

def on_file(path: Path) -> list[Athlete]:
    """The athletes of a SQLite file (none when there is no file yet): the file is checked
    and migrated as every command's is (`db.connect`)."""
    from runrecover import db

    if not path.is_file():
        return []
    with db.connection_transaction(path, write=False) as connection:
        return all_of(Step(connection, "sqlite"))


def on_database(database: "Database") -> list[Athlete]:
    from runrecover.settings import ServerDatabase

    if isinstance(database, ServerDatabase):
        return on_server(database)
    return on_file(database)


def on_server(database: "ServerDatabase") -> list[Athlete]:
    """The athletes of a PostgreSQL database, through psycopg alone; none when it holds no
    runrecover schema yet (the command itself then says so, or makes it)."""
    from runrecover import postgres

    return postgres.read_athletes(database, lambda raw: all_of(Step(raw, "postgresql")))


# -- changing them ---------------------------------------------------------------------------

def check_name(name: str) -> str:
    shown = name.strip()
    if not shown:
        raise InputError("An athlete's name cannot be empty.")
    if len(shown) > NAME_MAX or not shown.isprintable():
        raise InputError(f"The athlete's name {quoted(shown)} is not accepted: printable text "
                         f"of at most {NAME_MAX} characters.")
    return shown


def check_zone(zone: str | None) -> str | None:
    """An IANA zone name (Europe/Paris), or None for an empty one (the runner's zone)."""
    if zone is None or not zone.strip():
        return None
    from zoneinfo import ZoneInfo

    name = zone.strip()
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        raise InputError(f"--zone {quoted(name)} is not a time zone: give an IANA name such "
                         "as Europe/Paris or America/New_York.") from None
    return name


def check_units(units: str | None) -> str | None:
    if units is None or not units.strip():
        return None
    if units.strip() not in UNITS:
        raise InputError(f"--units {quoted(units)} is not a unit: use km or mi.")
    return units.strip()


def _taken(conn: Step, name: str, *, but: int | None = None) -> None:
    for athlete in all_of(conn):
        if key(athlete.name) == key(name) and athlete.id != but:
            raise InputError(f"There is already an athlete {quoted(athlete.name)} (names are "
                             "the same whatever their case); nothing was changed.")


def add(conn: Step, name: str, *, time_zone: str | None = None, units: str | None = None,
        note: str | None = None) -> Athlete:
    import uuid

    name = check_name(name)
    _taken(conn, name)
    now = datetime.now(UTC)
    conn.execute("INSERT INTO athlete (uid, created_at, name, time_zone, units, note) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (str(uuid.uuid4()), now.strftime(SQLITE_DATETIME) if conn.dialect == "sqlite"
                  else now, name, time_zone, units, note))
    return next(a for a in all_of(conn) if a.name == name)


def change(conn: Step, athlete: Athlete, **values: Any) -> Athlete:
    """`athlete` with `values` (name, time_zone, units) changed."""
    if "name" in values:
        values["name"] = check_name(values["name"])
        _taken(conn, values["name"], but=athlete.id)
    if values:
        conn.execute(f"UPDATE athlete SET {', '.join(f'{n} = ?' for n in values)} WHERE id = ?",
                     (*values.values(), athlete.id))
    return next(a for a in all_of(conn) if a.id == athlete.id)


@contextmanager
def writing(database: "Database") -> Iterator[Step]:
    """One transaction that changes the athlete table, under the database's write lock
    (a new SQLite file is made, a server's schema migrated)."""
    from runrecover.settings import ServerDatabase

    if isinstance(database, ServerDatabase):
        from runrecover import postgres

        engine = postgres.open_database(database, write=True)
        try:
            with engine.begin() as connection:
                yield Step(connection.connection.dbapi_connection, "postgresql")
        finally:
            engine.dispose()
        return
    from runrecover import db

    with db.connection_transaction(database, write=True) as connection:
        yield Step(connection, "sqlite")


def named(option: str | None, root_option: str | None) -> tuple[str | None, str]:
    """The name given and where: the command's --athlete beats the global one, which beats
    RUNRECOVER_ATHLETE."""
    for value in (option, root_option):
        if value is not None:
            if not value.strip():
                # Typed, but empty: a name lost by the shell ($NAME unset), not "whoever".
                raise InputError("--athlete was given an empty name: give the athlete's name.")
            return value, "--athlete"
    from_env = os.environ.get(ENV)
    # An empty variable is an unset one, as shells have it.
    return (from_env, ENV) if from_env and from_env.strip() else (None, "--athlete")
