"""Upgrades keep every entry: each schema version's fixture opens with today's code.

`tests/fixtures/schema-vN.db` is a database written by the code of schema version N (see
`tests/fixtures/make_schema_fixture.py`), and `schema-vN.json` what that code exported from it.
A file older than the program is copied aside (`<name>.bak-<version>-<date>`, 0600) before it
is migrated; a file from a newer program is refused untouched (test_database.py).
"""

import json
import re
import shutil
import stat
from pathlib import Path

import pytest

from runrecover import db, migrations
from sqlite_files import connect, dump

FIXTURES = Path(__file__).parent / "fixtures"
SECTIONS = ("injuries", "treatments", "pain", "activities", "races")
TABLES = ("injury", "treatment", "pain", "activity", "race", "journal")


def fixture_version(path: Path) -> int:
    return int(re.fullmatch(r"schema-v(\d+)\.db", path.name)[1])


SCHEMA_FIXTURES = sorted(FIXTURES.glob("schema-v*.db"), key=fixture_version)


def install(fixture: Path, db_path: Path) -> None:
    """Put a copy of `fixture` at `db_path` (replacing a database there, and its WAL)."""
    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(fixture, db_path)
    db_path.chmod(0o600)


def pragma(path: Path, name: str):
    conn = connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def stored_rows(path: Path) -> dict[str, set[tuple]]:
    """Every row's uid (entries) or id and command (journal), straight from SQLite."""
    conn = connect(path)
    try:
        rows = {table: set(conn.execute(f"SELECT uid FROM {table}"))
                for table in TABLES if table != "journal"}
        rows["journal"] = set(conn.execute("SELECT id, command, changes FROM journal"))
        return rows
    finally:
        conn.close()


def assert_keeps_every_entry(expected: dict, exported: dict) -> None:
    """Every entry the old code exported is exported again, with the same values.

    A later schema may add fields (they are not in the old export): only those the old export
    had are compared.
    """
    for section in SECTIONS:
        # A section a later schema added is empty in an older export.
        old = {entry["uid"]: entry for entry in expected.get(section, [])}
        new = {entry["uid"]: entry for entry in exported[section]}
        assert set(new) == set(old), section
        for uid, entry in old.items():
            assert {key: new[uid].get(key) for key in entry} == entry, (section, uid)


def add_probe_step(monkeypatch: pytest.MonkeyPatch, sql: str) -> int:
    """Pretend the program knows one more schema version than it does; return it.

    `db` imported CURRENT_VERSION by name, `migrations.apply_pending` reads its own globals:
    both places are patched.
    """
    steps = [*migrations.MIGRATIONS, ("m999_hardening_probe", sql)]
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    monkeypatch.setattr(migrations, "CURRENT_VERSION", len(steps))
    monkeypatch.setattr(db, "CURRENT_VERSION", len(steps))
    return len(steps)


def test_there_is_a_fixture_for_every_schema_version(tmp_path):
    versions = [fixture_version(p) for p in SCHEMA_FIXTURES]
    assert versions == list(range(1, migrations.CURRENT_VERSION + 1)), (
        "a new schema version needs its fixture: "
        "uv run python tests/fixtures/make_schema_fixture.py")
    for fixture in SCHEMA_FIXTURES:
        assert fixture.with_suffix(".json").is_file()
        copy = tmp_path / fixture.name  # never opened in place: SQLite would add files
        shutil.copyfile(fixture, copy)
        assert pragma(copy, "user_version") == fixture_version(fixture)
        assert pragma(copy, "application_id") == migrations.APPLICATION_ID


@pytest.mark.parametrize("fixture", SCHEMA_FIXTURES, ids=lambda p: p.stem)
def test_every_schema_fixture_opens_with_every_entry(cli, db_path, fixture):
    install(fixture, db_path)
    rows_before = stored_rows(db_path)

    result = cli("export")

    assert result.exit_code == 0, result.stderr
    expected = json.loads(fixture.with_suffix(".json").read_text())
    assert_keeps_every_entry(expected, result.json())
    assert stored_rows(db_path) == rows_before
    assert pragma(db_path, "integrity_check") == "ok"
    assert pragma(db_path, "user_version") == migrations.CURRENT_VERSION
    backups = sorted(p.name for p in db_path.parent.glob("*.bak-*"))
    if fixture_version(fixture) == migrations.CURRENT_VERSION:
        assert backups == []
    else:
        assert backups == [f"runrecover.db.bak-{fixture_version(fixture)}-2016-06-15"]
    # The undo journal written by the old code still works: the last command was an import.
    undone = cli("undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert "'import'" in undone.stdout
    assert len(cli("export").json()["activities"]) == len(expected["activities"]) - 1


@pytest.mark.parametrize("fixture", SCHEMA_FIXTURES, ids=lambda p: p.stem)
def test_an_older_file_is_copied_aside_then_migrated(cli, db_path, fixture, monkeypatch):
    install(fixture, db_path)
    original = dump(db_path)
    old_version = fixture_version(fixture)
    new_version = add_probe_step(monkeypatch, """
        CREATE TABLE hardening_probe (id INTEGER PRIMARY KEY, pain_id INTEGER
            REFERENCES pain (id));
        CREATE INDEX ix_hardening_probe ON hardening_probe (pain_id)
    """)

    first = cli("pain", "2", "--on", "2016-06-15 07:00", "--injury", "calf")

    assert first.exit_code == 0, first.stderr
    backup = db_path.with_name(f"runrecover.db.bak-{old_version}-2016-06-15")
    assert sorted(p.name for p in db_path.parent.glob("*.bak-*")) == [backup.name]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert dump(backup) == original
    assert pragma(backup, "integrity_check") == "ok"
    assert pragma(db_path, "user_version") == new_version
    assert pragma(db_path, "integrity_check") == "ok"
    assert any("hardening_probe" in line for line in dump(db_path))
    expected = json.loads(fixture.with_suffix(".json").read_text())
    exported = cli("export").json()
    exported["pain"] = [p for p in exported["pain"] if p["at"] != "2016-06-15T07:00:00+02:00"]
    assert_keeps_every_entry(expected, exported)
    # Opening the migrated file again copies nothing more.
    assert cli("status").exit_code == 0
    assert len(list(db_path.parent.glob("*.bak-*"))) == 1


def test_a_second_migration_the_same_day_keeps_the_first_copy(cli, db_path, monkeypatch):
    """E.g. an upgrade, then a restore of an older backup: both pre-migration copies stay."""
    fixture = SCHEMA_FIXTURES[-1]
    install(fixture, db_path)
    add_probe_step(monkeypatch, "CREATE TABLE hardening_probe (id INTEGER PRIMARY KEY)")
    assert cli("pain", "4", "--injury", "calf").exit_code == 0
    first_copy = dump(db_path.with_name(f"runrecover.db.bak-{fixture_version(fixture)}"
                                        "-2016-06-15"))
    install(fixture, db_path)

    assert cli("status").exit_code == 0

    name = f"runrecover.db.bak-{fixture_version(fixture)}-2016-06-15"
    copies = sorted(p.name for p in db_path.parent.glob("*.bak-*"))
    assert copies == [name, f"{name}.2"]
    assert dump(db_path.with_name(name)) == first_copy
    install(fixture, db_path)
    assert dump(db_path.with_name(f"{name}.2")) == dump(db_path)


def test_a_failing_migration_step_changes_nothing(cli, db_path, monkeypatch):
    fixture = SCHEMA_FIXTURES[-1]
    install(fixture, db_path)
    original = dump(db_path)
    # The first statement succeeds, the second fails: the step must not be half applied.
    add_probe_step(monkeypatch, """
        CREATE TABLE hardening_probe (id INTEGER PRIMARY KEY);
        CREATE TABLE pain (id INTEGER PRIMARY KEY)
    """)

    result = cli("pain", "2")

    assert result.exit_code == 3
    assert "already exists" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(db_path) == original
    assert pragma(db_path, "user_version") == fixture_version(fixture)


@pytest.mark.parametrize("fixture", SCHEMA_FIXTURES, ids=lambda p: p.stem)
def test_an_older_file_gets_the_names_of_its_steps(cli, db_path, fixture, monkeypatch):
    """Files from before steps were recorded by name count their first user_version steps
    as applied (when unknown, NULL); the steps applied now are recorded with their time. (A
    file of the current schema gets the table with the next step: here, a probe.)"""
    install(fixture, db_path)
    had_names = any(migrations.MIGRATIONS_TABLE in line for line in dump(db_path))
    add_probe_step(monkeypatch, "CREATE TABLE hardening_probe (id INTEGER PRIMARY KEY)")
    assert cli("status").exit_code == 0
    conn = connect(db_path)
    try:
        rows = conn.execute(f"SELECT name, applied_at IS NULL FROM {migrations.MIGRATIONS_TABLE} "
                            "ORDER BY rowid").fetchall()
    finally:
        conn.close()
    old = fixture_version(fixture)
    # A file written since names are recorded (schema 5 on) knows when each was applied.
    assert rows == [(name, n < old and not had_names)
                    for n, (name, _) in enumerate(migrations.MIGRATIONS)]


def test_a_step_not_known_here_is_refused_untouched(cli, db_path):
    """A file holding a step by a name this program does not know (a newer or another
    branch's runrecover), even at a schema version it knows, is refused untouched."""
    install(SCHEMA_FIXTURES[0], db_path)
    assert cli("status").exit_code == 0
    conn = connect(db_path)
    conn.execute(f"INSERT INTO {migrations.MIGRATIONS_TABLE} (name) VALUES ('m999_elsewhere')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    before = dump(db_path)
    result = cli("pain", "3")
    assert result.exit_code == 3
    assert "newer runrecover" in result.stderr and "m999_elsewhere" in result.stderr
    assert dump(db_path) == before
