"""One voice: every error is one sentence naming the value and what is accepted (exit 2),
prompts end their line, and help lists commands by when they are used."""

import pytest


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
