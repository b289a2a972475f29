"""`runrecover import` of what runners really have: gzip files, a watch's folder, Strava's
bulk export zip, exports in other languages and units, one row judged at a time, and the
same activity from several files stored once, improved by the richest."""

import gzip
import io
import zipfile
from pathlib import Path

import pytest

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>{name}</name>{type}<trkseg>
  <trkpt lat="46.80" lon="7.15"><time>2016-06-10T16:00:00Z</time></trkpt>
  <trkpt lat="46.81" lon="7.15"><time>2016-06-10T16:{half}:00Z</time></trkpt>
  <trkpt lat="46.82" lon="7.15"><time>2016-06-10T16:{end}:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""


def gpx(name: str = "Evening", type_: str | None = "running", minutes: int = 12) -> str:
    typed = f"<type>{type_}</type>" if type_ is not None else ""
    return GPX.format(name=name, type=typed, half=f"{minutes // 2:02d}", end=f"{minutes:02d}")


STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,"
    "Elapsed Time,Moving Time,Distance\n"
)


def activities(cli) -> list[dict]:
    return cli("export").json()["activities"]


def imported(cli, *args: str) -> dict:
    result = cli("import", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_a_gzipped_gpx_is_read_like_the_gpx(cli, tmp_path):
    (tmp_path / "run.gpx.gz").write_bytes(gzip.compress(gpx().encode()))
    report = imported(cli, str(tmp_path / "run.gpx.gz"))
    assert report["files"][0]["format"] == "gpx"
    (run,) = activities(cli)
    assert (run["kind"], run["duration_s"], run["note"]) == ("run", 720, "Evening")


def test_a_gzip_bomb_is_refused_in_one_sentence(cli, tmp_path):
    bomb = gzip.compress(b"<gpx>" + b" " * (65 * 1024 * 1024))
    (tmp_path / "bomb.gpx.gz").write_bytes(bomb)
    result = cli("import", str(tmp_path / "bomb.gpx.gz"))
    assert result.exit_code == 2
    assert "bomb.gpx.gz" in result.stderr and "more than 64 MB" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_watch_folder_is_read_whole_and_what_is_no_activity_is_passed_over(cli, tmp_path):
    folder = tmp_path / "GARMIN" / "Activity"
    folder.mkdir(parents=True)
    (folder / "A.GPX").write_text(gpx())
    (folder / "B.GPX").write_text(gpx().replace("2016-06-10", "2016-06-11"))
    route = '<gpx version="1.1"><rte><rtept lat="1" lon="1"/></rte></gpx>'
    (folder / "route.gpx").write_text(route)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    report = imported(cli, str(tmp_path / "GARMIN"))
    assert [Path(f["file"]).name for f in report["files"]] == ["A.GPX", "B.GPX"]
    assert [Path(p["file"]).name for p in report["passed_over"]] == ["route.gpx"]
    assert "route with no times" in report["passed_over"][0]["why"]
    assert len(activities(cli)) == 2


def test_an_empty_folder_is_refused(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("import", str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "holds no activity files" in result.stderr


def strava_export(tmp_path: Path) -> Path:
    """A Strava bulk export: the CSV names two activities, one has its GPX (gzipped)."""
    rows = (
        '1,"Jun 10, 2016, 4:00:00 PM",Evening run,Run,720,2.1,activities/1.gpx.gz,'
        "720.0,700.0,2100.0\n"
        '2,"Jun 12, 2016, 8:00:00 AM",Pool,Swim,1800,1.0,,1800.0,1700.0,1000.0\n'
    )
    zip_path = tmp_path / "export_12345.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("activities.csv", STRAVA_HEADER + rows)
        archive.writestr("activities/1.gpx.gz", gzip.compress(gpx(name="", type_="9").encode()))
        archive.writestr("comments.csv", "Comment Date,Comment\n2016-06-10,nice\n")
        archive.writestr("profile.jpg", b"\xff\xd8\xff")
    return zip_path


def test_a_strava_export_zip_stores_each_activity_once(cli, tmp_path):
    report = imported(cli, str(strava_export(tmp_path)))
    names = {f["file"].rpartition(":")[2]: f for f in report["files"]}
    assert set(names) == {"activities.csv", "activities/1.gpx.gz"}
    assert names["activities/1.gpx.gz"]["improved"] == 1  # its numbers beat the CSV's
    assert [p["file"].rpartition(":")[2] for p in report["passed_over"]] == ["comments.csv"]
    run, swim = sorted(activities(cli), key=lambda a: a["at"])
    # The numbers from the file, the name and the id from the CSV.
    assert (run["kind"], run["source"], run["note"]) == ("run", "gpx", "Evening run")
    assert run["distance_km"] == pytest.approx(2.226, abs=0.001)
    assert (swim["kind"], swim["distance_km"], swim["source"]) == ("swim", 1.0, "strava-csv")
    again = imported(cli, str(strava_export(tmp_path)))
    assert sum(f["already"] for f in again["files"]) == 3


def test_a_richer_file_improves_the_stored_row_and_undo_puts_it_back(cli, tmp_path):
    csv_file = tmp_path / "activities.csv"
    csv_file.write_text(STRAVA_HEADER + '1,"Jun 10, 2016, 4:00:00 PM",Evening run,Run,700,2.0,'
                        ",700.0,690.0,2000.0\n")
    imported(cli, str(csv_file))
    (before,) = activities(cli)
    (tmp_path / "run.gpx").write_text(gpx(name="Track 1"))
    report = imported(cli, str(tmp_path / "run.gpx"))
    assert report["files"][0]["improved"] == 1
    (after,) = activities(cli)
    assert after["uid"] == before["uid"]
    assert (after["source"], after["duration_s"], after["note"]) == ("gpx", 720, "Evening run")
    assert cli("undo", "--yes").exit_code == 0
    (undone,) = activities(cli)
    assert undone == before


def test_a_file_whose_kind_was_guessed_joins_the_activity_another_file_names(cli, tmp_path):
    csv_file = tmp_path / "activities.csv"
    csv_file.write_text(STRAVA_HEADER + '1,"Jun 10, 2016, 4:00:00 PM",Commute,Ride,720,2.0,'
                        ",720.0,700.0,2000.0\n")
    (tmp_path / "track.gpx").write_text(gpx(name="Track", type_=None))
    report = imported(cli, str(csv_file), str(tmp_path / "track.gpx"))
    assert [(f["added"], f["improved"]) for f in report["files"]] == [(1, 0), (0, 1)]
    (ride,) = activities(cli)
    assert (ride["kind"], ride["source"], ride["note"]) == ("cycle", "gpx", "Commute")


def test_files_naming_one_activity_s_sport_differently_store_it_once(cli, tmp_path):
    csv_file = tmp_path / "activities.csv"
    csv_file.write_text(STRAVA_HEADER + '1,"Jun 10, 2016, 4:00:00 PM",Gym,Workout,720,,'
                        ",720.0,700.0,\n")
    (tmp_path / "track.gpx").write_text(gpx(name="Track", type_="kayaking"))
    report = imported(cli, str(csv_file), str(tmp_path / "track.gpx"))
    assert [(f["added"], f["improved"]) for f in report["files"]] == [(1, 0), (0, 1)]
    (workout,) = activities(cli)
    assert (workout["kind"], workout["source"]) == ("strength", "gpx")


def test_rows_are_judged_one_by_one_and_named_by_line_and_id(cli, tmp_path):
    csv_file = tmp_path / "activities.csv"
    csv_file.write_text(
        STRAVA_HEADER
        + '7,"Jun 10, 2016, 4:00:00 PM",Good,Run,720,2.1,,720.0,700.0,2100.0\n'
        + '8,"Someday",Undated,Run,720,2.1,,720.0,700.0,2100.0\n'
        + '9,"Jun 11, 2016, 4:00:00 PM",Left running,Ride,2682534,55.6,,2682534.0,8866.0,'
        "55600.0\n"
    )
    result = cli("import", str(csv_file))
    assert result.exit_code == 0, result.stderr
    warnings = " ".join(result.stderr.split())
    assert "activities.csv, line 3 (id 8): its date 'Someday' cannot be read; left out." \
        in warnings
    assert "activities.csv, line 4 (id 9): its elapsed time (31 days) is dropped: over 7 days" \
        in warnings
    stored = sorted(activities(cli), key=lambda a: a["at"])
    assert [a["note"] for a in stored] == ["Good", "Left running"]
    assert (stored[1]["duration_s"], stored[1]["moving_s"]) == (None, 8866)
    report = imported(cli, str(csv_file))
    assert report["files"][0]["left_out"] == 1
    assert report["files"][0]["notes"][0] == {
        "line": 3, "id": "8", "note": "its date 'Someday' cannot be read", "left_out": True}


def test_strict_refuses_the_file_at_its_first_bad_row(cli, tmp_path):
    csv_file = tmp_path / "activities.csv"
    csv_file.write_text(STRAVA_HEADER
                        + '7,"Jun 10, 2016, 4:00:00 PM",Good,Run,720,2.1,,720.0,700.0,2100.0\n'
                        + '8,"Someday",Undated,Run,720,2.1,,720.0,700.0,2100.0\n')
    result = cli("import", str(csv_file), "--strict")
    assert result.exit_code == 2
    assert "line 3 (id 8): its date 'Someday' cannot be read" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert activities(cli) == []


@pytest.mark.parametrize(("type_", "name", "kind"), [
    ("1", "Morning", "cycle"),  # Strava's GPX number for a ride
    ("9", "Morning", "run"),
    (None, "Cycling to work", "cycle"),  # the name, as a last resort
    (None, "Swim before brunch", "swim"),  # whole words only: no "run" in "brunch"
    (None, "Runkeeper track", "run"),  # nothing said at all: runrecover's default
])
def test_kinds_come_from_every_place_a_file_says_them(cli, tmp_path, type_, name, kind):
    (tmp_path / "a.gpx").write_text(gpx(name=name, type_=type_, minutes=40))
    imported(cli, str(tmp_path / "a.gpx"))
    assert activities(cli)[0]["kind"] == kind


def test_a_pace_no_runner_holds_is_not_stored_as_a_run(cli, tmp_path):
    cli("treat", "mesotherapy", "--on", "2016-06-09 10:00")
    # 2.2 km in 4 minutes, with no type: a ride, not a run breaking the no-running window.
    (tmp_path / "fast.gpx").write_text(gpx(name="Track", type_=None, minutes=4))
    result = cli("import", str(tmp_path / "fast.gpx"))
    assert result.exit_code == 0
    warnings = " ".join(result.stderr.split())
    assert "it cannot have been a run: stored as other" in warnings
    assert "broke a restriction" not in warnings
    assert activities(cli)[0]["kind"] == "other"


def test_a_pace_no_runner_holds_in_a_file_that_says_run_is_said(cli, tmp_path):
    (tmp_path / "fast.gpx").write_text(gpx(name="Track", type_="running", minutes=4))
    result = cli("import", str(tmp_path / "fast.gpx"))
    assert "is not a run's: check its distance and time" in " ".join(result.stderr.split())
    assert activities(cli)[0]["kind"] == "run"


CONNECT_US = (
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Avg Pace,"
    "Avg Stride Length,Steps\n"
    "Running,2016-06-10 07:15:00,false,Easy,2.02,300,00:20:00,140,9:54,3.35,3184\n"
)


def test_a_us_garmin_connect_export_is_stored_in_kilometres(cli, tmp_path):
    (tmp_path / "Activities.csv").write_text(CONNECT_US)
    imported(cli, str(tmp_path / "Activities.csv"))
    assert activities(cli)[0]["distance_km"] == pytest.approx(3.251, abs=0.001)


def test_a_garmin_connect_export_that_cannot_say_its_unit_needs_units(cli, tmp_path):
    plain = "".join(line.rsplit(",", 2)[0] + "\n" for line in CONNECT_US.splitlines())
    (tmp_path / "Activities.csv").write_text(plain)
    refused = cli("import", str(tmp_path / "Activities.csv"))
    assert refused.exit_code == 2
    assert "give --units km or --units mi" in refused.stderr
    imported(cli, str(tmp_path / "Activities.csv"), "--units", "mi")
    assert activities(cli)[0]["distance_km"] == pytest.approx(3.251, abs=0.001)


@pytest.mark.parametrize("export", [
    # Garmin Connect in German, with a title line above the header and an old-style date
    "Aktivitäten\n"
    "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit\n"
    'Laufen,"Fr, 10 Jun 2016 18:00",false,Abendlauf,"2,10",300,00:12:00\n',
    # Strava in Spanish, Italian, Dutch and Portuguese
    "ID de actividad,Fecha de la actividad,Nombre de la actividad,Tipo de actividad,"
    'Tiempo transcurrido,Distancia\n5,"10 jun 2016, 16:00:00",Abendlauf,Carrera,720,"2,10"\n',
    "ID attività,Data attività,Nome attività,Tipo attività,Tempo trascorso,Distanza\n"
    '5,"10 giu 2016, 16:00:00",Abendlauf,Corsa,720,"2,10"\n',
    "Activiteit-ID,Activiteitsdatum,Activiteitsnaam,Activiteitstype,Verstreken tijd,Afstand\n"
    '5,"10 jun 2016, 16:00:00",Abendlauf,Hardlopen,720,"2,10"\n',
    "ID da atividade,Data da atividade,Nome da atividade,Tipo de atividade,Tempo decorrido,"
    'Distância\n5,"10 jun 2016, 16:00:00",Abendlauf,Corrida,720,"2,10"\n',
])
def test_exports_in_other_languages_are_recognised(cli, tmp_path, export):
    (tmp_path / "export.csv").write_text(export)
    imported(cli, str(tmp_path / "export.csv"), "--units", "km")
    (run,) = activities(cli)
    assert (run["at"], run["distance_km"], run["note"]) == (
        "2016-06-10T18:00:00+02:00", 2.1, "Abendlauf")
    assert run["kind"] == "run"


def test_a_multisport_tcx_gives_one_activity_per_leg(cli, tmp_path):
    lap = ('<Lap StartTime="{t}"><TotalTimeSeconds>600</TotalTimeSeconds>'
           "<DistanceMeters>{m}</DistanceMeters><Track><Trackpoint><Time>{t}</Time></Trackpoint>"
           "</Track></Lap>")
    tcx = (
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities><MultiSportSession><Id>2016-06-10T06:00:00Z</Id>'
        '<FirstSport><Activity Sport="Running"><Id>2016-06-10T06:00:00Z</Id>'
        + lap.format(t="2016-06-10T06:00:00Z", m=2000)
        + '</Activity></FirstSport><NextSport><Transition StartTime="2016-06-10T06:10:00Z">'
        "<TotalTimeSeconds>60</TotalTimeSeconds></Transition>"
        '<Activity Sport="Biking"><Id>2016-06-10T06:11:00Z</Id>'
        + lap.format(t="2016-06-10T06:11:00Z", m=6000)
        + "</Activity></NextSport></MultiSportSession></Activities><Courses/>"
        "</TrainingCenterDatabase>"
    )
    (tmp_path / "brick.tcx").write_text(tcx)
    imported(cli, str(tmp_path / "brick.tcx"))
    assert sorted(a["kind"] for a in activities(cli)) == ["cycle", "run"]


def test_a_zip_that_is_not_one_is_refused(cli, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("activities.csv", STRAVA_HEADER)
    (tmp_path / "cut.zip").write_bytes(buffer.getvalue()[:30])
    result = cli("import", str(tmp_path / "cut.zip"))
    assert result.exit_code == 2
    assert "cut.zip" in result.stderr
