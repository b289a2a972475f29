"""Export and import: versioned JSON, all-or-nothing, idempotent; CSV for spreadsheets."""

import json
import stat
import zipfile

import pytest


def _history(cli):
    cli("injury", "add", "left calf strain", "--part", "calf", "--since", "2016-06-01")
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00", "--by", "Dr Rossi")
    cli("pain", "3", "--context", "morning", "--on", "yesterday 7:00")
    cli("log", "8k", "45:10", "--on", "2016-06-10", "--pain", "2", "--note", "calf ok")
    cli("race", "add", "City 15K", "2016-06-19 09:30", "--distance", "15K")


def test_json_export_shape(cli):
    _history(cli)
    exported = cli("export").json()
    assert exported["format"] == "runrecover"
    assert exported["version"] == 1
    assert [len(exported[k]) for k in ("injuries", "treatments", "pain", "activities",
                                       "races")] == [1, 1, 1, 1, 1]
    run = exported["activities"][0]
    assert run["at"] == "2016-06-10"  # no time of day: a calendar date
    assert run["time_known"] is False
    assert run["distance_km"] == 8
    assert exported["treatments"][0]["injury_uid"] == exported["injuries"][0]["uid"]


def test_round_trip_twice_into_an_empty_database(cli, database, tmp_path, monkeypatch):
    _history(cli)
    export_file = tmp_path / "export.json"
    assert cli("export", "--output", str(export_file)).exit_code == 0
    assert stat.S_IMODE(export_file.stat().st_mode) == 0o600
    original = json.loads(export_file.read_text())

    monkeypatch.setenv("RUNRECOVER_DB", database("fresh.db"))
    first = cli("import", str(export_file), "--json")
    assert first.exit_code == 0, first.stderr
    assert first.json()["files"] == [{"file": str(export_file), "format": "runrecover-json",
                                      "added": 5, "improved": 0, "replaced": 0, "already": 0,
                                      "left_out": 0, "notes": []}]
    second = cli("import", str(export_file), "--json")
    assert second.json()["files"][0] | {"added": 0, "already": 5} == second.json()["files"][0]

    again = cli("export").json()
    for section in ("injuries", "treatments", "pain", "activities", "races"):
        assert again[section] == original[section]


def test_import_is_all_or_nothing(cli, tmp_path):
    _history(cli)
    document = cli("export").json()
    cli("undo", "--yes")  # the race
    document["activities"].append({"uid": "x-1", "kind": "run", "at": "2016-06-12T08:00:00",
                                   "time_known": True, "distance_km": -3})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = cli("import", str(bad))
    assert result.exit_code == 2
    assert "activities[1]" in result.stderr
    assert cli("race", "list", "--json").json() == []


def test_import_refuses_unknown_versions_and_shapes(cli, tmp_path):
    cases = {
        "v2.json": {"format": "runrecover", "version": 2},
        "other.json": {"format": "strava"},
        "list.json": [1, 2],
        "wrongtype.json": {"format": "runrecover", "version": 1, "pain": {"a": 1}},
        "extra.json": {"format": "runrecover", "version": 1, "pain": [
            {"uid": "u", "score": 2, "at": "2016-06-01T08:00:00+02:00", "colour": "red"}]},
        "nouid.json": {"format": "runrecover", "version": 1, "pain": [{"score": 2}]},
        "badat.json": {"format": "runrecover", "version": 1, "pain": [
            {"uid": "u", "score": 2, "at": "someday"}]},
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(json.dumps(content))
        result = cli("import", str(path))
        assert result.exit_code == 2, name
        assert name in result.stderr, name
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    assert cli("import", str(tmp_path / "binary.json")).exit_code == 2
    assert cli("export").json()["pain"] == []


def test_csv_export_is_a_zip_of_readable_tables(cli, tmp_path):
    _history(cli)
    target = tmp_path / "runrecover.zip"
    result = cli("export", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["activities.csv", "injuries.csv", "pain.csv",
                                              "races.csv", "treatments.csv"]
        activities = archive.read("activities.csv").decode().splitlines()
    assert activities[0].startswith("Id,Date,Time,Activity,Distance (km),Duration,Pace")
    assert activities[1].startswith("1,2016-06-10,,run,8.0,45:10,5:39,")


@pytest.mark.parametrize(("zone", "rows"), [
    ("Europe/Paris", ["1,2016-03-27,01:30,", "2,2016-03-27,03:30,", "3,2016-06-10,,"]),
    ("America/New_York", ["1,2016-03-26,20:30,", "2,2016-03-26,21:30,", "3,2016-06-10,,"]),
    ("Asia/Kathmandu", ["1,2016-03-27,06:15,", "2,2016-03-27,07:15,", "3,2016-06-10,,"]),
])
def test_csv_dates_and_times_are_the_runner_s_local_ones(cli, tmp_path, monkeypatch, zone,
                                                         rows):
    """Each entry's Date and Time are its day and time of day in the runner's zone when
    exported (an hour apart across Paris's spring-forward night: 01:30, then 03:30); an
    entry without a time of day keeps its calendar day and no time."""
    monkeypatch.setenv("TZ", "UTC")
    for at in ("2016-03-27 00:30", "2016-03-27 01:30"):
        assert cli("pain", "2", "--on", at).exit_code == 0
    assert cli("pain", "3", "--on", "2016-06-10").exit_code == 0
    monkeypatch.setenv("TZ", zone)
    target = tmp_path / "runrecover.zip"
    assert cli("export", "--format", "csv", "--output", str(target)).exit_code == 0
    with zipfile.ZipFile(target) as archive:
        lines = archive.read("pain.csv").decode().split("\r\n")
    assert lines[0].startswith("Id,Date,Time,Pain (0-10),")
    assert [line[:len(row)] for line, row in zip(lines[1:4], rows, strict=True)] == rows


def test_csv_cells_are_neutralised_only_where_one_starts_a_formula(cli, tmp_path):
    """A table with no cell starting like a formula is written as it is; one with such a
    cell is written again cell by cell: every other line stays the same, byte for byte."""
    _history(cli)
    cli("log", "5k", "--on", "2016-06-11", "--note", "a note, with\na line break")
    cli("log", "6k", "--on", "2016-06-12", "--note", "plain")

    def activities() -> list[str]:
        target = tmp_path / "runrecover.zip"
        assert cli("export", "--format", "csv", "--output", str(target)).exit_code == 0
        with zipfile.ZipFile(target) as archive:
            return archive.read("activities.csv").decode().split("\r\n")

    before = activities()
    assert cli("edit", "activity", "3", "--note", "=1+1").exit_code == 0
    after = activities()
    changed = [n for n, (one, other) in enumerate(zip(before, after, strict=True))
               if one != other]
    assert len(changed) == 1 and after[changed[0]].count(",'=1+1,") == 1
    assert after[changed[0]].replace(",'=1+1,", ",plain,") == before[changed[0]]


def test_export_since_until(cli):
    _history(cli)
    exported = cli("export", "--since", "2016-06-12", "--until", "2016-06-15").json()
    assert len(exported["activities"]) == 0
    assert len(exported["treatments"]) == 1
    assert len(exported["pain"]) == 1
    assert len(exported["injuries"]) == 1  # linked to the treatment shown


def test_export_refuses_unknown_format(cli):
    result = cli("export", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml'" in result.stderr


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Los_Angeles"])
def test_the_json_export_is_json_dumps_of_each_entry_byte_for_byte(cli, tmp_path, monkeypatch,
                                                                  zone):
    """`to_json` writes each field through converters chosen once per kind and each section
    through the C encoder: the bytes are those of `json.dumps(indent=2)` over
    `rows.entry_json` of each entry."""
    from runrecover import rows
    from runrecover.exchange import export
    from runrecover.exchange.records import SECTIONS
    from runrecover.records.sqlite import SqliteRecords

    monkeypatch.setenv("TZ", zone)
    db = tmp_path / "demo.db"
    assert cli("demo", "--keep", str(db)).exit_code == 0
    assert cli("--db", str(db), "log", "3k", "--on", "2 days ago", "--note", "« ok » \"q\"",
               "--activity", "walk").exit_code == 0
    # What lies between two entries, inside a note: the sections are written whole.
    assert cli("--db", str(db), "log", "2k", "--on", "yesterday", "--note",
               '}, {"x": 1} },\\n      { "},\n      {"').exit_code == 0
    from runrecover import athletes

    with SqliteRecords.opened(db, write=False, athlete=athletes.on_file(db)[0]) as records:
        selection = export.select_entries(records, since=None, until=None)
    written = export.to_json(selection).decode()
    expected = {"format": "runrecover", "version": 1,
                "exported_at": json.loads(written)["exported_at"]}
    injury_uids = {i.id: i.uid for i in selection["injury"]}
    for section, kind in SECTIONS.items():
        expected[section] = []
        for row in selection[kind]:
            data = rows.entry_json(row)
            data.pop("id")
            if "injury_id" in data:
                injury_id = data.pop("injury_id")
                data["injury_uid"] = injury_uids.get(injury_id) if injury_id is not None else None
            expected[section].append(data)
    assert all(expected[section] for section in ("injuries", "treatments", "pain",
                                                  "activities"))
    assert any(not a["time_known"] for a in expected["activities"])
    assert written == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
