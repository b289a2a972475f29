"""PostgreSQL: a clinic's or a club's shared database (`--db postgresql://…`, psycopg 3).

What SQLite needs (WAL, pragmas, file modes, BEGIN IMMEDIATE, quick_check) stays in `db.py`
and `database_file.py`; this is PostgreSQL's own:

- every connection says who it is (`application_name`), works in UTC, and gives up on a
  statement after the same 30 s that SQLite waits for a busy file (`statement_timeout`);
- a command that reads sees one snapshot (REPEATABLE READ, READ ONLY); a command that
  writes takes the database's write lock first (`pg_advisory_xact_lock`) and then works in
  READ COMMITTED, so that it sees what the writer before it committed: writers queue as they
  do on a SQLite file, and read-then-write checks (a repeated `log`, `undo`, an import's
  duplicates) cannot race;
- the schema is migrated by name under that same lock (`migrations.py`), and a database
  holding a step this program does not know is refused untouched;
- the URL is shown without its password, in errors too;
- shell completion reads names with psycopg alone (`names`), giving up after a second.

psycopg is imported only here, and only when a PostgreSQL URL is used.
"""

import functools
from typing import TYPE_CHECKING, Any

from runrecover import migrations
from runrecover.database_file import BUSY_TIMEOUT_MS
from runrecover.errors import DatabaseError, Remedy
from runrecover.settings import ServerDatabase

if TYPE_CHECKING:
    from sqlalchemy import Engine

APPLICATION_NAME = "runrecover"
CONNECT_TIMEOUT_S = 10
LOCK_CLASS = migrations.APPLICATION_ID
"""The first key of the write lock; the second is the schema's (a clinic may keep several
runrecover schemas in one database). Every athlete's writer takes the same one: ids are
numbered across athletes (`migrations._NEXT_ID`)."""
WRITE_LOCK = f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, hashtext(current_schema()))"


def _connect_args(database: ServerDatabase) -> dict[str, Any]:
    """The driver's settings, added to those the URL gives (`options` are appended to)."""
    from sqlalchemy.engine import make_url

    query = make_url(database.sqlalchemy_url).query
    given = query.get("options") or ""
    given = given if isinstance(given, str) else " ".join(given)
    args: dict[str, Any] = {
        "options": f"{given} -c TimeZone=UTC -c statement_timeout={BUSY_TIMEOUT_MS}".strip()}
    if "application_name" not in query:
        args["application_name"] = APPLICATION_NAME
    if "connect_timeout" not in query:
        args["connect_timeout"] = CONNECT_TIMEOUT_S
    return args


@functools.cache
def _engine(database: ServerDatabase, *, write: bool) -> "Engine":
    """One engine per database and way of using it, for the process: its dialect asks the
    server who it is once, and its statements are compiled once (many commands run in one
    process under the tests, and `athletes` reads every athlete's record). Each command
    disposes of it when done, which closes its connections; the engine itself stays."""
    from sqlalchemy import create_engine, event

    options: dict[str, Any] = ({"isolation_level": "READ COMMITTED"} if write else
                               {"isolation_level": "REPEATABLE READ",
                                "postgresql_readonly": True})
    engine = create_engine(database.sqlalchemy_url, connect_args=_connect_args(database),
                           execution_options=options, hide_parameters=True)
    if write:
        @event.listens_for(engine, "begin")
        def _take_write_lock(connection):
            connection.connection.dbapi_connection.execute(WRITE_LOCK)

    return engine


def problem(database: ServerDatabase, exc: BaseException) -> str:
    """What the driver said, on one line, without the password."""
    orig = getattr(exc, "orig", None) or exc
    diag = getattr(orig, "diag", None)
    message = (getattr(diag, "message_primary", None) or str(orig)).strip()
    message = " ".join(message.split())
    secret = database.password
    if secret:
        from urllib.parse import unquote

        for form in {secret, unquote(secret)}:
            message = message.replace(form, "***")
    return message.rstrip(".")


def unusable(database: ServerDatabase, exc: BaseException) -> DatabaseError:
    """A driver's failure as one sentence naming the database (exit 3)."""
    import psycopg

    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable):
        return DatabaseError(f"The database {database} did not answer within "
                             f"{BUSY_TIMEOUT_MS / 1000:g} s (busy with other writers, or a slow "
                             "statement); nothing was changed: try again in a moment.")
    if isinstance(orig, psycopg.OperationalError):
        return DatabaseError(f"Cannot use the database {database} ({problem(database, exc)}); "
                             "check the URL, and that the server is running and lets you in.")
    return DatabaseError(f"The database {database} refused the command "
                         f"({problem(database, exc)}).")


def open_database(database: ServerDatabase, *, write: bool) -> "Engine":
    """An engine on the migrated database. A command that only reads refuses a database
    with no runrecover schema and creates nothing: a typo in the URL's database, schema or
    role would otherwise answer from an empty record, and status would say GO."""
    from sqlalchemy.exc import DBAPIError

    engine = _engine(database, write=write)
    try:
        with engine.connect() as connection:
            applied = _applied(database, connection.connection.dbapi_connection)
        if applied is None and not write:
            raise DatabaseError(f"There is no runrecover record in {database}; check its "
                                "database and schema (a command that only reads never "
                                "creates one, the first that writes does).")
        if applied is None or migrations.pending(applied):
            migrate(database)
    except migrations.NewerSchema as exc:
        engine.dispose()
        raise DatabaseError(f"The database {database} cannot be used ({exc})",
                            Remedy.upgrade) from None
    except DBAPIError as exc:
        engine.dispose()
        raise unusable(database, exc) from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def _applied(database: ServerDatabase, raw: Any) -> list[str] | None:
    """The names of the steps applied, or None when there is no runrecover schema; refuses
    a schema that holds our tables' names but is not ours."""
    # One statement, so one snapshot: a first command migrating in parallel commits its
    # tables and its migrations table together, never seen apart.
    ours, taken = raw.execute(
        "SELECT to_regclass(%s) IS NOT NULL, array(SELECT table_name::text FROM "
        "information_schema.tables WHERE table_schema = current_schema() AND table_name = "
        "ANY(%s) ORDER BY table_name)",
        (migrations.MIGRATIONS_TABLE, list(migrations.TABLES))).fetchone()
    if ours:
        return [row[0] for row in raw.execute(
            f"SELECT name FROM {migrations.MIGRATIONS_TABLE}").fetchall()]
    if taken:
        raise DatabaseError(f"The database {database} holds tables of another program (named "
                            f"{', '.join(repr(name) for name in taken)}, but no runrecover "
                            "schema); nothing was changed: give runrecover a database or "
                            "schema of its own")
    return None


def migrate(database: ServerDatabase) -> None:
    """Apply the pending steps in one transaction, under the write lock: parallel first
    commands wait for the first, then find nothing left to do."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(database.sqlalchemy_url, connect_args=_connect_args(database),
                           isolation_level="READ COMMITTED", poolclass=NullPool,
                           hide_parameters=True)
    try:
        with engine.begin() as connection:
            raw = connection.connection.dbapi_connection
            raw.execute(WRITE_LOCK)
            applied = _applied(database, raw)
            migrations.apply_pending(raw, applied or [], dialect="postgresql")
    finally:
        engine.dispose()


def _psycopg_url(database: ServerDatabase) -> str:
    """The URL as psycopg takes it (`postgresql://`, whatever SQLAlchemy's name given)."""
    return "postgresql://" + database.url.split("://", 1)[1]


def read_athletes(database: ServerDatabase, read: Any) -> Any:
    """`read(raw)` on a psycopg connection to the migrated schema (an older one is brought
    forward first), or [] when it holds no runrecover schema yet: which athlete a command
    acts for is read with psycopg alone, before the command opens its engine."""
    import psycopg

    try:
        with psycopg.connect(_psycopg_url(database), autocommit=True,
                             **_connect_args(database)) as connection:
            found = connection.execute(
                "SELECT to_regclass(%s) IS NOT NULL, to_regclass('athlete') IS NOT NULL",
                (migrations.MIGRATIONS_TABLE,)).fetchone()
            if found[0] and not found[1]:
                migrate(database)  # an older schema: its athletes are those m005 makes
            if found[0]:
                with connection.transaction():
                    return read(connection)
    except migrations.NewerSchema as exc:
        raise DatabaseError(f"The database {database} cannot be used ({exc})",
                            Remedy.upgrade) from None
    except psycopg.Error as exc:
        raise unusable(database, exc) from None
    return []


COMPLETION_TIMEOUT_MS = 1000
"""How long completion waits for a statement or a lock (Tab must never hang)."""
COMPLETION_CONNECT_TIMEOUT_S = 2
"""libpq's shortest connect timeout (it counts whole seconds, and 1 means 2)."""


def names(database: ServerDatabase, query: str) -> list[str]:
    """The first column of `query`'s rows, for shell completion: psycopg alone (no
    SQLAlchemy), read only, a second at most per statement and lock wait, two to connect;
    nothing when the server cannot answer, the schema is not migrated yet, or psycopg is not
    installed. Errors are never shown (a completion has nowhere to say them)."""
    from urllib.parse import parse_qsl, urlsplit

    try:
        import psycopg
    except ImportError:
        return []
    url = "postgresql://" + database.url.split("://", 1)[1]
    try:
        given = dict(parse_qsl(urlsplit(url).query)).get("options", "")
    except ValueError:
        return []
    options = (f"{given} -c statement_timeout={COMPLETION_TIMEOUT_MS} "
               f"-c lock_timeout={COMPLETION_TIMEOUT_MS} "
               "-c default_transaction_read_only=on").strip()
    try:
        with psycopg.connect(url, options=options, autocommit=True,
                             connect_timeout=COMPLETION_CONNECT_TIMEOUT_S,
                             application_name=f"{APPLICATION_NAME} completion") as connection:
            return [row[0] for row in connection.execute(query) if row[0]]
    except psycopg.Error:
        return []
