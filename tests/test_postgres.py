"""PostgreSQL as a second engine (issue 16): URLs shown without their password, migrations by
name, a newer schema refused untouched, parallel writers losing and duplicating nothing.

The tests that need a server run when `RUNRECOVER_TEST_POSTGRES` names one (.ci/run starts
a throwaway cluster); the rest of the suite then runs on it too (conftest.py).
"""

import os

import pytest

import forked
from conftest import POSTGRES, with_schema
from runrecover import migrations
from runrecover.settings import redacted

needs_server = pytest.mark.skipif(POSTGRES is None, reason="no PostgreSQL server: set "
                                  "RUNRECOVER_TEST_POSTGRES (.ci/run starts one)")
WRITERS = 24


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
])
def test_a_url_is_shown_without_its_password(url, shown):
    assert redacted(url) == shown


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
    assert cli("status").exit_code == 0
    # Reading never creates: the schema is still empty.
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
def test_another_programs_tables_are_refused_untouched(cli, server):
    _url, _schema, query = server
    query("CREATE TABLE {schema}.injury (patient TEXT)")
    result = cli("pain", "3")
    assert result.exit_code == 3
    assert "another program" in result.stderr
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
