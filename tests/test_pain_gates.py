"""Pain changes the verdict: red gates hold running back, amber ones lower it to easy running
(protocols.md, "Pain monitoring"), and the headline and `--check` say so."""

from datetime import datetime

import pytest

from conftest import PARIS


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2016, 6, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def achilles(cli):
    assert cli("injury", "add", "right achilles", "--since", "2016-06-10").exit_code == 0


def test_a_fresh_injury_with_9_in_the_morning_and_8_at_night_may_not_run(cli, now, achilles):
    now(at(15, 7))
    cli("pain", "8", "--context", "night", "--on", "today 03:00")
    cli("pain", "9", "--context", "morning")
    status = cli("status")
    assert status.stdout.startswith(" NOT YET  running from Thu 16 Jun 07:00")
    assert "pain 9/10 on Wed 15 Jun 07:00: no running until Thu 16 Jun 07:00 [S32]" in \
        " ".join(status.stdout.split())
    assert cli("status", "--check").exit_code == 1
    answer = cli("status", "--json").json()
    assert answer["can_run"] is False and answer["run_level"] == "none"
    gates = {r["pain"]["gate"]: r for r in answer["restrictions"] if r["pain"]}
    assert set(gates) == {"red", "night"}
    assert gates["red"]["pain"] == {"gate": "red", "id": 2, "activity_id": None, "score": 9,
                                    "at": "2016-06-15T07:00:00+02:00", "context": "morning"}
    assert (gates["red"]["level"], gates["red"]["source"]) == ("none", "S32")
    assert gates["night"]["source"] == "S54/S60"
    assert answer["run_allowed_from"] == "2016-06-16T07:00:00+02:00"


def test_a_later_score_back_in_range_ends_a_red_gate(cli, now, achilles):
    now(at(15, 7))
    cli("pain", "7", "--context", "rest")
    assert cli("status", "--check").exit_code == 1
    now(at(15, 11))
    cli("pain", "3", "--context", "rest")
    assert cli("status", "--check").exit_code == 0


def test_a_bare_score_before_noon_is_the_morning_score_and_lowers_the_day(cli, now, achilles):
    now(at(15, 7))
    cli("pain", "6")  # no --context: the first score of the day before noon
    answer = cli("status", "--json").json()
    assert answer["can_run"] is True and answer["run_level"] == "easy"
    [gate] = [r for r in answer["restrictions"] if r["pain"]]
    assert (gate["level"], gate["pain"]["gate"], gate["pain"]["context"]) == (
        "easy", "morning", "morning")
    status = cli("status").stdout
    assert status.startswith(" EASY ONLY  normal running from Thu 16 Jun 07:00")
    assert "tomorrow's morning pain" in status
    assert cli("status", "--check").exit_code == 0  # easy running is running
    now(at(16, 7))
    cli("pain", "2")
    assert cli("status", "--json").json()["run_level"] == "normal"


def test_a_bare_score_in_the_afternoon_is_not_a_morning_score(cli, now, achilles):
    now(at(15, 15))
    cli("pain", "5")
    assert cli("status", "--json").json()["run_level"] == "normal"


def test_a_next_morning_rise_after_a_run_lowers_the_day_to_easy(cli, now, achilles):
    now(at(14, 7))
    cli("pain", "1", "--context", "morning")
    now(at(14, 19))
    cli("log", "8k", "45:00", "--on", "today 18:00")
    now(at(15, 7))
    cli("pain", "3", "--context", "morning")
    answer = cli("status", "--json").json()
    assert answer["run_level"] == "easy"
    [gate] = [r for r in answer["restrictions"] if r["pain"]]
    assert (gate["pain"]["gate"], gate["source"]) == ("rise", "S28/S30")
    assert "up from 1/10 after a run" in cli("status").stdout


def test_pain_above_5_during_the_last_run_lowers_the_next_day_to_easy(cli, now, achilles):
    now(at(15, 19))
    cli("log", "5k", "30:00", "--on", "today 18:00", "--pain", "6")
    answer = cli("status", "--json").json()
    assert answer["run_level"] == "easy"
    [gate] = [r for r in answer["restrictions"] if r["pain"]]
    assert (gate["pain"]["gate"], gate["pain"]["activity_id"], gate["source"]) == (
        "during", 1, "S27-S29")


OTHER_ACTIVITIES = ("walk", "cycle", "swim", "strength", "yoga", "other")
# (activity, pain during it, can run, run level, gates): a score of 7 or more holds running
# back whatever the activity; only a run's pain above 5 is "during the last run".
ACTIVITY_PAIN = [
    ("run", 5, True, "normal", set()),
    ("run", 6, True, "easy", {"during"}),
    ("run", 7, False, "none", {"red", "during"}),
    ("run", 9, False, "none", {"red", "during"}),
    *[(kind, 6, True, "normal", set()) for kind in OTHER_ACTIVITIES],
    *[(kind, 7, False, "none", {"red"}) for kind in OTHER_ACTIVITIES],
    *[(kind, 9, False, "none", {"red"}) for kind in OTHER_ACTIVITIES],
]


@pytest.mark.parametrize(("activity", "pain", "can_run", "level", "gates"), ACTIVITY_PAIN)
def test_pain_during_any_activity_gates_by_its_score(cli, now, activity, pain, can_run, level,
                                                      gates):
    now(at(15, 9))
    logged = cli("log", "--activity", activity, "--duration", "40m", "--pain", str(pain),
                 "--on", "today 07:00")
    assert logged.exit_code == 0, logged.stderr
    answer = cli("status", "--json").json()
    assert (answer["can_run"], answer["run_level"]) == (can_run, level)
    found = {r["pain"]["gate"]: r["pain"] for r in answer["restrictions"] if r["pain"]}
    assert set(found) == gates
    assert all((g["activity_id"], g["score"], g["id"]) == (1, pain, None)
               for g in found.values())
    # Not a morning score, though the first of the day before noon.
    assert all(g["context"] == ("during" if activity == "run" else None)
               for g in found.values())
    assert cli("status", "--check").exit_code == (0 if can_run else 1)


def test_a_walk_with_pain_9_holds_running_back_until_a_day_later(cli, now):
    now(at(15, 9))
    assert cli("log", "3k", "40:00", "--activity", "walk", "--pain", "9",
               "--on", "today 07:00").exit_code == 0
    assert cli("status", "--check").exit_code == 1
    assert cli("status", "--check", "--at", "today 23:00").exit_code == 1
    assert cli("status", "--check", "--at", "tomorrow 07:01").exit_code == 0


def test_a_gate_holds_the_race_on_race_morning(cli, now, achilles):
    cli("race", "add", "parkrun", "2016-06-16 09:00", "--distance", "5k")
    now(at(15, 20))
    cli("pain", "8", "--context", "rest")
    answer = cli("status", "--json").json()
    [race] = answer["races"]
    assert race["cleared"] is False
    assert race["reason"].startswith("pain 8/10 on Wed 15 Jun 2016 20:00: no running until")
    assert cli("status", "--race", "parkrun", "--check").exit_code == 1


def test_a_gate_opened_on_the_day_of_a_race_with_no_time_holds_it(cli, now, achilles):
    """A race with no time of day is its whole day: a painful run that morning holds it,
    not only a gate holding at its midnight (found by a property test)."""
    cli("race", "add", "parkrun", "2016-06-16", "--distance", "5k")
    now(at(16, 8))
    assert cli("status", "--race", "parkrun", "--check").exit_code == 0
    cli("log", "3k", "18:00", "--on", "today 07:00", "--pain", "6")
    race = cli("status", "--race", "parkrun", "--json").json()["races"][0]
    assert race["cleared"] is False
    assert cli("status", "--race", "parkrun", "--check").exit_code == 1


def test_race_check_exits_by_the_race_not_by_today(cli, now):
    # Mesotherapy today: no running now, but Sunday's race is clear.
    cli("race", "add", "City 15K", "2016-06-19 09:30", "--distance", "15K")
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")
    assert cli("status", "--check").exit_code == 1
    assert cli("status", "--race", "city", "--check").exit_code == 0
    # Prolotherapy: easy running only on race day, so no race effort.
    cli("race", "add", "parkrun", "2016-06-25 09:00", "--distance", "5k")
    cli("treat", "prolotherapy", "--on", "2016-06-15 09:00")
    run = cli("status", "--race", "parkrun", "--check")
    assert run.exit_code == 1
    assert "a race needs normal running" in " ".join(run.stdout.split())


@pytest.mark.parametrize(("options", "flagged"), [
    (["--type", "intervals"], True),
    (["--type", "long"], True),
    (["--rpe", "7"], True),
    (["--type", "easy", "--rpe", "4"], False),
    ([], False),
])
def test_a_hard_run_in_an_easy_only_window_breaks_it(cli, now, options, flagged):
    cli("treat", "prolotherapy", "--on", "2016-06-01 09:00")  # easy running 8–15 June
    logged = cli("log", "8k", "40:00", "--on", "2016-06-12 18:00", *options, "--json").json()
    broke = logged["breaks_restriction"]
    assert (broke is not None) is flagged
    if flagged:
        assert broke["level"] == "run-easy"
        events = cli("timeline", "--since", "2016-06-12", "--until", "2016-06-12",
                     "--json").json()
        [run] = [e for e in events if e["kind"] == "activity"]
        assert run["breaks_restriction"]["level"] == "run-easy"


def test_pain_and_runs_cannot_be_in_the_future_but_a_booked_visit_can(cli, now):
    now(at(15, 3))
    for args in (["pain", "3", "--on", "tomorrow"], ["log", "5k", "--on", "today 18:00"],
                 ["pain", "2", "--on", "2016-06-16"]):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert "in the future" in result.stderr
    assert cli("export").json()["pain"] == []
    # A bare time leans to its last moment: 7pm at 03:00 is last night.
    assert cli("pain", "3", "--on", "7pm", "--json").json()["at"] == "2016-06-14T19:00:00+02:00"
    booked = cli("treat", "prolotherapy", "--on", "2016-06-20 09:00")
    assert booked.exit_code == 0
    status = " ".join(cli("status").stdout.split())
    assert "booked: prolotherapy Mon 20 Jun 09:00, walking only until Wed 22 Jun 00:00" in status
    [visit] = {w["treatment"]["id"] for w in cli("status", "--json").json()["booked"]}
    assert visit == 1


def test_a_race_id_that_does_not_exist_picks_no_race_by_its_name(cli):
    cli("race", "add", "Trail 35K", "2016-07-03 08:00", "--distance", "35k")
    result = cli("status", "--race", "3")
    assert result.exit_code == 2
    assert "There is no race with id 3" in result.stderr
    assert cli("status", "--race", "1", "--json").json()["races"][0]["name"] == "Trail 35K"


def test_a_race_date_with_no_year_is_the_next_one(cli, now):
    now(datetime(2016, 11, 20, 10, 0, tzinfo=PARIS))
    race = cli("race", "add", "New Year 10K", "Jan 5", "--json").json()
    assert race["at"] == "2017-01-05"


def test_a_during_score_with_no_run_logged_that_day_still_gets_advice(cli, now):
    now(at(13, 19))
    cli("log", "5k", "30:00", "--on", "today 18:00")
    now(at(15, 19))
    cli("pain", "6", "--context", "during")
    advice = cli("status", "--json").json()["advice"]
    assert any("hurt 6/10 during it" in a["message"] for a in advice)


def test_one_injurys_morning_rise_is_not_hidden_by_anothers_later_score(cli, now):
    cli("injury", "add", "left calf", "--since", "2016-06-01")
    cli("injury", "add", "right hip", "--since", "2016-06-01")
    now(at(14, 7))
    cli("pain", "1", "--context", "morning", "--injury", "calf")
    now(at(15, 7))
    cli("pain", "4", "--context", "morning", "--injury", "calf")
    cli("pain", "2", "--context", "morning", "--injury", "hip", "--on", "today 07:30")
    advice = cli("status", "--json").json()["advice"]
    assert any(a["message"].startswith("Morning pain 4/10, up from 1/10") for a in advice)


def test_a_run_with_no_time_on_a_not_yet_day_is_flagged_and_the_days_race_kept(cli, now):
    # Massage at 09:00 on Wed 15: no running until Thu 09:00 (24 h), so Thu is NOT YET.
    cli("treat", "massage", "--on", "2016-06-15 09:00")
    assert cli("status", "--at", "2016-06-16", "--check").exit_code == 1
    now(at(17, 10))
    logged = cli("log", "5k", "--on", "2016-06-16", "--json").json()
    assert logged["breaks_restriction"] is not None
    cli("race", "add", "Early 5K", "2016-06-18 07:00", "--distance", "5k")
    cli("treat", "massage", "--on", "2016-06-18 09:00")
    races = cli("status", "--at", "2016-06-18", "--json").json()["races"]
    assert [r["name"] for r in races] == ["Early 5K"]


def test_a_race_warns_of_a_session_due_beside_it_and_of_being_the_first_run_back(cli):
    cli("race", "add", "City 15K", "2016-06-21 09:30", "--distance", "15K")
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")  # next session due Tue 21 Jun
    [race] = cli("status", "--json").json()["races"]
    assert race["cleared"] is True
    assert any("mesotherapy 2 of 3 is due Tue 21 Jun" in n for n in race["notes"])
    assert any("first run since running was allowed again" in n for n in race["notes"])
    shown = " ".join(cli("status").stdout.split())
    assert "within a day of the race" in shown


def test_a_score_with_no_time_of_day_holds_24_hours_from_the_end_of_its_day(cli, now,
                                                                            achilles):
    now(at(15, 8))
    cli("pain", "9", "--on", "yesterday", "--injury", "achilles")
    assert cli("status", "--check").exit_code == 1  # felt perhaps last night: still red
    answer = cli("status", "--json").json()
    assert answer["run_allowed_from"] == "2016-06-16T00:00:00+02:00"
    cli("pain", "8", "--on", "today", "--injury", "achilles")
    assert cli("status", "--at", "2016-06-16 07:00", "--check").exit_code == 1


def test_a_whole_day_is_answered_at_the_gate_a_score_of_that_day_opens(cli, now, achilles):
    now(at(15, 8))
    cli("pain", "8", "--on", "yesterday 10:00", "--injury", "achilles")
    answer = cli("status", "--at", "yesterday", "--json").json()
    assert answer["can_run"] is False
    assert cli("status", "--at", "yesterday", "--check").exit_code == 1


def test_a_whole_day_with_an_easy_only_phase_in_it_is_not_normal(cli, now):
    # An osteopath booked at 14:00 on Fri 17: easy running only for 48 h from then, so the
    # whole of Friday is not a day of normal running.
    cli("treat", "osteopath", "--on", "2016-06-17 14:00")
    answer = cli("status", "--at", "2016-06-17", "--json").json()
    assert answer["run_level"] != "normal"
