"""An import never makes running look allowed where what the runner recorded forbids it,
and never loses what they recorded: each case runs through sqlite3 and through SQLAlchemy
(`context.SQLITE3_FOR_LOCAL_FILES`), alike."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import POSTGRES, RUN_GPX, query_database
from runrecover.cli import context


@pytest.fixture(params=["sqlite3", "session"])
def way(request, monkeypatch):
    if POSTGRES and request.param == "sqlite3":
        pytest.skip("SQLite only: sqlite3 is the way to a local file, not to a server")
    monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", request.param == "sqlite3")
    return request.param


def _export(cli, db, path):
    assert cli("--db", db, "export", "--output", str(path)).exit_code == 0
    return json.loads(path.read_text())


def _activities(cli, db):
    return cli("--db", db, "export").json()["activities"]


# -- 1: the same run logged on two devices keeps its pain ---------------------------------

def test_the_same_run_from_another_device_brings_its_pain(cli, database, tmp_path, way):
    laptop, phone = database("L.db"), database("P.db")
    assert cli("--db", laptop, "log", "5k", "28:00", "--on", "today 7:00").exit_code == 0
    assert cli("--db", phone, "log", "5k", "28:00", "--on", "today 7:00", "--pain", "8",
               "--type", "tempo", "--rpe", "6", "--note", "calf").exit_code == 0
    assert cli("--db", phone, "status", "--check").exit_code == 1
    _export(cli, phone, tmp_path / "p.json")
    imported = cli("--db", laptop, "import", str(tmp_path / "p.json"), "--json")
    assert imported.exit_code == 0
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"], counts["already"]) == (0, 1, 0)
    [run] = _activities(cli, laptop)
    assert (run["pain_during"], run["run_type"], run["rpe"], run["note"]) == (
        8, "tempo", 6, "calf")
    assert cli("--db", laptop, "status", "--check").exit_code == 1
    # Undone, the laptop's run is as it was.
    assert cli("--db", laptop, "undo", "--yes").exit_code == 0
    [run] = _activities(cli, laptop)
    assert (run["pain_during"], run["run_type"], run["rpe"], run["note"]) == (
        None, None, None, None)


@pytest.mark.parametrize(("stored", "given", "kept"), [(3, 8, 8), (8, 3, 8)])
def test_of_two_pains_for_the_same_run_the_higher_is_kept_and_said(cli, database, tmp_path, way,
        stored, given, kept):
    laptop, phone = database("L.db"), database("P.db")
    assert cli("--db", laptop, "log", "5k", "28:00", "--on", "today 7:00",
               "--pain", str(stored)).exit_code == 0
    assert cli("--db", phone, "log", "5k", "28:00", "--on", "today 7:00",
               "--pain", str(given)).exit_code == 0
    _export(cli, phone, tmp_path / "p.json")
    imported = cli("--db", laptop, "import", str(tmp_path / "p.json"))
    assert imported.exit_code == 0
    said = " ".join(imported.stderr.split())
    assert f"pain {stored} stored, {given} in the file: {kept} (the higher) is kept" in said
    assert _activities(cli, laptop)[0]["pain_during"] == kept
    assert cli("--db", laptop, "status", "--check").exit_code == 1


# -- 2: entries with no time of day match by kind and day, in every zone --------------------

WINTER = datetime(2016, 1, 15, 10, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Paris", "Asia/Tokyo",
                                  "America/Los_Angeles"])
def test_a_day_only_walk_is_not_the_run_of_that_day(cli, database, tmp_path, monkeypatch, now, way,
        zone):
    monkeypatch.setenv("TZ", zone)
    now(WINTER)
    laptop, phone = database("lap.db"), database("ph.db")
    assert cli("--db", laptop, "log", "5k", "--activity", "walk", "--on",
               "today").exit_code == 0
    assert cli("--db", phone, "log", "5k", "28:00", "--on", "today",
               "--pain", "7").exit_code == 0
    _export(cli, phone, tmp_path / "ph.json")
    imported = cli("--db", laptop, "import", str(tmp_path / "ph.json"), "--json")
    assert imported.exit_code == 0
    assert imported.json()["files"][0]["added"] == 1
    assert sorted(a["kind"] for a in _activities(cli, laptop)) == ["run", "walk"]
    assert cli("--db", laptop, "status", "--check").exit_code == 1


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Paris", "Asia/Tokyo",
                                  "America/Los_Angeles"])
def test_the_same_day_only_run_under_two_uids_is_stored_once(cli, database, tmp_path, monkeypatch,
        now, way, zone):
    monkeypatch.setenv("TZ", zone)
    now(WINTER)
    laptop, phone = database("lap.db"), database("ph.db")
    assert cli("--db", laptop, "log", "5k", "--on", "today").exit_code == 0
    assert cli("--db", phone, "log", "5k", "--on", "today", "--pain", "7").exit_code == 0
    _export(cli, phone, tmp_path / "ph.json")
    imported = cli("--db", laptop, "import", str(tmp_path / "ph.json"), "--json")
    assert imported.exit_code == 0
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"]) == (0, 1)
    [run] = _activities(cli, laptop)
    assert run["pain_during"] == 7
    assert cli("--db", laptop, "status", "--check").exit_code == 1



def test_a_gpx_of_a_run_logged_day_only_gives_it_its_time(cli, database, tmp_path, way):
    db = database("r.db")
    assert cli("--db", db, "log", "2.2k", "--on", "today", "--pain", "3").exit_code == 0
    (tmp_path / "run.gpx").write_text(RUN_GPX)
    imported = cli("--db", db, "import", str(tmp_path / "run.gpx"), "--json")
    assert imported.exit_code == 0
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"]) == (0, 1)
    [run] = _activities(cli, db)
    assert (run["time_known"], run["at"], run["pain_during"]) == (
        True, "2016-06-15T07:00:00+02:00", 3)
    assert cli("--db", db, "undo", "--yes").exit_code == 0
    [run] = _activities(cli, db)
    assert (run["time_known"], run["at"]) == (False, "2016-06-15")


# -- 3: an entry stored with other content: refused, unless --replace or --keep -------------

def _edited_treatment(cli, database, tmp_path):
    """The phone's physio visit, imported into the laptop, then given ten days without
    running on the phone and exported again."""
    phone, laptop = database("phone.db"), database("laptop.db")
    assert cli("--db", phone, "treat", "physio", "--on", "2016-06-08").exit_code == 0
    _export(cli, phone, tmp_path / "first.json")
    assert cli("--db", laptop, "import", str(tmp_path / "first.json")).exit_code == 0
    assert cli("--db", laptop, "status", "--check").exit_code == 0
    assert cli("--db", phone, "edit", "treatment", "1", "--no-run-days", "10").exit_code == 0
    assert cli("--db", phone, "status", "--check").exit_code == 1
    _export(cli, phone, tmp_path / "second.json")
    return laptop, tmp_path / "second.json"


def test_an_entry_edited_elsewhere_stops_the_import_and_says_what_differs(cli, database, tmp_path,
        way):
    laptop, second = _edited_treatment(cli, database, tmp_path)
    before = cli("--db", laptop, "export").json()
    refused = cli("--db", laptop, "import", str(second))
    assert refused.exit_code == 2
    assert len(refused.stderr.strip().splitlines()) == 1 or "\n" not in refused.stderr.strip()
    said = " ".join(refused.stderr.split())
    assert ("treatment 1 (physio on Wed 8 Jun 2016) differs from the file's: number of days "
            "without running none here, 10 in the file; nothing was imported: add --replace "
            "to take the file's versions or --keep to keep the ones stored.") in said
    assert "no_run_days" not in said
    assert cli("--db", laptop, "export").json() == before


def test_replace_takes_the_files_version_and_undo_puts_the_stored_one_back(cli, database, tmp_path,
        way):
    laptop, second = _edited_treatment(cli, database, tmp_path)
    replaced = cli("--db", laptop, "import", str(second), "--replace", "--json")
    assert replaced.exit_code == 0, replaced.stderr
    counts = replaced.json()["files"][0]
    assert (counts["replaced"], counts["added"], counts["already"]) == (1, 0, 0)
    assert cli("--db", laptop, "status", "--check").exit_code == 1
    assert cli("--db", laptop, "undo", "--yes").exit_code == 0
    assert cli("--db", laptop, "status", "--check").exit_code == 0
    shown = cli("--db", laptop, "import", str(second), "--replace")
    assert "replaced" in shown.stdout


def test_keep_keeps_the_stored_one(cli, database, tmp_path, way):
    laptop, second = _edited_treatment(cli, database, tmp_path)
    kept = cli("--db", laptop, "import", str(second), "--keep")
    assert kept.exit_code == 0
    assert "the stored one is kept" in " ".join(kept.stderr.split())
    assert cli("--db", laptop, "status", "--check").exit_code == 0
    both = cli("--db", laptop, "import", str(second), "--keep", "--replace")
    assert both.exit_code == 2


# -- 4: a timed onset's day is its instant's, however the entry comes in -------------------

@pytest.mark.parametrize("onset_on", ["2016-01-01", None])
def test_an_imported_onset_day_is_the_day_of_its_time(cli, database, tmp_path, way, onset_on):
    db = database("o.db")
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, "injuries": [{
        "uid": "b7c1f0e2-0000-4000-8000-000000000009", "name": "calf", "onset_on": onset_on,
        "onset_at": "2016-06-10T18:00:00+00:00"}]}))
    assert cli("--db", db, "import", str(path)).exit_code == 0
    assert [str(day) for day, in query_database(db, "SELECT onset_on FROM injury")] == [
        "2016-06-10"]
    assert cli("--db", db, "export").json()["injuries"][0]["onset_on"] == "2016-06-10"
    listed = cli("--db", db, "list", "injuries", "--since", "2016-06-09", "--json")
    assert [i["name"] for i in listed.json()] == ["calf"]


# -- 7: an import refuses what the commands refuse, in one pass --------------------------

INJURY = {"uid": "b7c1f0e2-0000-4000-8000-000000000001", "name": "calf", "onset_on": "2016-06-05",
          "onset_at": None, "resolved_on": None}
REFUSED = [
    ("pain", [{"uid": "p1", "score": 4, "at": "2016-06-15T10:01:00+02:00",
               "time_known": True}], "pain[0] (Wed 15 Jun 2016 10:01) is in the future"),
    ("pain", [{"uid": "p1", "score": 4, "at": "2016-06-17", "time_known": False}],
     "pain[0] (Fri 17 Jun 2016) is in the future"),
    ("activities", [{"uid": "a1", "kind": "run", "at": "2016-06-16T06:00:00+00:00",
                     "time_known": True, "distance_km": 5.0}],
     "activities[0] (Thu 16 Jun 2016 08:00) is in the future"),
]


@pytest.mark.parametrize(("section", "entries", "said"), REFUSED)
def test_an_import_refuses_what_the_commands_refuse(cli, database, tmp_path, way, section, entries,
        said):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, section: entries}))
    db = database("x.db")
    assert cli("--db", db, "log", "3k").exit_code == 0
    before = cli("--db", db, "export").json()
    refused = cli("--db", db, "import", str(path))
    assert refused.exit_code == 2
    assert said in " ".join(refused.stderr.split())
    assert len(refused.stderr.strip().splitlines()) == 1
    assert cli("--db", db, "export").json() == before


SAID = [
    ([INJURY | {"resolved_on": "2016-06-16"}], [],
     "injuries[0] (calf) has its resolved day in the future (Thu 16 Jun 2016)"),
    ([INJURY | {"resolved_on": "2016-06-01"}], [],
     "injuries[0] (calf) is resolved on Wed 1 Jun 2016, before it began (Sun 5 Jun 2016)"),
    ([INJURY | {"onset_at": "2016-06-15T10:30:00+02:00"}], [],
     "injuries[0] (calf) has its onset in the future (Wed 15 Jun 2016 10:30)"),
    ([INJURY], [{"uid": "p1", "score": 4, "at": "2016-06-04T08:00:00+02:00",
                 "time_known": True, "injury_uid": INJURY["uid"]}],
     "pain[0] (Sat 4 Jun 2016 08:00) is before calf began (Sun 5 Jun 2016)"),
    ([INJURY | {"resolved_on": "2016-06-10"}],
     [{"uid": "p1", "score": 4, "at": "2016-06-14T08:00:00+02:00", "time_known": True,
       "injury_uid": INJURY["uid"]}],
     "pain[0] (Tue 14 Jun 2016 08:00) is after calf was resolved (Fri 10 Jun 2016)"),
]


@pytest.mark.parametrize(("injuries", "pain", "said"), SAID)
def test_what_older_versions_stored_travels_and_is_said(cli, database, tmp_path, way, injuries,
        pain, said):
    """The commands refuse these today; older versions stored them, and an export of them
    must come back whole: imported, each said."""
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, "injuries": injuries,
                                "pain": pain}))
    imported = cli("--db", database("x.db"), "import", str(path))
    assert imported.exit_code == 0, imported.stderr
    assert f"{said}: imported all the same" in " ".join(imported.stderr.split())


def test_an_export_made_east_is_not_in_the_future_west(cli, database, tmp_path, monkeypatch, now,
        way):
    """Made in Tokyo at 08:00 on the 15th (still the 14th in Los Angeles): its pain of that
    morning and its day-only run of the 15th are not in the future there, by the instant
    and by the day; nor its night pain (day-only) on the day of an onset at 20:00 in Paris."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    now(datetime(2016, 6, 14, 23, 30, tzinfo=UTC))  # 16:30 on the 14th in Los Angeles
    path = tmp_path / "tokyo.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, "pain": [
        {"uid": "p1", "score": 3, "at": "2016-06-15T07:45:00+09:00", "time_known": True}],
        "activities": [{"uid": "a1", "kind": "run", "at": "2016-06-14", "time_known": False,
                        "distance_km": 5.0}]}))
    imported = cli("--db", database("la.db"), "import", str(path))
    assert imported.exit_code == 0, imported.stderr


def test_what_had_happened_when_exported_is_not_in_the_future(cli, database, tmp_path, way):
    """The phone's clock two minutes ahead of the laptop's: the pain logged on the phone
    just before exporting is not in the future here; one after the export's moment is."""
    ahead = {"format": "runrecover", "version": 1, "exported_at": "2016-06-15T10:02:00+02:00",
             "pain": [{"uid": "p1", "score": 4, "at": "2016-06-15T10:01:30+02:00",
                       "time_known": True}]}
    path = tmp_path / "phone.json"
    path.write_text(json.dumps(ahead))
    laptop = database("laptop.db")
    imported = cli("--db", laptop, "import", str(path))
    assert imported.exit_code == 0, imported.stderr
    ahead["pain"][0] |= {"uid": "p2", "at": "2016-06-15T10:03:00+02:00"}
    path.write_text(json.dumps(ahead))
    refused = cli("--db", laptop, "import", str(path))
    assert refused.exit_code == 2
    assert "pain[0] (Wed 15 Jun 2016 10:03) is in the future" in refused.stderr


def test_an_export_dated_far_ahead_lets_no_pain_to_come_in(cli, database, tmp_path, way):
    """A clock a year ahead (or a file written by hand) is no licence: a score of 0 in half
    an hour would lift the red gate before the runner ever gave it."""
    db = database("gate.db")
    assert cli("--db", db, "pain", "8").exit_code == 0
    later = {"format": "runrecover", "version": 1, "exported_at": "2017-06-15T10:00:00+02:00",
             "pain": [{"uid": "p0", "score": 0, "at": "2016-06-15T10:30:00+02:00",
                       "time_known": True}]}
    path = tmp_path / "ahead.json"
    path.write_text(json.dumps(later))
    refused = cli("--db", db, "import", str(path))
    assert refused.exit_code == 2
    assert "pain[0] (Wed 15 Jun 2016 10:30) is in the future" in refused.stderr
    assert cli("--db", db, "status", "--check", "--at", "2016-06-15 10:45").exit_code == 1


def test_a_gpx_in_the_future_is_refused(cli, database, tmp_path, way):
    (tmp_path / "later.gpx").write_text(RUN_GPX.replace("2016-06-15", "2016-06-16"))
    db = database("g.db")
    refused = cli("--db", db, "import", str(tmp_path / "later.gpx"))
    assert refused.exit_code == 2
    assert "is in the future" in refused.stderr
    assert not _activities(cli, db) if POSTGRES or Path(db).exists() else True


def test_an_export_from_paris_imports_in_tokyo_with_its_night_pain(cli, database, tmp_path,
        monkeypatch, way):
    home = database("paris.db")
    assert cli("--db", home, "injury", "add", "calf", "--since",
               "yesterday 20:00").exit_code == 0
    assert cli("--db", home, "pain", "4", "--on", "yesterday", "--context",
               "night").exit_code == 0
    _export(cli, home, tmp_path / "paris.json")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    imported = cli("--db", database("tokyo.db"), "import", str(tmp_path / "paris.json"))
    assert imported.exit_code == 0, imported.stderr


# -- 8: a day-only entry is shown as its day --------------------------------------------

def test_a_day_only_run_that_broke_a_restriction_is_named_by_its_day(cli, database, tmp_path, way):
    db = database("b.db")
    assert cli("--db", db, "treat", "mesotherapy", "--on", "2016-06-14 10:00").exit_code == 0
    path = tmp_path / "runs.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, "activities": [
        {"uid": "a1", "kind": "run", "at": "2016-06-15", "time_known": False,
         "distance_km": 5.0}]}))
    imported = cli("--db", db, "import", str(path))
    assert imported.exit_code == 0
    said = " ".join(imported.stderr.split())
    assert "the imported run of Wed 15 Jun 2016 (5.0 km)" in said
    assert "Wed 15 Jun 2016 00:00" not in said


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Los_Angeles", "Asia/Tokyo"])
def test_editing_the_score_of_a_day_only_pain_shows_only_the_score(cli, monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    assert cli("pain", "3", "--on", "yesterday").exit_code == 0
    edited = cli("edit", "pain", "1", "--score", "5")
    assert edited.exit_code == 0
    assert "when" not in edited.stdout
    assert "3/10 → 5/10" in edited.stdout
    moved = cli("edit", "pain", "1", "--on", "today")
    assert "when" in moved.stdout
    assert "Tue 14 Jun 2016 → Wed 15 Jun 2016" in moved.stdout


# -- a database's own export imports into it as "already", microseconds and all -------------

@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Los_Angeles"])
def test_an_export_of_entries_recorded_now_imports_back_as_already(cli, tmp_path, monkeypatch,
                                                                   now, way, zone):
    now(datetime(2016, 6, 15, 8, 0, 12, 345678, tzinfo=UTC))
    db = tmp_path / "s1.db"
    assert cli("--db", str(db), "treat", "massage").exit_code == 0
    assert cli("--db", str(db), "pain", "3").exit_code == 0
    assert cli("--db", str(db), "log", "5k", "30:00").exit_code == 0
    monkeypatch.setenv("TZ", zone)  # exported elsewhere: the same instants, another offset
    _export(cli, db, tmp_path / "s1.json")
    monkeypatch.setenv("TZ", "Europe/Paris")
    before = cli("--db", str(db), "export").json()
    imported = cli("--db", str(db), "import", str(tmp_path / "s1.json"), "--json")
    assert imported.exit_code == 0, imported.stderr
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"], counts["replaced"], counts["already"]) == (
        0, 0, 0, 3)
    replaced = cli("--db", str(db), "import", str(tmp_path / "s1.json"), "--replace", "--json")
    assert replaced.exit_code == 0, replaced.stderr
    assert replaced.json()["files"][0]["replaced"] == 0
    after = cli("--db", str(db), "export").json()
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"}


# -- one stored run is the same as one run of a file at most --------------------------------

def test_two_day_only_runs_of_a_file_are_not_glued_to_one_stored(cli, tmp_path, way):
    laptop, phone = tmp_path / "lap.db", tmp_path / "phone.db"
    assert cli("--db", str(laptop), "log", "5k", "30:00", "--on", "2016-06-10",
               "--pain", "2").exit_code == 0
    assert cli("--db", str(phone), "log", "5k", "30:00", "--on", "2016-06-10", "--pain", "1",
               "--note", "morning").exit_code == 0
    assert cli("--db", str(phone), "log", "5k", "31:00", "--on", "2016-06-10", "--again",
               "--pain", "6", "--note", "evening").exit_code == 0
    _export(cli, phone, tmp_path / "p.json")
    imported = cli("--db", str(laptop), "import", str(tmp_path / "p.json"), "--json")
    assert imported.exit_code == 0, imported.stderr
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"] + counts["already"]) == (1, 1)
    runs = sorted(_activities(cli, laptop), key=lambda run: run["pain_during"])
    assert [(run["pain_during"], run["note"]) for run in runs] == [(2, "morning"),
                                                                   (6, "evening")]


@pytest.mark.parametrize("order", ["morning first", "evening first"])
def test_the_nearest_timed_run_gives_a_day_only_run_its_time_and_the_other_is_added(
        cli, tmp_path, way, order):
    laptop, phone = tmp_path / "t1.db", tmp_path / "t2.db"
    assert cli("--db", str(laptop), "log", "5k", "30:00", "--on", "2016-06-10").exit_code == 0
    morning = ("log", "5k", "30:00", "--on", "2016-06-10 07:00", "--pain", "1")
    evening = ("log", "5.2k", "31:00", "--on", "2016-06-10 18:00", "--pain", "5",
               "--type", "tempo")
    for args in (morning, evening) if order == "morning first" else (evening, morning):
        assert cli("--db", str(phone), *args).exit_code == 0
    _export(cli, phone, tmp_path / "t2.json")
    imported = cli("--db", str(laptop), "import", str(tmp_path / "t2.json"), "--json")
    assert imported.exit_code == 0, imported.stderr
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"]) == (1, 1)
    runs = sorted(_activities(cli, laptop), key=lambda run: run["at"])
    assert [(run["at"][11:16], run["distance_km"], run["pain_during"], run["run_type"])
            for run in runs] == [("07:00", 5.0, 1, None), ("18:00", 5.2, 5, "tempo")]


def test_a_run_already_stored_with_another_distance_says_so(cli, tmp_path, way):
    laptop, phone = tmp_path / "lap.db", tmp_path / "phone.db"
    assert cli("--db", str(laptop), "log", "5k", "30:00", "--on", "today 7:00").exit_code == 0
    assert cli("--db", str(phone), "log", "5.2k", "30:00", "--on", "today 7:00").exit_code == 0
    _export(cli, phone, tmp_path / "p.json")
    imported = cli("--db", str(laptop), "import", str(tmp_path / "p.json"))
    assert imported.exit_code == 0, imported.stderr
    assert "its distance differs (5 km stored, 5.2 km in the file)" in " ".join(
        imported.stderr.split())


# -- a day-only run given its time by an import is checked against restrictions -------------

def test_a_day_only_run_given_its_time_by_an_import_that_breaks_a_restriction_is_said(
        cli, tmp_path, way):
    laptop, phone = tmp_path / "lap.db", tmp_path / "phone.db"
    assert cli("--db", str(laptop), "treat", "mesotherapy", "--on",
               "2016-06-14 10:00").exit_code == 0
    assert cli("--db", str(laptop), "log", "5k", "30:00", "--on", "2016-06-13").exit_code == 0
    assert cli("--db", str(phone), "log", "5k", "30:00", "--on",
               "2016-06-14 18:00").exit_code == 0
    _export(cli, phone, tmp_path / "p.json")
    imported = cli("--db", str(laptop), "import", str(tmp_path / "p.json"), "--json")
    assert imported.exit_code == 0, imported.stderr
    assert imported.json()["files"][0]["added"] == 1
    # The day-only run of the 14th, on the laptop too, given its 18:00 by the phone:
    assert cli("--db", str(laptop), "undo", "--yes").exit_code == 0
    assert cli("--db", str(laptop), "log", "5k", "30:00", "--on", "2016-06-14").exit_code == 0
    imported = cli("--db", str(laptop), "import", str(tmp_path / "p.json"), "--json")
    assert imported.exit_code == 0, imported.stderr
    summary = imported.json()
    assert summary["files"][0]["improved"] == 1
    assert len(summary["breaks_restriction"]) == 1
    shown = cli("--db", str(tmp_path / "lap.db"), "undo", "--yes")
    assert shown.exit_code == 0
    said = " ".join(cli("--db", str(laptop), "import", str(tmp_path / "p.json")).stderr.split())
    assert "broke a restriction" in said


# -- every entry stored with other content is named; --replace says what it changed ---------

def _loosening_export(cli, tmp_path):
    """The phone's physio visit and pain score, imported into the laptop, then made stricter
    on the laptop (ten days without running, a higher score): the phone's export loosens."""
    phone, laptop = tmp_path / "phone.db", tmp_path / "laptop.db"
    assert cli("--db", str(phone), "treat", "physio", "--on", "2016-06-14 09:00").exit_code == 0
    assert cli("--db", str(phone), "pain", "3", "--on", "2016-06-14 09:30").exit_code == 0
    assert cli("--db", str(phone), "log", "5k", "30:00", "--on", "2016-06-13 07:00",
               "--note", "easy").exit_code == 0
    _export(cli, phone, tmp_path / "phone.json")
    assert cli("--db", str(laptop), "import", str(tmp_path / "phone.json")).exit_code == 0
    for args in (("treatment", "1", "--no-run-days", "10"), ("pain", "1", "--score", "8"),
                 ("activity", "1", "--note", "hard")):
        assert cli("--db", str(laptop), "edit", *args).exit_code == 0
    assert cli("--db", str(laptop), "status", "--check").exit_code == 1
    return laptop, tmp_path / "phone.json"


def test_a_refusal_names_every_entry_that_differs(cli, tmp_path, way):
    laptop, older = _loosening_export(cli, tmp_path)
    before = cli("--db", str(laptop), "export").json()
    refused = cli("--db", str(laptop), "import", str(older))
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.split())
    assert "number of days without running 10 here, none in the file" in said
    assert "pain score 8 here, 3 in the file" in said
    assert "note 'hard' here, 'easy' in the file" in said
    assert said.count("nothing was imported") == 1
    assert cli("--db", str(laptop), "export").json() == before


def test_replace_says_each_change_and_what_it_loosens(cli, tmp_path, way):
    laptop, older = _loosening_export(cli, tmp_path)
    replaced = cli("--db", str(laptop), "import", str(older), "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    said = " ".join(replaced.stderr.split())
    assert "number of days without running 10 before, none now" in said
    assert "WARNING: it loosens a restriction (number of days without running lowered from " \
           "10 to none)" in said
    assert "WARNING: it lowers a pain score from 8 to 3" in said
    assert cli("--db", str(laptop), "undo", "--yes").exit_code == 0
    listed = cli("--db", str(laptop), "import", str(older), "--replace", "--json")
    notes = [note["note"] for note in listed.json()["files"][0]["notes"]]
    assert len([note for note in notes if " replaced " in note]) == 3


def test_a_refusal_of_many_entries_names_ten_and_counts_the_others(cli, tmp_path, way):
    phone, laptop = tmp_path / "phone.db", tmp_path / "laptop.db"
    for day in range(1, 13):
        assert cli("--db", str(phone), "pain", "3", "--on",
                   f"2016-06-{day:02d} 09:00").exit_code == 0
    _export(cli, phone, tmp_path / "phone.json")
    assert cli("--db", str(laptop), "import", str(tmp_path / "phone.json")).exit_code == 0
    for number in range(1, 13):
        assert cli("--db", str(laptop), "edit", "pain", str(number), "--score",
                   "6").exit_code == 0
    refused = cli("--db", str(laptop), "import", str(tmp_path / "phone.json"))
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.split())
    assert said.count("pain score 6 here, 3 in the file") == 10
    assert "and 2 more; nothing was imported" in said
