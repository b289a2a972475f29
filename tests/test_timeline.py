"""`runrecover timeline`: the seeds' two stories day by day, as JSON, and with the charts."""

import shlex
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PARIS

MONDAY_AFTER_THE_RACE = datetime(2016, 6, 20, 12, 0, tzinfo=PARIS)


def record(cli, *commands: str) -> None:
    for command in commands:
        result = cli(*shlex.split(command))
        assert result.exit_code == 0, (command, result.stderr)


def calf_story(cli, now) -> None:
    """Seed 1: a left calf strain treated with mesotherapy on Tuesday 14 June 2016 at 10:00,
    five days before a 15K; a run on Thursday breaks the 4 days without running."""
    now(MONDAY_AFTER_THE_RACE)
    record(
        cli,
        "log 10k 52:30 --on '2016-05-29 09:00' --type long",
        "injury add 'left calf strain' --part calf --side left --since 2016-06-05 "
        "--cause 'track intervals'",
        "log 8k 41:00 --on '2016-06-05 19:00' --type intervals --pain 6 "
        "--note 'calf tightened on rep 5'",
        "treat mesotherapy --injury calf --on '2016-06-14 10:00' --by 'Dr Rossi'",
        "log 5k 30:00 --on '2016-06-16 18:30' --pain 2",
        "race add 'City 15K' 2016-06-19 --distance 15k",
        "log 15k 1:18:45 --on '2016-06-19 09:30' --type race",
    )
    for day, score in ((6, 6), (7, 6), (8, 5), (9, 5), (10, 5), (11, 5), (12, 4), (13, 4),
                       (14, 4), (15, 3), (16, 3), (17, 4), (18, 3), (19, 2), (20, 3)):
        record(cli, f"pain {score} --injury calf --context morning --on '2016-06-{day:02d} 07:00'")


def hip_story(cli) -> None:
    """Seed 2: a right hip seen by a clinician four weeks on, treated with prolotherapy twice,
    four weeks apart (24 h walking only, cycling from day 3, no running for a week)."""
    record(
        cli,
        "log 14k 1:17:00 --on '2016-04-24 09:00' --type long",
        "log 8k 44:00 --on '2016-04-27 18:30'",
        "log 16k 1:30:00 --on '2016-05-01 09:00' --type long",
        "injury add 'right hip' --part hip --side right --since 2016-05-02 "
        "--diagnosis 'gluteus medius tendinopathy' --cause 'hill repeats'",
        "pain 4 --injury hip --context morning --on '2016-05-02 07:00'",
        "pain 4 --injury hip --context morning --on '2016-05-03 07:00'",
        "log 5k 30:00 --on '2016-05-05 18:30' --pain 4",
        "pain 5 --injury hip --context morning --on '2016-05-06 07:00'",
        "pain 5 --injury hip --context morning --on '2016-05-09 07:00'",
        "log 6k 36:00 --on '2016-05-14 10:00' --pain 4",
        "pain 6 --injury hip --context morning --on '2016-05-15 07:00'",
        "pain 6 --injury hip --context morning --on '2016-05-16 07:00'",
        "treat prolotherapy --injury hip --on '2016-05-17 09:00' --by 'Dr Moreau'",
        "pain 5 --injury hip --context morning --on '2016-05-18 07:00'",
        "log 3k 40:00 --activity walk --on '2016-05-18 17:00'",
        "log 20k 50:00 --activity cycle --on '2016-05-20 17:00'",
        "log 5k 32:00 --on '2016-05-22 10:00' --pain 3 --note 'could not resist'",
        "pain 5 --injury hip --context morning --on '2016-05-23 07:00'",
        "pain 4 --injury hip --context morning --on '2016-05-26 07:00'",
        "log 4k 26:00 --on '2016-05-28 10:00' --type easy",
        "pain 3 --injury hip --context morning --on '2016-05-29 07:00'",
        "log 6k 36:00 --on '2016-06-04 10:00' --type easy",
        "pain 3 --injury hip --context morning --on '2016-06-05 07:00'",
        "pain 3 --injury hip --context morning --on '2016-06-08 07:00'",
        "log 8k 48:00 --on '2016-06-11 10:00'",
        "pain 4 --injury hip --context morning --on '2016-06-12 07:00'",
        "treat prolotherapy --injury hip --on '2016-06-14 09:00' --by 'Dr Moreau'",
        "pain 5 --injury hip --context morning --on '2016-06-15 07:00'",
    )


def shown(cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_calf_story_day_by_day(cli, now):
    calf_story(cli, now)
    assert shown(cli, "timeline") == CALF_STORY


CALF_STORY = """\
Timeline Tue 26 Apr – Mon 20 Jun 2016
▒ no running  ✗ broke a restriction

                   … 33 quiet days, 26 Apr – 28 May …
Sun 29 May   09:00 run 10.0 km in 52:30 (5:15/km) · long
                   … 6 quiet days, 30 May – 4 Jun …
Sun  5 Jun         ◆ left calf strain began
             19:00 run 8.0 km in 41:00 (5:08/km) · intervals · pain 6 · calf
                   tightened on rep 5
Mon  6 Jun   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Tue  7 Jun   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Wed  8 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Thu  9 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Fri 10 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sat 11 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sun 12 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Mon 13 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Tue 14 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
           ▒ 10:00 ✚ mesotherapy 1 of 3 · Dr Rossi
           ▒       ▒ no running until Sat 18 Jun 00:00 · mesotherapy [clinic]
Wed 15 Jun ▒ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Thu 16 Jun ▒ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
           ▒ 18:30 run 5.0 km in 30:00 (6:00/km) · pain 2
           ▒       ✗ broke: no running (mesotherapy until Sat 18 Jun 00:00)
Fri 17 Jun ▒ 07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Sat 18 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Sun 19 Jun         ⚑ City 15K · 15.0 km
             07:00 ▰▰▱▱▱▱▱▱▱▱ 2 morning
             09:30 run 15.0 km in 1:18:45 (5:15/km) · race
Mon 20 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
"""


def test_hip_story_day_by_day(cli):
    hip_story(cli)
    assert shown(cli, "timeline") == HIP_STORY


HIP_STORY = """\
Timeline Thu 21 Apr – Wed 15 Jun 2016
▓ walking only  ▒ no running  ░ easy running only  ✗ broke a restriction

                   … 3 quiet days, 21 Apr – 23 Apr …
Sun 24 Apr   09:00 run 14.0 km in 1:17:00 (5:30/km) · long
Mon 25 Apr
Tue 26 Apr
Wed 27 Apr   18:30 run 8.0 km in 44:00 (5:30/km)
                   … 3 quiet days, 28 Apr – 30 Apr …
Sun  1 May   09:00 run 16.0 km in 1:30:00 (5:38/km) · long
Mon  2 May         ◆ right hip began · gluteus medius tendinopathy
             07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Tue  3 May   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Wed  4 May
Thu  5 May   18:30 run 5.0 km in 30:00 (6:00/km) · pain 4
Fri  6 May   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sat  7 May
Sun  8 May
Mon  9 May   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
                   … 4 quiet days, 10 May – 13 May …
Sat 14 May   10:00 run 6.0 km in 36:00 (6:00/km) · pain 4
Sun 15 May   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Mon 16 May   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Tue 17 May ▓ 09:00 ✚ prolotherapy 1 of 3 · Dr Moreau
           ▓       ▓ walking only until Thu 19 May 00:00 · prolotherapy [clinic]
Wed 18 May ▓ 07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
           ▓ 17:00 walk 3.0 km in 40:00 (13:20/km)
Thu 19 May ▒       ▒ no running until Tue 24 May 00:00 · prolotherapy [clinic]
Fri 20 May ▒ 17:00 cycle 20.0 km in 50:00 (24.0 km/h)
Sat 21 May ▒
Sun 22 May ▒ 10:00 run 5.0 km in 32:00 (6:24/km) · pain 3 · could not resist
           ▒       ✗ broke: no running (prolotherapy until Tue 24 May 00:00)
Mon 23 May ▒ 07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Tue 24 May ░       ░ easy running only until Tue 31 May 00:00 · prolotherapy
           ░       [clinic]
Wed 25 May ░
Thu 26 May ░ 07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Fri 27 May ░
Sat 28 May ░ 10:00 run 4.0 km in 26:00 (6:30/km) · easy
Sun 29 May ░ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Mon 30 May ░
                   … 4 quiet days, 31 May – 3 Jun …
Sat  4 Jun   10:00 run 6.0 km in 36:00 (6:00/km) · easy
Sun  5 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Mon  6 Jun
Tue  7 Jun
Wed  8 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Thu  9 Jun
Fri 10 Jun
Sat 11 Jun   10:00 run 8.0 km in 48:00 (6:00/km)
Sun 12 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Mon 13 Jun
Tue 14 Jun ▓ 09:00 ✚ prolotherapy 2 of 3 · Dr Moreau
           ▓       ▓ walking only until Thu 16 Jun 00:00 · prolotherapy [clinic]
Wed 15 Jun ▓ 07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
"""


def test_calf_story_with_the_pain_chart_and_weekly_distance(cli, now):
    calf_story(cli, now)
    assert shown(cli, "timeline", "--since", "2016-06-01", "--chart") == CALF_CHART


CALF_CHART = """\
Timeline Wed 1 Jun – Mon 20 Jun 2016
▒ no running  ✗ broke a restriction

                   … 4 quiet days, 1 Jun – 4 Jun …
Sun  5 Jun         ◆ left calf strain began
             19:00 run 8.0 km in 41:00 (5:08/km) · intervals · pain 6 · calf
                   tightened on rep 5
Mon  6 Jun   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Tue  7 Jun   07:00 ▰▰▰▰▰▰▱▱▱▱ 6 morning
Wed  8 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Thu  9 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Fri 10 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sat 11 Jun   07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Sun 12 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Mon 13 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Tue 14 Jun   07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
           ▒ 10:00 ✚ mesotherapy 1 of 3 · Dr Rossi
           ▒       ▒ no running until Sat 18 Jun 00:00 · mesotherapy [clinic]
Wed 15 Jun ▒ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Thu 16 Jun ▒ 07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
           ▒ 18:30 run 5.0 km in 30:00 (6:00/km) · pain 2
           ▒       ✗ broke: no running (mesotherapy until Sat 18 Jun 00:00)
Fri 17 Jun ▒ 07:00 ▰▰▰▰▱▱▱▱▱▱ 4 morning
Sat 18 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning
Sun 19 Jun         ⚑ City 15K · 15.0 km
             07:00 ▰▰▱▱▱▱▱▱▱▱ 2 morning
             09:30 run 15.0 km in 1:18:45 (5:15/km) · race
Mon 20 Jun   07:00 ▰▰▰▱▱▱▱▱▱▱ 3 morning

Pain, worst of each day (0–10; · none logged)
left calf strain      ▂▂
                 ·····██████▆▆▆▅▅▆▅▃▅
treatments                    M
                      6 Jun  13 Jun 20 Jun
                 M mesotherapy

Running distance by week
      1–5 Jun █████████████▋                       8.0 km  1 run
     6–12 Jun                                      0.0 km
    13–19 Jun ██████████████████████████████████  20.0 km  2 runs
       20 Jun                                      0.0 km
"""


def test_a_restriction_from_before_the_first_day_names_its_treatment(cli):
    hip_story(cli)
    assert shown(cli, "timeline", "--since", "2016-05-20", "--until", "2016-05-24") == LATE_START


LATE_START = """\
Timeline Fri 20 May – Tue 24 May 2016
▒ no running  ░ easy running only  ✗ broke a restriction

Fri 20 May ▒       ▒ no running until Tue 24 May 00:00 · prolotherapy of 17 May
           ▒       [clinic]
           ▒ 17:00 cycle 20.0 km in 50:00 (24.0 km/h)
Sat 21 May ▒
Sun 22 May ▒ 10:00 run 5.0 km in 32:00 (6:24/km) · pain 3 · could not resist
           ▒       ✗ broke: no running (prolotherapy until Tue 24 May 00:00)
Mon 23 May ▒ 07:00 ▰▰▰▰▰▱▱▱▱▱ 5 morning
Tue 24 May ░       ░ easy running only until Tue 31 May 00:00 · prolotherapy of
           ░       17 May [clinic]
"""


def test_two_quiet_days_stay_and_three_collapse(cli):
    record(cli, "pain 2 --on 2016-06-01", "pain 2 --on 2016-06-04", "pain 2 --on 2016-06-08")
    lines = shown(cli, "timeline", "--since", "2016-06-01", "--until", "2016-06-08").splitlines()
    assert lines[2:] == [
        "Wed  1 Jun         ▰▰▱▱▱▱▱▱▱▱ 2",
        "Thu  2 Jun",
        "Fri  3 Jun",
        "Sat  4 Jun         ▰▰▱▱▱▱▱▱▱▱ 2",
        "                   … 3 quiet days, 5 Jun – 7 Jun …",
        "Wed  8 Jun         ▰▰▱▱▱▱▱▱▱▱ 2",
    ]


def test_json_is_the_events_in_time_order(cli, now):
    calf_story(cli, now)
    events = cli("timeline", "--since", "2016-06-14", "--until", "2016-06-16", "--json").json()
    assert [(e["kind"], e.get("at") or e["start"]) for e in events] == [
        ("pain", "2016-06-14T07:00:00+02:00"),
        ("treatment", "2016-06-14T10:00:00+02:00"),
        ("restriction", "2016-06-14T10:00:00+02:00"),
        ("pain", "2016-06-15T07:00:00+02:00"),
        ("pain", "2016-06-16T07:00:00+02:00"),
        ("activity", "2016-06-16T18:30:00+02:00"),
    ]
    treatment, restriction = events[1], events[2]
    assert {k: treatment[k] for k in ("id", "treatment", "clinician", "course", "injury_id",
                                      "time_known")} == {
        "id": 1, "treatment": "mesotherapy", "clinician": "Dr Rossi",
        "course": {"session": 1, "of": 3}, "injury_id": 1, "time_known": True}
    assert restriction == {
        "kind": "restriction", "start": "2016-06-14T10:00:00+02:00",
        "end": "2016-06-18T00:00:00+02:00", "level": "cross",
        "allowed": ["walk", "cycle", "swim", "strength", "yoga", "other"],
        "treatment": {"id": 1, "kind": "mesotherapy", "at": "2016-06-14T10:00:00+02:00"},
        "injury_id": 1, "source": "clinic"}
    assert events[0]["score"] == 4 and events[0]["context"] == "morning"
    run = events[-1]
    assert {k: run[k] for k in ("activity", "distance_km", "duration_s", "pace_s_per_km",
                                "pain_during")} == {
        "activity": "run", "distance_km": 5.0, "duration_s": 1800.0, "pace_s_per_km": 360.0,
        "pain_during": 2}
    assert run["breaks_restriction"] == {
        "treatment": {"id": 1, "kind": "mesotherapy", "at": "2016-06-14T10:00:00+02:00"},
        "level": "cross", "until": "2016-06-18T00:00:00+02:00", "source": "clinic"}
    assert all(len(e["uid"]) == 36 for e in events if e["kind"] != "restriction")


def test_json_injuries_races_and_runs_that_broke_nothing(cli, now):
    calf_story(cli, now)
    cli("injury", "resolve", "calf", "--on", "2016-06-20")
    events = cli("timeline", "--json").json()
    injury = [e for e in events if e["kind"] == "injury"]
    assert [(e["event"], e["at"], e["time_known"], e["name"]) for e in injury] == [
        ("onset", "2016-06-05T00:00:00+02:00", False, "left calf strain"),
        ("resolved", "2016-06-20T00:00:00+02:00", False, "left calf strain"),
    ]
    race = next(e for e in events if e["kind"] == "race")
    assert (race["name"], race["at"], race["time_known"], race["distance_km"]) == (
        "City 15K", "2016-06-19T00:00:00+02:00", False, 15.0)
    runs = [e for e in events if e["kind"] == "activity"]
    assert [(e["at"][:10], e["breaks_restriction"] is not None) for e in runs] == [
        ("2016-05-29", False), ("2016-06-05", False), ("2016-06-16", True),
        ("2016-06-19", False)]
    moments = [e.get("at") or e["start"] for e in events]
    assert moments == sorted(moments)


def test_injury_narrows_to_its_entries_but_keeps_every_activity(cli, now):
    hip_story(cli)
    calf_story(cli, now)
    events = cli("timeline", "--injury", "calf", "--since", "2016-06-10", "--json").json()
    assert {e["injury_id"] for e in events if "injury_id" in e} == {2}
    assert [e["at"][:10] for e in events if e["kind"] == "activity"] == [
        "2016-06-11", "2016-06-16", "2016-06-19"]
    view = shown(cli, "timeline", "--injury", "calf", "--since", "2016-06-10")
    assert view.splitlines()[0] == "Timeline Fri 10 Jun – Mon 20 Jun 2016 · left calf strain"
    assert "✚ prolotherapy" not in view and "walking only" not in view
    # The hip's run on the 11th is still there, and nothing names an injury: there is one.
    assert "\n             10:00 run 8.0 km in 48:00 (6:00/km)\nSun 12 Jun" in view
    # What a run broke is a fact about the run: here the hip's restriction, which ends later.
    assert "✗ broke: no running (prolotherapy until Tue 21 Jun 00:00)" in view
    both = shown(cli, "timeline", "--since", "2016-06-10")
    assert "▰▰▰▰▰▱▱▱▱▱ 5 morning · right hip" in both
    assert "✚ mesotherapy 1 of 3 · Dr Rossi · left calf strain" in both


def test_a_break_names_the_whole_restriction_not_the_phase_it_fell_in(cli):
    # Prolotherapy's first 24 h and the walking-only days after them are one restriction.
    record(cli, "injury add 'right hip' --since 2016-06-01",
           "treat prolotherapy --on '2016-06-14 10:00'",
           "log 10k 30:00 --activity cycle --on '2016-06-15 08:00'")
    view = shown(cli, "timeline", "--since", "2016-06-14")
    assert "✗ broke: walking only (prolotherapy until Thu 16 Jun 00:00)" in view
    assert view.count("walking only until") == 1
    cycle = cli("timeline", "--json").json()[-1]
    assert cycle["breaks_restriction"]["until"] == "2016-06-16T00:00:00+02:00"


def test_by_default_the_eight_weeks_up_to_today(cli, now):
    now(datetime(2016, 6, 15, 23, 0, tzinfo=PARIS))
    record(cli, "pain 1 --on '2016-04-20 12:00'", "pain 2 --on '2016-04-21 12:00'",
           "pain 3 --on '2016-06-15 22:00'")
    events = cli("timeline", "--json").json()
    assert [e["score"] for e in events] == [2, 3]
    assert shown(cli, "timeline").startswith("Timeline Thu 21 Apr – Wed 15 Jun 2016\n")
    # --until alone ends the 8 weeks there; a day given is the whole of that day.
    assert [e["score"] for e in cli("timeline", "--until", "2016-06-14", "--json").json()] == [1, 2]
    until_noon = cli("timeline", "--since", "2016-04-21 11:00", "--until", "2016-04-21 12:00",
                     "--json").json()
    assert until_noon == []


def test_bad_windows_are_refused_with_the_value(cli):
    result = cli("timeline", "--since", "2016-06-10", "--until", "2016-06-01")
    assert result.exit_code == 2
    assert "--since '2016-06-10' is not before --until '2016-06-01'" in result.stderr
    result = cli("timeline", "--since", "fortnight")
    assert result.exit_code == 2
    assert "'fortnight'" in result.stderr
    result = cli("timeline", "--injury", "knee")
    assert result.exit_code == 2
    assert "No injury matches 'knee'" in result.stderr


def test_nothing_recorded(cli):
    assert shown(cli, "timeline") == (
        "Timeline Thu 21 Apr – Wed 15 Jun 2016\n\n"
        "Nothing recorded in these days; widen them with --since and --until.\n")


def test_a_new_year_is_marked_and_long_spans_share_chart_columns(cli):
    record(cli, "pain 3 --on 2015-12-30", "pain 5 --on 2016-01-02",
           "log 5k 30:00 --on 2015-07-01", "log 5k 30:00 --on 2016-01-02")
    days = shown(cli, "timeline", "--since", "2015-12-30", "--until", "2016-01-02")
    assert days.splitlines()[0] == "Timeline Wed 30 Dec 2015 – Sat 2 Jan 2016"
    assert "Thu 31 Dec\n2016\nFri  1 Jan\nSat  2 Jan" in days
    chart = shown(cli, "timeline", "--since", "2015-06-01", "--chart")
    assert "Pain, worst of every 7 days (0–10; · none logged)" in chart
    assert "Running distance by month" in chart
    assert "     Jul 2015 " in chart


def test_lines_fit_80_columns(cli, now):
    hip_story(cli)
    calf_story(cli, now)
    record(cli, "pain 9 --injury hip --context night --note '" + "woke up twice " * 12 + "'",
           "treat physiotherapy --injury hip --by 'A. Very-Long-Named Physiotherapy Clinic'")
    for args in (("timeline",), ("timeline", "--chart"), ("timeline", "--since", "2015-01-01",
                                                          "--chart"),
                 ("injury", "show", "hip"), ("injury", "show", "calf")):
        lines = shown(cli, *args).splitlines()
        too_long = [line for line in lines if len(line) > 80]
        assert not too_long, (args, too_long)
        assert all(line == line.rstrip() for line in lines), args


def test_an_empty_since_is_refused_not_taken_as_default(cli):
    result = cli("timeline", "--since", "")
    assert result.exit_code == 2
    assert "''" in result.stderr


def test_on_a_terminal_the_lines_are_styled_and_say_the_same(cli, now, monkeypatch):
    """Without styles the day-by-day lines are written as plain text (no Rich layout); on a
    terminal Rich styles them: both say the same, character for character, wrapped alike."""
    import re

    calf_story(cli, now)
    hip_story(cli)
    args = ("timeline", "--since", "2016-04-20", "--until", "2016-06-20", "--ids")
    for columns in ("80", "50", "30"):
        monkeypatch.setenv("COLUMNS", columns)
        plain = cli(*args).stdout
        monkeypatch.delenv("NO_COLOR")
        monkeypatch.setenv("FORCE_COLOR", "1")
        styled = cli(*args).stdout
        monkeypatch.setenv("NO_COLOR", "1")
        monkeypatch.delenv("FORCE_COLOR")
        assert "\x1b[" in styled
        assert re.sub(r"\x1b\[[0-9;]*m", "", styled) == plain


# Notes that wrap and fold every way Rich does: words longer than a line, characters of two
# cells and of none, a non-breaking space, a tab, a newline, spaces in a row.
HOSTILE_NOTES = [
    None, None, "felt good", "« très bien » · café", "🙂 easy one", "calf tight at the end " * 3,
    "x" * 70, "short then " + "y" * 45 + " and more words after it",
    "日本語のメモ、ふくらはぎ " * 3,
    "non\xa0breaking\xa0spaces\xa0" * 4, "a tab\there and words enough to wrap the line once",
    "two\nlines", "zero\u200dwidth joiner " * 4,
    "ends in spaces       ", "   starts in spaces and is long enough to wrap at sixty columns",
    "emoji 👍🏽 with a modifier and words to wrap " * 2,
]


def years_of_history(cli, tmp_path, seed: int = 7) -> None:
    """Three years of runs, pain, treatments with their restrictions, injuries and races,
    imported as a runrecover export, their notes drawn from HOSTILE_NOTES."""
    import json
    import random
    from datetime import date, timedelta

    rng = random.Random(seed)
    uid = iter(f"00000000-0000-4000-8000-{n:012d}" for n in range(100_000))
    first = date(2013, 1, 1)

    def moment(day: int) -> tuple[str, bool]:
        known = rng.random() < 0.9
        at = datetime.combine(first + timedelta(days=day), datetime.min.time(), PARIS)
        if known:
            at += timedelta(hours=rng.randint(5, 21), minutes=rng.randint(0, 59))
        return at.isoformat(), known

    injuries = [{"uid": next(uid), "name": f"{part} strain", "part": part, "side": "left",
                 "onset_on": (first + timedelta(days=start)).isoformat(),
                 "resolved_on": (first + timedelta(days=start + 40)).isoformat(),
                 "note": rng.choice(HOSTILE_NOTES)}
                for part, start in (("calf", 50), ("hip", 300), ("knee", 700), ("foot", 900))]
    export = {"format": "runrecover", "version": 1, "injuries": injuries, "treatments": [],
              "pain": [], "activities": [], "races": []}
    for injury, start in zip(injuries, (50, 300, 700, 900), strict=True):
        for visit in range(4):
            at, known = moment(start + 3 + visit * 7)
            export["treatments"].append({
                "uid": next(uid), "kind": rng.choice(["physio", "mesotherapy", "shockwave"]),
                "at": at, "time_known": known, "injury_uid": injury["uid"],
                "clinician": rng.choice(["Dr Rossi", None]), "no_run_days": rng.randint(0, 4),
                "rest_hours": rng.choice([None, 24]), "note": rng.choice(HOSTILE_NOTES)})
    for day in range(3 * 365):
        if day % 60 > 50:  # quiet days, collapsed
            continue
        if rng.random() < 0.6:
            at, known = moment(day)
            export["pain"].append({
                "uid": next(uid), "score": rng.randint(0, 10), "at": at, "time_known": known,
                "injury_uid": rng.choice([None, *(i["uid"] for i in injuries)]),
                "context": rng.choice(["morning", "after", None]),
                "note": rng.choice(HOSTILE_NOTES)})
        if rng.random() < 0.5:
            at, known = moment(day)
            export["activities"].append({
                "uid": next(uid), "kind": rng.choice(["run", "run", "walk", "cycle"]), "at": at,
                "time_known": known, "distance_km": round(rng.uniform(3, 30), 2),
                "duration_s": rng.randint(1200, 9000), "run_type": rng.choice(["easy", None]),
                "pain_during": rng.choice([None, rng.randint(0, 6)]),
                "note": rng.choice(HOSTILE_NOTES)})
        if rng.random() < 0.01:
            at, known = moment(day)
            export["races"].append({"uid": next(uid), "name": f"Race {day}", "at": at,
                                    "time_known": known, "distance_km": 10.0,
                                    "note": rng.choice(HOSTILE_NOTES)})
    source = tmp_path / "years.json"
    source.write_text(json.dumps(export))
    record(cli, f"import {shlex.quote(str(source))}")


def test_years_of_lines_say_what_rich_lays_out(cli, tmp_path, monkeypatch):
    """Without styles the lines are made without Rich's layout (its wrapping redone for
    lines of one-cell characters, the rest handed to Rich): on years of hostile notes, at
    every width, they say what Rich's own styled lines say, character for character."""
    import re

    years_of_history(cli, tmp_path)
    span = ("--since", "2013-01-01", "--until", "2015-12-31")
    for columns, extra in (("80", ()), ("60", ("--ids",)), ("30", ("--ids",)), ("20", ())):
        monkeypatch.setenv("COLUMNS", columns)
        plain = shown(cli, "timeline", *span, *extra)
        monkeypatch.delenv("NO_COLOR")
        monkeypatch.setenv("FORCE_COLOR", "1")
        styled = shown(cli, "timeline", *span, *extra)
        monkeypatch.setenv("NO_COLOR", "1")
        monkeypatch.delenv("FORCE_COLOR")
        assert re.sub(r"\x1b\[[0-9;]*m", "", styled) == plain, columns
        lines = plain.splitlines()
        assert len(lines) > 1500
        # Lines wrapped and folded, beside the bands.
        assert any(line.startswith(" " * 19) and line.strip() for line in lines)
        assert any(line[:11] == " " * 11 and line[11] in "▓▒░" and line[12:19] == " " * 7
                   and line[19:] for line in lines)
    monkeypatch.setenv("COLUMNS", "80")
    for said in ("✗ broke:", "quiet days", "no running until", "🙂", "日本語", "\xa0", "x" * 50):
        assert said in shown(cli, "timeline", *span), said


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(["a", "é", "·", "▰", "«", "x" * 7, " ", "\xa0", "  "]),
                     max_size=40).map("".join), width=st.integers(1, 30))
def test_lines_of_one_cell_characters_break_where_rich_breaks_them(text, width):
    """The view's own breaking of lines of one-cell characters (found from each line's
    edge) breaks them where Rich's `divide_line` does, or leaves the line to it."""
    from rich._wrap import divide_line

    from runrecover.render.timeline import _single_cell_breaks

    found = _single_cell_breaks(text, width)
    assert found is None or found == divide_line(text, width, fold=True)
    if not text.startswith((" ", "\xa0")) and all(len(word) <= width for word in text.split()):
        assert found is not None  # left to Rich only for a word it folds
