"""Hostile files given to `runrecover import` (issue 17, "Hostile files"): each is refused in
one sentence with exit 2 and nothing written, or read as far as it honestly can be and said
so; never a crash, a signal, memory in gigabytes, or a value quietly changed."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

GPX_HEAD = '<?xml version="1.0" encoding="{encoding}"?>\n<gpx version="1.1" creator="t">'
POINTS = (
    '<trkpt lat="46.80" lon="7.15"><time>2016-06-10T16:00:00Z</time></trkpt>'
    '<trkpt lat="46.81" lon="7.15"><time>2016-06-10T16:06:00Z</time></trkpt>'
)


def gpx(name: str = "Evening", points: str = POINTS, encoding: str = "UTF-8") -> str:
    return (GPX_HEAD.format(encoding=encoding)
            + f"<trk><name>{name}</name><type>running</type><trkseg>{points}</trkseg></trk></gpx>")


def activities(cli) -> list[dict]:
    return cli("export").json()["activities"]


def refused(cli, path: Path, *options: str) -> str:
    """The one sentence `import` refuses `path` with, after checking nothing was written."""
    result = cli("import", str(path), *options)
    assert result.exit_code == 2, result.stdout
    assert path.name in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert activities(cli) == []
    return " ".join(result.stderr.split())


# -- XML that attacks the parser --------------------------------------------------------------


def test_a_gpx_nested_160000_levels_deep_is_refused_in_a_subprocess(tmp_path):
    # Run as its own process: the crash this guards against was a SIGSEGV, not an exception.
    deep = tmp_path / "deep.gpx"
    deep.write_text('<?xml version="1.0"?><gpx version="1.1">' + "<trk>" * 160_000)
    db = tmp_path / "x.db"
    result = subprocess.run([sys.executable, "-m", "runrecover", "--db", str(db), "import",
                             str(deep)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "nests deeper than 32 levels" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("root", ["gpx", "TrainingCenterDatabase"])
def test_deep_nesting_is_refused_in_gpx_and_tcx(cli, tmp_path, root):
    path = tmp_path / "deep.xml"
    path.write_text(f'<?xml version="1.0"?><{root}>' + "<a>" * 5000 + "</a>" * 5000 + f"</{root}>")
    assert "nests deeper than 32 levels" in refused(cli, path)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<gpx version="1.1"><trk><name>&d;</name><trkseg>{points}</trkseg></trk></gpx>"""


def test_entity_expansion_is_refused(cli, tmp_path):
    path = tmp_path / "laughs.gpx"
    path.write_text(BILLION_LAUGHS.format(points=POINTS))
    assert "declares a DTD or entities" in refused(cli, path)


def test_an_external_entity_is_never_fetched(cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("health data")
    path = tmp_path / "xxe.tcx"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file://{secret}">]>'
                    "<TrainingCenterDatabase><Activities><Activity Sport=\"Running\">"
                    "<Id>&x;</Id></Activity></Activities></TrainingCenterDatabase>")
    message = refused(cli, path)
    assert "health data" not in message


# -- size -------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(cli, tmp_path):
    path = tmp_path / "huge.gpx"
    with path.open("wb") as sparse:
        sparse.truncate(65 * 1024 * 1024)  # no disk used, nothing read
    assert "more than 64 MB, the most runrecover reads from one activity file" in refused(
        cli, path)


def test_a_long_gpx_is_read_as_a_stream(tmp_path):
    """Memory stays near the file's size (gpxpy's object model took 17 times it)."""
    point = ('<trkpt lat="46.{i:06d}" lon="7.15"><ele>500</ele>'
             "<time>2016-06-10T{h:02d}:{m:02d}:{s:02d}Z</time></trkpt>")
    body = "".join(point.format(i=i, h=i // 3600 % 24, m=i // 60 % 60, s=i % 60)
                   for i in range(80_000))
    path = tmp_path / "long.gpx"
    path.write_text(GPX_HEAD.format(encoding="UTF-8")
                    + f"<trk><trkseg>{body}</trkseg></trk></gpx>")
    grown, elapsed = memory_and_elapsed(path)
    assert grown < 5  # times the file's size
    assert elapsed == 79_999


def memory_and_elapsed(path: Path) -> tuple[float, float]:
    """How many times its size reading the file grows memory, in a fresh process; and the
    activity's elapsed seconds."""
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from runrecover.activity_files import read_activities\n"
        "import defusedxml.ElementTree, gpxpy.geo\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "[a] = read_activities(Path(sys.argv[1]))\n"
        "grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before\n"
        "print(grown * 1024 / Path(sys.argv[1]).stat().st_size, a.elapsed_s)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                           text=True, check=True).stdout.split()
    return float(shown[0]), float(shown[1])


def test_a_long_tcx_is_read_as_a_stream(tmp_path):
    point = "<Trackpoint><Time>2016-06-10T{h:02d}:{m:02d}:{s:02d}Z</Time></Trackpoint>"
    body = "".join(point.format(h=i // 3600 % 24, m=i // 60 % 60, s=i % 60)
                   for i in range(80_000))
    path = tmp_path / "long.tcx"
    path.write_text('<?xml version="1.0"?><TrainingCenterDatabase><Activities>'
                    '<Activity Sport="Running"><Id>2016-06-10T00:00:00Z</Id><Lap><Track>'
                    f"{body}</Track></Lap></Activity></Activities></TrainingCenterDatabase>")
    grown, elapsed = memory_and_elapsed(path)
    assert grown < 5  # times the file's size
    assert elapsed == 79_999


# -- encodings, order, length -----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf_16_gpx_is_read_in_its_declared_encoding(cli, tmp_path, encoding):
    path = tmp_path / "wide.gpx"
    path.write_bytes(gpx(name="Soirée", encoding="UTF-16").encode(encoding))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    (run,) = activities(cli)
    assert (run["note"], run["duration_s"]) == ("Soirée", 360)


def test_a_gpx_going_back_in_time_is_refused_in_words(cli, tmp_path):
    backwards = POINTS + '<trkpt lat="46.82" lon="7.15"><time>2006-06-10T16:03:00Z</time></trkpt>'
    path = tmp_path / "backwards.gpx"
    path.write_text(gpx(points=backwards))
    message = refused(cli, path)
    assert "its track points go back in time in segment 1 of track 1" in message
    assert "2006-06-10 16:03:00 UTC comes after 2016-06-10 16:06:00 UTC" in message
    assert "years" not in message


def test_segments_in_any_order_are_not_going_back_in_time(cli, tmp_path):
    later = POINTS.replace("16:0", "17:0")
    path = tmp_path / "segments.gpx"
    path.write_text(gpx(points=later + "</trkseg><trkseg>" + POINTS))
    assert cli("import", str(path)).exit_code == 0
    assert activities(cli)[0]["duration_s"] == 3960


def test_an_overlong_track_name_is_shortened_with_a_note(cli, tmp_path):
    path = tmp_path / "long-name.gpx"
    path.write_text(gpx(name="x" * 12_000))
    result = cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "its name (12,000 characters) is shortened to 200" in " ".join(result.stderr.split())
    (run,) = activities(cli)
    assert run["note"] == "x" * 199 + "…"


STRAVA_ROW = ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
              '1,"Jun 10, 2016, 4:00:00 PM","{name}",Run,720,2.1\n')


def test_control_characters_in_a_name_do_not_cost_the_file(cli, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(STRAVA_ROW.format(name="Evening\x1b[31m run\x00"))
    assert cli("import", str(path)).exit_code == 0
    assert activities(cli)[0]["note"] == "Evening [31m run"


# -- formulas ---------------------------------------------------------------------------------


def test_a_leading_tab_is_kept_so_a_formula_stays_text(cli, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_text(STRAVA_ROW.format(name="\t=1+1"))
    assert cli("import", str(path)).exit_code == 0
    assert activities(cli)[0]["note"] == "\t=1+1"


def test_json_import_keeps_a_leading_tab(cli, tmp_path):
    document = {"format": "runrecover", "version": 1, "activities": [{
        "uid": "0b0e7a57-0000-4000-8000-000000000001", "kind": "run",
        "at": "2016-06-10T18:00:00+02:00", "time_known": True, "note": "\t=1+1"}]}
    (tmp_path / "x.json").write_text(json.dumps(document))
    assert cli("import", str(tmp_path / "x.json")).exit_code == 0
    assert activities(cli)[0]["note"] == "\t=1+1"


# -- JSON types -------------------------------------------------------------------------------

PAIN = {"uid": "0b0e7a57-0000-4000-8000-0000000000a1", "score": 3,
        "at": "2016-06-10T08:00:00+02:00", "time_known": True, "context": "morning"}
RUN = {"uid": "0b0e7a57-0000-4000-8000-0000000000b1", "kind": "run",
       "at": "2016-06-10T18:00:00+02:00", "time_known": True, "distance_km": 5.0}
TREATMENT = {"uid": "0b0e7a57-0000-4000-8000-0000000000c1", "kind": "physio",
             "at": "2016-06-10T10:00:00+02:00", "time_known": True}


def export_file(tmp_path: Path, **sections: list[dict]) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format": "runrecover", "version": 1, **sections}))
    return path


@pytest.mark.parametrize(("section", "entry", "field", "wanted", "given"), [
    ("pain", PAIN | {"score": True}, "score", "a whole number", "true"),
    ("pain", PAIN | {"score": "3"}, "score", "a whole number", '"3"'),
    ("pain", PAIN | {"score": 3.0}, "score", "a whole number", "3.0"),
    ("activities", RUN | {"distance_km": True}, "distance_km", "a number", "true"),
    ("activities", RUN | {"distance_km": "5"}, "distance_km", "a number", '"5"'),
    ("activities", RUN | {"time_known": "yes"}, "time_known", "true or false", '"yes"'),
    ("activities", RUN | {"time_known": 1}, "time_known", "true or false", "1"),
    ("activities", RUN | {"kind": 1}, "kind", "text", "1"),
    ("treatments", TREATMENT | {"no_run_days": "3"}, "no_run_days", "a whole number", '"3"'),
])
def test_json_values_of_the_wrong_type_are_refused_naming_entry_and_field(
        cli, tmp_path, section, entry, field, wanted, given):
    path = export_file(tmp_path, **{section: [entry]})
    message = refused(cli, path)
    assert f"{section}[0]: '{field}' must be {wanted}, not {given}." in message


INJURY = {"uid": "0b0e7a57-0000-4000-8000-0000000000d1", "name": "Achilles",
          "onset_on": "2016-06-01"}


@pytest.mark.parametrize(("section", "entry", "said"), [
    ("pain", PAIN | {"note": "sore\x1b[2J"}, "control character '\\x1b'"),
    ("pain", PAIN | {"note": "sore\x00"}, "control character '\\x00'"),
    ("activities", RUN | {"source_id": "a\tb"}, "control character '\\t'"),
    ("activities", RUN | {"kind": "run\u0085"}, "control character '\\x85'"),
    ("injuries", INJURY | {"name": "\u00a0\u200b"}, "is blank"),
    ("injuries", INJURY | {"name": "   "}, "is blank"),
    ("pain", PAIN | {"injury_uid": 5}, "injury_uid must be a string, not 5"),
    ("pain", PAIN | {"mood": "fine"}, "has fields runrecover does not know: mood"),
    ("pain", PAIN | {"score": 11}, "pain[0]"),
    ("activities", RUN | {"distance_km": float("nan")}, "activities[0]"),
])
def test_json_texts_and_fields_a_quick_check_passes_over_are_refused_as_before(
        cli, tmp_path, section, entry, said):
    """What the quick checks of a plain entry (ASCII text, JSON's own types, known fields)
    let through to the full ones is refused in the same one sentence."""
    message = refused(cli, export_file(tmp_path, **{section: [entry]}))
    assert said in message


def test_json_entries_of_plain_and_unusual_values_are_stored_as_given(cli, tmp_path):
    """Text beyond ASCII, a tab in a note, a whole number for a decimal field, an enum's
    value: stored and exported back as the file gave them."""
    run = RUN | {"note": "d\u00e9j\u00e0 vu \U0001f3c3\tthen \u2028 rest", "distance_km": 5,
                 "duration_s": 1800, "run_type": "easy", "source": "fit",
                 "source_id": "\u00e9t\u00e9-1"}
    day_only = RUN | {"uid": "0b0e7a57-0000-4000-8000-0000000000b3", "at": "2016-06-11",
                      "time_known": False}
    assert cli("import", str(export_file(tmp_path, activities=[run, day_only]))).exit_code == 0
    stored = {entry["uid"]: entry for entry in activities(cli)}
    got = stored[run["uid"]]
    assert (got["note"], got["source_id"], got["run_type"]) == (
        run["note"], run["source_id"], "easy")
    assert got["distance_km"] == 5.0 and isinstance(got["distance_km"], float)
    assert stored[day_only["uid"]]["at"] == "2016-06-11"
    assert stored[day_only["uid"]]["time_known"] is False


def test_an_export_matches_a_run_stored_from_a_watch_by_kind_and_time(cli, tmp_path):
    gpx_file = tmp_path / "run.gpx"
    gpx_file.write_text(gpx())
    assert cli("import", str(gpx_file)).exit_code == 0
    # The same run, as another runrecover database exported it (another uid, no distance).
    other = RUN | {"at": "2016-06-10T18:00:30+02:00", "duration_s": 350, "distance_km": None}
    huge = RUN | {"uid": "0b0e7a57-0000-4000-8000-0000000000b2", "duration_s": 1e300}
    result = cli("import", str(export_file(tmp_path, activities=[other])), "--json")
    assert result.json()["files"][0]["already"] == 1
    assert len(activities(cli)) == 1
    message = refused_keeping(cli, export_file(tmp_path, activities=[other, huge]))
    assert "activities[1]" in message


def refused_keeping(cli, path: Path) -> str:
    before = activities(cli)
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert activities(cli) == before
    return result.stderr


def test_a_uid_stored_with_other_content_is_reported(cli, tmp_path):
    """With --keep, as every import did before --replace: the stored one stays, said."""
    assert cli("import", str(export_file(tmp_path, activities=[RUN]))).exit_code == 0
    changed = export_file(tmp_path, activities=[RUN | {"distance_km": 8.0}])
    result = cli("import", str(changed), "--json", "--keep")
    assert result.exit_code == 0, result.stderr
    (report,) = result.json()["files"]
    assert (report["added"], report["already"]) == (0, 1)
    assert report["notes"] == [{
        "line": None, "id": None, "left_out": False,
        "note": f"activities[0] has the uid {RUN['uid']} of a stored activity with another "
                "distance (km): the stored one is kept"}]
    assert activities(cli)[0]["distance_km"] == 5.0
    shown = cli("import", str(changed), "--keep")
    assert "the stored one is kept" in " ".join(shown.stderr.split())


def test_the_same_export_twice_reports_no_clash(cli, tmp_path):
    path = export_file(tmp_path, activities=[RUN], pain=[PAIN], treatments=[TREATMENT])
    cli("import", str(path))
    again = cli("import", str(path), "--json").json()["files"][0]
    assert (again["already"], again["notes"]) == (3, [])
