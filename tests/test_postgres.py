"""PostgreSQL as a second engine (issue 16): URLs shown without their password, migrations by
name, a newer schema refused untouched, parallel writers losing and duplicating nothing.

The tests that need a server run when `RUNRECOVER_TEST_POSTGRES` names one (.ci/run starts
a throwaway cluster); the rest of the suite then runs on it too (conftest.py).
"""

import json
import os
from pathlib import Path

import pytest

import forked
from conftest import POSTGRES, with_schema
from runrecover import migrations
from runrecover.settings import redacted


def needs_server(test):
    """A test on the server, in a new empty schema of its own (each looks at migrations or
    changes the schema)."""
    test = pytest.mark.skipif(POSTGRES is None, reason="no PostgreSQL server: set "
                              "RUNRECOVER_TEST_POSTGRES (.ci/run starts one)")(test)
    return pytest.mark.postgres_fresh(test)


WRITERS = 24
FIXTURES_DIR = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://coach:s3cret@/clinic?host=/run/postgresql",
     "postgresql://coach:***@/clinic?host=/run/postgresql"),
    ("postgresql+psycopg://coach:s3cret@db.example:5433/clinic",
     "postgresql+psycopg://coach:***@db.example:5433/clinic"),
    ("postgresql://coach@/clinic?password=s3cret&sslmode=require",
     "postgresql://coach@/clinic?password=***&sslmode=require"),
    ("postgresql://:s3cret@/clinic", "postgresql://:***@/clinic"),
    ("postgresql://coach:s3cr%40t@/clinic", "postgresql://coach:***@/clinic"),
    ("postgresql://coach@/clinic", "postgresql://coach@/clinic"),
    ("postgresql:///clinic?host=/run/postgresql", "postgresql:///clinic?host=/run/postgresql"),
])
def test_a_url_is_shown_without_its_password(url, shown):
    assert redacted(url) == shown


def test_a_server_database_is_shown_without_its_password_however_it_is_printed():
    from rich.pretty import pretty_repr

    from runrecover.settings import ServerDatabase

    database = ServerDatabase("postgresql://coach:s3cret@/clinic")
    for shown in (str(database), repr(database), pretty_repr(database),
                  pretty_repr({"db": [database]})):
        assert "coach:***@" in shown and "s3cret" not in shown


@pytest.fixture
def server(postgres_admin, isolated):
    """The test's own schema (conftest.py made it), and a way to query it."""
    if POSTGRES is None:
        pytest.skip("no PostgreSQL server")
    url = os.environ["RUNRECOVER_DB"]
    schema = url.rsplit("%3D", 1)[1]

    def query(sql: str, params=()):
        cursor = postgres_admin.execute(sql.replace("{schema}", schema), params)
        return cursor.fetchall() if cursor.description else None

    return url, schema, query


@needs_server
def test_migrations_are_applied_by_name_from_an_empty_database(cli, server):
    url, _schema, query = server
    # Reading never creates, and says there is nothing there rather than answer GO from an
    # empty record (a typo in the URL's database or schema).
    refused = cli("status", "--check")
    assert refused.exit_code == 3
    assert refused.stderr.startswith("There is no runrecover record in postgresql://")
    assert query("SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}'") == [(0,)]
    assert cli("pain", "3", "--on", "2016-06-15 08:00").exit_code == 0
    names = [row[0] for row in query(
        "SELECT name FROM {schema}.runrecover_migrations ORDER BY applied_at, name")]
    assert names == [name for name, _ in migrations.MIGRATIONS]
    tables = {row[0] for row in query(
        "SELECT tablename FROM pg_tables WHERE schemaname = '{schema}'")}
    assert {"injury", "treatment", "pain", "activity", "race", "journal", "ladder_event",
            "runrecover_migrations"} <= tables
    # Moments are stored WITH TIME ZONE, as the instant given.
    assert query("SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') "
                 "FROM {schema}.pain") == [("2016-06-15 06:00",)]


@needs_server
def test_ids_are_numbered_as_on_a_local_file(cli, server):
    """One more than the largest: an id undo freed is given again, as SQLite does."""
    for score in ("2", "3"):
        assert cli("pain", score, "--on", "2016-06-15 08:00").exit_code == 0
    assert cli("undo", "--yes").exit_code == 0
    again = cli("pain", "4", "--on", "2016-06-15 09:00", "--json")
    assert again.json()["id"] == 2


@needs_server
def test_a_newer_schema_is_refused_untouched(cli, server):
    url, _schema, query = server
    assert cli("pain", "3", "--on", "2016-06-15 08:00").exit_code == 0
    query("INSERT INTO {schema}.runrecover_migrations (name) VALUES ('m999_from_the_future')")
    secret = url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")
    for command in (("pain", "4"), ("status",), ("export",)):
        result = cli("--db", secret, *command)
        assert result.exit_code == 3, result.stderr
        assert "newer runrecover" in result.stderr and "m999_from_the_future" in result.stderr
        assert "postgres:***@" in result.stderr and "s3cret" not in result.stderr
    assert query("SELECT count(*) FROM {schema}.pain") == [(1,)]


@needs_server
@pytest.mark.parametrize("table", ["injury", "activity", "journal"])
def test_another_programs_tables_are_refused_untouched(cli, server, table):
    _url, _schema, query = server
    query(f"CREATE TABLE {{schema}}.{table} (patient TEXT)")
    result = cli("pain", "3")
    assert result.exit_code == 3
    assert "another program" in result.stderr and repr(table) in result.stderr
    assert query("SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}'") == [(1,)]


@needs_server
def test_an_unknown_database_is_one_sentence_without_the_password(cli, server):
    url, schema, _query = server
    missing = with_schema(POSTGRES.replace("/postgres?", "/no_such_db?").replace(
        "postgresql://postgres@", "postgresql://postgres:s3cret@"), schema)
    result = cli("--db", missing, "pain", "3")
    assert result.exit_code == 3
    assert 'database "no_such_db" does not exist' in result.stderr
    assert "s3cret" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@needs_server
def test_backup_points_to_export(cli, server):
    result = cli("backup")
    assert result.exit_code == 2
    assert "export" in result.stderr and "pg_dump" in result.stderr


def _writers(env, tmp_path, commands):
    start = forked.barrier(len(commands))
    writers = [forked.Commands([command], env, tmp_path / f"writer-{n}.json", start)
               for n, command in enumerate(commands)]
    start.wait(timeout=120)
    return [result for writer in writers for result in writer.outcome()]


@needs_server
def test_parallel_first_commands_migrate_once_and_lose_nothing(server, tmp_path):
    url, _schema, query = server
    env = os.environ | {"RUNRECOVER_DB": url}
    results = _writers(env, tmp_path, [
        ["log", "5k", f"{20 + n}:00", "--on", "2016-06-01 07:00", "--again"]
        for n in range(WRITERS)])
    assert [r.code for r in results] == [0] * WRITERS, [r.stderr for r in results if r.code]
    assert query("SELECT count(*), count(DISTINCT id), max(id) FROM {schema}.activity") \
        == [(WRITERS, WRITERS, WRITERS)]
    assert query("SELECT count(*) FROM {schema}.journal") == [(WRITERS,)]
    assert query("SELECT count(*) FROM {schema}.runrecover_migrations") \
        == [(len(migrations.MIGRATIONS),)]


@needs_server
def test_the_same_run_logged_by_many_at_once_is_stored_once(cli, server, tmp_path):
    """`log` refuses a repeat of the run just logged: with 24 writers at once, a
    read-then-write race would store several."""
    url, _schema, query = server
    assert cli("pain", "1", "--on", "2016-06-01 06:00").exit_code == 0  # migrated already
    env = os.environ | {"RUNRECOVER_DB": url}
    results = _writers(env, tmp_path, [["log", "5k", "30:00", "--on", "2016-06-01 07:00"]]
                       * WRITERS)
    assert sorted(r.code for r in results) == [0] * WRITERS
    assert sum("Already logged" in r.stderr for r in results) == WRITERS - 1
    assert query("SELECT count(*) FROM {schema}.activity") == [(1,)]
    assert query("SELECT count(*) FROM {schema}.journal") == [(2,)]


@needs_server
def test_undo_by_many_at_once_undoes_each_command_once(cli, server, tmp_path):
    url, _schema, query = server
    for n in range(6):
        assert cli("pain", str(n), "--on", f"2016-06-0{n + 1} 07:00").exit_code == 0
    env = os.environ | {"RUNRECOVER_DB": url}
    results = _writers(env, tmp_path, [["undo", "--yes"]] * 4)
    assert [r.code for r in results] == [0] * 4
    assert query("SELECT count(*) FROM {schema}.pain") == [(2,)]
    assert query("SELECT count(*) FROM {schema}.journal") == [(2,)]


def test_connections_say_who_they_are_and_how_long_they_wait():
    from runrecover import postgres
    from runrecover.settings import ServerDatabase

    args = postgres._connect_args(ServerDatabase(
        "postgresql://coach@/clinic?host=/run/pg&options=-csearch_path%3Dteam"))
    assert args["options"] == ("-csearch_path=team -c TimeZone=UTC -c statement_timeout="
                               f"{postgres.BUSY_TIMEOUT_MS}")
    assert args["application_name"] == "runrecover"
    given = postgres._connect_args(ServerDatabase(
        "postgresql://coach@/clinic?application_name=front-desk&connect_timeout=3"))
    assert "application_name" not in given and "connect_timeout" not in given


def test_debug_shows_no_password_either(cli, tmp_path):
    """--debug lets the error through as a traceback: the password is not in it."""
    import traceback

    url = f"postgresql://coach:s3cret@/clinic?host={tmp_path}/none&connect_timeout=2"
    with pytest.raises(Exception) as raised:  # noqa: B017 - whatever is raised, its text
        cli("--db", url, "--debug", "status")
    text = "".join(traceback.format_exception(raised.value))
    assert "coach:***@" in text and "s3cret" not in text


@needs_server
def test_a_writer_kept_waiting_too_long_gives_up_and_readers_never_wait(cli, server,
                                                                        monkeypatch):
    import psycopg

    from runrecover import postgres

    url, _schema, query = server
    assert cli("pain", "1", "--on", "2016-06-15 07:00").exit_code == 0
    monkeypatch.setattr(postgres, "BUSY_TIMEOUT_MS", 300)
    with psycopg.connect(url) as holder:  # another writer, inside its transaction
        holder.execute(postgres.WRITE_LOCK)
        refused = cli("pain", "2", "--on", "2016-06-15 08:00")
        read = cli("status", "--json")
    assert refused.exit_code == 3
    assert "did not answer within 0.3 s (busy with other writers" in refused.stderr
    assert read.exit_code == 0, read.stderr
    assert query("SELECT count(*) FROM {schema}.pain") == [(1,)]


@needs_server
def test_an_older_postgresql_schema_is_brought_forward_step_by_step(cli, server):
    """A database left at m001 (as the first code wrote it: a day-only entry stored as the
    instant of local midnight) gets m002 and m003, by name, as a SQLite file does."""
    from runrecover import postgres
    from runrecover.settings import ServerDatabase

    url, _schema, query = server
    with pytest.MonkeyPatch.context() as first_code:
        first_code.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
        postgres.migrate(ServerDatabase(url))
    query("INSERT INTO {schema}.pain (uid, created_at, score, at, time_known) VALUES "
          "('11111111-2222-3333-4444-555555555555', now(), 4, "
          "'2016-06-13 22:00:00+00', false)")  # 14 June, 00:00 in Paris
    assert query("SELECT name FROM {schema}.runrecover_migrations") == [
        ("m001_create_schema",)]

    exported = cli("export").json()

    assert [p["at"] for p in exported["pain"]] == ["2016-06-14"]
    assert [row[0] for row in query(
        "SELECT name FROM {schema}.runrecover_migrations ORDER BY applied_at")] == [
        name for name, _ in migrations.MIGRATIONS]
    assert query("SELECT count(*) FROM {schema}.ladder_event") == [(0,)]  # m003's table


@needs_server
def test_moving_in_from_a_local_file_and_back_keeps_every_entry(cli, server, tmp_path):
    """export from a runner's file, import on the server, export there, import into a new
    file: the same entries, uid for uid, each way."""
    local = tmp_path / "mine.db"
    for args in (["injury", "add", "left calf", "--since", "2016-05-20"],
                 ["treat", "mesotherapy", "--on", "2016-06-14 10:00", "--no-run-days", "3"],
                 ["pain", "3", "--on", "2016-06-14", "--context", "morning"],
                 ["log", "8.2k", "45:10", "--on", "2016-06-10 08:00", "--rpe", "6"],
                 ["race", "add", "City 15K", "2016-06-19", "--distance", "15K"],
                 ["ladder", "start", "--rung", "2", "--on", "2016-06-15 07:00"]):
        assert cli("--db", str(local), *args).exit_code == 0, args
    from_file = cli("--db", str(local), "export").json()
    (tmp_path / "from-file.json").write_text(cli("--db", str(local), "export").stdout)

    assert cli("import", str(tmp_path / "from-file.json")).exit_code == 0
    from_server = cli("export").json()
    (tmp_path / "from-server.json").write_text(cli("export").stdout)
    back = tmp_path / "back.db"
    assert cli("--db", str(back), "import", str(tmp_path / "from-server.json")).exit_code == 0

    def entries(export):
        return {k: v for k, v in export.items() if isinstance(v, list)}

    assert entries(from_server) == entries(from_file)
    assert entries(cli("--db", str(back), "export").json()) == entries(from_file)
    assert sum(map(len, entries(from_file).values())) == 6


# -- every earlier schema, brought forward on PostgreSQL ------------------------------------

def _at_step(url: str, steps: int) -> None:
    """The schema as the code of schema version `steps` left it: its first steps, by name."""
    from runrecover import postgres
    from runrecover.settings import ServerDatabase

    with pytest.MonkeyPatch.context() as older_code:
        older_code.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:steps])
        postgres.migrate(ServerDatabase(url))


def _copy_rows(fixture, query) -> None:
    """Every row of a SQLite fixture (written by that version's code) into the schema, as
    stored: SQLite's UTC moments without their zone get it back, its 0/1 become booleans."""
    import sqlite3
    from contextlib import closing
    from datetime import UTC, datetime

    types = {(table, column): kind for table, column, kind in query(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = '{schema}'")}
    with closing(sqlite3.connect(f"{fixture.resolve().as_uri()}?mode=ro", uri=True)) as old:
        tables = [row[0] for row in old.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        # The athletes first: every other row points at one (schema 5 on).
        tables.sort(key=lambda table: table != "athlete")
        for table in (t for t in tables if t != migrations.MIGRATIONS_TABLE):
            cursor = old.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                values = []
                for column, value in zip(columns, row, strict=True):
                    kind = types[(table, column)]
                    if value is not None and kind == "boolean":
                        value = bool(value)
                    elif value is not None and kind.startswith("timestamp"):
                        value = datetime.fromisoformat(value).replace(tzinfo=UTC)
                    values.append(value)
                query(f"INSERT INTO {{schema}}.{table} ({', '.join(columns)}) VALUES "
                      f"({', '.join(['%s'] * len(values))})", values)


def _columns(query) -> set[tuple[str, str]]:
    return set(query("SELECT table_name, column_name FROM information_schema.columns "
                     "WHERE table_schema = '{schema}'"))


@needs_server
@pytest.mark.parametrize("steps", range(1, migrations.CURRENT_VERSION + 1),
                         ids=lambda steps: f"schema-v{steps}")
def test_every_earlier_postgresql_schema_is_brought_forward_with_every_row(cli, server, steps):
    """A schema left at each earlier step, holding the rows that version's code wrote (its
    SQLite fixture's, copied as stored), opens with today's code: every row is still there,
    every entry exports as that code exported it, the newest columns exist and the old
    undo journal still undoes."""
    from sqlmodel import SQLModel

    import runrecover.models  # noqa: F401  (the tables the newest schema has)
    from test_hardening_migrations import assert_keeps_every_entry

    url, _schema, query = server
    fixture = FIXTURES_DIR / f"schema-v{steps}.db"
    _at_step(url, steps)
    _copy_rows(fixture, query)
    tables = [row[0] for row in query("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_schema = '{schema}'")]
    rows_before = {table: query(f"SELECT * FROM {{schema}}.{table} ORDER BY id")
                   for table in tables if table != migrations.MIGRATIONS_TABLE}

    result = cli("export")

    assert result.exit_code == 0, result.stderr
    expected = json.loads(fixture.with_suffix(".json").read_text())
    assert_keeps_every_entry(expected, result.json())
    for table, rows in rows_before.items():  # every row, by id and uid, journal included
        after = query(f"SELECT * FROM {{schema}}.{table} ORDER BY id")
        assert [row[:2] for row in after] == [row[:2] for row in rows], table
    assert [row[0] for row in query("SELECT name FROM {schema}.runrecover_migrations "
                                    "ORDER BY applied_at NULLS FIRST, name")] == [
        name for name, _ in migrations.MIGRATIONS]
    newest = {(table.name, column.name) for table in SQLModel.metadata.sorted_tables
              for column in table.columns}
    assert newest <= _columns(query)
    # A record from before athletes is `me`'s, every row of it (schema 5, m005).
    assert query("SELECT id, name FROM {schema}.athlete") == [(1, "me")]
    for table in migrations.ATHLETE_TABLES:
        assert query(f"SELECT count(*) FROM {{schema}}.{table} WHERE athlete_id IS DISTINCT "
                     "FROM 1") == [(0,)], table
    undone = cli("undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert "'import'" in undone.stdout
    assert len(cli("export").json()["activities"]) == len(expected["activities"]) - 1
    assert cli("log", "5k", "--on", "2016-06-15 07:00", "--json").exit_code == 0  # new ids


@needs_server
def test_an_older_schema_holding_an_unknown_step_is_refused_and_not_migrated(cli, server):
    """A schema at m001 that also holds a step of a newer program is not brought forward one
    step: refused, every table, row and step name as it was."""
    url, _schema, query = server
    _at_step(url, 1)
    _copy_rows(FIXTURES_DIR / "schema-v1.db", query)
    query("INSERT INTO {schema}.runrecover_migrations (name) VALUES ('m999_from_the_future')")

    def everything():
        tables = sorted(row[0] for row in query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}'"))
        return tables, _columns(query), {
            table: sorted(query(f"SELECT * FROM {{schema}}.{table}"), key=repr)
            for table in tables}

    before = everything()
    for command in (("pain", "4"), ("status",), ("export",), ("undo", "--yes")):
        result = cli(*command)
        assert result.exit_code == 3, (command, result.stderr)
        assert "m999_from_the_future" in result.stderr
    assert everything() == before
