"""`export --format ics`: restriction windows, course sessions with a reminder, races."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar


def _events(cli, *args):
    result = cli("export", "--format", "ics", *args)
    assert result.exit_code == 0, result.stderr
    calendar = Calendar.from_ical(result.stdout)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_mesotherapy_week_in_a_calendar(cli, tmp_path):
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")
    cli("race", "add", "City 15K", "2016-06-19 09:30", "--distance", "15K")
    cli("race", "add", "Trail des Cimes", "2016-07-10")
    events = _events(cli)
    no_running = events["No running — mesotherapy"]
    assert no_running.decoded("dtstart") == datetime(2016, 6, 14, 8, 0, tzinfo=UTC)
    assert no_running.decoded("dtend") == datetime(2016, 6, 17, 22, 0, tzinfo=UTC)  # Sat 00:00
    session = events["mesotherapy session 2 of 3 due"]
    assert session.decoded("dtstart") == date(2016, 6, 21)
    (alarm,) = session.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(hours=6)
    race = events["City 15K"]
    assert race.decoded("dtstart") == datetime(2016, 6, 19, 7, 30, tzinfo=UTC)
    assert race.decoded("dtend") == datetime(2016, 6, 19, 10, 0, tzinfo=UTC)
    assert events["Trail des Cimes"].decoded("dtstart") == date(2016, 7, 10)


def test_prolotherapy_phases_and_stable_uids(cli):
    cli("treat", "prolotherapy", "--on", "2016-06-01 09:00")
    first = _events(cli)
    assert set(first) >= {"Walking only — prolotherapy", "No running — prolotherapy",
                          "Easy running only — prolotherapy"}
    assert first["No running — prolotherapy"].decoded("dtend") == datetime(
        2016, 6, 7, 22, 0, tzinfo=UTC)
    second = _events(cli)
    assert [str(e["uid"]) for e in first.values()] == [str(e["uid"]) for e in second.values()]


def test_since_until_narrow_the_calendar(cli, tmp_path):
    cli("treat", "mesotherapy", "--on", "2016-05-03 10:00")
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")
    cli("race", "add", "City 15K", "2016-06-19 09:30")
    events = Calendar.from_ical(cli("export", "--format", "ics", "--since", "2016-06-01",
                                    "--until", "2016-06-18").stdout).walk("VEVENT")
    starts = sorted(e.decoded("dtstart") for e in events if "No running" in str(e["summary"]))
    assert starts == [datetime(2016, 6, 14, 8, 0, tzinfo=UTC)]
    assert not [e for e in events if str(e["summary"]) == "City 15K"]
    target = tmp_path / "plan.ics"
    assert cli("export", "--format", "ics", "--output", str(target)).exit_code == 0
    assert (target.stat().st_mode & 0o777) == 0o600
    assert Calendar.from_ical(target.read_bytes()).walk("VEVENT")


def test_the_calendar_is_written_as_icalendar_writes_it(cli, tmp_path):
    """`to_ics` writes icalendar's content lines folding only those long enough to fold
    (`render.ics._to_ical`): byte for byte `Calendar.to_ical()`, for names of every length
    around the fold, with characters of 1 to 4 bytes and escapes across it."""
    from runrecover import athletes, clock
    from runrecover.cli.context import profile
    from runrecover.questions import plan as plan_question
    from runrecover.records.sqlite import SqliteRecords
    from runrecover.render import ics

    db = tmp_path / "calendar.db"
    assert cli("--db", str(db), "treat", "mesotherapy", "--on", "2016-06-14 10:00").exit_code == 0
    names = []
    for n in range(40, 140, 3):
        for filler in ("é", "🏔", "\\", ";", ",", "x"):
            name = ("Trail " + filler * (n // 7) + " des Cîmes, édition; 山 " * 3)[:n]
            names.append(name)
    for day, name in enumerate(names):
        assert cli("--db", str(db), "race", "add", name,
                   f"2016-07-{day % 28 + 1:02d} 09:30").exit_code == 0
    written = cli("--db", str(db), "export", "--format", "ics").stdout.encode()
    with SqliteRecords.opened(db, write=False, athlete=athletes.on_file(db)[0]) as records:
        plan = plan_question.ask(records, profile(), since=None, until=None, now=clock.now())
    calendar = ics.plan_calendar(plan)
    expected = calendar.to_ical()
    assert ics.to_ics(plan) == expected
    assert written.replace(b"\r\n", b"\n") == expected.replace(b"\r\n", b"\n")
    stamps = [line for line in expected.split(b"\r\n") if line.startswith(b"DTSTAMP")]
    assert stamps == [f"DTSTAMP:{clock.now().astimezone(UTC):%Y%m%dT%H%M%SZ}".encode()] * (
        expected.count(b"BEGIN:VEVENT"))  # (one encoded for all)
    assert len(stamps) > len(names)
    folded = [line for line in expected.split(b"\r\n") if line.startswith(b" ")]
    assert len(folded) > len(names) / 2
    assert len({len(line.decode()) for line in expected.split(b"\r\n")}) > 30
