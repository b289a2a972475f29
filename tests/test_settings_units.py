"""`runrecover config` and a runner in miles: every view follows the setting, JSON and the
database stay in kilometres."""

import csv
import io
import stat
import zipfile

import pytest

from report_html import read
from test_timeline import calf_story, hip_story, record, shown

MILE = 1.609344


@pytest.fixture
def config_file(isolated):
    return isolated.parent.parent / "config" / "config.toml"


def in_miles(cli) -> None:
    result = cli("config", "units", "mi")
    assert result.exit_code == 0, result.stderr


def test_config_shows_the_defaults_without_a_file(cli, config_file):
    result = cli("config")
    assert result.exit_code == 0
    assert result.stdout == (f"Settings file: {config_file}\n"
                             "units = km  (default)\n"
                             "  distances and paces in kilometres (km) or miles (mi)\n")
    assert not config_file.exists()  # showing writes nothing


def test_config_sets_a_private_file_and_shows_it(cli, config_file):
    result = cli("config", "units", "mi")
    assert result.stdout == f"Set units = mi in {config_file}\n"
    assert 'units = "mi"' in config_file.read_text()
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_file.parent.stat().st_mode) == 0o700
    assert cli("config", "units").stdout.splitlines()[1] == "units = mi  (from the settings file)"
    assert cli("config", "--json").json() == {
        "file": str(config_file), "settings": {"units": {"value": "mi", "source": "file"}}}
    cli("config", "units", "km")
    assert cli("config", "units", "--json").json()["settings"]["units"]["value"] == "km"


def test_the_environment_overrides_the_file(cli, monkeypatch):
    in_miles(cli)
    monkeypatch.setenv("RUNRECOVER_UNITS", "km")
    result = cli("config")
    assert "units = km  (from RUNRECOVER_UNITS)" in result.stdout
    assert "RUNRECOVER_UNITS=km is set in the environment" in result.stderr
    assert "Logged 5.0 km" in cli("log", "5k", "--on", "2016-06-14").stdout


@pytest.mark.parametrize(("args", "said"), [
    (("unit", "mi"), "Unknown setting 'unit': the settings are units.\n"),
    (("units", "miles"), "The value 'miles' is not a value of units: use km or mi.\n"),
    (("units", "MI"), "The value 'MI' is not a value of units: use km or mi.\n"),
    (("colour",), "Unknown setting 'colour': the settings are units.\n"),
])
def test_a_bad_key_or_value_is_one_sentence_and_writes_nothing(cli, config_file, args, said):
    result = cli("config", *args)
    assert (result.exit_code, result.stderr) == (2, said)
    assert not config_file.exists()


def test_a_bad_environment_value_is_refused(cli, monkeypatch):
    monkeypatch.setenv("RUNRECOVER_UNITS", "furlongs")
    result = cli("log", "5k")
    assert result.exit_code == 2
    assert result.stderr == "RUNRECOVER_UNITS 'furlongs' is not a value of units: use km or mi.\n"
    assert cli("list", "--json").json()["runs"] == []


@pytest.mark.parametrize(("text", "said"), [
    ('units = "yards"\n', "units = 'yards' is not a value of units: use km or mi."),
    ('speed = "fast"\n', "holds an unknown setting 'speed': the settings are units."),
    ("units = \n", "is not valid TOML"),
])
def test_a_bad_settings_file_is_named(cli, config_file, text, said):
    config_file.parent.mkdir(parents=True)
    config_file.write_text(text)
    result = cli("status")
    assert result.exit_code == 2
    assert str(config_file) in result.stderr and said in result.stderr


def test_log_and_list_in_miles_store_kilometres(cli):
    in_miles(cli)
    logged = cli("log", "5", "40:00", "--on", "2016-06-14 18:30")
    assert logged.stdout == "Logged 5.0 mi in 40:00 (8:00/mi) on Tue 14 Jun 2016 18:30 (id 1)\n"
    entry = cli("list", "runs", "--json").json()[0]
    assert entry["distance_km"] == pytest.approx(5 * MILE)
    assert "run 5.0 mi in 40:00 (8:00/mi)" in cli("list", "runs").stdout
    assert cli("log", "8k", "--on", "2016-06-13", "--json").json()["distance_km"] == 8
    ride = cli("log", "16.09344k", "1:00:00", "--activity", "cycle", "--on", "2016-06-12")
    assert "cycle 10.0 mi in 1:00:00 (10.0 mph)" in ride.stdout


def test_edit_and_undo_speak_miles(cli):
    in_miles(cli)
    record(cli, "log 5 --on 2016-06-14")
    edited = cli("edit", "activity", "1", "--distance", "6")
    assert "distance  5.0 mi → 6.0 mi" in edited.stdout
    assert cli("list", "runs", "--json").json()[0]["distance_km"] == pytest.approx(6 * MILE)
    assert "restored run 5.0 mi of Tue 14" in cli("undo", "--yes").stdout


def test_races_in_miles(cli):
    in_miles(cli)
    cli("race", "add", "Big Ten", "2016-06-26", "--distance", "10")
    assert cli("race", "list", "--json").json()[0]["distance_km"] == pytest.approx(10 * MILE)
    assert "10.0 mi" in cli("race", "list").stdout
    cli("race", "add", "City 15K", "2016-06-19", "--distance", "15k")
    assert "9.3 mi" in cli("race", "list").stdout


def test_timeline_and_its_chart_in_miles(cli, now):
    in_miles(cli)
    calf_story(cli, now)
    out = shown(cli, "timeline", "--chart")
    assert "run 8.0 km" not in out
    assert "run 5.0 mi in 41:00 (8:15/mi) · intervals · pain 6" in out
    assert "⚑ City 15K · 9.3 mi" in out
    assert "Running distance by week" in out
    assert "13–19 Jun " + "█" * 34 + "  12.4 mi  2 runs" in out
    assert " km" not in out
    events = cli("timeline", "--json").json()
    assert {e.get("distance_km") for e in events if e["kind"] == "activity"} >= {8, 10}


def test_injury_show_in_miles(cli):
    in_miles(cli)
    hip_story(cli)
    out = shown(cli, "injury", "show", "hip")
    assert "before onset   Mon 4 Apr – Sun 1 May 2016     23.6 mi      3     5.9 mi" in out
    assert "run                mi   during" in out
    assert " km" not in out
    assert cli("injury", "show", "hip", "--json").json()["running"]["before_onset"][
        "distance_km"] == 38


def test_status_advice_in_miles_and_json_says_so(cli):
    in_miles(cli)
    record(cli, "log 10k --on 2016-06-01", "log 20k --on 2016-06-12")
    answer = cli("status", "--json").json()
    assert answer["units"] == "mi"
    [spike] = [a["message"] for a in answer["advice"] if "longer than" in a["message"]]
    assert "(12.4 mi) was 100% longer than your longest" in spike
    assert "(6.2 mi)" in spike
    assert "(12.4 mi)" in shown(cli, "status")
    in_km = cli("status", "--json", "--at", "2016-06-15 10:00")
    assert in_km.json()["units"] == "mi"


def test_csv_export_headers_follow_the_units(cli, tmp_path):
    in_miles(cli)
    record(cli, "log 5 40:00 --on '2016-06-14 18:30'", "race add 'Big Ten' 2016-06-26 "
           "--distance 10")
    out = tmp_path / "export.zip"
    assert cli("export", "--format", "csv", "--output", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        runs = list(csv.DictReader(io.StringIO(archive.read("activities.csv").decode())))
        races = list(csv.DictReader(io.StringIO(archive.read("races.csv").decode())))
    assert float(runs[0]["Distance (mi)"]) == pytest.approx(5)
    assert runs[0]["Pace (per mi)"] == "8:00"
    assert float(races[0]["Distance (mi)"]) == pytest.approx(10)
    json_export = cli("export").json()
    assert json_export["activities"][0]["distance_km"] == pytest.approx(5 * MILE)


def test_the_report_uses_the_runners_units(cli, now, tmp_path):
    in_miles(cli)
    calf_story(cli, now)
    out = tmp_path / "report.html"
    assert cli("report", "calf", "--output", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    page = read(html)
    assert "run (mi, right)" in page.text
    assert "runs as bars (mi, right scale)" in html
    assert "5.0 mi" in page.text and " km" not in page.text
