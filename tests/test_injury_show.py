"""`runrecover injury show`: the story of one injury, with the numbers a clinician asks for."""

from datetime import datetime

from conftest import PARIS
from test_timeline import calf_story, hip_story, record, shown


def test_the_hip_story(cli):
    hip_story(cli)
    assert shown(cli, "injury", "show", "hip") == HIP_STORY


HIP_STORY = """\
right hip  injury 1
  right hip · since Mon 2 May 2016, 44 days ago
  diagnosis: gluteus medius tendinopathy
  cause: hill repeats

Treatments  did they help?
on                treatment             pain before / after    change
─────────────────────────────────────────────────────────────────────
Tue 17 May 2016   prolotherapy 1 of 3   – (2) / – (1)          –
                  Dr Moreau
Tue 14 Jun 2016   prolotherapy 2 of 3   – (2) / – (0) so far   –
                  Dr Moreau
  Mean pain in the 7 days before and after, the first 48 hours after an
  injection left out (its own soreness); (n) = how many scores, – below 3.
  prolotherapy 3 of 3 due Tue 12 Jul

Pain, worst of each day (0–10; · none logged)
pain                          ▂▂
                 ▆▆··█··█·····██·█····█··▆··▅······▅··▅···▆··█
during runs
                 ···▆········▆·······▅························
treatments                      P                           P
                 2 May  9 May  16 May 23 May 30 May 6 Jun  13 Jun
                 P prolotherapy

Running  the 28 days before the onset, and since
               days                          distance   runs   per week
───────────────────────────────────────────────────────────────────────
before onset   Mon 4 Apr – Sun 1 May 2016     38.0 km      3     9.5 km
since onset    Mon 2 May – Wed 15 Jun 2016    34.0 km      6     5.3 km

Running distance by week
     4–10 Apr                                      0.0 km
    11–17 Apr                                      0.0 km
    18–24 Apr ███████████████████▉                14.0 km  1 run
 25 Apr–1 May ██████████████████████████████████  24.0 km  2 runs
      2–8 May ███████▏                             5.0 km  1 run
     9–15 May ████████▌                            6.0 km  1 run
    16–22 May ███████▏                             5.0 km  1 run
    23–29 May █████▋                               4.0 km  1 run
 30 May–5 Jun ████████▌                            6.0 km  1 run
     6–12 Jun ███████████▍                         8.0 km  1 run
    13–15 Jun                                      0.0 km

Next-morning pain after runs  worse the next morning: reduce the load
run                km   during   morning before   next morning
────────────────────────────────────────────────────────────────────────
Thu 5 May 2016    5.0   4        4                5              worse
Sat 14 May 2016   6.0   4        5                6              worse
Sun 22 May 2016   5.0   3        5                5              settled
Sat 28 May 2016   4.0   –        4                3              settled
Sat 4 Jun 2016    6.0   –        3                3              settled
Sat 11 Jun 2016   8.0   –        3                4              worse
"""


def test_json_gives_the_same_numbers(cli):
    hip_story(cli)
    story = cli("injury", "show", "1", "--json").json()
    assert story["injury"]["name"] == "right hip"
    assert story["injury"]["diagnosis"] == "gluteus medius tendinopathy"
    assert (story["onset_on"], story["days_since_onset"]) == ("2016-05-02", 44)
    first, second = story["treatments"]
    assert first == {
        "id": 1, "kind": "prolotherapy", "at": "2016-05-17T09:00:00+02:00", "time_known": True,
        "clinician": "Dr Moreau", "course": {"session": 1, "of": 3},
        # Two scores before, and one after once the injection's first 48 hours are left out
        # (the 18 May morning's 5): too few for a mean.
        "pain_before": {"mean": None, "count": 2, "complete": True},
        "pain_after": {"mean": None, "count": 1, "complete": True},
        "change": None}
    assert (second["course"], second["pain_before"], second["pain_after"], second["change"]) == (
        {"session": 2, "of": 3}, {"mean": None, "count": 2, "complete": True},
        {"mean": None, "count": 0, "complete": False}, None)
    assert story["next_sessions"] == [
        {"kind": "prolotherapy", "due": "2016-07-12", "session": 3, "of": 3}]
    assert story["running"] == {
        "before_onset": {"from": "2016-04-04", "until": "2016-05-01", "distance_km": 38.0,
                         "runs": 3, "km_per_week": 9.5},
        "since_onset": {"from": "2016-05-02", "until": "2016-06-15", "distance_km": 34.0,
                        "runs": 6, "km_per_week": 5.29}}
    assert story["running_by"] == "week"
    assert [p["distance_km"] for p in story["running_periods"]] == [
        0, 0, 14, 24, 5, 6, 5, 4, 6, 8, 0]
    assert story["pain_by_day"][:3] == [
        {"date": "2016-05-02", "worst": 4}, {"date": "2016-05-03", "worst": 4},
        {"date": "2016-05-06", "worst": 5}]
    assert [(r["at"][:10], r["pain_during"], r["morning_before"], r["next_morning"],
             r["next_morning_change"]) for r in story["runs"]] == [
        ("2016-05-05", 4, 4, 5, "worse"),
        ("2016-05-14", 4, 5, 6, "worse"),
        ("2016-05-22", 3, 5, 5, "settled"),
        ("2016-05-28", None, 4, 3, "settled"),
        ("2016-06-04", None, 3, 3, "settled"),
        ("2016-06-11", None, 3, 4, "worse"),
    ]


def test_a_morning_score_the_day_after_belongs_to_the_run(cli, now):
    calf_story(cli, now)
    runs = cli("injury", "show", "calf", "--json").json()["runs"]
    # Thursday's run (morning 3) and the race (morning 2) were each followed by a worse morning.
    assert [(r["at"], r["morning_before"], r["next_morning"], r["next_morning_change"])
            for r in runs] == [
        ("2016-06-05T19:00:00+02:00", None, 6, None),
        ("2016-06-16T18:30:00+02:00", 3, 4, "worse"),
        ("2016-06-19T09:30:00+02:00", 2, 3, "worse"),
    ]


def test_a_resolved_injury_ends_its_story_on_that_day(cli, now):
    calf_story(cli, now)
    # Not before its last pain (Mon 20 Jun): that would leave the pain outside its dates.
    assert cli("injury", "resolve", "calf", "--on", "2016-06-18").exit_code == 2
    record(cli, "injury resolve calf --on 2016-06-20")
    now(datetime(2016, 7, 30, 12, 0, tzinfo=PARIS))
    story = cli("injury", "show", "calf", "--json").json()
    assert story["running"]["since_onset"]["until"] == "2016-06-20"
    assert story["running"]["since_onset"]["runs"] == 3
    assert story["next_sessions"] == []
    assert story["treatments"][0]["pain_after"]["complete"] is True
    view = shown(cli, "injury", "show", "calf")
    assert "  left calf · since Sun 5 Jun 2016, 55 days ago\n" in view
    assert "\n  resolved Mon 20 Jun 2016, after 15 days\n" in view
    assert "due" not in view


def test_an_injury_with_nothing_else_recorded(cli):
    record(cli, "injury add 'left knee' --since 2016-06-13")
    assert shown(cli, "injury", "show", "knee") == """\
left knee  injury 1
  left knee · since Mon 13 Jun 2016, 2 days ago

Treatments
  None recorded: add a visit with runrecover treat KIND --injury 1.

Pain, worst of each day (0–10; · none logged)
pain
                 ···
                 13 Jun

Running  the 28 days before the onset, and since
               days                           distance   runs   per week
────────────────────────────────────────────────────────────────────────
before onset   Mon 16 May – Sun 12 Jun 2016     0.0 km      0     0.0 km
since onset    Mon 13 Jun – Wed 15 Jun 2016     0.0 km      0     0.0 km

Running distance by week
    16–22 May                                      0.0 km
    23–29 May                                      0.0 km
 30 May–5 Jun                                      0.0 km
     6–12 Jun                                      0.0 km
    13–15 Jun                                      0.0 km

Next-morning pain after runs  worse the next morning: reduce the load
  No runs since the onset.
"""


def test_an_unknown_injury_is_refused(cli):
    result = cli("injury", "show", "knee")
    assert result.exit_code == 2
    assert "No injury matches 'knee'" in result.stderr
