"""Opening the database: refuse what is not ours, migrate on open, configure every connection.

Every connection gets WAL, `synchronous=FULL`, `foreign_keys=ON` and a busy timeout, and
writing transactions start with `BEGIN IMMEDIATE` so that parallel read-then-write commands
queue instead of losing writes (measured: with a deferred BEGIN, 8 processes × 200 commits
kept ~100 of 1,600 rows; with IMMEDIATE all of them).
"""

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from runrecover import clock
from runrecover.errors import DatabaseError
from runrecover.migrations import APPLICATION_ID, CURRENT_VERSION, apply_pending

BUSY_TIMEOUT_MS = 30_000
OPEN_ATTEMPTS = 40  # 2 s of 50 ms waits while another process creates the file
SQLITE_MAGIC = b"SQLite format 3\x00"


def configure_connection(dbapi_connection: sqlite3.Connection) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _switch_to_wal(dbapi_connection)
    dbapi_connection.execute("PRAGMA synchronous = FULL")
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """WAL, set once per file. Switching needs an exclusive lock that SQLite does not wait
    for (busy_timeout is not consulted), so many processes opening a new file at once
    retry until one of them has switched it; after that it is a no-op read."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.05)


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 (and its directory 0700) unless it exists."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass


def read_schema_version(path: Path) -> int:
    """Check, without writing a byte, that `path` is a runrecover database we can open.

    Returns its schema version (0 for an empty file). Raises DatabaseError otherwise.
    """
    with path.open("rb") as f:
        header = f.read(100)
    if not header:
        return 0
    if not header.startswith(SQLITE_MAGIC):
        raise DatabaseError(f"{path} is not a runrecover database (not an SQLite file); "
                            "give another file with --db or move it aside.")
    # Read through SQLite (read-only) rather than the raw header: a WAL file may hold newer pages.
    for attempt in range(OPEN_ATTEMPTS):
        try:
            application_id, version, tables = _read_identity(path)
            break
        except sqlite3.OperationalError:
            # Another runrecover may be creating or checkpointing this very file: a passing
            # state, unlike a file that is not a database (DatabaseError, refused at once).
            if attempt == OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.05)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{path} cannot be read as a database ({exc}); "
                                "restore a backup with 'runrecover restore FILE'.") from exc
    if application_id != APPLICATION_ID and (tables or version):
        raise DatabaseError(f"{path} is an SQLite database of another program, "
                            "not runrecover's; give another file with --db.")
    if version > CURRENT_VERSION:
        raise DatabaseError(f"{path} was written by a newer runrecover (schema {version}, "
                            f"this one knows up to {CURRENT_VERSION}); upgrade runrecover.")
    return version


def _read_identity(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # One read transaction, one snapshot: read one by one, a migration committed between
        # two reads showed tables without runrecover's id, "a database of another program".
        conn.execute("BEGIN")
        return (conn.execute("PRAGMA application_id").fetchone()[0],
                conn.execute("PRAGMA user_version").fetchone()[0],
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    finally:
        conn.close()


def backup_to(source: sqlite3.Connection, target: Path) -> None:
    """Copy a live database with SQLite's online backup API into a new 0600 file."""
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    create_private_file(tmp)
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest)
        # One self-contained file: readers of a WAL-mode copy leave -wal and -shm beside it.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    fd = os.open(tmp, os.O_RDONLY)  # on disk before anything relies on it (a migration)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)


def backup_file(path: Path, target: Path) -> None:
    """A consistent copy of the database at `path`, even while others write to it."""
    if not target.parent.exists():
        target.parent.mkdir(parents=True, mode=0o700)
    source = sqlite3.connect(path)
    try:
        source.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        backup_to(source, target)
    finally:
        source.close()


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound runrecover database before it replaces ours."""
    if read_schema_version(path) == 0:  # empty: restoring it would empty the database
        raise DatabaseError(f"{path} is not a runrecover backup (it holds no runrecover "
                            "schema); it was not restored.")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    finally:
        conn.close()
    if result != "ok":
        raise DatabaseError(f"{path} is damaged ({result}); it was not restored.")


def restore_file(source_path: Path, path: Path) -> None:
    """Copy a checked backup into the database through SQLite, under its write lock."""
    create_private_file(path)
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        configure_connection(target)
        source.backup(target)
    finally:
        target.close()
        source.close()


def unused_name(path: Path) -> Path:
    """`path`, or `path.2`, `path.3`... the first that does not exist: never replace a copy."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate


def migrate(path: Path, engine: Engine) -> None:
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        raw.execute("BEGIN IMMEDIATE")
        try:
            version = raw.execute("PRAGMA user_version").fetchone()[0]
            if version < CURRENT_VERSION:
                if version > 0:
                    # Through a second connection: SQLite will not back up from one inside a
                    # write transaction (the step says SQLITE_LOCKED, which Python retries
                    # forever). It reads the last committed state; our write lock holds it.
                    backup_file(path, unused_name(path.with_name(
                        f"{path.name}.bak-{version}-{clock.now().date().isoformat()}")))
                apply_pending(raw, version)
            raw.execute("COMMIT")
        except BaseException:
            raw.execute("ROLLBACK")
            raise


def open_database(path: Path, *, write: bool) -> Engine:
    """An engine on a checked, migrated database; `write` makes transactions IMMEDIATE."""
    try:
        if path.exists():
            if not path.is_file():
                raise DatabaseError(f"{path} is not a file; give a database file with --db.")
            version = read_schema_version(path)
        else:
            create_private_file(path)
            version = 0
    except OSError as exc:  # a parent that is a file, a directory we may not write...
        raise DatabaseError(f"Cannot use {path} as the database ({exc.strerror}); "
                            "give another file with --db.") from None
    engine = create_engine(f"sqlite:///{path}", json_serializer=json.dumps)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        configure_connection(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    if version < CURRENT_VERSION:
        migrate(path, engine)
    return engine


def open_empty() -> Engine:
    """An empty database in memory, for a command that only reads when nothing is recorded
    yet: it answers as from a new file, and no file is made."""
    from sqlmodel import SQLModel

    import runrecover.models  # noqa: F401  (its tables are the schema)

    engine = create_engine("sqlite://", json_serializer=json.dumps)
    SQLModel.metadata.create_all(engine)
    return engine


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One transaction for one command: all of its writes or none."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
