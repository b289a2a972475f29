"""`runrecover log`: activities without a distance, values no activity can have, the same run
logged twice, and the dates a runner types."""

import os
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import forked
from conftest import PARIS


def activities(cli):
    return cli("list", "runs", "--json").json()


# -- activities without a distance --------------------------------------------------------

@pytest.mark.parametrize(("args", "duration_s"), [
    (("--activity", "yoga", "45m"), 2700),
    (("45m", "--activity", "yoga"), 2700),
    (("--activity", "strength", "1h05m"), 3900),
    (("--activity", "other", "50:00"), 3000),
    (("--activity", "yoga", "--duration", "1h"), 3600),
    (("--activity", "swim", "--duration", "40m"), 2400),
    (("--duration", "30m"), 1800),  # a run with its time alone (a treadmill without distance)
])
def test_a_duration_alone(cli, args, duration_s):
    result = cli("log", *args, "--on", "2016-06-14 18:00", "--json")
    assert result.exit_code == 0, result.stderr
    assert (result.json()["distance_km"], result.json()["duration_s"]) == (None, duration_s)


def test_a_duration_alone_is_shown_as_one(cli):
    result = cli("log", "--activity", "yoga", "45m", "--on", "2016-06-14 18:00")
    assert result.stdout == "Logged yoga in 45:00 on Tue 14 Jun 2016 18:00 (id 1)\n"


def test_strength_with_a_distance_still_reads_it(cli):
    # "5k" is no duration: what may be a distance is one.
    assert cli("log", "5k", "--activity", "other", "--json").json()["distance_km"] == 5


def test_any_activity_takes_duration_as_an_option(cli):
    result = cli("log", "5k", "--duration", "25:00", "--on", "2016-06-14", "--json")
    assert (result.json()["distance_km"], result.json()["duration_s"]) == (5, 1500)


@pytest.mark.parametrize(("args", "said"), [
    ((), "Give a distance (log 8k), a distance and a duration (log 8k 45:10), or a duration "
         "alone (log --activity yoga 45m, or --duration 45m).\n"),
    (("5k", "25:00", "--duration", "26:00"),
     "Two durations given ('25:00' and --duration '26:00'): give one.\n"),
    (("30m",), "A run of '30m' is 30 metres: did you mean minutes? Give the distance first "
               "(log 5k 30m) or the time alone with --duration 30m.\n"),
    (("0.05",), "A run of '0.05' is 50 metres: did you mean minutes?"),
])
def test_what_cannot_be_an_activity_is_refused(cli, args, said):
    result = cli("log", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(said)
    assert activities(cli) == []


# -- values that make sense ---------------------------------------------------------------

@pytest.mark.parametrize(("args", "said"), [
    (("400", "1:30"), "The distance '400' has no unit: 400 m or 400 km? Write it like 400m or "
                      "400km.\n"),
    (("5k", "0:10"), "5.0 km in 0:10 is 0:02/km, faster than the world record, 5000 m in "
                     "12:35.36 (23.8 km/h): check the distance and the time (45:10 is "
                     "minutes:seconds, 1:02:03 adds hours).\n"),
    (("10k", "20:00"), "faster than the world record, 5000 m in 12:35.36"),
    (("1500m", "3:00"), "faster than the world record, 1500 m in 3:26.00"),
    (("400m", "0:30"), "faster than the world record, 100 m in 9.58 s"),
    (("10k", "30:00", "--activity", "walk"), "faster than the world record, 20 km race walk"),
    (("2k", "10:00", "--activity", "swim"), "faster than the world record, 50 m freestyle"),
    (("300k", "40:00:00"), "A run of 300.0 km is longer than the longest races (250 km): "
                           "check it, or add --yes if it is right.\n"),
])
def test_implausible_values_are_refused_with_a_hint(cli, args, said):
    result = cli("log", *args, "--on", "2016-06-14")
    assert result.exit_code == 2
    assert result.stderr.startswith(said) or said in result.stderr
    assert activities(cli) == []


@pytest.mark.parametrize("args", [
    ("42.195k", "2:01:00"),  # close to the marathon record
    ("100", "8:00:00"),  # a bare 100 is still kilometres
    ("100m", "0:11"),  # a sprint
    ("300k", "40:00:00", "--yes"),  # an ultra, confirmed
    ("40k", "1:00:00", "--activity", "cycle"),
    ("5k", "50:00", "--activity", "walk"),
])
def test_real_activities_pass(cli, args):
    result = cli("log", *args, "--on", "2016-06-14")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(("args", "said"), [
    (("--duration", "0:10"), "faster than the world record"),
    (("--distance", "50m"), "did you mean minutes?"),
    (("--distance", "50k"), "faster than the world record"),
])
def test_edit_refuses_what_log_refuses(cli, args, said):
    assert cli("log", "5k", "25:00", "--on", "2016-06-14 18:00").exit_code == 0
    result = cli("edit", "activity", "1", *args)
    assert result.exit_code == 2
    assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert cli("list", "runs", "--json").json()[0]["duration_s"] == 1500
    assert cli("list", "runs", "--json").json()[0]["distance_km"] == 5.0


def test_a_decimal_comma(cli):
    assert cli("log", "5,5km", "30:00", "--json").json()["distance_km"] == 5.5


# -- the same run logged twice ------------------------------------------------------------

FIRST = ("log", "8k", "45:10", "--on", "2016-06-14 18:30")


def test_the_same_run_twice_is_stored_once(cli):
    assert cli(*FIRST).exit_code == 0
    again = cli(*FIRST)
    assert again.exit_code == 0  # not an error: the run is in the record, once
    assert again.stdout == ""
    assert " ".join(again.stderr.split()) == (
        "Already logged (id 1): 8.0 km in 45:10 (5:39/km) on Tue 14 Jun 2016 18:30; nothing "
        "was stored. Add --again to log another.")
    assert len(activities(cli)) == 1
    # Nothing was written, so undo takes back the first log.
    assert "removed run 8.0 km" in cli("undo", "--yes").stdout
    assert activities(cli) == []


def test_json_says_it_was_already_logged(cli):
    first = cli(*FIRST, "--json").json()
    assert first["already_logged"] is False
    again = cli(*FIRST, "--json").json()
    assert again["already_logged"] is True and again["id"] == first["id"]


@pytest.mark.parametrize(("args", "repeated"), [
    (("8k", "45:10", "--on", "2016-06-14 18:39"), True),  # 9 minutes later
    (("8.15k", "--on", "2016-06-14 18:25"), True),  # 1.9 % longer
    (("8.2k", "--on", "2016-06-14 18:30"), False),  # 2.5 % longer
    (("8k", "45:10", "--on", "2016-06-14 18:41"), False),  # 11 minutes later
    (("8k", "45:10", "--on", "2016-06-14 18:30", "--activity", "walk"), False),
    (("8k", "45:10", "--on", "2016-06-14 18:30", "--again"), False),
])
def test_what_counts_as_the_same(cli, args, repeated):
    cli(*FIRST)
    result = cli("log", *args)
    assert result.exit_code == 0, result.stderr
    assert ("Already logged (id 1)" in result.stderr) is repeated
    assert len(activities(cli)) == (1 if repeated else 2)


def test_a_repeat_that_adds_pain_is_stored_and_holds_running_down(cli):
    # The trust rule: pain 7 during a run yesterday evening is a red gate (no running for
    # 24 hours); a repeat that carries that score must not be dropped as a repeat.
    cli(*FIRST)
    result = cli(*FIRST, "--pain", "7")
    assert result.exit_code == 0
    assert "(id 2)" in result.stdout
    assert " ".join(result.stderr.split()) == (
        "It looks like id 1 (8.0 km in 45:10 (5:39/km) on Tue 14 Jun 2016 18:30): if it is "
        "the same run, keep one with 'runrecover delete activity 1'.")
    assert cli("status", "--json").json()["run_level"] == "none"
    # The same again is the repeat of the one with the score.
    assert "Already logged (id 2)" in cli(*FIRST, "--pain", "7").stderr
    assert cli(*FIRST, "--type", "tempo", "--json").json()["like_id"] == 1
    assert len(activities(cli)) == 3


def test_durations_alone_and_days_alone_repeat_too(cli):
    for _ in range(2):
        cli("log", "--activity", "yoga", "45m", "--on", "2016-06-14 07:00")
        cli("log", "5k", "--on", "yesterday")
    assert len(activities(cli)) == 2
    cli("log", "--activity", "yoga", "60m", "--on", "2016-06-14 07:00")
    assert len(activities(cli)) == 3


def test_parallel_repeats_store_one_run(tmp_path):
    # The check and the insert share one IMMEDIATE transaction: the same run sent by eight
    # processes at once is stored once.
    db = tmp_path / "repeat.db"
    env = os.environ | {"RUNRECOVER_DB": str(db)}
    start = forked.barrier(8)
    writers = [forked.Commands([["log", "5k", "30:00", "--on", "2016-06-01 07:00"]], env,
                               tmp_path / f"writer-{n}.json", start) for n in range(8)]
    start.wait(timeout=120)
    results = [result for writer in writers for result in writer.outcome()]
    assert [result.code for result in results] == [0] * 8
    assert sum("Already logged" in result.stderr for result in results) == 7
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 1
    conn.close()


# -- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize(("when", "at"), [
    ("this morning", "2016-06-15T08:00:00+02:00"),
    ("noon", "2016-06-14T12:00:00+02:00"),  # it is 10:00: the last noon
    ("18h30", "2016-06-14T18:30:00+02:00"),
    ("yesterday 18h30", "2016-06-14T18:30:00+02:00"),
    ("last tuesday 7am", "2016-06-14T07:00:00+02:00"),
    ("last wednesday", "2016-06-08"),  # a day alone: its time of day is not known
    ("-2d", "2016-06-13"),
])
def test_pain_and_runs_read_the_new_forms(cli, when, at):
    cli("injury", "add", "calf", "--since", "2016-06-01")
    assert cli("pain", "3", "--on", when, "--json").json()["at"] == at
    assert cli("log", "5k", "--on", when, "--json").json()["at"] == at


@pytest.mark.parametrize("when", ["in 2 days", "+7d", "next sunday", "tonight"])
def test_the_future_is_still_refused_for_what_happened(cli, when):
    result = cli("log", "5k", "--on", when)
    assert result.exit_code == 2
    assert "is in the future" in result.stderr


def test_races_and_status_look_ahead(cli):
    cli("race", "add", "City 15K", "next sunday 9:30", "--distance", "15k")
    assert cli("race", "list", "--json").json()[0]["at"] == "2016-06-19T09:30:00+02:00"
    assert cli("status", "--at", "in 2 days", "--json").json()["at"].startswith("2016-06-17")
    assert cli("status", "--at", "+7d", "--json").json()["at"].startswith("2016-06-22")


def test_timeline_until_a_weekday_is_the_coming_one(cli):
    cli("race", "add", "City 15K", "sat 9:30")
    events = cli("timeline", "--until", "sat", "--json").json()
    assert [e["kind"] for e in events] == ["race"]
    shown = cli("timeline", "--until", "sat").stdout
    assert shown.startswith("Timeline Sun 24 Apr – Sat 18 Jun 2016")
    # --since keeps to the last one: from last Saturday to the coming one.
    assert cli("timeline", "--since", "sat", "--until", "sat").stdout.startswith(
        "Timeline Sat 11 Jun – Sat 18 Jun 2016")


def test_the_forms_in_another_zone(cli, now, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    new_york = ZoneInfo("America/New_York")
    # Wednesday 15 June 2016, 21:00 in New York: already Thursday in Paris.
    now(datetime(2016, 6, 15, 21, 0, tzinfo=new_york))
    cli("injury", "add", "calf", "--since", "2016-06-01")
    assert cli("pain", "3", "--on", "this morning", "--json").json()["at"] == \
        "2016-06-15T08:00:00-04:00"
    assert cli("pain", "4", "--on", "last thu 18h30", "--json").json()["at"] == \
        "2016-06-09T18:30:00-04:00"
    assert cli("race", "add", "Queens 10K", "in 2 days", "--json").json()["at"] == "2016-06-17"
    assert datetime.fromisoformat(
        cli("log", "5k", "--on", "noon", "--json").json()["at"]).astimezone(PARIS).hour == 18


# -- what it was --------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "said"), [
    ("running", "Unknown activity 'running': did you mean run? The activities are run, walk, "
                "cycle, swim, strength, yoga or other.\n"),
    ("cycling", "Unknown activity 'cycling': did you mean cycle?"),
    ("hike", "Unknown activity 'hike': did you mean walk?"),
    ("swimm", "Unknown activity 'swimm': did you mean swim?"),
    ("zumba", "Unknown activity 'zumba': use run, walk, cycle, swim, strength, yoga or "
              "other.\n"),
])
def test_an_unknown_activity_says_which_it_may_mean(cli, word, said):
    for command in (("log", "5k"), ("import", "--activity", word, "x.gpx")):
        args = (*command, "--activity", word) if command[0] == "log" else command
        result = cli(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith(said)
    assert activities(cli) == []


def test_an_activity_in_capitals_is_that_activity(cli):
    assert cli("log", "5k", "--activity", "Walk", "--json").json()["kind"] == "walk"
    assert cli("edit", "activity", "last", "--activity", "YOGA", "--json").json()["kind"] == \
        "yoga"


# -- a part of the day said while it runs ---------------------------------------------------

@pytest.mark.parametrize("when", ["morning", "this morning", "today morning"])
def test_morning_said_before_eight_is_this_morning_and_gates_today(cli, now, when):
    """Found by review: at 07:30 'morning' was yesterday 08:00, and a pain 8 felt at 7am
    stopped holding running back the next morning, 23 hours early."""
    now(datetime(2016, 6, 15, 7, 30, tzinfo=PARIS))
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    logged = cli("pain", "8", "--on", when, "--json")
    assert logged.exit_code == 0, logged.stderr
    assert logged.json()["at"] == "2016-06-15T07:30:00+02:00"
    now(datetime(2016, 6, 16, 7, 0, tzinfo=PARIS))
    assert cli("status", "--check").exit_code != 0  # the red gate holds 24 h from 07:30


def test_a_part_of_the_day_already_past_is_its_typical_hour(cli, now):
    now(datetime(2016, 6, 15, 9, 30, tzinfo=PARIS))
    assert cli("pain", "3", "--on", "this morning", "--json").json()["at"] == \
        "2016-06-15T08:00:00+02:00"
    assert cli("pain", "3", "--on", "tonight").exit_code == 2  # still to come: refused
