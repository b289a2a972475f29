"""`runrecover import` of watch and app files: recognised by content, stored once, flagged
like logged runs when they break a restriction, all or nothing over all files."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

REAL = Path(__file__).parent.parent.parent / "shared" / "fixtures" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/fixtures/real is absent")


PARIS = ZoneInfo("Europe/Paris")
# The real files were recorded up to 2025: imported later, since an activity cannot be in the
# future (the runs of this module's own files are on Thu 16 Jun 2016).
AFTER_THE_REAL_FILES = datetime(2026, 6, 15, 10, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _after_the_runs(now):
    now(datetime(2016, 6, 17, 10, tzinfo=PARIS))


def _activities(cli):
    return cli("export").json()["activities"]


GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><type>running</type><trkseg>
  <trkpt lat="46.80" lon="7.15"><time>2016-06-16T16:00:00Z</time></trkpt>
  <trkpt lat="46.81" lon="7.15"><time>2016-06-16T16:06:00Z</time></trkpt>
  <trkpt lat="46.82" lon="7.15"><time>2016-06-16T16:12:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""


def test_an_imported_run_during_a_restriction_is_flagged(cli, tmp_path):
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")
    (tmp_path / "run.gpx").write_text("   \n" + GPX)  # Strava's leading whitespace
    result = cli("import", str(tmp_path / "run.gpx"))
    assert result.exit_code == 0, result.stderr
    assert "run.gpx" in result.stdout and "GPX" in result.stdout
    warning = " ".join(result.stderr.split())
    assert "the imported run of Thu 16 Jun 2016 18:00 (2.2 km in 12:00 (5:23/km)) broke a " \
        "restriction: no running after mesotherapy on Tue 14 Jun 10:00, until Sat 18 Jun" in warning
    (run,) = _activities(cli)
    assert run["kind"] == "run" and run["source"] == "gpx"
    assert run["at"] == "2016-06-16T18:00:00+02:00"
    assert run["duration_s"] == 720
    flagged = cli("import", str(tmp_path / "run.gpx"), "--json").json()
    assert flagged["files"][0]["already"] == 1
    assert flagged["breaks_restriction"] == []


def test_activity_sets_the_kind_for_files_that_do_not_say(cli, tmp_path):
    (tmp_path / "walk.gpx").write_text(GPX.replace("<type>running</type>", ""))
    assert cli("import", str(tmp_path / "walk.gpx"), "--activity", "walk").exit_code == 0
    assert _activities(cli)[0]["kind"] == "walk"


def test_one_bad_file_and_nothing_is_written(cli, tmp_path):
    (tmp_path / "good.gpx").write_text(GPX)
    (tmp_path / "bad.tcx").write_text("<TrainingCenterDatabase><Activities><Activity")
    result = cli("import", str(tmp_path / "good.gpx"), str(tmp_path / "bad.tcx"))
    assert result.exit_code == 2
    assert "bad.tcx" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _activities(cli) == []


def test_a_file_of_no_known_format(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("ran 5k today, calf ok\n")
    result = cli("import", str(tmp_path / "notes.txt"))
    assert result.exit_code == 2
    assert "notes.txt" in result.stderr
    missing = cli("import", str(tmp_path / "nowhere.fit"))
    assert missing.exit_code == 2
    assert "nowhere.fit" in missing.stderr


@needs_real
def test_the_same_run_from_a_fit_file_and_from_strava_is_stored_once(cli, now):
    now(AFTER_THE_REAL_FILES)
    result = cli("import", str(REAL / "garmin-venusq-run.fit"),
                 str(REAL / "strava-export-activities.csv"), "--json")
    assert result.exit_code == 0, result.stderr
    files = {Path(f["file"]).name: (f["added"], f["improved"], f["already"])
             for f in result.json()["files"]}
    # Strava's row adds only what the watch's file lacks: the run's name.
    assert files == {"garmin-venusq-run.fit": (1, 0, 0), "strava-export-activities.csv": (0, 1, 0)}
    (run,) = _activities(cli)
    assert run["at"] == "2022-05-29T17:53:35+02:00"
    assert run["distance_km"] == pytest.approx(3.323, abs=0.001)
    assert (run["source"], run["note"]) == ("fit", "Laufen Landal Park")


@needs_real
def test_real_files_import_with_their_expected_values(cli, now):
    now(AFTER_THE_REAL_FILES)
    expected = json.loads((REAL / "expected.json").read_text())
    names = ["garmin-fr110-run.fit", "garmin-fenix2-run.fit", "garmin-fr410-run.tcx",
             "opentracks-walk.gpx"]
    result = cli("import", *(str(REAL / n) for n in names), "--activity", "walk")
    assert result.exit_code == 0, result.stderr
    stored = sorted(_activities(cli), key=lambda a: a["at"])
    wanted = sorted((expected[n] for n in names), key=lambda e: e["start_utc"])
    assert [a["kind"] for a in stored] == [e["kind"] or "walk" for e in wanted]
    for activity, values in zip(stored, wanted, strict=True):
        assert activity["distance_km"] == pytest.approx(values["distance_km"], abs=0.001)
        assert activity["duration_s"] == pytest.approx(values["elapsed_s"], abs=0.01)


@needs_real
def test_garmin_connect_csv_keeps_kinds_and_twice_adds_nothing(cli, now):
    now(AFTER_THE_REAL_FILES)
    csv_file = str(REAL / "garmin-connect-export-activities.csv")
    first = cli("import", csv_file, "--json").json()["files"][0]
    assert (first["added"], first["already"]) == (8, 0)
    kinds = sorted(a["kind"] for a in _activities(cli))
    assert kinds == ["cycle", "cycle", "other", "other", "run", "run", "run", "walk"]
    second = cli("import", csv_file, "--json").json()["files"][0]
    assert (second["added"], second["already"]) == (0, 8)


@needs_real
@pytest.mark.parametrize("name", ["course-not-activity.fit", "route-without-times.gpx"])
def test_files_with_no_recorded_activity_are_refused(cli, name):
    result = cli("import", str(REAL / name))
    assert result.exit_code == 2
    assert name in result.stderr
    assert _activities(cli) == []


def _expected_count(expected: dict, name: str) -> int:
    want = expected[name]
    if want.get("expected_outcome") == "refuse":
        return 0
    if "rows" in want:
        return want["row_count"]
    if "sessions" in want:
        return sum(s["sport"] != "transition" for s in want["sessions"])
    return len(want.get("activities", [want]))


# The files of one activity recorded or exported twice (MANIFEST.md): each adds nothing.
SAME_ACTIVITY_AGAIN = {"garmin-fr410-run-leading-ws.tcx": 1, "strava-export-activities.csv": 1,
                       "strava-export-venusq-run.fit.gz": 1, "garminconnect-edge1000-ride.gpx": 1}


@needs_real
def test_the_whole_real_folder_imports_each_activity_once(cli, now):
    now(AFTER_THE_REAL_FILES)
    expected = json.loads((REAL / "expected.json").read_text())
    result = cli("import", str(REAL), "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    refused = sorted(n for n, w in expected.items() if w.get("expected_outcome") == "refuse")
    passed_over = {Path(p["file"]).name for p in report["passed_over"]}
    assert passed_over == {"course-not-activity.fit", "route-without-times.gpx",
                           "expected.json", *refused}
    files = {Path(f["file"]).name: f for f in report["files"]}
    assert set(files) == set(expected) - passed_over
    for name, counts in files.items():
        found = counts["added"] + counts["improved"] + counts["already"] + counts["left_out"]
        assert found == _expected_count(expected, name), name
        assert counts["left_out"] == 0, name
    stored = _activities(cli)
    assert len(stored) == sum(_expected_count(expected, n) for n in files) - sum(
        SAME_ACTIVITY_AGAIN.values())
    # The ride kept once, with the numbers of the richest file (the FIT), named by its GPX.
    (ride,) = [a for a in stored if a["at"].startswith("2020-06-01T16:52:40")]
    assert (ride["source"], ride["note"]) == ("fit", "Leiden Fietsen")
    assert ride["distance_km"] == pytest.approx(0.668, abs=0.001)
    # Three rides that ran for days keep their moving time, without their elapsed time.
    for uid_day in ("2021-11-05", "2020-05-31", "2020-05-19"):
        (long_ride,) = [a for a in stored if a["at"].startswith(uid_day) and a["kind"] == "cycle"
                        and a["duration_s"] is None]
        assert long_ride["moving_s"] is not None
    again = cli("import", str(REAL), "--json").json()
    assert sum(f["added"] + f["improved"] for f in again["files"]) == 0


def test_undo_takes_a_whole_import_back(cli, tmp_path):
    (tmp_path / "run.gpx").write_text(GPX)
    cli("import", str(tmp_path / "run.gpx"))
    cli("undo", "--yes")
    assert _activities(cli) == []


def test_a_run_imported_from_a_runrecover_export_is_flagged_too(cli, tmp_path):
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")
    document = {"format": "runrecover", "version": 1, "activities": [{
        "uid": "0b0e7a57-0000-4000-8000-000000000001", "kind": "run",
        "at": "2016-06-16T18:00:00+02:00", "time_known": True, "distance_km": 5.0}]}
    (tmp_path / "runs.json").write_text(json.dumps(document))
    result = cli("import", str(tmp_path / "runs.json"), "--json")
    assert result.exit_code == 0, result.stderr
    (flag,) = result.json()["breaks_restriction"]
    assert flag["activity_uid"] == "0b0e7a57-0000-4000-8000-000000000001"
    assert flag["treatment"]["kind"] == "mesotherapy"


def test_many_flagged_runs_are_summed_up_after_the_first_five(cli, tmp_path):
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")
    runs = [{"uid": f"0b0e7a57-0000-4000-8000-00000000001{i}", "kind": "run",
             "at": f"2016-06-16T0{i}:00:00+02:00", "time_known": True, "distance_km": 5.0}
            for i in range(7)]
    (tmp_path / "runs.json").write_text(json.dumps(
        {"format": "runrecover", "version": 1, "activities": runs}))
    result = cli("import", str(tmp_path / "runs.json"))
    assert result.exit_code == 0, result.stderr
    warnings = " ".join(result.stderr.split())
    assert warnings.count("broke a restriction: no running") == 5
    assert "… and 2 more imported activities that broke a restriction" in warnings
