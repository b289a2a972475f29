"""Several athletes in one database (a clinic's, a club's): which one a command acts for,
each athlete's own zone and units, the clinician's view, and the basic isolation of one
athlete's record from another's (tests/test_isolation*.py attack it harder).

Every test runs on SQLite and, with RUNRECOVER_TEST_POSTGRES, on PostgreSQL, unless marked."""

import json
import os
import shutil
from pathlib import Path

import pytest

from runrecover import migrations

FIXTURES = Path(__file__).parent / "fixtures"


def athletes_stored(query) -> list[tuple]:
    return [tuple(row) for row in query("SELECT id, name FROM athlete ORDER BY id")]


@pytest.fixture
def two(cli):
    """alice (a mesotherapy this morning: no running for days) and bob (nothing holding
    him back), in the test's database."""
    assert cli("athletes", "add", "alice").exit_code == 0
    assert cli("athletes", "add", "Bob").exit_code == 0
    assert cli("--athlete", "alice", "injury", "add", "left calf", "--since",
               "2016-06-01").exit_code == 0
    assert cli("treat", "mesotherapy", "--athlete", "alice", "--injury", "calf", "--on",
               "2016-06-15 08:00").exit_code == 0
    assert cli("log", "5k", "--athlete", "bob", "--on", "2016-06-14 18:00").exit_code == 0


# -- a database with one runner, or none yet -----------------------------------------------

def test_a_new_database_gets_me_from_its_first_write_and_reads_make_none(cli, database_query):
    assert cli("status").exit_code == 0
    assert cli("pain", "3", "--json").exit_code == 0
    assert athletes_stored(database_query) == [(1, "me")]
    assert database_query("SELECT athlete_id FROM pain") == [(1,)]
    assert database_query("SELECT athlete_id FROM journal") == [(1,)]
    # The only athlete is used without being named; named, in any case, too.
    assert cli("status", "--json").json()["can_run"] is True
    assert cli("--athlete", " ME ", "pain", "2").exit_code == 0
    assert database_query("SELECT count(*) FROM pain WHERE athlete_id = 1") == [(2,)]


@pytest.mark.sqlite_only("an old file, migrated with its backup copy (test_postgres.py "
                         "brings every older schema forward on a server)")
@pytest.mark.parametrize("version", range(1, migrations.CURRENT_VERSION))
def test_an_old_file_becomes_mes_record_after_its_copy_is_kept(cli, db_path, version):
    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(FIXTURES / f"schema-v{version}.db", db_path)
    db_path.chmod(0o600)

    result = cli("list", "pain", "--json")

    assert result.exit_code == 0, result.stderr
    assert [p.name for p in db_path.parent.glob("*.bak-*")] == [
        f"runrecover.db.bak-{version}-2016-06-15"]
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT id, name FROM athlete").fetchall() == [(1, "me")]
        for table in migrations.ATHLETE_TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE athlete_id IS NOT 1"
                                ).fetchone() == (0,), table
    finally:
        conn.close()
    assert cli("--athlete", "me", "status").exit_code == 0


# -- which athlete -------------------------------------------------------------------------

def test_several_athletes_and_none_named_is_refused_even_for_status(cli, two, database_query):
    before = database_query("SELECT count(*) FROM pain")
    for command in (["status"], ["pain", "3"], ["timeline"], ["export"], ["undo", "--yes"]):
        result = cli(*command)
        assert result.exit_code == 2, command
        assert result.stderr.strip() == (
            "This database holds several athletes (alice, Bob): name one with --athlete NAME "
            "or RUNRECOVER_ATHLETE."), command
        assert result.stdout == ""
    assert database_query("SELECT count(*) FROM pain") == before
    # Bare `runrecover` too.
    assert cli().exit_code == 2


def test_an_athlete_not_there_is_refused_and_never_made(cli, two, database_query):
    before = athletes_stored(database_query)
    for command in (["--athlete", "carol", "pain", "3"], ["status", "--athlete", "carol"],
                    ["injury", "show", "calf", "--athlete", "carol"]):
        result = cli(*command)
        assert result.exit_code == 2, command
        assert "There is no athlete 'carol'" in result.stderr
        assert "alice, Bob" in result.stderr and "runrecover athletes add NAME" in result.stderr
    assert athletes_stored(database_query) == before
    assert database_query("SELECT count(*) FROM pain") == [(0,)]


def test_an_athlete_named_on_a_new_database_is_refused_too(cli, database_query):
    result = cli("pain", "3", "--athlete", "alice")
    assert result.exit_code == 2
    assert "holds no athlete yet" in result.stderr
    assert cli("status").exit_code == 0  # the database is still new: nobody was made


def test_the_commands_athlete_beats_the_global_one_which_beats_the_environment(
        cli, two, monkeypatch):
    def verdict(*args):
        result = cli(*args, "status", "--json") if args[:1] == ("--athlete",) else cli(
            "status", "--json", *args)
        assert result.exit_code == 0, result.stderr
        return result.json()["can_run"]

    monkeypatch.setenv("RUNRECOVER_ATHLETE", "alice")
    assert cli("status", "--json").json()["can_run"] is False  # alice, from the environment
    assert verdict("--athlete", "bob") is True  # the global option beats it
    result = cli("--athlete", "bob", "status", "--json", "--athlete", "alice")
    assert result.json()["can_run"] is False  # the command's beats the global one
    monkeypatch.delenv("RUNRECOVER_ATHLETE")
    assert verdict("--athlete", "ALICE") is False


# -- each athlete's own settings -----------------------------------------------------------

def test_an_athletes_zone_is_the_one_their_days_are_counted_in(cli, two):
    # 10:00 in Paris is 21:00 the day before at Midway (UTC-11): "yesterday" is another day.
    assert cli("athletes", "set", "bob", "--zone", "Pacific/Midway").exit_code == 0
    paris = cli("pain", "2", "--on", "yesterday", "--athlete", "alice", "--json").json()
    midway = cli("pain", "2", "--on", "yesterday", "--athlete", "bob", "--json").json()
    assert paris["at"] == "2016-06-14" and midway["at"] == "2016-06-13"
    listed = cli("list", "pain", "--athlete", "bob", "--json").json()
    assert [p["at"] for p in listed] == ["2016-06-13"]
    # An empty zone clears it: TZ (Paris) again.
    assert cli("athletes", "set", "bob", "--zone", "").exit_code == 0
    again = cli("pain", "1", "--on", "yesterday", "--athlete", "bob", "--json").json()
    assert again["at"] == "2016-06-14"


def _commit(database: str, sql: str) -> None:
    """`sql` committed on the test's database, as another process would."""
    from conftest import POSTGRES

    if POSTGRES:
        import psycopg

        with psycopg.connect(database) as connection:
            connection.execute(sql)
        return
    import sqlite3

    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute(sql)
    finally:
        connection.close()


@pytest.fixture
def meanwhile(monkeypatch, isolated):
    """Have another process commit SQL after the command picked its athlete (and so the
    zone its dates are read in), before its transaction begins: while it reads its dates."""
    from conftest import POSTGRES
    from runrecover import dates

    database = os.environ["RUNRECOVER_DB"] if POSTGRES else str(isolated)

    def arrange(sql: str) -> None:
        read = dates.parse_when

        def read_then_change(*args, **kwargs):
            _commit(database, sql)
            monkeypatch.setattr(dates, "parse_when", read)  # once
            return read(*args, **kwargs)

        monkeypatch.setattr(dates, "parse_when", read_then_change)

    arrange.commit = lambda sql: _commit(database, sql)
    return arrange


@pytest.mark.parametrize("change", [
    "UPDATE athlete SET time_zone = 'Pacific/Kiritimati' WHERE lower(name) = 'bob'",
    "UPDATE athlete SET units = 'mi' WHERE lower(name) = 'bob'",
])
def test_a_pick_changed_by_another_process_before_the_write_is_refused(cli, two, meanwhile,
                                                                       database_query, change):
    # The pain's moment was read in the zone picked: stored in another, a red gate would
    # end hours early. The command refuses, nothing written; run again, it is read right.
    before = database_query("SELECT count(*) FROM pain")
    meanwhile(change)
    refused = cli("pain", "8", "--injury", "none", "--on", "today 07:00", "--athlete", "bob")
    assert refused.exit_code == 3
    assert "changed while the command ran" in refused.stderr and "run it again" in refused.stderr
    assert database_query("SELECT count(*) FROM pain") == before
    again = cli("pain", "8", "--injury", "none", "--on", "today 07:00", "--athlete", "bob")
    assert again.exit_code == 0, again.stderr


def test_an_athlete_added_before_a_first_write_with_its_own_zone_is_refused(
        cli, meanwhile, database_query):
    # No athlete yet when the dates were read (in TZ's zone); bob, in another zone, by the
    # time the write begins: the pain would be his, read in the wrong zone.
    assert cli("athletes", "add", "tmp").exit_code == 0  # a migrated database...
    meanwhile.commit("DELETE FROM athlete")  # ...with no athlete yet
    meanwhile("INSERT INTO athlete (uid, created_at, name, time_zone) VALUES "
              "('u-bob', '2016-06-15 08:00:00', 'bob', 'Pacific/Kiritimati')")
    refused = cli("pain", "8", "--injury", "none", "--on", "today 07:00")
    assert refused.exit_code == 3, refused.stderr
    assert database_query("SELECT count(*) FROM pain") == [(0,)]
    assert [name for _, name in athletes_stored(database_query)] == ["bob"]


def test_an_athletes_units_beat_the_settings_file_but_not_the_environment(cli, two,
                                                                          monkeypatch):
    assert cli("athletes", "set", "bob", "--units", "mi").exit_code == 0
    shown = cli("list", "runs", "--athlete", "bob").stdout
    assert "3.1 mi" in shown and "km" not in shown
    assert "mi" not in cli("list", "runs", "--athlete", "alice").stdout
    assert cli("config", "units", "km").exit_code == 0
    assert "3.1 mi" in cli("list", "runs", "--athlete", "bob").stdout
    monkeypatch.setenv("RUNRECOVER_UNITS", "km")
    assert "5.0 km" in cli("list", "runs", "--athlete", "bob").stdout


def test_athletes_add_set_and_rename_refuse_what_would_confuse_them(cli, two, database_query):
    assert cli("athletes", "add", "ALICE").exit_code == 2  # names are unique whatever the case
    assert cli("athletes", "add", "  ").exit_code == 2
    assert cli("athletes", "add", "carol", "--zone", "Mars/Olympus").exit_code == 2
    assert cli("athletes", "add", "carol", "--units", "furlongs").exit_code == 2
    assert cli("athletes", "rename", "bob", "Alice").exit_code == 2
    assert cli("athletes", "set", "bob").exit_code == 2
    assert athletes_stored(database_query) == [(1, "alice"), (2, "Bob")]
    assert cli("athletes", "rename", "bob", "Robert").exit_code == 0
    assert cli("status", "--athlete", "robert").exit_code == 0
    assert cli("status", "--athlete", "bob").exit_code == 2


# -- the clinician's view ------------------------------------------------------------------

def test_athletes_lists_each_ones_verdict_next_session_and_settings(cli, two):
    assert cli("athletes", "set", "alice", "--zone", "Europe/London", "--units",
               "mi").exit_code == 0
    found = cli("athletes", "--json")
    assert found.exit_code == 0, found.stderr
    alice, bob = found.json()["athletes"]
    assert alice["name"] == "alice" and bob["name"] == "Bob"
    assert alice["can_run"] is False and alice["run_level"] == "none"
    assert alice["headline"].startswith("NOT YET running from ")
    assert alice["next_session"]["kind"] == "mesotherapy"
    assert alice["next_session"]["session"] == 2
    assert alice["time_zone"] == "Europe/London" and alice["units"] == "mi"
    assert bob["can_run"] is True and bob["headline"] == "GO running is allowed"
    assert bob["next_session"] is None and bob["see_clinician"] == []
    assert bob["time_zone"] == "Europe/Paris" and bob["units"] == "km"
    # Each line as status says it to that athlete, in their own zone.
    own = cli("status", "--athlete", "alice").stdout.splitlines()[0]
    lines = cli("athletes").stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].startswith("alice ")
    assert " ".join(own.split()) in " ".join(" ".join(lines).split())
    assert any(line.startswith("Bob ") and "GO  running is allowed" in line for line in lines)
    assert "next: mesotherapy 2 of 3 due" in " ".join(" ".join(lines).split())


@pytest.mark.parametrize("columns", [80, 60])
def test_a_long_name_never_crowds_out_a_verdict(cli, two, monkeypatch, columns):
    # Two long names alike but for their end: each whole on a line of its own, each verdict
    # under its own name, and the short names' verdicts keep their room.
    monkeypatch.setenv("COLUMNS", str(columns))
    stem = "Jean-Baptiste Emmanuel Zorg de la Fontaine"
    for end, pain in (("-Beaumont", "8"), ("-Bellevue", "1")):
        assert cli("athletes", "add", stem + end).exit_code == 0
        assert cli("pain", pain, "--injury", "none", "--on", "2016-06-15 08:00",
                   "--athlete", stem + end).exit_code == 0
    lines = cli("athletes").stdout.splitlines()
    assert all(len(line) <= columns for line in lines)
    beaumont, bellevue = lines.index(stem + "-Beaumont"), lines.index(stem + "-Bellevue")
    assert "NOT YET" in lines[beaumont + 1] and "GO" in lines[bellevue + 1]
    assert lines[0].startswith("alice ") and "NOT YET" in lines[0]


@pytest.mark.parametrize("args", [["athletes", "add", " "], ["athletes", "rename", "a", "b"],
                                  ["athletes", "set", "a", "--units", "km"],
                                  ["athletes", "rename", "a", ""]])
def test_a_refused_athletes_change_makes_no_database(cli, tmp_path, args):
    database = tmp_path / "new.db"
    refused = cli("--db", str(database), *args)
    assert refused.exit_code in (2, 3) and refused.stderr.count("\n") == 1
    assert not database.exists()


def test_an_empty_athlete_name_is_refused_not_taken_for_none(cli, two, monkeypatch):
    monkeypatch.setenv("RUNRECOVER_ATHLETE", "bob")
    for args in (["status", "--athlete", ""], ["--athlete", " ", "status"],
                 ["pain", "3", "--athlete", ""]):
        refused = cli(*args)
        assert refused.exit_code == 2 and "empty name" in refused.stderr, args
    monkeypatch.setenv("RUNRECOVER_ATHLETE", "")  # an empty variable is an unset one
    assert cli("status", "--check").exit_code == 2  # several athletes, none named


def test_athletes_on_a_new_database_says_there_are_none(cli):
    result = cli("athletes", "--json")
    assert result.exit_code == 0 and result.json() == {"athletes": []}
    assert "No athlete yet" in cli("athletes").stdout


# -- isolation, the basics -----------------------------------------------------------------

def test_an_athlete_never_sees_edits_deletes_or_undoes_anothers_entries(cli, two,
                                                                        database_query):
    pain = cli("pain", "6", "--athlete", "alice", "--json").json()
    assert cli("pain", "1", "--athlete", "bob").exit_code == 0
    for command in (["edit", "pain", str(pain["id"]), "--score", "0"],
                    ["delete", "pain", str(pain["id"]), "--yes"]):
        result = cli(*command, "--athlete", "bob")
        assert result.exit_code == 2
        assert f"There is no pain with id {pain['id']}" in result.stderr
    assert cli("injury", "show", "calf", "--athlete", "bob").exit_code == 2
    assert cli("list", "pain", "--athlete", "bob", "--json").json()[0]["score"] == 1
    assert "calf" not in cli("timeline", "--athlete", "bob").stdout
    # bob's undo takes back bob's last command, not alice's later one.
    undone = cli("undo", "--yes", "--athlete", "bob")
    assert undone.exit_code == 0 and "'pain'" in undone.stdout
    assert database_query("SELECT score FROM pain ORDER BY id") == [(6,)]
    undone = cli("undo", "--yes", "--athlete", "bob")
    assert "'log'" in undone.stdout
    assert cli("undo", "--yes", "--athlete", "bob").exit_code != 0  # nothing left of bob's
    assert database_query("SELECT score FROM pain") == [(6,)]


def test_the_orm_scope_reaches_column_selects_gets_updates_and_deletes(cli, two):
    """The SQLAlchemy path's one place (`store.scope`): every ORM statement is the
    athlete's, an aggregate of columns, a get by id and a bulk UPDATE or DELETE too."""
    from sqlalchemy import delete, func, update
    from sqlmodel import select

    from runrecover import athletes, db, postgres, store
    from runrecover.models import Injury, Pain, Treatment
    from runrecover.settings import ServerDatabase, db_path

    cli("treat", "physio", "--athlete", "bob", "--no-run-days", "2")
    chosen = db_path(None)  # the test's own: RUNRECOVER_DB, or the file in the data folder
    bob = next(a for a in athletes.on_database(chosen) if a.name == "Bob")
    engine = (postgres.open_database(chosen, write=True) if isinstance(chosen, ServerDatabase)
              else db.open_database(chosen, write=True))
    try:
        with db.transaction(engine) as s:
            store.scope(s, bob.id)
            assert s.exec(select(func.max(Treatment.no_run_days))).one() == 2
            assert s.exec(select(func.count(Treatment.id))).one() == 1
            assert list(s.exec(select(Injury.name))) == []
            assert s.get(Injury, 1) is None  # alice's injury, by its id
            s.exec(update(Treatment).values(note="bulk"))
            s.exec(delete(Pain))
    finally:
        engine.dispose()
    alice = cli("list", "treatments", "--athlete", "alice", "--json").json()
    assert [t["note"] for t in alice] == [None]
    bobs = cli("list", "treatments", "--athlete", "bob", "--json").json()
    assert [t["note"] for t in bobs] == ["bulk"]


@pytest.mark.sqlite_only("a session on a file of its own")
def test_an_unscoped_session_cannot_write_an_entry(tmp_path):
    from datetime import UTC, datetime

    from runrecover import db, store
    from runrecover.models import Pain

    engine = db.open_database(tmp_path / "x.db", write=True)
    try:
        with pytest.raises(RuntimeError, match="not scoped"), db.transaction(engine) as s:
            store.add(s, Pain(score=3, at=datetime.now(UTC), time_known=True))
    finally:
        engine.dispose()


# -- moving in, and out --------------------------------------------------------------------

def test_export_then_import_into_an_athlete_gives_back_every_entry_and_back_again(
        cli, database, tmp_path):
    local, clinic, back = database("local.db"), database("clinic.db"), database("back.db")
    assert cli("--db", local, "injury", "add", "left calf", "--since", "2016-06-01").exit_code == 0
    assert cli("--db", local, "treat", "physio", "--injury", "calf", "--on",
               "2016-06-10").exit_code == 0
    assert cli("--db", local, "pain", "4", "--on", "2016-06-14 07:00").exit_code == 0
    assert cli("--db", local, "log", "5k", "30:00", "--on", "2016-06-13 18:00").exit_code == 0
    exported = cli("--db", local, "export")
    assert exported.exit_code == 0
    file = tmp_path / "local.json"
    file.write_text(exported.stdout)
    # The clinic holds another athlete with entries of her own.
    assert cli("--db", clinic, "athletes", "add", "carol").exit_code == 0
    assert cli("--db", clinic, "athletes", "add", "dan").exit_code == 0
    assert cli("--db", clinic, "--athlete", "carol", "pain", "2").exit_code == 0

    assert cli("--db", clinic, "--athlete", "dan", "import", str(file)).exit_code == 0

    def entries(document):
        return {k: v for k, v in document.items() if isinstance(v, list)}

    source = entries(json.loads(exported.stdout))
    dans = entries(cli("--db", clinic, "--athlete", "dan", "export").json())
    assert dans == source
    carols = cli("--db", clinic, "--athlete", "carol", "export").json()
    assert [p["score"] for p in carols["pain"]] == [2] and carols["injuries"] == []
    again = tmp_path / "dan.json"
    again.write_text(cli("--db", clinic, "--athlete", "dan", "export").stdout)
    assert cli("--db", back, "import", str(again)).exit_code == 0
    assert entries(cli("--db", back, "export").json()) == source


def test_an_import_of_another_athletes_entries_is_refused_without_naming_them(
        cli, two, tmp_path, database_query):
    file = tmp_path / "export.json"
    file.write_text(cli("export", "--athlete", "alice").stdout)
    before = database_query("SELECT count(*) FROM injury"), database_query(
        "SELECT count(*) FROM treatment"), database_query("SELECT count(*) FROM journal")

    result = cli("import", str(file), "--athlete", "bob")

    assert result.exit_code == 2
    assert "belong to another athlete" in result.stderr
    assert "alice" not in result.stderr.lower()
    assert (database_query("SELECT count(*) FROM injury"), database_query(
        "SELECT count(*) FROM treatment"), database_query("SELECT count(*) FROM journal")) \
        == before
    # Into alice herself, it is all there already.
    assert cli("import", str(file), "--athlete", "alice").exit_code == 0


# -- completion ----------------------------------------------------------------------------

def _complete(db: str, words: str, **env: str) -> str:
    from typer.testing import CliRunner

    from runrecover.cli import app

    result = CliRunner().invoke(app, [], prog_name="runrecover", env={
        "_RUNRECOVER_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": f"runrecover --db {db} {words}", **env})
    assert result.exit_code == 0
    return result.stdout


def test_completion_offers_only_the_athletes_own_names(cli, two):
    db = os.environ.get("RUNRECOVER_DB") or str(
        Path(os.environ["RUNRECOVER_DATA_DIR"]) / "runrecover.db")
    assert cli("injury", "add", "right hip", "--athlete", "bob").exit_code == 0
    assert cli("race", "add", "City 15K", "2016-06-19", "--athlete", "alice").exit_code == 0
    assert '"left calf"' in _complete(db, "pain 3 --athlete alice --injury ")
    assert '"right hip"' not in _complete(db, "pain 3 --athlete alice --injury ")
    assert '"right hip"' in _complete(db, "--athlete bob pain 3 --injury ")
    assert '"left calf"' not in _complete(db, "--athlete bob injury show ")
    assert '"City 15K"' not in _complete(db, "status --athlete bob --race ")
    assert '"City 15K"' in _complete(db, "status --race ", RUNRECOVER_ATHLETE="alice")
    # Several athletes and none named: no one's names.
    assert '"' not in _complete(db, "injury show ")
    assert '"alice"' in _complete(db, "status --athlete ")


def test_an_athletes_zone_is_forgotten_when_the_command_ends(cli, two):
    from runrecover import clock

    assert cli("athletes", "set", "bob", "--zone", "Pacific/Midway").exit_code == 0
    assert cli("status", "--athlete", "bob").exit_code == 0
    assert getattr(clock.local_zone(), "key", None) == "Europe/Paris"
