"""Recording entries through the real CLI: injuries, treatments, pain, runs, races."""

import pytest


def test_injury_add_list_resolve(cli):
    added = cli("injury", "add", "left calf strain", "--part", "calf", "--side", "left",
                "--since", "2016-06-01", "--json")
    assert added.exit_code == 0, added.stderr
    injury = added.json()
    assert injury["name"] == "left calf strain"
    assert injury["onset_on"] == "2016-06-01"
    assert injury["side"] == "left"
    assert len(injury["uid"]) == 36

    listed = cli("injury", "list", "--json").json()
    assert [i["name"] for i in listed] == ["left calf strain"]

    resolved = cli("injury", "resolve", "calf", "--on", "2016-06-14")
    assert resolved.exit_code == 0
    assert "Resolved left calf strain on Tue 14 Jun 2016" in resolved.stdout
    assert cli("injury", "list", "--json").json() == []
    assert cli("injury", "list", "--all", "--json").json()[0]["resolved_on"] == "2016-06-14"


def test_injury_list_view(cli):
    cli("injury", "add", "right hip", "--part", "hip", "--side", "right", "--since", "may 2")
    shown = cli("injury", "list")
    assert "right hip" in shown.stdout
    assert "Mon 2 May 2016" in shown.stdout


def test_pain_defaults_to_the_only_open_injury(cli):
    cli("injury", "add", "left calf strain")
    result = cli("pain", "3", "--context", "morning", "--on", "today 7:00", "--json")
    assert result.exit_code == 0, result.stderr
    pain = result.json()
    assert pain["score"] == 3
    assert pain["injury_id"] == 1
    assert pain["context"] == "morning"
    assert pain["at"] == "2016-06-15T07:00:00+02:00"
    assert pain["time_known"] is True


def test_pain_confirmation(cli):
    result = cli("pain", "4", "--on", "yesterday")
    assert result.exit_code == 0
    assert "Pain 4/10 on Tue 14 Jun 2016" in result.stdout


def test_log_a_run_prints_pace(cli):
    result = cli("log", "10k", "55:00", "--on", "2016-05-22 08:00")
    assert result.exit_code == 0, result.stderr
    assert "Logged 10.0 km in 55:00 (5:30/km) on Sun 22 May 2016 08:00" in result.stdout


def test_log_json_keeps_unrounded_distance(cli):
    run = cli("log", "5mi", "40m", "--type", "easy", "--rpe", "4", "--pain", "2",
              "--json").json()
    assert run["distance_km"] == pytest.approx(8.04672)
    assert run["duration_s"] == 2400
    assert run["kind"] == "run"
    assert run["run_type"] == "easy"
    assert run["pain_during"] == 2
    assert run["rpe"] == 4
    assert run["at"] == "2016-06-15T10:00:00+02:00"


def test_log_other_activity_without_duration(cli):
    result = cli("log", "20k", "--activity", "cycle", "--on", "yesterday")
    assert result.exit_code == 0, result.stderr
    assert "Logged cycle 20.0 km on Tue 14 Jun 2016" in result.stdout


def test_treat_records_any_kind_and_overrides(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    result = cli("treat", "Dry Needling", "--by", "Dr Rossi", "--on", "2016-06-14 10:00",
                 "--no-run-days", "2", "--rest-hours", "12", "--json")
    assert result.exit_code == 0, result.stderr
    treatment = result.json()
    assert treatment["kind"] == "dry-needling"
    assert treatment["clinician"] == "Dr Rossi"
    assert treatment["no_run_days"] == 2
    assert treatment["rest_hours"] == 12
    assert treatment["injury_id"] == 1


def test_race_add_leans_to_the_future(cli):
    race = cli("race", "add", "City 15K", "sun", "--distance", "15K", "--json").json()
    assert race["at"].startswith("2016-06-19")
    assert race["time_known"] is False
    assert race["distance_km"] == 15
    listed = cli("race", "list")
    assert "City 15K" in listed.stdout
    assert "Sun 19 Jun 2016" in listed.stdout


def test_injury_reference_by_id_and_ambiguity(cli):
    cli("injury", "add", "left calf strain")
    cli("injury", "add", "right calf tear")
    ambiguous = cli("pain", "2", "--injury", "calf")
    assert ambiguous.exit_code == 2
    assert "matches several" in ambiguous.stderr
    assert cli("pain", "2", "--injury", "2", "--json").json()["injury_id"] == 2
    assert cli("pain", "2", "--injury", "TEAR", "--json").json()["injury_id"] == 2


@pytest.mark.parametrize(("args", "named"), [
    (("pain", "11"), "'11'"),
    (("log", "5k", "--rpe", "12"), "'12'"),
    (("treat", "!!"), "'!!'"),
    (("treat", "prp", "--no-run-days", "900"), "'900'"),
    (("pain", "3", "--note", "x" * 10_001), "'xxxxxxxx"),
])
def test_bad_values_are_named_briefly_and_nothing_is_written(cli, args, named):
    result = cli(*args)
    assert result.exit_code == 2
    assert named in result.stderr
    assert len(result.stderr) < 200
    assert cli("export").json()["pain"] == cli("export").json()["treatments"] == []


def test_with_several_open_injuries_the_runner_says_which(cli):
    cli("injury", "add", "left calf strain")
    cli("injury", "add", "right hip")
    result = cli("pain", "3")
    assert result.exit_code == 2
    assert "several open injuries" in result.stderr and "--injury" in result.stderr
    assert cli("pain", "3", "--injury", "hip", "--json").json()["injury_id"] == 2
    cli("injury", "resolve", "hip")
    assert cli("treat", "physio", "--json").json()["injury_id"] == 1
