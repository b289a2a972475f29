"""Reading activity files: real watch and app files against the values independent parsers
found (expected.json), small files written here, and every way a file can be refused."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.course_message import CourseMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrecover.activity_files import (
    Note,
    ParsedActivity,
    kind_for_sport,
    read,
    read_activities,
    sniff,
)
from runrecover.activity_files.csv_values import duration
from runrecover.activity_files.reading import number
from runrecover.errors import InputError

# Real files stay in the shared folder beside the repository; they are never copied in.
REAL = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text()) if REAL.is_dir() else {}
CSV_FILES = sorted(name for name, want in EXPECTED.items() if "rows" in want)
REFUSED_FILES = sorted(
    name for name, want in EXPECTED.items() if want.get("expected_outcome") == "refuse"
)
ACTIVITY_FILES = sorted(set(EXPECTED) - set(CSV_FILES) - set(REFUSED_FILES))
needs_real = pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/fixtures/real is absent"
)
# Sports that do not say what was done: the default kind applies (see `kinds`).
NOT_SAID = {None, "unknown", "generic"}


def expected_activities(name: str) -> list[dict]:
    """The activities expected.json lists for one file: its FIT sessions but transitions (not
    workouts of their own), its TCX activities, or the file's own values."""
    want = EXPECTED[name]
    if "sessions" in want:
        return [s for s in want["sessions"] if s["sport"] != "transition"]
    return want.get("activities", [want])


def expected_kind(want: dict, default: str) -> str:
    """A null kind in expected.json means no kind of runrecover's: the default where the file
    names no sport, "other" where it names one runrecover does not track (indoor rowing)."""
    if want["kind"] is not None:
        return want["kind"]
    return default if want["sport"] in NOT_SAID else "other"


def distance_matches(distance_km: float | None, want: dict) -> bool:
    if want["distance_km"] is None:
        return distance_km is None
    if "reference_library" in want or "multisport_part" in want:
        # Later references measured GPX on the WGS84 geodesic, not as gpxpy does: within 1 %.
        return distance_km == pytest.approx(want["distance_km"], rel=0.01)
    return round(distance_km, 3) == want["distance_km"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def refusal(path: Path, **options: str) -> str:
    """The message `read_activities` refuses `path` with; it always names the file."""
    with pytest.raises(InputError) as refused:
        read_activities(path, **options)
    message = str(refused.value)
    assert str(path) in message
    assert "\n" not in message
    return message


# Real files -----------------------------------------------------------------------------------


@needs_real
@pytest.mark.parametrize("name", ACTIVITY_FILES)
def test_a_real_file_reads_as_the_independent_parsers_read_it(name: str) -> None:
    activities = read_activities(REAL / name)
    wanted = expected_activities(name)
    assert len(activities) == len(wanted)
    for activity, want in zip(activities, wanted, strict=True):
        assert activity.start == at(want["start_utc"])
        assert activity.start.utcoffset() == timedelta(0)
        assert distance_matches(activity.distance_km, want)
        assert activity.elapsed_s == pytest.approx(want["elapsed_s"], abs=0.01)
        if want["moving_s"] is None:
            assert activity.moving_s is None
        else:
            assert activity.moving_s == pytest.approx(want["moving_s"], abs=0.01)
        assert activity.sport == want["sport"]
        # A file that does not say what it holds is taken for a run, runrecover's default.
        assert activity.kind == expected_kind(want, "run")


@needs_real
@pytest.mark.parametrize("name", ACTIVITY_FILES)
def test_the_default_kind_applies_only_where_the_file_does_not_say(name: str) -> None:
    activities = read_activities(REAL / name, default_kind="walk")
    assert [a.kind for a in activities] == [
        expected_kind(want, "walk") for want in expected_activities(name)
    ]


@needs_real
@pytest.mark.parametrize("name", REFUSED_FILES)
def test_a_real_file_with_no_recorded_activity_is_refused_saying_why(name: str) -> None:
    why = {"workout": "it is a FIT workout (planned steps), not a recorded activity",
           None: "only 5 of its 296 track points have a time"}[EXPECTED[name].get("file_type")]
    assert why in refusal(REAL / name)


def csv_kinds(row: dict) -> set[str]:
    """The kinds a row may take: its `kind`, and "other" where expected.json allows it."""
    kind, _, remark = row["kind"].partition(" ")
    return {kind, "other"} if '"other" acceptable' in remark else {kind}


def csv_distance_km(row: dict) -> float:
    if "distance_m" in row:
        return row["distance_m"] / 1000
    if "distance_km" in row:
        return row["distance_km"]
    return row["distance"] * {"km": 1.0, "mi": 1.609344}[row["distance_unit"]]


@needs_real
@pytest.mark.parametrize("name", CSV_FILES)
def test_every_row_of_a_real_csv_export_reads_as_expected(name: str) -> None:
    want = EXPECTED[name]
    activities = read_activities(REAL / name)
    assert len(activities) == want["row_count"]
    for activity, row in zip(activities, want["rows"], strict=True):
        assert activity.start == at(row["start_utc"])
        assert activity.sport == row["type"]
        assert activity.kind in csv_kinds(row)
        # expected.json rounds distance_km to 3 decimals (62.3645 is written 62.364).
        tolerance = 0.00051 if "distance_km" in row else 1e-6
        assert activity.distance_km == pytest.approx(csv_distance_km(row), abs=tolerance)
        assert activity.elapsed_s == pytest.approx(row["elapsed_s"], abs=0.01)
        assert activity.moving_s == pytest.approx(row["moving_s"], abs=0.01)
        if "name" in row:
            assert activity.name == row["name"].strip()
        assert activity.source_id == row.get("id", activity.source_id)
        assert activity.source_id is not None


@needs_real
def test_the_strava_row_keeps_strava_s_id_and_date() -> None:
    [row] = read_activities(REAL / "strava-export-activities.csv")
    assert row.source == "strava-csv"
    assert row.source_id == "12070555079"
    assert row.start == datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)


@needs_real
def test_the_garmin_export_keeps_activity_ids_and_reads_empty_cells_as_missing() -> None:
    rows = read_activities(REAL / "garmin-connect-export-activities.csv")
    assert [row.source_id for row in rows][:3] == ["1790839661", "1778193015", "1765395704"]
    assert rows[0].avg_hr is None  # an empty cell
    assert rows[3].avg_hr == 162
    assert {row.source for row in rows} == {"garmin-csv"}


@needs_real
def test_one_run_recorded_by_a_watch_and_exported_by_strava_reads_the_same() -> None:
    [watch] = read_activities(REAL / "garmin-venusq-run.fit")
    [strava] = read_activities(REAL / "strava-export-activities.csv")
    assert watch.start == strava.start
    assert watch.distance_km == pytest.approx(strava.distance_km, abs=0.001)


@needs_real
def test_a_tcx_with_spaces_before_its_xml_declaration_reads_like_the_original() -> None:
    spaced = REAL / "garmin-fr410-run-leading-ws.tcx"
    assert spaced.read_bytes().startswith(b" " * 10 + b"<?xml")
    assert sniff(spaced.read_bytes()) == "tcx"
    assert read_activities(spaced) == read_activities(REAL / "garmin-fr410-run.tcx")


@needs_real
def test_the_tcx_keeps_its_last_trackpoint_that_has_no_position() -> None:
    [activity] = read_activities(REAL / "garmin-fr410-run.tcx")
    assert activity.start + timedelta(seconds=activity.elapsed_s) == datetime(
        2012, 12, 26, 22, 3, 5, tzinfo=UTC
    )


@needs_real
def test_a_gpx_with_four_tracks_is_one_activity() -> None:
    activities = read_activities(REAL / "gpsbabel-multitrack.gpx")
    assert len(activities) == 1
    assert activities[0].elapsed_s == 13381


@needs_real
def test_gpx_times_with_an_offset_become_utc() -> None:
    [walk] = read_activities(REAL / "opentracks-walk.gpx", default_kind="walk")
    assert walk.start == datetime(2025, 8, 30, 7, 44, 12, 15000, tzinfo=UTC)
    assert walk.kind == "walk"
    assert walk.sport == "unknown"


@needs_real
def test_a_fit_course_is_refused_as_a_course() -> None:
    message = refusal(REAL / "course-not-activity.fit")
    assert "course" in message
    assert "not a recorded activity" in message


@needs_real
def test_a_gpx_route_without_times_is_refused() -> None:
    message = refusal(REAL / "route-without-times.gpx")
    assert "route with no times" in message
    assert "nothing to place on a date" in message


@needs_real
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("garmin-fr110-run.fit", "fit"),
        ("opentracks-walk.gpx", "gpx"),
        ("garmin-fr410-run.tcx", "tcx"),
        ("strava-export-activities.csv", "strava-csv"),
        ("garmin-connect-export-activities.csv", "garmin-csv"),
        ("course-not-activity.fit", "fit"),
    ],
)
def test_real_files_are_recognised_by_content(name: str, kind: str) -> None:
    assert sniff((REAL / name).read_bytes()) == kind


# FIT files written here -----------------------------------------------------------------------

START = datetime(2024, 3, 5, 6, 30, tzinfo=UTC)


def ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def fit_file(*sessions: dict[str, object], file_type: FileType = FileType.ACTIVITY) -> bytes:
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = file_type
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1234
    file_id.time_created = ms(START)
    builder.add(file_id)
    if file_type == FileType.COURSE:
        course = CourseMessage()
        course.course_name = "Sunday loop"
        course.sport = Sport.RUNNING
        builder.add(course)
    for fields in sessions:
        session = SessionMessage()
        for name, value in fields.items():
            setattr(session, name, value)
        builder.add(session)
    return builder.build().to_bytes()


def run_session(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "timestamp": ms(START + timedelta(hours=1)),
        "start_time": ms(START),
        "sport": Sport.RUNNING,
        "sub_sport": SubSport.GENERIC,
        "total_distance": 8000.0,
        "total_elapsed_time": 2800.5,
        "total_timer_time": 2710.0,
        "avg_heart_rate": 151,
        "workout_rpe": 60,
    }
    return fields | changes


def test_a_fit_activity_gives_its_session(tmp_path: Path) -> None:
    [activity] = read_activities(write(tmp_path, "run.fit", fit_file(run_session())))
    assert activity == ParsedActivity(
        kind="run",
        sport="running",
        start=START,
        distance_km=8.0,
        elapsed_s=2800.5,
        moving_s=2710.0,
        avg_hr=151.0,
        rpe=6,
        name=None,
        source="fit",
        source_id="1234-20240305T063000Z",
    )


def test_each_fit_session_is_an_activity_and_the_sub_sport_refines_the_kind(
    tmp_path: Path,
) -> None:
    gym = run_session(
        start_time=ms(START + timedelta(hours=2)),
        sport=Sport.TRAINING,
        sub_sport=SubSport.STRENGTH_TRAINING,
        total_distance=0.0,
    )
    run, strength = read_activities(write(tmp_path, "brick.fit", fit_file(run_session(), gym)))
    assert (run.kind, strength.kind, strength.sport) == ("run", "strength", "training")
    assert strength.distance_km is None
    assert (run.source_id, strength.source_id) == (
        "1234-20240305T063000Z/1",
        "1234-20240305T063000Z/2",
    )


@pytest.mark.parametrize(("stored", "rpe"), [(0, None), (10, 1), (45, 5), (100, 10), (120, None)])
def test_fit_perceived_effort_is_read_on_the_1_to_10_scale(
    tmp_path: Path, stored: int, rpe: int | None
) -> None:
    path = write(tmp_path, "rpe.fit", fit_file(run_session(workout_rpe=stored)))
    assert read_activities(path)[0].rpe == rpe


def test_a_generic_fit_sport_takes_the_default_kind(tmp_path: Path) -> None:
    path = write(tmp_path, "generic.fit", fit_file(run_session(sport=Sport.GENERIC)))
    assert read_activities(path)[0].kind == "run"
    assert read_activities(path, default_kind="swim")[0].kind == "swim"


def test_a_fit_course_written_here_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "loop.fit", fit_file(file_type=FileType.COURSE))
    assert sniff(path.read_bytes()) == "fit"
    assert "is a FIT course (a planned route), not a recorded activity" in refusal(path)


def test_a_fit_activity_without_a_session_is_refused(tmp_path: Path) -> None:
    assert "no session" in refusal(write(tmp_path, "crashed.fit", fit_file()))


def test_a_truncated_fit_file_is_refused(tmp_path: Path) -> None:
    data = fit_file(run_session())
    assert "truncated" in refusal(write(tmp_path, "cut.fit", data[: len(data) - 20]))


def test_a_fit_file_cut_after_its_summary_is_read_with_a_note(tmp_path: Path) -> None:
    data = fit_file(run_session())
    reading = read(data[:-1], "cut.fit")
    assert reading.activities == read(data, "whole.fit").activities
    assert reading.notes == [Note("the FIT file is truncated (it ends in the middle of a "
                                  "record); its summary was read all the same")]


def test_bytes_after_a_whole_fit_file_are_said_not_fatal(tmp_path: Path) -> None:
    data = fit_file(run_session())
    reading = read(data + b"\x00garbage", "tail.fit")
    assert reading.activities == read(data, "whole.fit").activities
    assert "ends with bytes that are not FIT" in reading.notes[0].text


def fit_crc(data: bytes) -> int:
    """The FIT SDK's own nibble-wise CRC, written independently of the reader's."""
    table = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]
    crc = 0
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = table[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ table[nibble]
    return crc


def big_endian_fit() -> bytes:
    """A FIT activity whose definition messages declare big-endian fields, as the protocol
    allows (fit-tool writes only little-endian)."""
    fit_epoch = datetime(1989, 12, 31, tzinfo=UTC)
    created = int((START - fit_epoch).total_seconds())

    def definition(local: int, number: int, fields: list[tuple[int, int, int]]) -> bytes:
        return (bytes([0x40 | local, 0, 1]) + number.to_bytes(2, "big") + bytes([len(fields)])
                + b"".join(bytes(field) for field in fields))

    records = definition(0, 0, [(0, 1, 0x00), (3, 4, 0x8C), (4, 4, 0x86)])
    records += bytes([0, 4]) + (1234).to_bytes(4, "big") + created.to_bytes(4, "big")
    records += definition(1, 18, [(2, 4, 0x86), (5, 1, 0x00), (7, 4, 0x86), (8, 4, 0x86),
                                  (9, 4, 0x86)])
    records += (bytes([1]) + created.to_bytes(4, "big") + bytes([1])
                + (2_800_500).to_bytes(4, "big") + (2_710_000).to_bytes(4, "big")
                + (800_000).to_bytes(4, "big"))
    header = bytes([14, 0x20]) + (2100).to_bytes(2, "little")
    header += len(records).to_bytes(4, "little") + b".FIT"
    body = header + fit_crc(header).to_bytes(2, "little") + records
    return body + fit_crc(body).to_bytes(2, "little")


def test_a_fit_file_with_big_endian_definitions_is_read(tmp_path: Path) -> None:
    [run] = read_activities(write(tmp_path, "big.fit", big_endian_fit()))
    assert (run.kind, run.start, run.distance_km, run.elapsed_s, run.moving_s) == (
        "run", START, 8.0, 2800.5, 2710.0)
    assert run.source_id == "1234-20240305T063000Z"


def test_a_damaged_fit_file_is_refused(tmp_path: Path) -> None:
    data = bytearray(fit_file(run_session()))
    data[-6] ^= 0xFF  # inside the last record, so only the checksum can tell
    assert "damaged" in refusal(write(tmp_path, "flipped.fit", bytes(data)))


# GPX written here -----------------------------------------------------------------------------

GPX_RUN = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
  <trk><name>Evening run</name><type>running</type><trkseg>
    <trkpt lat="48.00" lon="2.0"><time>2024-06-14T20:00:00+02:00</time>
      <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr>
      </gpxtpx:TrackPointExtension></extensions></trkpt>
    <trkpt lat="48.01" lon="2.0"><time>2024-06-14T20:06:00+02:00</time>
      <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>150</gpxtpx:hr>
      </gpxtpx:TrackPointExtension></extensions></trkpt>
  </trkseg></trk>
</gpx>
"""


def test_a_gpx_track_gives_start_span_distance_and_heart_rate(tmp_path: Path) -> None:
    [activity] = read_activities(write(tmp_path, "run.gpx", GPX_RUN))
    assert activity.start == datetime(2024, 6, 14, 18, 0, tzinfo=UTC)
    assert activity.elapsed_s == 360
    assert activity.moving_s is None
    assert activity.distance_km == pytest.approx(1.113, abs=0.001)
    assert activity.avg_hr == 145
    assert (activity.kind, activity.sport, activity.name) == ("run", "running", "Evening run")
    assert (activity.source, activity.source_id) == ("gpx", None)


def test_a_gpx_may_start_with_a_byte_order_mark_and_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, "strava.gpx", b"\xef\xbb\xbf  \n " + GPX_RUN.encode())
    assert sniff(path.read_bytes()) == "gpx"
    assert read_activities(path)[0].start == datetime(2024, 6, 14, 18, 0, tzinfo=UTC)


def test_a_gpx_in_latin_1_is_read_in_its_declared_encoding(tmp_path: Path) -> None:
    text = GPX_RUN.replace("UTF-8", "ISO-8859-1").replace("Evening run", "Soirée")
    path = write(tmp_path, "latin.gpx", text.encode("latin-1"))
    assert read_activities(path)[0].name == "Soirée"


def test_the_tracks_of_one_gpx_are_one_activity(tmp_path: Path) -> None:
    second_track = (
        '<trk><trkseg><trkpt lat="48.02" lon="2.0"><time>2024-06-14T18:30:00Z</time></trkpt>'
        '<trkpt lat="48.03" lon="2.0"><time>2024-06-14T18:40:00Z</time></trkpt></trkseg></trk>'
    )
    path = write(tmp_path, "two.gpx", GPX_RUN.replace("</gpx>", second_track + "</gpx>"))
    [activity] = read_activities(path)
    assert activity.elapsed_s == 40 * 60
    assert activity.distance_km == pytest.approx(2.226, abs=0.001)


def test_a_gpx_without_a_type_takes_the_default_kind(tmp_path: Path) -> None:
    path = write(tmp_path, "untyped.gpx", GPX_RUN.replace("<type>running</type>", ""))
    assert read_activities(path)[0].kind == "run"
    assert read_activities(path, default_kind="walk")[0].kind == "walk"


@pytest.mark.parametrize(
    ("sport", "kind"), [("hiking", "walk"), ("biking", "cycle"), ("kayaking", "other")]
)
def test_a_gpx_type_maps_to_a_kind(tmp_path: Path, sport: str, kind: str) -> None:
    path = write(tmp_path, "typed.gpx", GPX_RUN.replace(">running<", f">{sport}<"))
    assert read_activities(path, default_kind="swim")[0].kind == kind


def test_a_gpx_route_is_refused(tmp_path: Path) -> None:
    route = (
        '<?xml version="1.0"?><gpx version="1.1" creator="planner"><rte>'
        '<rtept lat="48.0" lon="2.0"/><rtept lat="48.1" lon="2.0"/></rte></gpx>'
    )
    assert "route with no times" in refusal(write(tmp_path, "plan.gpx", route))


def test_a_gpx_with_only_waypoints_is_refused(tmp_path: Path) -> None:
    waypoints = '<gpx version="1.1" creator="x"><wpt lat="48.0" lon="2.0"/></gpx>'
    assert "no track points" in refusal(write(tmp_path, "spots.gpx", waypoints))


def test_a_broken_gpx_is_refused(tmp_path: Path) -> None:
    assert "GPX" in refusal(write(tmp_path, "broken.gpx", GPX_RUN[: len(GPX_RUN) // 2]))


# TCX written here -----------------------------------------------------------------------------

TCX_RIDE = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
  <Activities>
    <Activity Sport="Biking">
      <Id>2024-06-14T06:00:00Z</Id>
      <Lap StartTime="2024-06-14T06:00:00Z">
        <TotalTimeSeconds>300</TotalTimeSeconds><DistanceMeters>1000</DistanceMeters>
        <AverageHeartRateBpm><Value>120</Value></AverageHeartRateBpm>
        <Track><Trackpoint><Time>2024-06-14T06:00:00Z</Time></Trackpoint></Track>
      </Lap>
      <Lap StartTime="2024-06-14T06:05:00Z">
        <TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>2000</DistanceMeters>
        <AverageHeartRateBpm><Value>150</Value></AverageHeartRateBpm>
        <Track><Trackpoint><Time>2024-06-14T06:16:00Z</Time></Trackpoint></Track>
      </Lap>
    </Activity>
  </Activities>
</TrainingCenterDatabase>
"""


def test_a_tcx_activity_sums_its_laps(tmp_path: Path) -> None:
    [activity] = read_activities(write(tmp_path, "ride.tcx", TCX_RIDE))
    assert activity == ParsedActivity(
        kind="cycle",
        sport="Biking",
        start=datetime(2024, 6, 14, 6, 0, tzinfo=UTC),
        distance_km=3.0,
        elapsed_s=16 * 60,
        moving_s=900.0,
        avg_hr=140.0,  # weighted by lap time
        rpe=None,
        name=None,
        source="tcx",
        source_id=None,
    )


def test_a_tcx_other_sport_is_what_the_file_says_whatever_the_default(tmp_path: Path) -> None:
    # Garmin writes a cross-country ski as Sport="Other": a walk it is not.
    path = write(tmp_path, "other.tcx", TCX_RIDE.replace('"Biking"', '"Other"'))
    assert read_activities(path)[0].kind == "other"
    assert read_activities(path, default_kind="walk")[0].kind == "other"


def test_each_leg_of_a_tcx_multisport_session_is_an_activity(tmp_path: Path) -> None:
    run_leg = TCX_RIDE.split("<Activities>")[1].split("</Activities>")[0]
    run_leg = run_leg.replace('"Biking"', '"Running"').replace("06:", "05:")
    multisport = TCX_RIDE.replace(
        "<Activities>",
        "<Activities><MultiSportSession><Id>2024-06-14T05:00:00Z</Id><FirstSport>"
        + run_leg
        + "</FirstSport><NextSport><Transition StartTime=\"2024-06-14T05:16:00Z\">"
        "<TotalTimeSeconds>120</TotalTimeSeconds><DistanceMeters>0</DistanceMeters>"
        "</Transition>",
    ).replace("</Activities>", "</NextSport></MultiSportSession></Activities><Courses/>")
    run, ride = read_activities(write(tmp_path, "brick.tcx", multisport))
    assert (run.kind, run.start, run.distance_km) == (
        "run", datetime(2024, 6, 14, 5, 0, tzinfo=UTC), 3.0)
    assert (ride.kind, ride.start) == ("cycle", datetime(2024, 6, 14, 6, 0, tzinfo=UTC))


def test_a_tcx_course_is_refused(tmp_path: Path) -> None:
    course = TCX_RIDE.replace("Activities>", "Courses>").replace("Activity ", "Course ")
    course = course.replace("</Activity>", "</Course>")
    assert "TCX course" in refusal(write(tmp_path, "course.tcx", course))


def test_a_broken_tcx_is_refused(tmp_path: Path) -> None:
    assert "not well-formed XML" in refusal(write(tmp_path, "cut.tcx", TCX_RIDE[:400]))


def test_a_tcx_with_an_unreadable_time_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "time.tcx", TCX_RIDE.replace("2024-06-14T06:16:00Z", "later"))
    assert "'later'" in refusal(path)


# CSV exports written here ---------------------------------------------------------------------

STRAVA = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,"
    "Elapsed Time,Moving Time,Distance,Average Heart Rate,Perceived Exertion\n"
    '1,"Jun 14, 2024, 6:05:00 AM",Morning Run,Run,1800,"5,01",1800.0,1750.0,5012.5,151.5,6.0\n'
    '2,"Jun 15, 2024, 12:30:00 PM",Gym,Weight Training,3600,0.0,3600.0,3600.0,,,\n'
    '3,"Jun 16, 2024, 12:10:00 AM","Trail, night",Trail Run,600,1.2,600.0,590.0,1200.0,,\n'
)


def test_a_strava_export_reads_row_by_row(tmp_path: Path) -> None:
    run, gym, trail = read_activities(write(tmp_path, "activities.csv", STRAVA))
    assert run == ParsedActivity(
        kind="run",
        sport="Run",
        start=datetime(2024, 6, 14, 6, 5, tzinfo=UTC),
        distance_km=5.0125,  # from the metres column
        elapsed_s=1800.0,
        moving_s=1750.0,
        avg_hr=151.5,
        rpe=6,
        name="Morning Run",
        source="strava-csv",
        source_id="1",
        line=2,  # the header is line 1
    )
    assert (gym.kind, gym.start.hour, gym.distance_km, gym.avg_hr) == ("strength", 12, None, None)
    assert (trail.kind, trail.name, trail.start.hour) == ("run", "Trail, night", 0)


def test_a_german_strava_export_reads_like_an_english_one(tmp_path: Path) -> None:
    german = (
        "Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,Aktivitätsart,Verstrichene Zeit,"
        "Distanz,Verstrichene Zeit,Bewegungszeit,Distanz\n"
        '7,"29.05.2022, 15:53:35",Feierabendrunde,Lauf,1428,"3,32",1428.0,1411.0,3322.9\n'
    )
    [run] = read_activities(write(tmp_path, "aktivitaeten.csv", german))
    assert (run.kind, run.start, run.distance_km) == (
        "run",
        datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC),
        pytest.approx(3.3229),
    )


def test_a_french_strava_export_reads_like_an_english_one(tmp_path: Path) -> None:
    french = (
        "ID de l'activité,Date de l'activité,Nom de l'activité,Type d'activité,"
        "Temps écoulé,Distance\n"
        '9,"29 mai 2022, 15:53:35",Sortie,Course à pied,1428,"3,32"\n'
    )
    [run] = read_activities(write(tmp_path, "activites.csv", french))
    assert (run.kind, run.start, run.distance_km) == (
        "run",
        datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC),
        3.32,
    )


def test_a_strava_row_with_an_unreadable_date_costs_that_row_only(tmp_path: Path) -> None:
    data = STRAVA.replace("Jun 15, 2024, 12:30:00 PM", "Someday").encode()
    reading = read(data, "bad-date.csv")
    assert [a.source_id for a in reading.activities] == ["1", "3"]
    assert reading.notes == [Note("its date 'Someday' cannot be read", 3, "2", skipped=True)]


def test_a_strava_row_with_an_unreadable_distance_costs_that_row_only(tmp_path: Path) -> None:
    reading = read(STRAVA.replace("5012.5", "five km").encode(), "bad-distance.csv")
    assert [a.source_id for a in reading.activities] == ["2", "3"]
    assert reading.notes == [Note("its distance 'five km' cannot be read", 2, "1", skipped=True)]


GCEXPORT = (
    '"Start Time","Activity ID","Activity Name","Description","Activity Type",'
    '"Distance (km)","Elapsed Duration (h:m:s)","Moving Duration (h:m:s)",'
    '"Average Heart Rate (bpm)"\n'
    '"2017-06-11T11:02:22+02:00","1","Höhenweg","a long day\nwith rain","Hiking","7,00",'
    '"03:13:22","02:22:51","--"\n'
    '"2016-01-09T16:56:48+01:00","2","Runtastic","","Uncategorized","12.02664",'
    '"01:17:21","01:16:33","130"\n'
)


def test_a_garmin_connect_export_script_csv_reads_row_by_row(tmp_path: Path) -> None:
    hike, other = read_activities(write(tmp_path, "activities.csv", GCEXPORT))
    assert hike == ParsedActivity(
        kind="walk",
        sport="Hiking",
        start=datetime(2017, 6, 11, 9, 2, 22, tzinfo=UTC),
        distance_km=7.0,
        elapsed_s=11602.0,
        moving_s=8571.0,
        avg_hr=None,
        rpe=None,
        name="Höhenweg",
        source="garmin-csv",
        source_id="1",
        line=2,  # the header is line 1
    )
    assert (other.kind, other.avg_hr) == ("other", 130.0)


CONNECT = (
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,"
    "Moving Time,Elapsed Time\n"
    'Running,2024-06-14 07:15:00,false,"Paris Running","10.02","612","00:52:10","151","170",'
    '"00:51:58","00:53:02"\n'
    'Pool Swim,2024-06-15 18:00:00,false,"Pool Swim","1,500","400","00:35:00","--","--",'
    '"00:33:00","00:40:00"\n'
    'Treadmill Running,2024-01-16 19:00:00,false,"Intervals, 6x400","5,81","380",'
    '"00:28:10.5","155","178","00:28:10.5","00:28:10.5"\n'
)


def test_garmin_connect_s_own_csv_reads_local_times_in_the_runner_s_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    path = write(tmp_path, "Activities.csv", CONNECT)
    run, swim, treadmill = read_activities(path, units="km")
    assert run.start == datetime(2024, 6, 14, 5, 15, tzinfo=UTC)  # summer time
    assert treadmill.start == datetime(2024, 1, 16, 18, 0, tzinfo=UTC)  # winter time
    assert (run.kind, run.distance_km, run.elapsed_s, run.moving_s) == ("run", 10.02, 3182, 3118)
    assert (swim.kind, swim.distance_km, swim.avg_hr) == ("swim", 1.5, None)
    assert (treadmill.kind, treadmill.distance_km, treadmill.elapsed_s) == ("run", 5.81, 1690.5)
    assert (run.source, run.source_id, run.name) == ("garmin-csv", None, "Paris Running")


# Garmin Connect's own export on a US account: miles under a plain "Distance", feet for stride.
CONNECT_US = (
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Avg Pace,"
    "Avg Stride Length,Steps\n"
    "Running,2024-06-14 07:15:00,false,Easy,2.02,300,00:20:00,140,9:54,3.35,3184\n"
    "Running,2024-06-15 07:15:00,false,Long,6.21,900,01:00:00,145,9:40,3.41,9616\n"
)


def test_garmin_connect_miles_are_known_by_steps_and_stride(tmp_path: Path) -> None:
    path = write(tmp_path, "Activities.csv", CONNECT_US)
    easy, long = read_activities(path)
    assert easy.distance_km == pytest.approx(2.02 * 1.609344)
    assert long.distance_km == pytest.approx(6.21 * 1.609344)
    assert "not in kilometres as --units says" in refusal(path, units="km")


def test_garmin_connect_kilometres_are_known_by_steps_and_stride(tmp_path: Path) -> None:
    metric = CONNECT_US.replace("2.02,", "3.25,").replace("3.35,", "1.02,")
    [easy, _] = read_activities(write(tmp_path, "Activities.csv", metric.replace(
        "6.21,", "10.0,").replace("3.41,", "1.04,")))
    assert easy.distance_km == pytest.approx(3.25)


def test_garmin_connect_distances_that_cannot_say_their_unit_need_units(tmp_path: Path) -> None:
    path = write(tmp_path, "Activities.csv", CONNECT)
    assert "give --units km or --units mi" in refusal(path)
    assert read_activities(path, units="mi")[0].distance_km == pytest.approx(10.02 * 1.609344)


def test_an_export_with_no_rows_holds_no_activity(tmp_path: Path) -> None:
    header = STRAVA.splitlines()[0] + "\n"
    assert read_activities(write(tmp_path, "none.csv", header)) == []


# Files that are not activities ----------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "it is empty"),
        (b"  \n", "it is empty"),
        (PNG, "neither a FIT file nor text"),
        (
            b"Activity ID,Activity Date,Activity Type\n1,\xff\xfe,Run\n",
            "it is a Strava activities CSV but byte 42 is not UTF-8 text",
        ),
        ("name,date\nrun,today\n", "none of the files runrecover imports"),
        ('<?xml version="1.0"?><kml><Document/></kml>', "its root is <kml>"),
        ('{"activities": []}', "not a runrecover export"),
        ("{not json", "not valid JSON"),
        ('{"format": "runrecover", "version": 1}', "runrecover JSON export, not an activity"),
    ],
)
def test_a_file_that_is_not_an_activity_file_is_refused(
    tmp_path: Path, content: str | bytes, problem: str
) -> None:
    assert problem in refusal(write(tmp_path, "upload.dat", content))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert "cannot be opened" in refusal(tmp_path / "nowhere.gpx")


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (fit_file(run_session()), "fit"),
        (GPX_RUN, "gpx"),
        ("\n  " + TCX_RIDE, "tcx"),
        (STRAVA, "strava-csv"),
        ("\ufeff" + STRAVA, "strava-csv"),
        (GCEXPORT, "garmin-csv"),
        (CONNECT, "garmin-csv"),
        ('{"format": "runrecover", "version": 1, "activities": []}', "runrecover-json"),
    ],
)
def test_sniff_knows_each_format_by_its_content(content: str | bytes, kind: str) -> None:
    assert sniff(content.encode() if isinstance(content, str) else content) == kind


@pytest.mark.parametrize("garbage", [b"", PNG, b"hello", b"<html><body/></html>", b"[1, 2]"])
def test_sniff_refuses_garbage_naming_the_file(garbage: bytes) -> None:
    with pytest.raises(InputError, match="upload.bin"):
        sniff(garbage, "upload.bin")


# Kinds and values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sport", "default", "kind"),
    [
        ("Run", None, "run"),
        ("Trail Run", None, "run"),
        ("Virtual Run", None, "run"),
        ("Treadmill Running", None, "run"),
        ("trail_running", None, "run"),
        ("Walk", None, "walk"),
        ("Hike", None, "walk"),
        ("Hiking", None, "walk"),
        ("Ride", None, "cycle"),
        ("Virtual Ride", None, "cycle"),
        ("E-Bike Ride", None, "cycle"),
        ("Gravel Ride", None, "cycle"),
        ("Mountain Bike Ride", None, "cycle"),
        ("Biking", None, "cycle"),
        ("Swim", None, "swim"),
        ("Lap Swimming", None, "swim"),
        ("Weight Training", None, "strength"),
        ("Workout", None, "strength"),
        ("Crossfit", None, "strength"),
        ("Yoga", None, "yoga"),
        ("Vélo", None, "cycle"),
        ("Course à pied", None, "run"),
        ("Kayaking", "run", "other"),
        ("Motorcycling", None, "other"),
        (None, None, "run"),
        ("unknown", "walk", "walk"),
        ("", "swim", "swim"),
        ("Uncategorized", None, "other"),
        ("Other", "walk", "other"),
        ("1", None, "cycle"),
        ("9", "walk", "run"),
        ("42", None, "other"),
    ],
)
def test_kind_for_sport(sport: str | None, default: str | None, kind: str) -> None:
    assert kind_for_sport(sport, default) == kind


def test_an_unknown_default_kind_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="default_kind"):
        read_activities(write(tmp_path, "run.gpx", GPX_RUN), default_kind="jogging")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7.0),
        ("7.25", 7.25),
        ("7,00", 7.0),
        ("1,500", 1500.0),
        ("1,024.5", 1024.5),
        ("1.024,5", 1024.5),
        ("-3", -3.0),
        ("nan", None),
        ("1e3", None),
        ("7 km", None),
        ("", None),
    ],
)
def test_numbers_are_read_with_either_decimal_mark(text: str, value: float | None) -> None:
    assert number(text) == value


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1428", 1428.0),
        ("1428.0", 1428.0),
        ("45:10", 2710.0),
        ("03:13:22", 11602.0),
        ("00:28:10.5", 1690.5),
        ("00:28:10,5", 1690.5),
        ("1:02:03", 3723.0),
        ("01:61:00", None),
        ("00:00:75", None),
        ("-5", None),
        ("soon", None),
    ],
)
def test_durations_are_read_as_seconds_or_clock_times(text: str, seconds: float | None) -> None:
    assert duration(text) == seconds


def test_reading_files_does_not_load_the_parsers_until_needed() -> None:
    code = (
        "import sys, runrecover.activity_files; "
        "print(sorted({'gpxpy', 'fitdecode'} & set(sys.modules)))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "[]"


# Whatever the bytes -------------------------------------------------------------------------

FIT_HEADER = fit_file(run_session())[:14]
any_content = st.one_of(
    st.binary(max_size=2048),
    st.binary(max_size=512).map(lambda tail: FIT_HEADER + tail),
    st.binary(max_size=512).map(lambda tail: b'<gpx version="1.1">' + tail),
    st.binary(max_size=512).map(lambda tail: b"<TrainingCenterDatabase>" + tail),
    st.text(max_size=200).map(lambda tail: (STRAVA.splitlines()[0] + "\n" + tail).encode()),
    st.text(max_size=200).map(lambda tail: (CONNECT.splitlines()[0] + "\n" + tail).encode()),
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=any_content)
def test_any_content_gives_activities_or_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "fuzz.dat", content)
    try:
        activities = read_activities(path)
    except InputError as error:
        assert str(path) in str(error)
    else:
        assert all(isinstance(activity, ParsedActivity) for activity in activities)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0, max_value=len(fit_file(run_session())) - 1))
def test_a_fit_file_cut_anywhere_is_refused_or_keeps_its_whole_summary(
    tmp_path: Path, cut: int
) -> None:
    whole = fit_file(run_session())
    path = write(tmp_path, "cut.fit", whole[:cut])
    try:
        reading = read(path.read_bytes(), str(path))
    except InputError as error:
        assert str(path) in str(error)
    else:
        assert reading.activities == read(whole, "whole.fit").activities
        assert "truncated" in reading.notes[0].text


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    date=st.text(max_size=30),
    distance=st.text(max_size=12),
    elapsed=st.text(max_size=12),
)
def test_any_cell_values_give_an_activity_or_an_input_error(
    tmp_path: Path, date: str, distance: str, elapsed: str
) -> None:
    line = ",".join('"' + cell.replace('"', '""') + '"' for cell in ("1", date, "x", "Run"))
    cells = ",".join('"' + cell.replace('"', '""') + '"' for cell in (elapsed, distance))
    content = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
    path = write(tmp_path, "cells.csv", content + line + "," + cells + "\n")
    try:
        read_activities(path)
    except InputError as error:
        assert str(path) in str(error)
