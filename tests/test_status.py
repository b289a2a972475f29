"""The seeds' stories end to end through the CLI: treat, log, status, rules."""

from datetime import datetime

import pytest

from conftest import PARIS


@pytest.fixture
def calf_story(cli):
    """Mesotherapy on Tue 14 June 2016 with 4 days off running, a 15K on Sun 19 June."""
    cli("injury", "add", "left calf strain", "--part", "calf", "--since", "2016-06-08")
    cli("race", "add", "City 15K", "2016-06-19 09:30", "--distance", "15K")
    treated = cli("treat", "mesotherapy", "--on", "2016-06-14 10:00", "--by", "Dr Rossi")
    assert treated.exit_code == 0, treated.stderr
    return treated


def test_treat_mesotherapy_says_what_is_off_limits(calf_story):
    out = calf_story.stdout
    assert "Recorded mesotherapy for left calf strain on Tue 14 Jun 2016 10:00" in out
    assert "no running until Sat 18 Jun 00:00 [clinic]" in out
    assert "Session 1 of 3 of the course." in out
    assert "mesotherapy 2 of 3 due Tue 21 Jun" in out
    assert "Not with:  broken skin at the injection site" in out
    assert "Aftercare: compression" in out


def test_treat_json_lists_the_windows(cli, calf_story):
    result = cli("treat", "mesotherapy", "--on", "2016-06-21 10:00", "--json").json()
    assert result["course"] == {"session": 2, "of": 3}
    assert result["restrictions"] == [{"level": "cross", "from": "2016-06-21T10:00:00+02:00",
                                       "until": "2016-06-25T00:00:00+02:00",
                                       "source": "clinic"}]
    assert result["next_sessions"][0]["due"] == "2016-06-28"


@pytest.mark.parametrize(("at", "can_run", "allowed_from"), [
    ("2016-06-14 10:00", False, "2016-06-18T00:00:00+02:00"),
    ("2016-06-15 10:00", False, "2016-06-18T00:00:00+02:00"),
    ("2016-06-17 23:59", False, "2016-06-18T00:00:00+02:00"),
    ("2016-06-18 00:00", True, None),
    ("2016-06-19 09:30", True, None),
])
def test_status_through_the_mesotherapy_week(cli, calf_story, at, can_run, allowed_from):
    status = cli("status", "--at", at, "--json").json()
    assert status["can_run"] is can_run
    assert status["run_allowed_from"] == allowed_from
    assert status["run_level"] == ("normal" if can_run else "none")
    if not can_run:
        assert status["restrictions"] == [{
            "activity": "run", "level": "none", "until": "2016-06-18T00:00:00+02:00",
            "treatment": {"id": 1, "kind": "mesotherapy", "at": "2016-06-14T10:00:00+02:00"},
            "pain": None, "source": "clinic"}]
        assert "cycle" in status["allowed_activities"]
        assert "run" not in status["allowed_activities"]


def test_the_15k_on_sunday_is_cleared(cli, calf_story):
    status = cli("status", "--at", "2016-06-15 10:00", "--json").json()
    (race,) = status["races"]
    assert race["name"] == "City 15K"
    assert race["date"] == "2016-06-19"
    assert race["cleared"] is True
    assert "clear by" in race["reason"]
    assert set(status) >= {"at", "can_run", "run_level", "run_allowed_from",
                           "allowed_activities", "restrictions", "advice", "next_sessions",
                           "races"}


def test_a_race_inside_the_restriction_is_not_cleared(cli, calf_story):
    cli("race", "add", "Friday 5K", "2016-06-17 19:00", "--distance", "5k")
    status = cli("status", "--race", "friday", "--json").json()
    (race,) = status["races"]
    assert race["cleared"] is False
    assert "mesotherapy" in race["reason"]


def test_check_exit_codes(cli, calf_story):
    assert cli("status", "--at", "2016-06-16 12:00", "--check").exit_code == 1
    assert cli("status", "--at", "2016-06-18 12:00", "--check").exit_code == 0


def test_status_view_at_a_glance(cli, calf_story):
    cli("pain", "4", "--context", "morning", "--on", "2016-06-15 07:00")
    view = cli("status", "--at", "2016-06-16 12:00").stdout
    lines = view.splitlines()
    assert lines[0] == " NOT YET  running from Sat 18 Jun 00:00, in 2 days"
    assert lines[1] == "  mesotherapy Tue 14 Jun 10:00: no running until Sat 18 Jun 00:00 [clinic]"
    assert lines[2] == "  allowed now: walk, cycle, swim, strength, yoga, other"
    assert "left calf strain" in view and "pain 4/10 1 day ago" in view
    assert "mesotherapy 2 of 3 due Tue 21 Jun" in view
    assert "✓ City 15K Sun 19 Jun 09:30: clear by 1 day" in view
    assert max(len(line) for line in lines) <= 80


def test_logging_a_run_during_the_restriction_warns_and_stores_it(cli, now, calf_story):
    now(datetime(2016, 6, 16, 20, 0, tzinfo=PARIS))
    result = cli("log", "5k", "30:00", "--on", "2016-06-16 18:00")
    assert result.exit_code == 0
    assert "Logged 5.0 km in 30:00 (6:00/km)" in result.stdout
    warning = " ".join(result.stderr.split())
    assert "broke a restriction: no running after mesotherapy on Tue 14 Jun 10:00, until " \
        "Sat 18 Jun 00:00 [clinic]" in warning
    assert len(cli("export").json()["activities"]) == 1
    cycle = cli("log", "20k", "--activity", "cycle", "--on", "2016-06-16 18:00", "--json")
    assert cycle.json()["breaks_restriction"] is None


@pytest.fixture
def hip_story(cli):
    """Prolotherapy: 24 h walking only, cycling from day 3, no running for a week, every
    4 weeks."""
    cli("injury", "add", "right hip", "--part", "hip", "--since", "2016-04-20")
    treated = cli("treat", "prolotherapy", "--on", "2016-05-02 09:00")
    assert treated.exit_code == 0, treated.stderr
    return treated


@pytest.mark.parametrize(("at", "allowed", "run_level"), [
    ("2016-05-02 12:00", ["walk"], "none"),
    ("2016-05-03 08:59", ["walk"], "none"),
    ("2016-05-03 09:00", ["walk"], "none"),
    ("2016-05-04 00:00", ["walk", "cycle", "swim", "strength", "yoga", "other"], "none"),
    ("2016-05-08 23:00", ["walk", "cycle", "swim", "strength", "yoga", "other"], "none"),
    ("2016-05-09 00:00", ["run", "walk", "cycle", "swim", "strength", "yoga", "other"], "easy"),
    ("2016-05-16 00:00", ["run", "walk", "cycle", "swim", "strength", "yoga", "other"],
     "normal"),
])
def test_status_through_the_prolotherapy_fortnight(cli, hip_story, at, allowed, run_level):
    status = cli("status", "--at", at, "--json").json()
    assert status["allowed_activities"] == allowed
    assert status["run_level"] == run_level


def test_prolotherapy_course_repeats_every_four_weeks(cli, hip_story):
    assert "prolotherapy 2 of 3 due Mon 30 May" in hip_story.stdout
    second = cli("treat", "prolotherapy", "--on", "2016-05-30 09:00")
    assert "Session 2 of 3 of the course." in second.stdout
    assert "prolotherapy 3 of 3 due Mon 27 Jun" in second.stdout
    status = cli("status", "--at", "2016-06-10 12:00", "--json").json()
    assert status["next_sessions"] == [{"kind": "prolotherapy", "due": "2016-06-27",
                                        "session": 3, "of": 3, "injury_id": 1}]


def test_the_clinicians_instruction_beats_the_default(cli):
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00", "--no-run-days", "2")
    status = cli("status", "--at", "2016-06-15 10:00", "--json").json()
    assert status["run_allowed_from"] == "2016-06-16T00:00:00+02:00"
    assert status["restrictions"][0]["source"] == "visit"


def test_a_kind_without_protocol_says_so(cli):
    result = cli("treat", "cupping", "--new-kind", "--on", "2016-06-14 10:00")
    assert result.exit_code == 0
    assert "No protocol is known for 'cupping'" in result.stdout
    assert cli("status", "--json").json()["can_run"] is True


def test_a_user_protocol_file_adds_a_kind(cli, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "protocols.toml").write_text(
        '[cupping]\nsummary = "Cupping"\n'
        '[[cupping.phases]]\nfrom = "0h"\nuntil = "2d"\nlevel = "cross"\nsource = "my physio"\n'
        '[[cupping.phases]]\nfrom = "2d"\nlevel = "run"\nsource = "my physio"\n')
    cli("treat", "cupping", "--on", "2016-06-14 10:00")
    status = cli("status", "--at", "2016-06-15 10:00", "--json").json()
    assert status["run_allowed_from"] == "2016-06-16T00:00:00+02:00"
    shown = cli("rules", "cupping")
    assert "my physio" in shown.stdout
    assert str(config / "protocols.toml") in "".join(shown.stdout.split())


def test_a_bad_user_protocol_file_is_one_clear_sentence(cli, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "protocols.toml").write_text('[mesotherapy]\nphases = "soon"\n')
    result = cli("status")
    assert result.exit_code == 2
    assert "protocols.toml" in result.stderr and "phases" in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_lists_and_details(cli):
    listed = cli("rules")
    assert "mesotherapy" in listed.stdout and "prolotherapy" in listed.stdout
    detail = cli("rules", "prolotherapy")
    assert "0h – 24h" in detail.stdout and "clinic" in detail.stdout
    assert "every 28 days" in detail.stdout
    unknown = cli("rules", "banana")
    assert unknown.exit_code == 2
    assert "No protocol is known for 'banana'" in unknown.stderr


def test_demo_shows_the_status_of_the_seed_stories(cli):
    result = cli("demo")
    assert result.exit_code == 0, result.stderr
    assert "NOT YET" in result.stdout
    assert "mesotherapy 2 of 3 due" in result.stdout
    assert "✗ City 15K" in result.stdout  # easy running only on race day: no race effort


def test_a_ride_in_prolotherapys_first_day_names_the_whole_walking_restriction(cli, hip_story):
    result = cli("log", "10k", "30:00", "--activity", "cycle", "--on", "2016-05-03 07:00")
    assert "Logged cycle 10.0 km in 30:00 (20.0 km/h)" in result.stdout
    warning = " ".join(result.stderr.split())
    assert "walking only after prolotherapy on Mon 2 May 09:00, until Wed 4 May 00:00" in warning


def test_a_day_without_a_time_is_answered_for_the_whole_day(cli):
    cli("treat", "massage", "--on", "today 9:00")  # frozen now: Wed 15 June 10:00
    assert cli("status", "--at", "today", "--check").exit_code == 1
    cli("treat", "mesotherapy", "--on", "2016-06-25 09:00")  # booked for a Saturday
    saturday = cli("status", "--at", "2016-06-25", "--json").json()
    assert saturday["can_run"] is False
    assert saturday["at"] == "2016-06-25T09:00:00+02:00"
    assert cli("status", "--at", "2016-06-24", "--json").json()["can_run"] is True


def test_a_named_race_far_ahead_is_still_checked(cli):
    cli("race", "add", "Berlin Marathon", "2018-09-30 09:15", "--distance", "marathon")
    cli("treat", "cortisone", "--on", "2018-09-20 10:00")
    (race,) = cli("status", "--race", "berlin", "--json").json()["races"]
    assert race["name"] == "Berlin Marathon"
    assert race["cleared"] is False
    assert "cortisone" in race["reason"]


def test_a_day_without_a_time_stays_that_day_when_the_runner_travels(cli, monkeypatch):
    cli("treat", "mesotherapy", "--on", "2016-06-14")  # in Paris, time not known
    monkeypatch.setenv("TZ", "America/New_York")
    status = cli("status", "--at", "2016-06-17 12:00", "--json").json()
    assert status["can_run"] is False
    assert status["run_allowed_from"] == "2016-06-18T00:00:00-04:00"
    treatment = cli("export").json()["treatments"][0]
    assert treatment["at"] == "2016-06-14"
    timeline = cli("timeline", "--since", "2016-06-13", "--until", "2016-06-15").stdout
    assert "Tue 14 Jun" in timeline and "mesotherapy" in timeline
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14
    assert cli("export").json()["treatments"][0]["at"] == "2016-06-14"
