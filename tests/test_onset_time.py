"""An injury's onset keeps its time of day when one is given (issue 11): `injury add --since
'yesterday 18:00'` is that instant, `--since yesterday` stays a calendar date. Now is Wed 15
June 2016, 10:00 in Paris."""

import io
import json
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from test_hardening_migrations import FIXTURES, install

PARIS = ZoneInfo("Europe/Paris")


def onset(cli, ref="1"):
    injury = cli("injury", "show", ref, "--json").json()["injury"]
    return injury["onset_on"], injury["onset_at"]


def test_an_onset_with_a_time_keeps_it(cli):
    added = cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")

    assert added.exit_code == 0, added.stderr
    assert added.stdout == ("Recorded injury left calf strain (id 1), since Tue 14 Jun 2016 "
                            "18:00\n")
    assert onset(cli) == ("2016-06-14", "2016-06-14T18:00:00+02:00")


def test_an_onset_without_a_time_stays_a_date(cli):
    given = cli("injury", "add", "left calf strain", "--since", "yesterday", "--json").json()
    default = cli("injury", "add", "right hip", "--json").json()

    assert (given["onset_on"], given["onset_at"]) == ("2016-06-14", None)
    assert (default["onset_on"], default["onset_at"]) == ("2016-06-15", None)
    assert "since Tue 14 Jun 2016, 1 day ago\n" in cli("injury", "show", "1").stdout


@pytest.mark.parametrize("args", [
    ["injury", "add", "right hip", "--since", "today 23:00"],
    ["edit", "injury", "1", "--since", "today 10:30"],
])
def test_an_onset_later_today_is_refused(cli, args):
    cli("injury", "add", "left calf strain", "--since", "2016-06-10")
    before = cli("export").json()
    before.pop("exported_at")

    result = cli(*args)

    assert result.exit_code == 2
    assert result.stderr.startswith(f"'{args[-1]}' is in the future, and an injury's onset "
                                    "cannot be")
    after = cli("export").json()
    after.pop("exported_at")
    assert after == before


def test_an_onset_earlier_today_or_now_is_kept(cli):
    assert cli("injury", "add", "right hip", "--since", "today 09:00").exit_code == 0
    assert onset(cli) == ("2016-06-15", "2016-06-15T09:00:00+02:00")
    assert cli("injury", "add", "left calf", "--since", "now").exit_code == 0
    assert onset(cli, "2") == ("2016-06-15", "2016-06-15T10:00:00+02:00")


def test_show_and_both_lists_give_the_time_when_known(cli):
    cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")
    cli("injury", "add", "right hip", "--since", "2016-06-01")

    shown = cli("injury", "show", "calf").stdout
    listed = cli("injury", "list").stdout
    entries = cli("list", "injuries").stdout

    assert "left calf · since Tue 14 Jun 2016 18:00, 1 day ago" in shown
    for table in (listed, entries):
        calf = next(line for line in table.splitlines() if "left calf strain" in line)
        hip = next(line for line in table.splitlines() if "right hip" in line)
        assert "Tue 14 Jun 2016 18:00" in calf
        assert hip.rstrip().endswith("Wed 1 Jun 2016")
    assert max(len(line) for line in listed.splitlines()) <= 80


def test_the_timeline_marks_an_onset_at_its_time(cli):
    cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")
    cli("injury", "add", "right hip", "--since", "yesterday")

    events = [e for e in cli("timeline", "--json").json() if e["kind"] == "injury"]
    text = cli("timeline", "--since", "yesterday").stdout

    assert [(e["name"], e["at"], e["time_known"]) for e in events] == [
        ("right hip", "2016-06-14T00:00:00+02:00", False),
        ("left calf strain", "2016-06-14T18:00:00+02:00", True)]
    assert "18:00 ◆ left calf strain began" in text


# -- pain and treatments fall within the injury ---------------------------------------------

def test_pain_before_the_onset_time_is_refused_with_the_way_out(cli):
    cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")

    refused = cli("pain", "4", "--on", "yesterday 17:00")

    assert refused.exit_code == 2
    assert refused.stderr == (
        "Tue 14 Jun 2016 17:00 is before left calf strain began (Tue 14 Jun 2016 18:00): give "
        "pain a moment from then on, another --injury (or --injury none), or move the onset "
        "with 'runrecover edit injury 1 --since 2016-06-14T17:00'.\n")
    assert cli("export").json()["pain"] == []
    # The way out the message gives works, and keeps the score as typed.
    assert cli("edit", "injury", "1", "--since", "2016-06-14T17:00").exit_code == 0
    assert cli("pain", "4", "--on", "yesterday 17:00").exit_code == 0
    assert [p["at"] for p in cli("export").json()["pain"]] == ["2016-06-14T17:00:00+02:00"]


def test_a_treatment_before_the_onset_time_is_refused(cli):
    cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")

    refused = cli("treat", "physio", "--on", "yesterday 09:00")

    assert refused.exit_code == 2
    assert refused.stderr.startswith("Tue 14 Jun 2016 09:00 is before left calf strain began "
                                     "(Tue 14 Jun 2016 18:00): give a treatment a moment")


@pytest.mark.parametrize(("since", "on"), [
    ("yesterday 18:00", "yesterday 18:00"),  # at the onset itself
    ("yesterday 18:00", "yesterday 21:30"),
    ("yesterday 18:00", "yesterday"),  # a score with no time, on the onset's day
    ("yesterday", "yesterday 07:00"),  # an onset with no time: the whole day is within
])
def test_pain_on_the_onset_day_is_kept_when_it_can_be_after(cli, since, on):
    cli("injury", "add", "left calf strain", "--since", since)

    result = cli("pain", "4", "--on", on)

    assert result.exit_code == 0, result.stderr
    assert len(cli("export").json()["pain"]) == 1


def test_pain_the_day_before_a_timed_onset_is_refused_by_its_day(cli):
    cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")

    refused = cli("pain", "4", "--on", "2016-06-13")

    assert refused.exit_code == 2
    assert refused.stderr.startswith("Mon 13 Jun 2016 is before left calf strain began (Tue 14 "
                                     "Jun 2016 18:00)")
    assert refused.stderr.rstrip().endswith("--since 2016-06-13'.")


# -- edit and undo --------------------------------------------------------------------------

def test_an_onset_moved_after_its_own_pain_is_refused(cli):
    cli("injury", "add", "left calf strain", "--since", "yesterday 08:00")
    cli("pain", "3", "--on", "yesterday 19:00")

    refused = cli("edit", "injury", "1", "--since", "yesterday 20:00")

    assert refused.exit_code == 2
    assert refused.stderr == (
        "left calf strain cannot begin on Tue 14 Jun 2016 20:00: its pain 1 (3/10 on Tue 14 "
        "Jun 2016 19:00) would come before; give an onset at or before Tue 14 Jun 2016 19:00, "
        "or first move that entry with 'runrecover edit pain 1 --on WHEN'.\n")
    assert onset(cli) == ("2016-06-14", "2016-06-14T08:00:00+02:00")
    # The day alone, or a time before the pain, is accepted.
    assert cli("edit", "injury", "1", "--since", "yesterday 18:59").exit_code == 0


def test_edit_then_undo_puts_the_onset_time_back(cli):
    cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")

    moved = cli("edit", "injury", "1", "--since", "2 days ago 08:15")
    assert moved.exit_code == 0, moved.stderr
    assert moved.stdout == ("Updated injury 1:\n"
                            "  since  Tue 14 Jun 2016 18:00 → Mon 13 Jun 2016 08:15\n")
    assert onset(cli) == ("2016-06-13", "2016-06-13T08:15:00+02:00")
    assert cli("undo", "--yes").exit_code == 0
    assert onset(cli) == ("2016-06-14", "2016-06-14T18:00:00+02:00")

    # A day alone drops the time; undo brings it back.
    day_only = cli("edit", "injury", "1", "--since", "yesterday", "--json").json()
    assert (day_only["onset_on"], day_only["onset_at"]) == ("2016-06-14", None)
    assert [c["field"] for c in day_only["changes"]] == ["onset_at"]
    assert cli("undo", "--yes").exit_code == 0
    assert onset(cli) == ("2016-06-14", "2016-06-14T18:00:00+02:00")

    # --clear since takes the time with the day.
    assert cli("edit", "injury", "1", "--clear", "since").exit_code == 0
    assert onset(cli)[1] is None
    cli("undo", "--yes")
    assert onset(cli) == ("2016-06-14", "2016-06-14T18:00:00+02:00")


# -- export, import, migration --------------------------------------------------------------

def test_export_then_import_in_another_zone_keeps_the_instant_and_the_date(
        cli, database, monkeypatch, tmp_path):
    home, away = database("home.db"), database("away.db")
    cli("--db", home, "injury", "add", "left calf strain", "--since", "yesterday 18:00")
    cli("--db", home, "injury", "add", "right hip", "--since", "2016-06-10")
    path = tmp_path / "export.json"
    assert cli("--db", home, "export", "--output", str(path)).exit_code == 0

    monkeypatch.setenv("TZ", "Asia/Tokyo")  # 7 hours ahead of Paris in June
    assert cli("--db", away, "import", str(path)).exit_code == 0
    injuries = cli("--db", away, "export").json()["injuries"]

    assert [(i["name"], i["onset_on"], i["onset_at"]) for i in injuries] == [
        # The same instant: 01:00 on the 15th in Tokyo.
        ("left calf strain", "2016-06-15", "2016-06-15T01:00:00+09:00"),
        # A date stays that date.
        ("right hip", "2016-06-10", None)]
    # Imported again, in the same zone: the same entries, nothing added.
    assert cli("--db", away, "import", str(path)).exit_code == 0
    assert len(cli("--db", away, "export").json()["injuries"]) == 2
    monkeypatch.setenv("TZ", "Europe/Paris")
    assert onset(lambda *a: cli("--db", away, *a)) == (
        "2016-06-14", "2016-06-14T18:00:00+02:00")


def test_an_export_without_onset_times_still_imports(cli, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, "injuries": [{
        "uid": "b7c1f0e2-0000-4000-8000-000000000001", "name": "left calf strain",
        "part": "calf", "side": "left", "onset_on": "2016-06-05", "cause": None,
        "diagnosis": None, "resolved_on": None, "note": None}]}))

    result = cli("import", str(path))

    assert result.exit_code == 0, result.stderr
    assert onset(cli) == ("2016-06-05", None)


def test_an_unreadable_onset_time_is_named(cli, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, "injuries": [{
        "uid": "b7c1f0e2-0000-4000-8000-000000000002", "name": "left calf strain",
        "onset_on": "2016-06-05", "onset_at": "yesterday"}]}))

    result = cli("import", str(path))

    assert result.exit_code == 2
    assert "injuries[0]: cannot read the moment 'yesterday'" in result.stderr


def test_the_csv_export_has_the_onset_time(cli, tmp_path):
    cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")
    cli("injury", "add", "right hip", "--since", "2016-06-10")
    out = tmp_path / "export.zip"
    assert cli("export", "--format", "csv", "--output", str(out)).exit_code == 0

    with zipfile.ZipFile(out) as archive:
        lines = io.TextIOWrapper(archive.open("injuries.csv"), encoding="utf-8").readlines()

    assert lines[0].startswith("Id,Name,Body part,Side,Onset,Onset time,Cause")
    assert lines[1].startswith("1,left calf strain,calf,left,2016-06-14,18:00,")
    assert lines[2].startswith("2,right hip,hip,right,2016-06-10,,")


def test_a_schema_3_file_keeps_its_onsets_as_dates(cli, db_path):
    install(FIXTURES / "schema-v3.db", db_path)
    expected = json.loads((FIXTURES / "schema-v3.json").read_text())["injuries"]

    injuries = cli("export").json()["injuries"]

    assert [(i["uid"], i["onset_on"], i["onset_at"]) for i in injuries] == [
        (i["uid"], i["onset_on"], None) for i in expected]
    assert sorted(p.name for p in db_path.parent.glob("*.bak-*")) == [
        "runrecover.db.bak-3-2016-06-15"]
    # The migrated file takes an onset time.
    assert cli("edit", "injury", "1", "--since", "2016-05-20 08:00").exit_code == 0
    assert cli("export").json()["injuries"][0]["onset_at"] == "2016-05-20T08:00:00+02:00"


def test_a_timed_onset_follows_the_zone_the_runner_moves_to(cli, monkeypatch):
    cli("injury", "add", "left calf strain", "--since", "yesterday 18:00")
    cli("injury", "add", "right hip", "--since", "2016-06-14")

    monkeypatch.setenv("TZ", "Asia/Tokyo")  # 7 hours ahead: the calf began at 01:00 on the 15th
    events = [(e["name"], e["at"]) for e in cli(
        "timeline", "--since", "2016-06-15", "--until", "2016-06-16", "--json").json()
        if e["kind"] == "injury"]

    assert events == [("left calf strain", "2016-06-15T01:00:00+09:00")]
    assert onset(cli) == ("2016-06-15", "2016-06-15T01:00:00+09:00")
    assert "since Wed 15 Jun 2016 01:00, today" in cli("injury", "show", "calf").stdout
    assert onset(cli, "2") == ("2016-06-14", None)  # a date stays its date


def test_an_injury_is_resolved_in_another_zone_whatever_its_onset_reads_there(cli, monkeypatch):
    """A timed onset's day follows the zone: in Tokyo an onset at 20:00 in Paris is the next
    day, after the night pain recorded (day-only) on it. Resolving it moves no onset, so its
    entries are not checked against it."""
    assert cli("injury", "add", "calf", "--since", "yesterday 20:00").exit_code == 0
    assert cli("pain", "4", "--on", "yesterday", "--context", "night").exit_code == 0
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    resolved = cli("injury", "resolve", "calf")
    assert resolved.exit_code == 0, resolved.stderr
    # Moving the onset still checks them.
    moved = cli("edit", "injury", "1", "--since", "today 09:00")
    assert moved.exit_code == 2
    assert "would come before" in moved.stderr


def test_an_onset_given_as_now_is_to_the_minute(cli, now):
    """`--since now` at 10:53:27 is shown as 10:53: a score typed at 'today 10:53' is not
    before it."""
    now(datetime(2016, 6, 15, 10, 53, 27, 412000, tzinfo=PARIS))
    assert cli("injury", "add", "calf", "--since", "now").exit_code == 0
    assert cli("export").json()["injuries"][0]["onset_at"] == "2016-06-15T10:53:00+02:00"
    recorded = cli("pain", "4", "--on", "today 10:53")
    assert recorded.exit_code == 0, recorded.stderr


def test_pain_before_the_onset_can_be_recorded_for_no_injury(cli):
    """Woken with pain at 08:00 before the 09:00 the runner calls the onset: refused for the
    injury, the message names the way; `--injury none` records it, and it still gates."""
    assert cli("injury", "add", "calf", "--since", "today 9:00").exit_code == 0
    refused = cli("pain", "7", "--on", "today 8:00", "--context", "morning")
    assert refused.exit_code == 2
    assert "--injury none" in refused.stderr
    recorded = cli("pain", "7", "--on", "today 8:00", "--context", "morning", "--injury", "none",
                   "--json")
    assert recorded.exit_code == 0, recorded.stderr
    assert recorded.json()["injury_id"] is None
    assert cli("status", "--check").exit_code == 1
    assert "none" in cli("pain", "--help").stdout
