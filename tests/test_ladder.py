"""The return-to-run ladder through the real CLI: starting it (by the runner or at a visit),
today's session in status and its JSON, runs matched to rungs with warnings, pause, reset,
leave, undo, export and import, and every view agreeing on today's session."""

import json
import re
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PARIS


@pytest.fixture
def calf(cli):
    assert cli("injury", "add", "left calf strain", "--since", "2016-05-20").exit_code == 0
    # The last run before the ladder: 14 days off by 1 June (Daniels' table: rung 3).
    assert cli("log", "8k", "45:00", "--on", "2016-05-18 18:00").exit_code == 0


def plan(cli, at: str) -> dict:
    return cli("status", "--at", at, "--json").json()["plan"]


def test_start_picks_the_ladder_and_first_rung_from_the_time_off(cli, calf):
    started = cli("ladder", "start", "--on", "2016-06-01 09:00", "--json")
    assert started.exit_code == 0, started.stderr
    data = started.json()
    assert (data["action"], data["ladder"], data["rung"]) == ("start", "walk-run", 3)
    status = cli("status", "--at", "2016-06-01 10:00", "--json").json()
    assert status["run_level"] == "easy"
    assert status["can_run"] is True
    assert {"activity": "run", "level": "easy", "until": None, "treatment": None,
            "pain": None, "source": "ladder"} in status["restrictions"]
    assert status["plan"] | {"checks": None} == {
        "ladder": "walk-run", "rung": 3, "of": 8, "session": "5 × (3 min run / 2 min walk)",
        "minutes": 25, "due": "2016-06-01", "today": True, "state": "active",
        "held_by": None, "done": 0, "times": 1,
        "rules": ["easy", "pain ≤ 3 (stop above 5)", "log tomorrow's morning pain"],
        "source": "S40/S41", "checks": None}
    assert cli("status", "--at", "2016-06-01 10:00").stdout == """\
 EASY ONLY  on the return-to-run ladder: its sessions only
  allowed now: run, walk, cycle, swim, strength, yoga, other

Return to run (walk-run, rung 3 of 8)
  Today: rung 3 of 8 — 5 × (3 min run / 2 min walk)
    easy; pain ≤ 3 (stop above 5); log tomorrow's morning pain [S40/S41]
  Before the first rung [S34-S38]:
    [ ] 30 min brisk walk without pain or a limp (pain ≤ 2)
    [ ] 30 s of hopping on the injured leg, pain ≤ 2

Injuries (pain, last 14 days)
left calf strain  no pain logged
                                  ··············
"""


def test_a_bone_stress_injury_gets_its_ladder_and_no_run_on_record_the_first_rung(cli):
    cli("injury", "add", "left tibia stress fracture", "--since", "2016-04-01")
    data = cli("ladder", "start", "--on", "2016-06-01", "--json").json()
    assert (data["ladder"], data["rung"]) == ("bone-stress", 1)


def test_a_walk_with_little_pain_ticks_the_entry_check(cli, calf):
    cli("log", "3k", "35:00", "--activity", "walk", "--pain", "1", "--on", "2016-05-30 12:00")
    cli("ladder", "start", "--on", "2016-06-01 09:00")
    checks = plan(cli, "2016-06-01 10:00")["checks"]
    assert checks == [{"check": "walk", "done": True}, {"check": "hop", "done": False}]


def test_the_clinician_sets_the_ladder_at_a_visit_and_it_waits_for_the_window(cli, calf):
    treated = cli("treat", "mesotherapy", "--on", "2016-06-14 10:00", "--ladder", "walk-run",
                  "--rung", "2")
    assert treated.exit_code == 0, treated.stderr
    assert "Return to run: the walk-run ladder from rung 2" in treated.stdout
    waiting = cli("status", "--at", "2016-06-15 10:00", "--json").json()
    assert waiting["run_level"] == "none"
    assert (waiting["plan"]["today"], waiting["plan"]["held_by"], waiting["plan"]["due"]) == (
        False, "restriction", "2016-06-18")
    assert "Today: running is not allowed yet" in cli("status", "--at", "2016-06-15 10:00").stdout
    assert plan(cli, "2016-06-18 09:00")["today"] is True


def test_a_run_climbs_then_a_bad_morning_steps_it_down(cli, calf, now):
    now(datetime(2016, 6, 10, 12, tzinfo=PARIS))
    cli("ladder", "start", "--rung", "2", "--on", "2016-06-01 07:00")
    cli("pain", "1", "--context", "morning", "--on", "2016-06-01 07:00")
    logged = cli("log", "3k", "25:00", "--pain", "2", "--on", "2016-06-01 08:00", "--json")
    assert logged.json()["ladder"]["rung"] == 2
    cli("pain", "1", "--context", "morning", "--on", "2016-06-02 07:00")
    assert plan(cli, "2016-06-02 10:00")["rung"] == 3
    assert plan(cli, "2016-06-02 10:00")["today"] is False  # a rest day
    cli("log", "3k", "25:00", "--pain", "3", "--on", "2016-06-03 08:00")
    cli("pain", "4", "--context", "morning", "--on", "2016-06-04 07:00")
    after = plan(cli, "2016-06-04 10:00")
    assert (after["rung"], after["due"]) == (2, "2016-06-06")
    story = cli("injury", "show", "calf").stdout
    assert "Return to run: walk-run, rung 2 of 8, active; 2 sessions, 1 step back" in story
    shown = cli("timeline", "--since", "2016-06-01", "--until", "2016-06-05").stdout
    assert "✓ rung 2: green → next rung" in shown
    assert "↓ rung 3: red → a rung down, rest" in shown


def test_a_run_that_skips_rungs_or_runs_longer_gets_a_warning(cli, calf):
    cli("ladder", "start", "--rung", "2", "--on", "2016-06-10 07:00")
    logged = cli("log", "8k", "50:00", "--rung", "5", "--on", "2016-06-10 08:00")
    assert logged.exit_code == 0
    assert ("Warning: this run went past the return-to-run ladder: it skips rungs (rung 5 "
            "while rung 2 is due); it is longer than the rung") in " ".join(logged.stderr.split())
    data = cli("log", "3k", "20:00", "--on", "2016-06-11 08:00", "--json").json()["ladder"]
    assert data["warnings"] == ["early"]


def test_pause_resume_reset_and_leave(cli, calf):
    cli("ladder", "start", "--rung", "4", "--on", "2016-06-10 07:00")
    assert cli("ladder", "pause", "--on", "2016-06-11 07:00").exit_code == 0
    paused = plan(cli, "2016-06-12 10:00")
    assert (paused["state"], paused["today"], paused["held_by"]) == ("paused", False, "paused")
    assert cli("status", "--at", "2016-06-12 10:00", "--json").json()["run_level"] == "easy"
    cli("ladder", "start", "--on", "2016-06-13 07:00")
    assert (plan(cli, "2016-06-13 10:00")["state"], plan(cli, "2016-06-13 10:00")["rung"]) == (
        "active", 4)
    cli("ladder", "reset", "--on", "2016-06-14 07:00")
    assert plan(cli, "2016-06-14 10:00")["rung"] == 1
    cli("ladder", "leave", "--on", "2016-06-15 07:00")
    status = cli("status", "--json").json()
    assert status["run_level"] == "normal"
    assert status["plan"] is None
    assert any("normal running is back" in a["message"] for a in status["advice"])


@pytest.mark.parametrize(("args", "message"), [
    (["ladder", "start", "--rung", "9"], "--rung 9 is past the last rung of the walk-run"),
    (["ladder", "start", "--ladder", "stairs"], "Unknown ladder 'stairs'"),
    (["ladder", "pause"], "No return-to-run ladder is on to pause"),
    (["ladder", "leave", "--rung", "2"], "--rung and --ladder go with start or reset"),
    (["ladder", "start", "--on", "tomorrow"], "is in the future"),
    (["log", "3k", "--activity", "walk", "--rung", "2"], "it goes with a run, not a walk"),
    (["log", "3k", "20:00", "--rung", "0"], "--rung 0 is not a ladder rung"),
    (["log", "3k", "20:00", "--rung", "99"], "--rung 99 is past the last rung of every "
     "return-to-run ladder (the longest has 8): give a rung from 1 to 8."),
    (["treat", "physio", "--ladder", "walk-run", "--rung", "12"], "--rung 12 is past the last"),
])
def test_bad_input_is_one_sentence_exit_2_and_writes_nothing(cli, calf, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    exported = cli("export").json()
    assert exported["ladder"] == [] and exported["treatments"] == []
    assert len(exported["activities"]) == 1


def test_a_rung_past_the_ladders_last_is_refused_and_writes_nothing(cli, calf):
    cli("ladder", "start", "--rung", "2", "--on", "2016-06-10 07:00")
    for args in (["3k", "20:00", "--rung", "9"], ["3k", "20:00", "--rung", "9", "--json"]):
        refused = cli("log", *args, "--on", "2016-06-10 08:00")
        assert refused.exit_code == 2 and refused.stdout == ""
        assert refused.stderr == ("--rung 9 is past the last rung of the walk-run ladder you are "
                                  "on: give a rung from 1 to 8.\n")
    assert len(cli("export").json()["activities"]) == 1
    assert cli("log", "3k", "20:00", "--rung", "8", "--on", "2016-06-10 08:00").exit_code == 0


def test_a_rung_with_no_ladder_on_is_recorded_with_a_warning(cli, calf):
    logged = cli("log", "3k", "20:00", "--rung", "3", "--on", "2016-06-10 08:00", "--json")
    assert logged.exit_code == 0 and logged.json()["rung"] == 3
    assert " ".join(logged.stderr.split()) == (
        "No return-to-run ladder is on at Fri 10 Jun 2016 08:00, so rung 3 is recorded but "
        "counts only once a ladder starts before it ('runrecover ladder start --on WHEN').")
    # A ladder started before it, afterwards, counts it.
    cli("ladder", "start", "--rung", "3", "--on", "2016-06-10 07:00")
    steps = cli("ladder", "--json").json()["position"]["steps"]
    assert [(s["kind"], s["rung"]) for s in steps] == [("start", 3), ("session", 3)]


def test_a_repeated_log_that_adds_a_rung_is_stored(cli, calf):
    cli("ladder", "start", "--rung", "2", "--on", "2016-06-10 07:00")
    assert cli("log", "3k", "20:00", "--on", "2016-06-10 08:00").exit_code == 0
    again = cli("log", "3k", "20:00", "--on", "2016-06-10 08:00", "--rung", "2", "--json")
    assert again.exit_code == 0
    assert again.json()["already_logged"] is False and again.json()["rung"] == 2
    # Said the same way again, it is the repeat.
    same = cli("log", "3k", "20:00", "--on", "2016-06-10 08:00", "--rung", "2", "--json")
    assert same.json()["already_logged"] is True


def test_starting_again_on_an_active_ladder_is_refused_not_a_silent_restart(cli, calf):
    cli("ladder", "start", "--rung", "5", "--on", "2016-06-10 07:00")
    again = cli("ladder", "start")
    assert again.exit_code == 2
    assert "already on rung 5 of the walk-run ladder" in again.stderr
    assert len(cli("export").json()["ladder"]) == 1


def test_undo_takes_a_ladder_start_back(cli, calf):
    cli("ladder", "start", "--on", "2016-06-14 07:00")
    assert cli("status", "--json").json()["run_level"] == "easy"
    assert cli("undo", "--yes").exit_code == 0
    assert cli("ladder", "--json").json()["position"] is None
    assert cli("status", "--json").json()["run_level"] == "normal"


def test_export_then_import_gives_back_the_ladder_uid_for_uid(cli, database, calf,
                                                                  tmp_path):
    cli("treat", "physio", "--on", "2016-06-10 09:00", "--ladder", "walk-run", "--rung", "2")
    cli("log", "3k", "25:00", "--rung", "2", "--on", "2016-06-11 08:00")
    cli("ladder", "pause", "--on", "2016-06-12 08:00")
    before = cli("status", "--json").json()
    exported = cli("export").json()
    file = tmp_path / "export.json"
    file.write_text(json.dumps(exported))
    other = database("other.db")
    assert cli("--db", other, "import", str(file)).exit_code == 0
    again = cli("--db", other, "export").json()
    for section in ("treatments", "activities", "ladder"):
        assert again[section] == exported[section], section
    after = cli("--db", other, "status", "--json").json()
    assert (after["plan"], after["run_level"]) == (before["plan"], before["run_level"])


# -- every view agrees on today's session -----------------------------------------------

NOW = datetime(2016, 6, 15, 10, 0, tzinfo=PARIS)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start_day=st.integers(1, 14), run_days=st.lists(st.integers(1, 14), max_size=3),
       mornings=st.lists(st.tuples(st.integers(1, 15), st.integers(0, 6)), max_size=4),
       treated=st.one_of(st.none(), st.integers(1, 15)))
def test_status_json_timeline_and_calendar_agree_on_today(cli, now, fresh_database, start_day,
                                                          run_days, mornings, treated):
    now(NOW)
    fresh_database()  # hypothesis reuses the fixture's database: start each example anew
    cli("injury", "add", "calf", "--since", "2016-05-01")
    cli("ladder", "start", "--rung", "2", "--on", f"2016-06-{start_day:02d} 07:00")
    for day in sorted(run_days):
        cli("log", "3k", "25:00", "--pain", "2", "--on", f"2016-06-{day:02d} 08:00")
    for day, score in mornings:
        cli("pain", str(score), "--context", "morning", "--on", f"2016-06-{day:02d} 07:00")
    if treated is not None:
        cli("treat", "mesotherapy", "--on", f"2016-06-{treated:02d} 09:00")
    today = cli("status", "--json").json()["plan"]
    text = " ".join(cli("status").stdout.split())
    due = [e for e in cli("timeline", "--json").json() if e["kind"] == "ladder"
           and e["event"] == "due"]
    calendar = cli("export", "--format", "ics").stdout
    head = f"rung {today['rung']} of {today['of']} — {today['session']}"
    if today["today"]:
        assert f"Today: {head}" in text
    else:
        assert f"Today: {head}" not in text and head in text
    if today["due"] <= "2016-06-15":
        assert [e["due"] for e in due] == [today["due"]]
    assert f"DTSTART;VALUE=DATE:{today['due'].replace('-', '')}" in calendar
    assert f"Return to run: rung {today['rung']} of {today['of']}" in calendar


def test_the_report_chart_shows_the_ladder_rungs(cli, calf):
    cli("ladder", "start", "--rung", "2", "--on", "2016-06-01 07:00")
    cli("log", "3k", "25:00", "--pain", "2", "--on", "2016-06-01 08:00")
    cli("log", "3k", "25:00", "--pain", "2", "--rung", "4", "--on", "2016-06-03 08:00")
    page = cli("report", "calf").stdout
    assert '<text x="' in page and 'class="value rung"' in page
    assert re.findall(r'class="value rung"[^>]*>(R\d)</text>', page) == ["R2", "R4"]
    assert "ladder start" in page
    assert "the return-to-run ladder rung a run was" in page


def test_no_race_is_clear_while_on_the_ladder(cli, calf):
    cli("race", "add", "Sunday 10K", "2016-06-19 09:00", "--distance", "10k")
    assert cli("status", "--race", "sunday", "--check").exit_code == 0
    cli("ladder", "start", "--on", "2016-06-14 07:00")
    checked = cli("status", "--race", "sunday", "--check", "--json")
    assert checked.exit_code == 1
    (race,) = checked.json()["races"]
    assert race["cleared"] is False
    assert "return-to-run ladder" in race["reason"]


def test_a_booked_visits_ladder_holds_the_races_it_reaches(cli, calf):
    # Now is Wed 15 June; the visit is booked for Mon 20 June and starts the ladder.
    booked = cli("treat", "physio", "--on", "2016-06-20 10:00", "--no-run-days", "2",
                 "--ladder", "walk-run", "--rung", "1")
    assert booked.exit_code == 0, booked.stderr
    cli("race", "add", "Sunday 10K", "2016-06-19 09:00", "--distance", "10k")
    cli("race", "add", "City 10k", "2016-06-26 09:00", "--distance", "10k")
    cli("race", "add", "Summer half", "2016-08-07 09:00", "--distance", "half")
    # Race morning itself says easy only: the race must not be cleared ahead of it.
    morning = cli("status", "--at", "2016-06-26 08:00", "--json").json()
    assert (morning["run_level"], morning["plan"]["ladder"]) == ("easy", "walk-run")
    checked = cli("status", "--race", "city", "--check", "--json")
    assert checked.exit_code == 1
    (race,) = checked.json()["races"]
    assert race["cleared"] is False
    assert race["reason"] == ("the return-to-run ladder that starts Mon 20 Jun 2016 10:00 "
                              "allows easy running only: a race needs normal running")
    assert cli("status", "--race", "city", "--check").exit_code == 1
    # Past the 30 days status looks ahead: a named race still reads the visit's ladder.
    assert cli("status", "--race", "summer", "--check").exit_code == 1
    # A race before the visit is run before the ladder starts: still clear.
    assert cli("status", "--race", "sunday", "--check").exit_code == 0
    shown = cli("status", "--at", "2016-06-15 10:00")
    assert shown.stdout.splitlines()[2:4] == [
        "  booked: physio Mon 20 Jun 10:00, no running until Wed 22 Jun 00:00, then the",
        "  walk-run ladder from rung 1 (easy running only until its last rung)"]
    assert cli("status", "--json").json()["booked_ladders"] == [
        {"treatment": {"id": 1, "kind": "physio", "at": "2016-06-20T10:00:00+02:00"},
         "ladder": "walk-run", "rung": 1, "level": "easy"}]


def test_treat_says_when_a_later_entry_already_ends_the_visits_ladder(cli, calf):
    # Now is Wed 15 June 10:00: the leave is recorded before the visit but at a later moment.
    cli("ladder", "start", "--rung", "5", "--on", "2016-06-10 08:00")
    assert cli("ladder", "leave").exit_code == 0
    treated = cli("treat", "physio", "--on", "yesterday 10:00", "--ladder", "walk-run",
                  "--rung", "1")
    assert treated.exit_code == 0, treated.stderr
    assert "Return to run: the walk-run ladder from rung 1" in treated.stdout
    assert treated.stderr.split() == (
        "Warning: a later 'ladder leave' of Wed 15 Jun 10:00 ends this ladder; 'runrecover "
        "ladder start' starts it again.").split()
    # What status says agrees: the clinician's ladder is not on.
    status = cli("status", "--json").json()
    assert (status["run_level"], status["plan"]) == ("normal", None)
    again = cli("treat", "physio", "--on", "yesterday 11:00", "--ladder", "walk-run",
                "--rung", "1", "--json").json()
    assert again["ladder_ended"] == {"by": "leave", "at": "2016-06-15T10:00:00+02:00"}


def test_treat_says_when_a_later_start_replaces_the_visits_ladder(cli, calf):
    cli("ladder", "start", "--rung", "3", "--on", "2016-06-12 08:00")
    treated = cli("treat", "physio", "--on", "2016-06-10 10:00", "--ladder", "walk-run",
                  "--rung", "1")
    assert treated.stderr.split() == (
        "Warning: a later ladder start of Sun 12 Jun 08:00 (rung 3) replaces this ladder; "
        "see 'runrecover ladder'.").split()
    assert plan(cli, "2016-06-15 10:00")["rung"] == 3


def test_treat_warns_of_nothing_when_the_visits_ladder_is_in_force(cli, calf):
    for on in ("yesterday 10:00", "2016-06-20 10:00"):  # a past visit, then a booked one
        treated = cli("treat", "physio", "--on", on, "--ladder", "walk-run", "--rung", "2",
                      "--json")
        assert treated.exit_code == 0, treated.stderr
        assert treated.stderr == ""
        assert treated.json()["ladder_ended"] is None
    assert plan(cli, "2016-06-15 10:00")["rung"] == 2


def test_a_users_ladders_toml_changes_a_number_and_adds_a_ladder(cli, calf, isolated):
    config = isolated.parent.parent / "config"
    config.mkdir(exist_ok=True)
    (config / "ladders.toml").write_text(
        '[walk-run.rules]\nrest_days = 2\n\n'
        '[stairs]\nsummary = "my physio\'s"\nsource = "my physio"\n'
        '[stairs.rules]\ntimes = 1\nrest_days = 1\nlonger_percent = 10\n'
        '[[stairs.rungs]]\nsets = 1\nrun_min = 10\nwalk_min = 0\n')
    cli("ladder", "start", "--rung", "2", "--on", "2016-06-10 07:00")
    cli("log", "3k", "25:00", "--pain", "1", "--on", "2016-06-10 08:00")
    cli("pain", "1", "--context", "morning", "--on", "2016-06-11 07:00")
    assert plan(cli, "2016-06-11 10:00")["due"] == "2016-06-13"  # two rest days
    started = cli("ladder", "start", "--ladder", "stairs", "--rung", "1", "--json").json()
    assert started["position"]["ladder"] == "stairs"
    assert cli("status", "--json").json()["plan"]["session"] == "10 min running"
    (config / "ladders.toml").write_text("[walk-run]\nrungs = 3\n")
    broken = cli("status")
    assert broken.exit_code == 2
    assert "must be an array of tables" in broken.stderr


def test_pausing_needs_no_injury_named_when_several_are_open(cli, calf):
    cli("injury", "add", "right hip", "--since", "2016-05-01")
    cli("ladder", "start", "--injury", "calf", "--on", "2016-06-10 07:00")
    assert cli("ladder", "pause").exit_code == 0
    assert cli("ladder", "--json").json()["position"]["state"] == "paused"


def test_a_lower_rung_or_a_run_of_unknown_length_never_climbs_the_ladder(cli, calf):
    """Eight rung-1 sessions are not a finished ladder (found by review)."""
    assert cli("ladder", "start", "--rung", "7", "--on", "2016-06-01 07:00").exit_code == 0
    cli("pain", "0", "--context", "morning", "--on", "2016-06-01 06:30")
    for day, args in ((1, ("2.5k", "25:00", "--rung", "1")), (3, ("21k",))):
        logged = cli("log", *args, "--pain", "0", "--on", f"2016-06-0{day} 17:00")
        assert "It does not count toward the next rung" in logged.stdout
        cli("pain", "0", "--context", "morning", "--on", f"2016-06-0{day + 1} 07:00")
    status = cli("status", "--at", "2016-06-05 09:00", "--json").json()
    assert status["plan"]["rung"] == 7 and status["run_level"] == "easy"
