"""Looking into database files from tests, without leaving anything behind."""

import sqlite3
from pathlib import Path


def connect(path: Path) -> sqlite3.Connection:
    """A plain connection: unlike a read-only one it leaves no -wal/-shm files behind."""
    assert path.exists(), path
    return sqlite3.connect(path)


def dump(path: Path) -> list[str]:
    conn = connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def query(path: Path, sql: str):
    conn = connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()
