"""The database file: private, refused when it is not ours, never modified when refused."""

import os
import sqlite3
import stat

import pytest

import forked

WRITERS = 24


def test_new_database_is_private(cli, db_path):
    assert not db_path.parent.exists()
    assert cli("pain", "2").exit_code == 0
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    for path in db_path.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_every_connection_is_configured(cli, db_path):
    cli("pain", "2")
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    from runrecover.migrations import APPLICATION_ID, CURRENT_VERSION

    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION


@pytest.mark.parametrize("content", [
    b"this is my shopping list\n",
    b"SQLite format 3\x00" + b"\x00" * 200,  # a header and nothing sane behind it
])
def test_a_file_that_is_not_a_database_is_refused_untouched(cli, db_path, content):
    db_path.parent.mkdir()
    db_path.write_bytes(content)
    result = cli("pain", "2")
    assert result.exit_code == 3
    assert str(db_path) in result.stderr
    assert db_path.read_bytes() == content
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_another_programs_sqlite_database_is_refused_untouched(cli, db_path):
    db_path.parent.mkdir()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    result = cli("injury", "list")
    assert result.exit_code == 3
    assert "another program" in result.stderr
    assert db_path.read_bytes() == before


def test_a_newer_schema_is_refused_untouched(cli, db_path):
    cli("pain", "2")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    result = cli("pain", "3")
    assert result.exit_code == 3
    assert "newer runrecover" in result.stderr
    assert db_path.read_bytes() == before


def test_a_directory_as_database(cli, tmp_path):
    result = cli("--db", str(tmp_path), "pain", "2")
    assert result.exit_code == 2
    assert str(tmp_path) in result.stderr


def test_parallel_writers_lose_nothing(tmp_path):
    # Writers that open one new file at the same moment: creating it, switching it to WAL and
    # migrating it happen once, the others wait their turn (a switch that did not wait failed
    # 1 to 3 of 24 now and then). Forked processes leave a barrier together, so their openings
    # collide instead of trickling in behind a cold start each.
    db = tmp_path / "parallel.db"
    env = os.environ | {"RUNRECOVER_DB": str(db)}
    start = forked.barrier(WRITERS)
    writers = [forked.Commands([["log", "5k", "30:00", "--on", "2016-06-01", "--again"]], env,
                               tmp_path / f"writer-{n}.json", start) for n in range(WRITERS)]
    start.wait(timeout=120)
    results = [result for writer in writers for result in writer.outcome()]
    assert [result.code for result in results] == [0] * WRITERS, [r for r in results if r.code]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == WRITERS
    assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == WRITERS
    conn.close()
