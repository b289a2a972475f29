"""`--db` and `RUNRECOVER_DB` take a file path, a sqlite:/// URL or a postgresql:// URL; any
other URL is refused by its scheme, never taken for a file path (issue 16: `--db
postgresql://…` used to make folders named `postgresql:` and answer from an empty SQLite file
inside them). A password in a URL never shows (test_postgres.py tries harder, with a server)."""

import pytest


def test_a_sqlite_url_is_the_file_it_names(cli, tmp_path):
    path = tmp_path / "mine.db"
    assert cli("--db", f"sqlite:///{path}", "pain", "6", "--on", "2016-06-15 08:00").exit_code == 0
    assert path.exists()
    assert "6/10" in cli("--db", str(path), "status", "--at", "2016-06-15 09:00").stdout


@pytest.mark.parametrize(("url", "says"), [
    ("postgresql+psycopg2://coach:s3cret@/clinic?host=/run/postgresql",
     "is a 'postgresql+psycopg2' URL: runrecover reaches PostgreSQL through psycopg 3"),
    ("mysql://coach:s3cret@localhost/clinic", "is a 'mysql' URL"),
    ("sqlite:///", "is a 'sqlite' URL"),
])
@pytest.mark.parametrize("command", [("status",), ("pain", "5")])
def test_another_url_is_refused_and_creates_nothing(cli, tmp_path, monkeypatch, url, says,
                                                    command):
    monkeypatch.chdir(tmp_path)
    result = cli("--db", url, *command)
    assert result.exit_code == 2
    assert says in result.stderr and "--db" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout  # a password never shows
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("scheme", ["postgresql", "postgresql+psycopg", "postgres"])
@pytest.mark.parametrize("command", [("status",), ("pain", "5"), ("export",)])
def test_a_postgresql_url_is_a_server_never_a_file(cli, tmp_path, monkeypatch, scheme,
                                                   command):
    """No server listens on this socket: one sentence naming the database without its
    password, exit 3 (the database cannot be used), and nothing created here."""
    monkeypatch.chdir(tmp_path)
    url = f"{scheme}://coach:s3cret@/clinic?host={tmp_path}/no-server&connect_timeout=2"
    result = cli("--db", url, *command)
    assert result.exit_code == 3, result.stderr
    assert f"{scheme}://coach:***@/clinic" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [("backup",), ("restore", "copy.db", "--yes")])
def test_backup_and_restore_are_for_a_local_file(cli, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = cli("--db", "postgresql://coach:s3cret@/clinic?host=/nowhere", *command)
    assert result.exit_code == 2
    assert "copies a local database file" in result.stderr and "pg_dump" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


def test_the_environment_is_read_alike_and_named_in_the_error(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RUNRECOVER_DB", "mysql://coach:s3cret@/clinic")
    refused = cli("status")
    assert refused.exit_code == 2
    assert "RUNRECOVER_DB is a 'mysql' URL" in refused.stderr
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("RUNRECOVER_DB", str(tmp_path / "typo.db"))
    missing = cli("status")
    assert missing.exit_code == 3
    assert "check RUNRECOVER_DB" in missing.stderr and "--db" not in missing.stderr


def test_a_folder_is_not_a_database(cli, tmp_path):
    result = cli("--db", str(tmp_path), "pain", "4")
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def test_a_file_named_like_a_sqlite_uri_is_that_file(cli, tmp_path, monkeypatch):
    """SQLite reads a name starting with `file:` as a URI: the data went to `f.db` while an
    empty `file:f.db` was created beside it (found by review)."""
    monkeypatch.chdir(tmp_path)
    assert cli("--db", "file:f.db", "pain", "6", "--on", "2016-06-15 08:00").exit_code == 0
    assert "6/10" in cli("--db", "file:f.db", "status", "--at", "2016-06-15 09:00").stdout
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) \
        == ["file:f.db"]
    assert cli("--db", "file:f.db", "backup", "file:copy.db").exit_code == 0
    assert (tmp_path / "file:copy.db").stat().st_size > 0


@pytest.mark.parametrize(("url", "says"), [
    ("postgresql://coach:s3cret@db.example:notaport/clinic", "(its port is not a number)"),
    ("postgresql://coach:s3cret@/clinic?host=/run/postgresql&port=abc",
     "(its port 'abc' is not a number)"),
    ("postgresql://coach:s3cret@[::1/clinic", "(invalid IPv6 URL)"),
])
def test_a_server_url_the_driver_cannot_read_is_one_sentence(cli, url, says):
    """Refused before any connection, exit 2 (it crashed with exit 70)."""
    result = cli("--db", url, "status", "--check")
    assert result.exit_code == 2
    assert says in result.stderr and "give postgresql://USER@HOST:PORT/DATABASE" in result.stderr
    assert "s3cret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [
    ("status", "postgresql://coach:s3cret@db.example/clinic"),
    ("status", "--at", "postgresql://coach@/clinic?password=s3cret"),
    ("status", "postgresql://coach:s3cret" + "x" * 80 + "@db.example/clinic"),
    ("status", "postgresql://coach:it's-s3cret@db.example/clinic"),
])
def test_a_url_typed_in_the_wrong_place_shows_no_password(cli, args):
    """A usage error quotes what was typed, shortened when long: a URL's password in it is
    hidden all the same."""
    result = cli(*args)
    assert result.exit_code == 2
    assert "s3cret" not in result.stderr and "***" in result.stderr
