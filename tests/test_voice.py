"""One voice: every error is one sentence naming the value and what is accepted (exit 2),
prompts end their line, and help lists commands by when they are used."""

import os
import time

import pytest

from conftest import POSTGRES, with_schema


@pytest.mark.parametrize(("args", "expected"), [
    (["pain", "six"], "SCORE cannot be 'six': give a whole number from 0 to 10."),
    (["pain", "11"], "SCORE cannot be '11': give a whole number from 0 to 10."),
    (["pain", "3", "--context", "mornin"],
     "--context cannot be 'mornin': give one of morning, rest, during, after, night; "
     "did you mean morning?"),
    (["export", "--format", "JSON"],
     "--format cannot be 'JSON': give one of json, csv, ics; did you mean json?"),
    (["injury", "add", "calf", "--side", "lft"],
     "--side cannot be 'lft': give one of left, right, both; did you mean left?"),
    (["pain"], "runrecover pain needs SCORE (a whole number from 0 to 10); "
     "see 'runrecover pain --help'."),
    (["pain", "3", "--contxt", "rest"],
     "runrecover pain has no option --contxt; did you mean --context?"),
    (["painn"], "No such command 'painn'; did you mean pain?"),
    (["pain", "3", "extra"], "runrecover pain does not take 'extra'; "
     "see 'runrecover pain --help'."),
    (["status", "--at"], "--at needs a value; see 'runrecover --help'."),
    (["demo", "--keep", "."], "--keep: file '.' is a directory."),
    (["xyzzy"], "No such command 'xyzzy'; see 'runrecover --help'."),
    (["rules", "m"], "'m' is the start of several kinds (massage, mesotherapy); "
     "give more of the name."),
])
def test_a_usage_error_is_one_sentence_naming_the_value(cli, args, expected):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == expected + "\n"
    assert result.stdout == ""


def test_no_error_ends_in_double_punctuation(cli):
    for args in (["pain", "3", "--context", "mornin"], ["treat", "mesoterapy"],
                 ["pain", "3", "--contxt", "rest"]):
        stderr = cli(*args).stderr
        assert "?." not in stderr and ".." not in stderr, stderr


def test_rules_takes_a_unique_start_of_a_kind(cli):
    result = cli("rules", "prol")
    assert result.exit_code == 0
    assert result.stdout.startswith("prolotherapy\n")


def test_a_missing_database_names_only_what_named_it(cli, tmp_path, monkeypatch):
    missing = tmp_path / "nowhere.db"
    by_option = cli("--db", str(missing), "status")
    assert by_option.exit_code == 3
    assert "check --db " in by_option.stderr and "RUNRECOVER_DB" not in by_option.stderr
    monkeypatch.setenv("RUNRECOVER_DB", str(missing))
    by_env = cli("status")
    assert by_env.exit_code == 3
    assert "check RUNRECOVER_DB " in by_env.stderr and "--db" not in by_env.stderr


@pytest.mark.parametrize("answer", ["n\n", "", None])
def test_a_declined_prompt_is_not_bad_input(cli, answer):
    cli("pain", "5")
    declined = cli("delete", "pain", "1", input=answer)
    assert declined.exit_code == 1
    assert declined.stderr.endswith(
        "Not confirmed, so nothing was changed; add --yes to skip the question.\n")
    assert len(cli("export").json()["pain"]) == 1


@pytest.mark.parametrize("answer", ["", None])
def test_end_of_input_at_a_prompt_ends_the_line_first(cli, answer):
    # A typed "n" ends the line on a terminal; end of input or Ctrl-C does not.
    cli("pain", "5")
    lines = cli("delete", "pain", "1", input=answer).stderr.splitlines()
    assert lines[-2].endswith("[y/N]:")
    assert lines[-1].startswith("Not confirmed")


def test_help_lists_commands_by_when_they_are_used_and_cuts_no_summary(cli):
    out = cli("--help").stdout
    panels = ["Every day:", "After a visit:", "Looking back:", "Your data:"]
    assert [out.index(p) for p in panels] == sorted(out.index(p) for p in panels)
    every_day = out[out.index("Every day:"):out.index("After a visit:")].splitlines()
    assert [line.split()[0] for line in every_day[1:] if line[2:3] != " " and line] == [
        "log", "pain", "status"]
    commands = out[out.index("Every day:"):]
    assert "..." not in commands
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "<list[" not in cli("import", "--help").stdout
    assert "<json|csv|ics>" in cli("export", "--help").stdout


def test_an_error_wraps_between_words_at_a_terminal_and_not_when_read(cli, monkeypatch):
    args = ("pain", "3", "--context", "mornin")
    assert len(cli(*args).stderr.splitlines()) == 1
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich then writes as to a terminal
    monkeypatch.setenv("COLUMNS", "40")
    lines = cli(*args).stderr.splitlines()
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert " ".join(line.strip() for line in lines) == (
        "--context cannot be 'mornin': give one of morning, rest, during, after, night; "
        "did you mean morning?")


@pytest.mark.parametrize("columns", ["80", "60"])
def test_piped_output_has_no_trailing_spaces(cli, now, monkeypatch, columns):
    from test_timeline import calf_story, hip_story

    hip_story(cli)
    calf_story(cli, now)
    monkeypatch.setenv("COLUMNS", columns)
    for args in (["status", "--at", "2016-06-15 12:00"], ["status", "--at", "2016-06-20"],
                 ["timeline"], ["timeline", "--chart"], ["injury", "show", "calf"],
                 ["injury", "show", "hip"], ["injury", "list", "--all"], ["list"],
                 ["race", "list"], ["rules"], ["rules", "mesotherapy"], ["rules", "--sources"],
                 ["treat", "shockwave", "--injury", "calf", "--on", "2016-06-20 08:00"],
                 ["pain", "2", "--injury", "calf", "--on", "2016-06-20 08:00"],
                 ["log", "5k", "30:00", "--on", "2016-06-20 08:00"],
                 ["edit", "pain", "last", "--score", "3"], ["undo", "--yes"], ["--help"]):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        padded = [line for line in result.stdout.splitlines() if line != line.rstrip()]
        assert padded == [], args


def test_treat_shows_contraindications_once_per_course(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    first = cli("treat", "mesotherapy", "--on", "2016-06-07 10:00").stdout
    second = cli("treat", "mesotherapy", "--on", "2016-06-14 10:00").stdout
    assert "Not with:" in first and "pregnancy" in first
    assert "Not with:" not in second and "pregnancy" not in second
    assert "Aftercare:" in second  # aftercare holds after every session


def test_wrapped_notes_hang_under_their_text(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    lines = cli("treat", "mesotherapy", "--on", "2016-06-07 10:00").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  Not with:  "))
    assert lines[start + 1].startswith(" " * 13) and lines[start + 1][13] != " "


def test_status_lists_open_injuries_only_each_pain_with_its_age(cli):
    cli("injury", "add", "right hip", "--since", "2016-05-02")
    cli("injury", "add", "left calf strain", "--since", "2016-06-05")
    cli("pain", "3", "--injury", "hip", "--on", "2016-06-10 07:00")
    cli("pain", "4", "--injury", "calf", "--on", "2016-06-15 08:00")
    cli("injury", "resolve", "hip", "--on", "2016-06-12")
    view = cli("status", "--at", "2016-06-15 10:00").stdout
    assert "left calf strain  pain 4/10 2 hours ago" in view
    assert "right hip" not in view
    # Before it was resolved, the hip was open.
    assert "right hip" in cli("status", "--at", "2016-06-11 12:00").stdout
    assert "right hip" not in cli("injury", "list").stdout
    listed = cli("injury", "list", "--all").stdout
    assert "right hip" in listed and "left calf strain" in listed


def test_an_injury_name_fills_its_part_and_side(cli):
    added = cli("injury", "add", "left calf strain", "--json").json()
    assert (added["part"], added["side"]) == ("calf", "left")
    given = cli("injury", "add", "right hip", "--part", "glute", "--json").json()
    assert (given["part"], given["side"]) == ("glute", "right")  # what is given wins
    assert cli("injury", "add", "sore", "--json").json()["part"] is None


@pytest.mark.parametrize(("args", "expected"), [
    (["injury", "add", " \u00a0 "], "The name ' \\xa0 ' is blank"),
    (["race", "add", "   ", "2016-06-19"], "The name '   ' is blank"),
    (["pain", "3", "--on", "2016-06-01"],
     "Wed 1 Jun 2016 is before left calf strain began (Sun 5 Jun 2016)"),
    (["treat", "physio", "--on", "2016-06-04 10:00"],
     "Sat 4 Jun 2016 is before left calf strain began (Sun 5 Jun 2016)"),
    (["injury", "resolve", "calf", "--on", "2016-06-01"],
     "left calf strain cannot be resolved on Wed 1 Jun 2016, before it began (Sun 5 Jun 2016)"),
    (["edit", "pain", "1", "--on", "2016-06-02 07:00"],
     "Thu 2 Jun 2016 is before left calf strain began (Sun 5 Jun 2016): give pain a moment "
     "from then on, another --injury (or --injury none), or move the onset with 'runrecover "
     "edit injury 1 "
     "--since 2016-06-02'.\n"),
    # An onset cannot be in the future (today is Wed 15 Jun 2016).
    (["injury", "add", "right hip", "--since", "+3d"],
     "'+3d' is in the future, and an injury's onset cannot be: give when it happened"),
    (["injury", "add", "right hip", "--since", "2016-06-16"], "'2016-06-16' is in the future"),
    (["edit", "injury", "1", "--since", "tomorrow"], "'tomorrow' is in the future"),
    # Nor resolved in the future: status would stop listing what still hurts.
    (["injury", "resolve", "calf", "--on", "2016-06-20"],
     "'2016-06-20' is in the future, and an injury's resolution cannot be: give when it "
     "happened"),
    (["edit", "injury", "1", "--resolved", "tomorrow"], "'tomorrow' is in the future"),
    # Nor may an injury's new dates leave its own pain or treatments outside them.
    (["edit", "injury", "1", "--since", "2016-06-11"],  # the first of those before, named
     "left calf strain cannot begin on Sat 11 Jun 2016: its treatment 1 (physio on Wed 8 Jun "
     "2016) would come before; give an onset on or before Wed 8 Jun 2016"),
    (["edit", "injury", "1", "--since", "2016-06-09"],
     "left calf strain cannot begin on Thu 9 Jun 2016: its treatment 1 (physio on Wed 8 Jun "
     "2016) would come before; give an onset on or before Wed 8 Jun 2016, or first move that "
     "entry with 'runrecover edit treatment 1 --on WHEN'.\n"),
    (["injury", "resolve", "calf", "--on", "2016-06-09"],
     "left calf strain cannot be resolved on Thu 9 Jun 2016: its pain 1 (4/10 on Fri 10 Jun "
     "2016) would come after; give a day on or after Sat 11 Jun 2016, or first move that pain "
     "with 'runrecover edit pain 1 --on WHEN'.\n"),
    (["edit", "injury", "1", "--resolved", "2016-06-10"],
     "left calf strain cannot be resolved on Fri 10 Jun 2016: its pain 2 (6/10 on Sat 11 Jun "
     "2016) would come after"),
])
def test_entries_fall_within_their_injury(cli, args, expected):
    cli("injury", "add", "left calf strain", "--since", "2016-06-05")
    cli("pain", "4", "--on", "2016-06-10 07:00")
    cli("pain", "6", "--on", "2016-06-11")
    cli("treat", "physio", "--on", "2016-06-08 10:00")
    before = cli("export").stdout
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(expected) and len(result.stderr.splitlines()) == 1
    assert cli("export").stdout == before


def test_pain_after_an_injury_was_resolved_is_refused(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-05")
    cli("injury", "resolve", "calf", "--on", "2016-06-12")
    refused = cli("pain", "2", "--injury", "calf", "--on", "2016-06-13 08:00")
    assert refused.exit_code == 2
    assert refused.stderr == ("Mon 13 Jun 2016 is after left calf strain was resolved (Sun 12 Jun "
                              "2016): give pain a moment up to then, another --injury (or "
                              "--injury none), or move the day it was resolved with "
                              "'runrecover edit injury 1 --resolved 2016-06-13'.\n")
    assert cli("pain", "2", "--injury", "calf", "--on", "2016-06-12 08:00").exit_code == 0
    # A follow-up visit after it was resolved is a treatment like any other.
    assert cli("treat", "physio", "--injury", "calf", "--on", "2016-06-14").exit_code == 0


def test_an_injurys_dates_move_within_its_entries_and_the_pain_then_gates(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-12")
    refused = cli("pain", "9", "--on", "2016-06-11 18:00")
    assert refused.exit_code == 2 and "'runrecover edit injury 1 --since 2016-06-11'" in \
        refused.stderr
    # What the message says to do works, and the score then holds running back.
    assert cli("edit", "injury", "1", "--since", "2016-06-11").exit_code == 0
    assert cli("pain", "9", "--on", "today 07:00").exit_code == 0
    assert cli("status", "--check").exit_code == 1
    # Dates that still hold every entry are accepted, backwards and forwards.
    assert cli("edit", "injury", "1", "--since", "2016-06-01").exit_code == 0
    assert cli("edit", "injury", "1", "--since", "2016-06-15").exit_code == 0
    assert cli("injury", "resolve", "calf", "--on", "today").exit_code == 0


def test_a_score_edit_is_not_refused_for_dates_an_old_file_already_broke(cli, db_path):
    import sqlite3

    cli("injury", "add", "left calf strain", "--since", "2016-06-05")
    cli("pain", "4", "--on", "2016-06-10 07:00")
    cli("treat", "physio", "--on", "2016-06-10 10:00")
    with sqlite3.connect(db_path) as connection:  # as an older version let it be stored
        connection.execute("UPDATE injury SET onset_on = '2016-06-12'")
    assert cli("edit", "pain", "1", "--score", "8").exit_code == 0
    assert cli("edit", "treatment", "1", "--by", "Dr Lee").exit_code == 0
    assert cli("edit", "injury", "1", "--name", "calf strain").exit_code == 0
    # Moving the entry, or the injury's dates, is checked.
    assert cli("edit", "pain", "1", "--on", "2016-06-11 07:00").exit_code == 2
    assert cli("edit", "injury", "1", "--since", "2016-06-11").exit_code == 2
    assert cli("edit", "injury", "1", "--since", "2016-06-10").exit_code == 0
    assert [p["score"] for p in cli("list", "pain", "--json").json()] == [8]


def test_pain_before_and_after_leaves_out_an_injections_first_48_hours(cli, now):
    from datetime import datetime

    from conftest import PARIS

    now(datetime(2016, 6, 30, 12, 0, tzinfo=PARIS))
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    for day, score in ((10, 5), (11, 5), (12, 6)):  # before: 5.3 (3)
        cli("pain", str(score), "--on", f"2016-06-{day} 07:00")
    cli("treat", "mesotherapy", "--on", "2016-06-13 10:00")
    cli("treat", "physio", "--on", "2016-06-13 10:00")
    # The injection's own soreness on the next two mornings, then the injury's pain.
    for day, score in ((14, 8), (15, 8), (16, 3), (17, 3), (18, 4)):
        cli("pain", str(score), "--on", f"2016-06-{day} 07:00")
    meso, physio = cli("injury", "show", "calf", "--json").json()["treatments"]
    assert (meso["pain_after"]["mean"], meso["pain_after"]["count"]) == (3.33, 3)
    # Physio is no injection: all five mornings count.
    assert physio["pain_after"]["count"] == 5
    view = cli("injury", "show", "calf").stdout
    assert "pain before / after" in view
    assert "5.3 (3) / 3.3 (3)" in view and "5.3 (3) / 5.2 (5)" in view


def test_pain_before_and_after_hides_a_side_of_fewer_than_three_scores(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    cli("pain", "5", "--on", "2016-06-06 07:00")
    cli("pain", "6", "--on", "2016-06-07 07:00")
    cli("treat", "physio", "--on", "2016-06-08 10:00")
    (physio,) = cli("injury", "show", "calf", "--json").json()["treatments"]
    assert physio["pain_before"] == {"mean": None, "count": 2, "complete": True}
    assert physio["change"] is None
    assert "– (2) / – (0)" in cli("injury", "show", "calf").stdout


def test_the_injury_pain_chart_counts_pain_during_runs(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-10")
    cli("log", "5k", "30:00", "--on", "2016-06-12 18:00", "--pain", "5")
    story = cli("injury", "show", "calf", "--json").json()
    assert story["pain_during_runs_by_day"] == [{"date": "2016-06-12", "worst": 5}]
    chart = cli("injury", "show", "calf").stdout
    assert "during runs" in chart


def test_an_imported_run_shows_its_moving_time_beside_the_elapsed(cli, tmp_path, now):
    from datetime import datetime

    from conftest import PARIS

    now(datetime(2024, 6, 20, 12, 0, tzinfo=PARIS))
    export = tmp_path / "Activities.csv"
    export.write_text(
        "Activity Type,Date,Title,Distance,Time,Moving Time,Elapsed Time\n"
        'Running,2024-06-14 07:15:00,"Paris Running","10.00","00:53:00","00:50:00",'
        '"00:53:00"\n', encoding="utf-8")
    assert cli("import", str(export), "--units", "km").exit_code == 0
    # The pace (5:00/km) is of the 50 moving minutes, shown beside the 53 elapsed.
    assert "10.0 km in 53:00 (50:00 moving) (5:00/km)" in cli(
        "timeline", "--since", "2024-06-14").stdout
    assert "moving" in cli("list", "runs").stdout  # wrapped in its column


def test_demo_says_which_moment_it_pretends_is_now_and_how_to_start_your_own(cli):
    out = cli("demo").stdout
    assert "The demo pretends it is now Wed 15 Jun 2016 12:00." in out
    tail = out[out.index("Start your own record"):].splitlines()
    assert tail[1] == "  runrecover injury add 'left calf strain' --since mon  # the injury"
    assert "runrecover demo" not in "\n".join(tail)


@pytest.mark.parametrize("columns", [40, 50, 60])
def test_a_suggested_command_breaks_only_between_arguments(cli, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    lines = cli().stdout.splitlines()  # the welcome, with nothing recorded
    assert all(len(line) <= columns for line in lines)
    steps = [line.split("  # ")[0].strip() for line in lines[2:]]
    # Every argument is whole on its line: the quoted name is never split.
    assert any("'left calf strain'" in step for step in steps)
    words = " ".join(steps).replace("# ", "").split()
    assert "--since" in words and "--injury" in words


def _complete(db_path, words: str) -> str:
    """What zsh completion offers for the last word of `words`."""
    from typer.testing import CliRunner

    from runrecover.cli import app

    result = CliRunner().invoke(app, [], prog_name="runrecover", env={
        "_RUNRECOVER_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": f"runrecover --db {db_path} {words}"})
    assert result.exit_code == 0
    return result.stdout


@pytest.fixture
def own_database(isolated) -> str:
    """The test's own database as `--db` names it: its file, or its schema's URL."""
    return os.environ["RUNRECOVER_DB"] if POSTGRES else str(isolated)


def test_shell_completion_offers_injury_and_race_names_and_treatment_kinds(cli, own_database):
    db_path = own_database  # a server's database completes too (psycopg alone, read only)
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    cli("injury", "add", "right hip", "--since", "2016-06-01")
    cli("race", "add", "City 15K", "2016-06-19")
    cli("treat", "shiatsu", "--new-kind", "--injury", "calf")
    assert '"left calf strain"' in _complete(db_path, "pain 3 --injury le")
    assert '"none"' in _complete(db_path, "pain 3 --injury n")
    assert '"right hip"' not in _complete(db_path, "pain 3 --injury le")
    assert '"right hip"' in _complete(db_path, "injury show r")
    assert '"right hip"' in _complete(db_path, "report ")
    assert '"City 15K"' in _complete(db_path, "status --race Ci")
    kinds = _complete(db_path, "treat sh")
    assert '"shiatsu"' in kinds and '"shockwave"' in kinds  # the runner's own kind too


def test_completion_of_a_missing_database_offers_nothing_and_creates_nothing(tmp_path):
    missing = tmp_path / "none.db"
    assert '"' not in _complete(missing, "treat physio --injury ")
    assert _complete(missing, "pain 3 --injury ").count('"') == 2  # only "none"
    assert not missing.exists()


@pytest.mark.skipif(POSTGRES is None, reason="no PostgreSQL server: set "
                    "RUNRECOVER_TEST_POSTGRES (.ci/run starts one)")
def test_completion_on_a_busy_or_absent_server_offers_nothing_within_seconds(
        cli, own_database, postgres_admin, tmp_path):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    schema = own_database.rsplit("%3D", 1)[1]
    with postgres_admin.transaction():  # a writer that holds the table: Tab does not wait
        postgres_admin.execute(f"LOCK TABLE {schema}.injury IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        assert '"' not in _complete(own_database, "treat physio --injury ")
        assert time.monotonic() - started < 3
    assert '"left calf strain"' in _complete(own_database, "treat physio --injury ")
    absent = own_database.replace(POSTGRES.split("host=", 1)[1], str(tmp_path))  # no socket
    started = time.monotonic()
    assert _complete(absent, "pain 3 --injury ").count('"') == 2  # only "none"
    assert time.monotonic() - started < 3
    # A schema with nothing of runrecover's yet completes nothing, and gets nothing.
    postgres_admin.execute("CREATE SCHEMA IF NOT EXISTS completion_blank")
    try:
        blank = with_schema(POSTGRES, "completion_blank")
        assert '"' not in _complete(blank, "treat physio --injury ")
        assert postgres_admin.execute("SELECT count(*) FROM pg_tables WHERE schemaname = "
                                      "'completion_blank'").fetchone() == (0,)
    finally:
        postgres_admin.execute("DROP SCHEMA completion_blank CASCADE")


def test_wrapped_aftercare_in_rules_hangs_under_its_text(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    lines = cli("rules", "cortisone").stdout.splitlines()
    start = lines.index("Aftercare:") + 1
    assert lines[start].startswith("  • a joint injection")
    assert lines[start + 1].startswith("    ") and lines[start + 1][4] != " "
