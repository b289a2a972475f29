"""Opening the database: refuse what is not ours, migrate on open, configure every connection.

Two ways in, checked and migrated alike: `connect` (the standard library's sqlite3, for the
everyday commands, see `records/`) and `open_database` (a SQLAlchemy engine, for the rest);
SQLAlchemy is imported only by the second.

Every connection gets WAL, `synchronous=FULL`, `foreign_keys=ON` and a busy timeout, and
writing transactions start with `BEGIN IMMEDIATE` so that parallel read-then-write commands
queue instead of losing writes (measured: with a deferred BEGIN, 8 processes × 200 commits
kept ~100 of 1,600 rows; with IMMEDIATE all of them).
"""

import errno
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from runrecover import clock, private_files
from runrecover.database_file import (
    BUSY_TIMEOUT_MS,
    OPEN_ATTEMPTS,
    NotOurs,
    identify,
    read_schema_version,
)
from runrecover.errors import DatabaseError, InputError, Remedy
from runrecover.migrations import (
    CURRENT_VERSION,
    NewerSchema,
    apply_pending,
    pending,
    sqlite_applied,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session


def configure_connection(dbapi_connection: sqlite3.Connection, *, read_only: bool = False
                         ) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself instead of pysqlite's implicit one.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if read_only:
        return
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


def _integrity(conn: sqlite3.Connection, pragma: str = "integrity_check") -> str:
    """'ok', or what SQLite found wrong (its first complaint)."""
    try:
        found = conn.execute(f"PRAGMA {pragma}").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    # A report may come as one text: a "*** in database main ***" head, then a complaint a
    # line. The first complaint is the one an error message can say in its sentence.
    complaints = [line for line in found.splitlines() if not line.startswith("*** ")]
    return complaints[0] if complaints else found


def check_sound(dbapi_connection: sqlite3.Connection, path: Path) -> None:
    """Refuse to write to or copy from a damaged database (a damaged page is otherwise only
    noticed by the commands that happen to read it). `PRAGMA quick_check` reads every page:
    9 ms on the ten-year history of bench/ (3.7 MB), 0.4 ms on a month's."""
    result = _integrity(dbapi_connection, "quick_check")
    if result != "ok":
        raise damaged(path, result)


def check_session(session: "Session") -> None:
    """`check_sound` for a reading command that copies the whole record out (export).
    A database in memory (no file, nothing recorded yet) has no page to doubt."""
    url = session.get_bind().url
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        check_sound(session.connection().connection.dbapi_connection, Path(database))


def damaged(path: Path, what: str) -> DatabaseError:
    return DatabaseError(f"The database {path} is damaged ({what}); nothing was changed or "
                         "copied", Remedy.restore)


def _no_space(path: Path, exc: sqlite3.Error) -> OSError | sqlite3.Error:
    """SQLite's "database or disk is full" as the OSError it is, for the caller's message."""
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return exc


def _copy_checked(path: Path, copy: Path, *, check: bool) -> None:
    """Copy the live database at `path` into the empty file `copy`, one self-contained file.

    With `check`, a copy that fails SQLite's integrity check is refused: the original is
    damaged (the backup API copies pages without reading them)."""
    source = (sqlite3.connect(file_name(path)) if _usable(path)
              else sqlite3.connect(_read_only_uri(path), uri=True))
    dest = sqlite3.connect(file_name(copy))
    try:
        source.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            source.backup(dest)
            # Readers of a WAL-mode copy would leave -wal and -shm beside it.
            dest.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            raise _no_space(copy, exc) from None
        result = _integrity(dest) if check else "ok"
    finally:
        dest.close()
        source.close()
    if result != "ok":
        raise damaged(path, result)


def backup_file(path: Path, target: Path, *, check: bool = True) -> None:
    """A consistent copy of the database at `path`, even while others write to it, made
    through a private temporary file and written to `target` only once complete (and,
    with `check`, verified): see private_files for what each kind of target gets."""
    private_files.remove_leftovers(path.parent)  # copies a killed backup left beside it
    try:
        if private_files.is_stdout(target) or private_files.is_in_place(target):
            with private_files.temporary_beside(path) as tmp:
                _copy_checked(path, tmp.path, check=check)
                private_files.copy_file(tmp.path, target)
            return
        if not target.parent.exists():
            target.parent.mkdir(parents=True, mode=0o700)
        final = private_files.regular_target(target)
        with private_files.temporary_beside(final) as tmp:
            _copy_checked(path, tmp.path, check=check)
            private_files.install(tmp, final)
    except OSError as exc:
        raise private_files.target_error(target, exc) from None


def check_replaceable(path: Path) -> bool:
    """Refuse to restore over a file that is not ours (another program's, a newer
    runrecover's); our own database may be replaced even damaged: that is what restoring
    is for. Returns whether it is damaged beyond SQLite opening it."""
    try:
        identify(path)
    except NotOurs as exc:
        if not exc.damaged:
            raise DatabaseError(f"{path} is {exc}, so a backup is not restored over it",
                                Remedy.target) from None
        return True
    except DatabaseError:
        return True  # SQLite cannot read it at all
    return False


def keep_before_restore(path: Path, kept: Path) -> None:
    """The database as it was, before a restore replaces it: through SQLite when it can
    still be read, else the file's bytes as they are (a damaged file is worth keeping)."""
    try:
        backup_file(path, kept, check=False)
    except sqlite3.DatabaseError:
        with private_files.temporary_beside(kept) as tmp:
            with path.open("rb") as source, open(tmp.fd, "wb", closefd=False) as copy:
                shutil.copyfileobj(source, copy)
            private_files.install(tmp, kept)


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound runrecover database before it replaces ours."""
    try:
        version = identify(path)
    except (NotOurs, DatabaseError) as exc:
        raise InputError(f"{path} is not a runrecover backup ({exc}); it was not restored.") \
            from None
    if version == 0:  # empty: restoring it would empty the database
        raise InputError(f"{path} is not a runrecover backup (it holds no runrecover "
                         "schema); it was not restored.")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = _integrity(conn)
    finally:
        conn.close()
    if result != "ok":
        raise InputError(f"{path} is damaged ({result}); it was not restored.")


def restore_file(source_path: Path, path: Path, *, unreadable: bool = False) -> None:
    """Copy a checked backup into the database through SQLite, under its write lock.

    A database too damaged for SQLite to open (`unreadable`) has no lock to take and no
    reader to keep: the copy is renamed over it, and its WAL, which would be replayed
    into the new file, is removed first."""
    if unreadable:
        with private_files.temporary_beside(path) as tmp:
            _copy_checked(source_path, tmp.path, check=True)
            for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                stale.unlink(missing_ok=True)
            private_files.install(tmp, path)
        return
    create_private_file(path)
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(file_name(path))
    try:
        configure_connection(target)
        page_size = target.execute("PRAGMA page_size").fetchone()[0]
        if source.execute("PRAGMA page_size").fetchone()[0] == page_size:
            source.backup(target)
            return
        # SQLite cannot back up into a WAL database of another page size ("attempt to write
        # a readonly database"): the backup is first rebuilt with ours, in a private copy.
        with private_files.temporary_beside(path) as tmp:
            resized = sqlite3.connect(file_name(tmp.path))
            try:
                source.backup(resized)
                resized.execute("PRAGMA journal_mode = DELETE")
                resized.execute(f"PRAGMA page_size = {page_size}")
                resized.execute("VACUUM")
                resized.backup(target)
            finally:
                resized.close()
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


def _make_private(path: Path) -> None:
    """Files from before the data directory was private (0644) become 0600: health data."""
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except FileNotFoundError:
            pass


def migrate(path: Path, raw: sqlite3.Connection) -> None:
    """Bring the file up to the current schema, under the write lock, after keeping a copy."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        version = raw.execute("PRAGMA user_version").fetchone()[0]
        if version < CURRENT_VERSION:
            applied = sqlite_applied(raw)
            try:
                pending(applied)
            except NewerSchema as exc:
                raise DatabaseError(f"{path} cannot be used as the database ({exc})",
                                    Remedy.upgrade) from None
            _make_private(path)
            if version > 0:
                check_sound(raw, path)
                _keep_copy(path, version)
            apply_pending(raw, applied)
        raw.execute("COMMIT")
    except BaseException:
        # SQLite may have rolled back already (a full disk does): rolling back again
        # would hide the real error behind "cannot rollback - no transaction is active".
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise


def _keep_copy(path: Path, version: int) -> None:
    """The copy of the file as it was, before a migration changes it.

    Through a second connection: SQLite will not back up from one inside a write
    transaction (the step says SQLITE_LOCKED, which Python retries forever). It reads the
    last committed state; our write lock holds it."""
    copy = unused_name(path.with_name(
        f"{path.name}.bak-{version}-{clock.now().date().isoformat()}"))
    try:
        backup_file(path, copy)
    except InputError as exc:  # the copy's place is the database's: not the user's input
        raise DatabaseError(f"{path} was not upgraded, as the copy kept before upgrading "
                            f"could not be written ({str(exc).rstrip('.')}).") from None


def _usable(path: Path) -> bool:
    """Whether SQLite can write the file and, for its -wal and -shm files, its directory."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def file_name(path: Path) -> str:
    """The name SQLite is given for a file: absolute, because a relative name starting with
    `file:` would be read as a URI (Debian's SQLite reads URIs everywhere) and open another
    file than the one checked and created."""
    return str(Path(path).absolute())


def _read_only_uri(path: Path) -> str:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    # SQLite cannot create a WAL's -shm in a read-only directory; with no -wal file there
    # is nothing beyond the file itself to read, and no one can be writing it meanwhile.
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri


def read_only_error(path: Path) -> DatabaseError:
    return DatabaseError(f"The database {path} cannot be used for writing: the file or its "
                         "folder is read-only", Remedy.writable)


def _checked(path: Path, *, write: bool) -> tuple[bool, int]:
    """Whether the database at `path` (created empty, 0600, when missing) can only be read,
    and its schema version; refuses what cannot be used."""
    try:
        if path.exists():
            if not path.is_file():
                raise DatabaseError(f"{path} is not a file", Remedy.other_file)
            version = read_schema_version(path)
        else:
            create_private_file(path)
            version = 0
    except OSError as exc:  # a parent that is a file, a directory we may not write...
        if exc.errno == errno.ENOSPC:
            raise DatabaseError(f"No space left on {path}; nothing was changed.") from None
        if exc.errno in (errno.EROFS, errno.EACCES):
            raise read_only_error(path) from None
        raise DatabaseError(f"Cannot use {path} as the database ({exc.strerror})",
                            Remedy.other_file) from None
    read_only = not _usable(path)
    if read_only and (write or version < CURRENT_VERSION):
        raise read_only_error(path)
    return read_only, version


def _raw_connection(path: Path, *, read_only: bool) -> sqlite3.Connection:
    connection = (sqlite3.connect(_read_only_uri(path), uri=True, check_same_thread=False)
                  if read_only else sqlite3.connect(file_name(path), check_same_thread=False))
    configure_connection(connection, read_only=read_only)
    return connection


def connect(path: Path, *, write: bool) -> sqlite3.Connection:
    """A configured sqlite3 connection to a checked, migrated database, in autocommit mode:
    the caller begins its one transaction with `begin`. Reading needs no write access."""
    read_only, version = _checked(path, write=write)
    connection = _raw_connection(path, read_only=read_only)
    try:
        if version < CURRENT_VERSION:
            migrate(path, connection)
    except BaseException:
        connection.close()
        raise
    return connection


def connect_empty() -> sqlite3.Connection:
    """An empty database in memory, for a command that only reads when nothing is recorded
    yet: it answers as from a new file, and no file is made."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    apply_pending(connection, [])
    return connection


def begin(connection: sqlite3.Connection, path: Path | None, *, write: bool) -> None:
    """Start a command's one transaction: IMMEDIATE for writing, so that parallel
    read-then-write commands queue, after checking the file's pages."""
    connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    if write and path is not None:
        check_sound(connection, path)


@contextmanager
def connection_transaction(path: Path | None, *, write: bool) -> Iterator[sqlite3.Connection]:
    """A command's one transaction on a sqlite3 connection to the checked, migrated file at
    `path` (None: an empty database in memory): begun (`begin`), committed when the block
    ends, rolled back when it raises, and closed."""
    connection = connect(path, write=write) if path is not None else connect_empty()
    try:
        begin(connection, path, write=write)
        yield connection
        connection.execute("COMMIT")
    except BaseException:
        # SQLite may have rolled back already (a full disk does).
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


def open_database(path: Path, *, write: bool) -> "Engine":
    """An engine on a checked, migrated database; `write` makes transactions IMMEDIATE and
    checks the file's pages first. Reading needs no write access to the file or its folder."""
    from sqlalchemy import create_engine, event

    read_only, version = _checked(path, write=write)
    if version < CURRENT_VERSION:
        connection = _raw_connection(path, read_only=read_only)
        try:
            migrate(path, connection)
        finally:
            connection.close()
    engine = create_engine(f"sqlite:///{file_name(path)}", json_serializer=json.dumps,
                           creator=lambda: _raw_connection(path, read_only=read_only))

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        begin(connection.connection.dbapi_connection, path, write=write)

    return engine


def open_empty() -> "Engine":
    """`connect_empty` as an engine, for the commands that read through SQLAlchemy."""
    from sqlalchemy import create_engine

    return create_engine("sqlite://", json_serializer=json.dumps, creator=connect_empty)


@contextmanager
def transaction(engine: "Engine") -> Iterator["Session"]:
    """One transaction for one command: all of its writes or none."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
