"""Every test runs the real CLI on its own temporary database, at a frozen moment, in
Europe/Paris, at 80 columns without colour.

With `RUNRECOVER_TEST_POSTGRES` set to a PostgreSQL URL (a throwaway server: .ci/run starts
one), the same tests run on PostgreSQL: each test's `RUNRECOVER_DB` is a schema of its test
worker, migrated once and emptied of every row before each test (ids restart too: they are
numbered from the largest, as on SQLite); a test marked `postgres_fresh` gets a new, empty
schema of its own (one that looks at migrations or changes the schema). Tests about SQLite
files themselves (file modes, WAL, backup and restore, fixtures, the sqlite3 fast path) are
marked `sqlite_only`, and a test that asks for `db_path` looks at the file: both are skipped
there, saying why. A test that needs databases besides its own (export from one, import into
another) asks `database(name)` for each: a new file on SQLite, a new schema on PostgreSQL.
"""

import functools
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import typer.testing
from typer.testing import CliRunner

from runrecover import clock
from runrecover.cli import app

PARIS = ZoneInfo("Europe/Paris")
# Wednesday 15 June 2016, 10:00 in Paris: the seeds' stories happen around this week.
FROZEN_NOW = datetime(2016, 6, 15, 10, 0, tzinfo=PARIS)


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


POSTGRES = os.environ.get("RUNRECOVER_TEST_POSTGRES") or None
"""The server's URL when the suite runs on PostgreSQL, else None."""


BESIDE_THE_DATABASE = [] if POSTGRES else ["data"]
"""What a test's commands leave in its temporary folder besides what the test made: the
data folder of the SQLite file (on PostgreSQL, nothing)."""


def with_schema(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema`."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def postgres_admin():
    """One connection per test worker, to create and drop the tests' schemas."""
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        yield connection


# Children before the injuries (and the athletes) their rows point at.
ENTRY_TABLES = ("journal", "treatment", "pain", "activity", "race", "ladder_event", "injury",
                "athlete")


@pytest.fixture(scope="session")
def worker_schema(postgres_admin):
    """The test worker's migrated schema, which the tests share one after another."""
    from runrecover import postgres
    from runrecover.settings import ServerDatabase

    schema = f"w_{uuid.uuid4().hex}"
    postgres_admin.execute(f"CREATE SCHEMA {schema}")
    postgres.migrate(ServerDatabase(with_schema(POSTGRES, schema)))
    yield schema
    postgres_admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _empty(admin, schema: str) -> None:
    admin.execute("; ".join(f"DELETE FROM {schema}.{table}" for table in ENTRY_TABLES))


@pytest.fixture
def fresh_database(request: pytest.FixtureRequest) -> Callable[[], None]:
    """Start the test's database anew (a hypothesis example after another, in one test)."""
    def fresh() -> None:
        if POSTGRES:
            _empty(request.getfixturevalue("postgres_admin"), request.node.stash[SCHEMA])
            return
        db = request.getfixturevalue("isolated")
        for extra in ("", "-wal", "-shm"):
            db.with_name(db.name + extra).unlink(missing_ok=True)

    return fresh


SCHEMA = pytest.StashKey[str]()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
             request: pytest.FixtureRequest) -> Path:
    # The default place, moved: a command that only reads finds nothing there at first and
    # welcomes, as on a new machine (an explicit --db that does not exist is an error).
    db = tmp_path / "data" / "runrecover.db"
    monkeypatch.delenv("RUNRECOVER_DB", raising=False)
    monkeypatch.setenv("RUNRECOVER_DATA_DIR", str(db.parent))
    monkeypatch.setenv("RUNRECOVER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TZ", "Europe/Paris")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("RUNRECOVER_DEBUG", raising=False)
    monkeypatch.delenv("RUNRECOVER_UNITS", raising=False)  # a runner in miles runs tests too
    if POSTGRES:
        marker = request.node.get_closest_marker("sqlite_only")
        if marker is not None:
            pytest.skip(f"SQLite only: {marker.args[0] if marker.args else 'about SQLite files'}")
        admin = request.getfixturevalue("postgres_admin")
        if request.node.get_closest_marker("postgres_fresh") is None:
            schema = request.getfixturevalue("worker_schema")
            _empty(admin, schema)
        else:
            schema = f"t_{uuid.uuid4().hex}"
            admin.execute(f"CREATE SCHEMA {schema}")
            request.addfinalizer(lambda: admin.execute(f"DROP SCHEMA {schema} CASCADE"))
        request.node.stash[SCHEMA] = schema
        monkeypatch.setenv("RUNRECOVER_DB", with_schema(POSTGRES, schema))
    return db


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Freeze the clock; tests call it again to move time."""

    def set_now(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment.astimezone(clock.local_zone()))

    set_now(FROZEN_NOW)
    return set_now


# Typer builds the Click command from the app on every CliRunner.invoke: about 40% of a
# typical test's time. The installed program builds it once per process; so do the tests,
# once per worker (the command holds no state between invocations).
typer.testing._get_command = functools.cache(typer.testing._get_command)


@pytest.fixture
def cli(now) -> Callable[..., Run]:
    """Run `runrecover ARGS...`; `input` answers prompts."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Run:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def database_query(isolated: Path) -> Callable[[str], list[tuple]]:
    """Run one query on the test's own database: its SQLite file, or its PostgreSQL schema."""
    def query(sql: str) -> list[tuple]:
        return query_database(os.environ["RUNRECOVER_DB"] if POSTGRES else str(isolated), sql)

    return query


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> Callable[[str], str]:
    """A new, empty database of the engine under test at each call, for a test that needs
    more than its own (a runner's laptop and phone; an export and where it is imported), to
    give as `--db`: a file `name` in a new temporary folder on SQLite, on PostgreSQL the URL
    of a new schema (dropped after the test), which the first command migrates."""
    def new(name: str) -> str:
        if not POSTGRES:
            return str(tmp_path_factory.mktemp("database") / name)
        schema = f"t_{uuid.uuid4().hex}"
        admin = request.getfixturevalue("postgres_admin")
        admin.execute(f"CREATE SCHEMA {schema}")
        request.addfinalizer(lambda: admin.execute(f"DROP SCHEMA {schema} CASCADE"))
        return with_schema(POSTGRES, schema)

    return new


def query_database(database: str, sql: str) -> list[tuple]:
    """Run one query on a database `database` gave: its SQLite file, or its schema."""
    if POSTGRES:
        import psycopg

        with psycopg.connect(database) as connection:
            return connection.execute(sql).fetchall()
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.fixture
def db_path(isolated: Path) -> Path:
    """The SQLite file the test's commands use, for a test that looks into it."""
    if POSTGRES:
        pytest.skip("SQLite only: looks into the database file itself")
    return isolated


# A 12-minute run from 05:00 UTC on 15 June 2016: what a watch file of a run stored day-only
# would improve.
RUN_GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><type>running</type><trkseg>
  <trkpt lat="46.80" lon="7.15"><time>2016-06-15T05:00:00Z</time></trkpt>
  <trkpt lat="46.82" lon="7.15"><time>2016-06-15T05:12:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""
