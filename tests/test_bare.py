"""Bare `runrecover` answers the morning question, as `runrecover status` does."""


def test_bare_runrecover_is_todays_status(cli):
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")
    bare = cli()
    assert bare.exit_code == 0, bare.stderr
    assert bare.stdout == cli("status").stdout
    assert "running from Sat 18 Jun 00:00" in bare.stdout


def test_bare_runrecover_with_nothing_recorded_welcomes(cli, db_path):
    bare = cli()
    assert bare.exit_code == 0, bare.stderr
    assert "Nothing is recorded yet" in bare.stdout
    assert "runrecover injury add" in bare.stdout
    assert not db_path.exists()  # answering never creates the database


def test_bare_runrecover_honours_the_global_options(cli, database, tmp_path):
    missing = cli("--db", str(tmp_path / "typo.db"))  # a file, whichever engine is tested
    assert missing.exit_code == cli("--db", str(tmp_path / "typo.db"), "status").exit_code == 3
    assert "There is no database at" in missing.stderr
    db = database("mine.db")
    cli("--db", db, "pain", "8", "--on", "2016-06-15 08:00")
    mine = cli("--db", db)
    assert mine.exit_code == 0, mine.stderr
    assert mine.stdout == cli("--db", db, "status").stdout
    assert "8/10" in mine.stdout


def test_help_is_still_the_help(cli):
    shown = cli("--help")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("Usage: ")
    assert " list " in shown.stdout and " status " in shown.stdout
