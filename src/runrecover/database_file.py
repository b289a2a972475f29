"""What a file on disk is, told before it is used as the database: runrecover's (and of which
schema), another program's, one from a newer runrecover, or damaged. Read from its header
where that can tell, else in one SQLite read transaction."""

import os
import sqlite3
import time
from pathlib import Path

from runrecover import migrations
from runrecover.errors import DatabaseError, Remedy

BUSY_TIMEOUT_MS = 30_000
OPEN_ATTEMPTS = 40  # 2 s of 50 ms waits while another process creates the file
SQLITE_MAGIC = b"SQLite format 3\x00"


class NotOurs(Exception):
    """Why a file is not a runrecover database this version can open (a short phrase)."""

    def __init__(self, reason: str, *, damaged: bool = False) -> None:
        super().__init__(reason)
        self.damaged = damaged


def identify(path: Path) -> int:
    """The schema version of the runrecover database at `path` (0 for an empty file), read
    without writing a byte; raises NotOurs otherwise."""
    wal = Path(f"{path}-wal")
    had_wal = wal.exists()
    with path.open("rb") as f:
        header = f.read(100)
        size = os.fstat(f.fileno()).st_size
    if not header:
        return 0
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise NotOurs("not an SQLite file")
    if had_wal or wal.exists():
        # Newer pages may be in the WAL, and a checkpoint may be copying them into the
        # file as we read it: SQLite reads the identity, in one transaction so that another
        # process's first migration cannot commit between its three parts.
        application_id, version, has_schema = _read_identity(path)
    else:
        # No WAL: the file is the last committed state, and reading its header opens no
        # SQLite connection, which would leave -wal and -shm beside a refused file.
        damage = _header_damage(header, size)
        if damage:
            raise NotOurs(f"a damaged SQLite file: {damage}", damaged=True)
        # Offsets of the SQLite file format: application_id, user_version, schema cookie.
        application_id, version, has_schema = (int.from_bytes(header[68:72]),
                                               int.from_bytes(header[60:64]),
                                               int.from_bytes(header[40:44]) != 0)
    if application_id != migrations.APPLICATION_ID and (has_schema or version):
        raise NotOurs("an SQLite database of another program")
    if version > migrations.CURRENT_VERSION:
        raise NotOurs(f"written by a newer runrecover: schema {version}, this one knows up "
                      f"to {migrations.CURRENT_VERSION}")
    return version


def _header_damage(header: bytes, size: int) -> str | None:
    """What the cheap checks of the file's header find wrong (see the SQLite file format),
    or None. A damaged page inside is found by `check_sound` before any write."""
    page_size = int.from_bytes(header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or header[21:24] != b"\x40\x20\x20":
        return "its header is not valid"
    if size % page_size:
        return f"its size is not a whole number of {page_size}-byte pages"
    # The page count in the header is current when its change counter says so.
    pages = int.from_bytes(header[28:32])
    if header[24:28] == header[92:96] and pages * page_size > size:
        return f"it is cut short: {size} of {pages * page_size} bytes"
    return None


def read_schema_version(path: Path) -> int:
    """`identify` for the database itself: a refusal is exit 3, with what to do about it."""
    try:
        return identify(path)
    except NotOurs as exc:
        remedy = Remedy.upgrade if "newer" in str(exc) else Remedy.other_file
        raise DatabaseError(f"{path} cannot be used as the database ({exc})", remedy) from None


def _read_identity(path: Path) -> tuple[int, int, bool]:
    """(application_id, user_version, whether it has a schema), through SQLite."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                conn.isolation_level = None
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("BEGIN")
                identity = (conn.execute("PRAGMA application_id").fetchone()[0],
                            conn.execute("PRAGMA user_version").fetchone()[0],
                            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0)
                conn.execute("COMMIT")
                return identity
            finally:
                conn.close()
        except sqlite3.OperationalError:
            # Another runrecover may be creating or checkpointing this very file: a passing
            # state, unlike a file that is not a database (DatabaseError, refused at once).
            if attempt == OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.05)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{path} cannot be read as a database ({exc})",
                                Remedy.restore) from exc
