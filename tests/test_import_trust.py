"""An import never makes running look allowed where what the runner recorded forbids it,
and never loses what they recorded: each case runs through sqlite3 and through SQLAlchemy
(`context.SQLITE3_FOR_LOCAL_FILES`), alike."""

import json
from datetime import UTC, datetime

import pytest

from runrecover.cli import context


@pytest.fixture(params=["sqlite3", "session"])
def way(request, monkeypatch):
    monkeypatch.setattr(context, "SQLITE3_FOR_LOCAL_FILES", request.param == "sqlite3")
    return request.param


def _export(cli, db, path):
    assert cli("--db", str(db), "export", "--output", str(path)).exit_code == 0
    return json.loads(path.read_text())


def _activities(cli, db):
    return cli("--db", str(db), "export").json()["activities"]


# -- 1: the same run logged on two devices keeps its pain ---------------------------------

def test_the_same_run_from_another_device_brings_its_pain(cli, tmp_path, way):
    laptop, phone = tmp_path / "L.db", tmp_path / "P.db"
    assert cli("--db", str(laptop), "log", "5k", "28:00", "--on", "today 7:00").exit_code == 0
    assert cli("--db", str(phone), "log", "5k", "28:00", "--on", "today 7:00", "--pain", "8",
               "--type", "tempo", "--rpe", "6", "--note", "calf").exit_code == 0
    assert cli("--db", str(phone), "status", "--check").exit_code == 1
    _export(cli, phone, tmp_path / "p.json")
    imported = cli("--db", str(laptop), "import", str(tmp_path / "p.json"), "--json")
    assert imported.exit_code == 0
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"], counts["already"]) == (0, 1, 0)
    [run] = _activities(cli, laptop)
    assert (run["pain_during"], run["run_type"], run["rpe"], run["note"]) == (
        8, "tempo", 6, "calf")
    assert cli("--db", str(laptop), "status", "--check").exit_code == 1
    # Undone, the laptop's run is as it was.
    assert cli("--db", str(laptop), "undo", "--yes").exit_code == 0
    [run] = _activities(cli, laptop)
    assert (run["pain_during"], run["run_type"], run["rpe"], run["note"]) == (
        None, None, None, None)


@pytest.mark.parametrize(("stored", "given", "kept"), [(3, 8, 8), (8, 3, 8)])
def test_of_two_pains_for_the_same_run_the_higher_is_kept_and_said(cli, tmp_path, way,
                                                                     stored, given, kept):
    laptop, phone = tmp_path / "L.db", tmp_path / "P.db"
    assert cli("--db", str(laptop), "log", "5k", "28:00", "--on", "today 7:00",
               "--pain", str(stored)).exit_code == 0
    assert cli("--db", str(phone), "log", "5k", "28:00", "--on", "today 7:00",
               "--pain", str(given)).exit_code == 0
    _export(cli, phone, tmp_path / "p.json")
    imported = cli("--db", str(laptop), "import", str(tmp_path / "p.json"))
    assert imported.exit_code == 0
    said = " ".join(imported.stderr.split())
    assert f"pain {stored} stored, {given} in the file: {kept} (the higher) is kept" in said
    assert _activities(cli, laptop)[0]["pain_during"] == kept
    assert cli("--db", str(laptop), "status", "--check").exit_code == 1


# -- 2: entries with no time of day match by kind and day, in every zone --------------------

WINTER = datetime(2016, 1, 15, 10, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Paris", "Asia/Tokyo",
                                  "America/Los_Angeles"])
def test_a_day_only_walk_is_not_the_run_of_that_day(cli, tmp_path, monkeypatch, now, way,
                                                     zone):
    monkeypatch.setenv("TZ", zone)
    now(WINTER)
    laptop, phone = tmp_path / "lap.db", tmp_path / "ph.db"
    assert cli("--db", str(laptop), "log", "5k", "--activity", "walk", "--on",
               "today").exit_code == 0
    assert cli("--db", str(phone), "log", "5k", "28:00", "--on", "today",
               "--pain", "7").exit_code == 0
    _export(cli, phone, tmp_path / "ph.json")
    imported = cli("--db", str(laptop), "import", str(tmp_path / "ph.json"), "--json")
    assert imported.exit_code == 0
    assert imported.json()["files"][0]["added"] == 1
    assert sorted(a["kind"] for a in _activities(cli, laptop)) == ["run", "walk"]
    assert cli("--db", str(laptop), "status", "--check").exit_code == 1


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Paris", "Asia/Tokyo",
                                  "America/Los_Angeles"])
def test_the_same_day_only_run_under_two_uids_is_stored_once(cli, tmp_path, monkeypatch, now,
                                                             way, zone):
    monkeypatch.setenv("TZ", zone)
    now(WINTER)
    laptop, phone = tmp_path / "lap.db", tmp_path / "ph.db"
    assert cli("--db", str(laptop), "log", "5k", "--on", "today").exit_code == 0
    assert cli("--db", str(phone), "log", "5k", "--on", "today", "--pain", "7").exit_code == 0
    _export(cli, phone, tmp_path / "ph.json")
    imported = cli("--db", str(laptop), "import", str(tmp_path / "ph.json"), "--json")
    assert imported.exit_code == 0
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"]) == (0, 1)
    [run] = _activities(cli, laptop)
    assert run["pain_during"] == 7
    assert cli("--db", str(laptop), "status", "--check").exit_code == 1


GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><type>running</type><trkseg>
  <trkpt lat="46.80" lon="7.15"><time>2016-06-15T05:00:00Z</time></trkpt>
  <trkpt lat="46.82" lon="7.15"><time>2016-06-15T05:12:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""


def test_a_gpx_of_a_run_logged_day_only_gives_it_its_time(cli, tmp_path, way):
    db = tmp_path / "r.db"
    assert cli("--db", str(db), "log", "2.2k", "--on", "today", "--pain", "3").exit_code == 0
    (tmp_path / "run.gpx").write_text(GPX)
    imported = cli("--db", str(db), "import", str(tmp_path / "run.gpx"), "--json")
    assert imported.exit_code == 0
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"]) == (0, 1)
    [run] = _activities(cli, db)
    assert (run["time_known"], run["at"], run["pain_during"]) == (
        True, "2016-06-15T07:00:00+02:00", 3)
    assert cli("--db", str(db), "undo", "--yes").exit_code == 0
    [run] = _activities(cli, db)
    assert (run["time_known"], run["at"]) == (False, "2016-06-15")


# -- 3: an entry stored with other content: refused, unless --replace or --keep -------------

def _edited_treatment(cli, tmp_path):
    """The phone's physio visit, imported into the laptop, then given ten days without
    running on the phone and exported again."""
    phone, laptop = tmp_path / "phone.db", tmp_path / "laptop.db"
    assert cli("--db", str(phone), "treat", "physio", "--on", "2016-06-08").exit_code == 0
    _export(cli, phone, tmp_path / "first.json")
    assert cli("--db", str(laptop), "import", str(tmp_path / "first.json")).exit_code == 0
    assert cli("--db", str(laptop), "status", "--check").exit_code == 0
    assert cli("--db", str(phone), "edit", "treatment", "1", "--no-run-days", "10").exit_code == 0
    assert cli("--db", str(phone), "status", "--check").exit_code == 1
    _export(cli, phone, tmp_path / "second.json")
    return laptop, tmp_path / "second.json"


def test_an_entry_edited_elsewhere_stops_the_import_and_says_what_differs(cli, tmp_path, way):
    laptop, second = _edited_treatment(cli, tmp_path)
    before = cli("--db", str(laptop), "export").json()
    refused = cli("--db", str(laptop), "import", str(second))
    assert refused.exit_code == 2
    assert len(refused.stderr.strip().splitlines()) == 1 or "\n" not in refused.stderr.strip()
    said = " ".join(refused.stderr.split())
    assert ("treatment 1 (physio on Wed 8 Jun 2016) differs from the file's: number of days "
            "without running none here, 10 in the file; nothing was imported: add --replace "
            "to take the file's versions or --keep to keep the ones stored.") in said
    assert "no_run_days" not in said
    assert cli("--db", str(laptop), "export").json() == before


def test_replace_takes_the_files_version_and_undo_puts_the_stored_one_back(cli, tmp_path, way):
    laptop, second = _edited_treatment(cli, tmp_path)
    replaced = cli("--db", str(laptop), "import", str(second), "--replace", "--json")
    assert replaced.exit_code == 0, replaced.stderr
    counts = replaced.json()["files"][0]
    assert (counts["replaced"], counts["added"], counts["already"]) == (1, 0, 0)
    assert cli("--db", str(laptop), "status", "--check").exit_code == 1
    assert cli("--db", str(laptop), "undo", "--yes").exit_code == 0
    assert cli("--db", str(laptop), "status", "--check").exit_code == 0
    shown = cli("--db", str(laptop), "import", str(second), "--replace")
    assert "replaced" in shown.stdout


def test_keep_keeps_the_stored_one(cli, tmp_path, way):
    laptop, second = _edited_treatment(cli, tmp_path)
    kept = cli("--db", str(laptop), "import", str(second), "--keep")
    assert kept.exit_code == 0
    assert "the stored one is kept" in " ".join(kept.stderr.split())
    assert cli("--db", str(laptop), "status", "--check").exit_code == 0
    both = cli("--db", str(laptop), "import", str(second), "--keep", "--replace")
    assert both.exit_code == 2


# -- 4: a timed onset's day is its instant's, however the entry comes in -------------------

@pytest.mark.parametrize("onset_on", ["2016-01-01", None])
def test_an_imported_onset_day_is_the_day_of_its_time(cli, tmp_path, way, onset_on):
    import sqlite3

    db = tmp_path / "o.db"
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, "injuries": [{
        "uid": "b7c1f0e2-0000-4000-8000-000000000009", "name": "calf", "onset_on": onset_on,
        "onset_at": "2016-06-10T18:00:00+00:00"}]}))
    assert cli("--db", str(db), "import", str(path)).exit_code == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT onset_on FROM injury").fetchall() == [("2016-06-10",)]
    assert cli("--db", str(db), "export").json()["injuries"][0]["onset_on"] == "2016-06-10"
    listed = cli("--db", str(db), "list", "injuries", "--since", "2016-06-09", "--json")
    assert [i["name"] for i in listed.json()] == ["calf"]
