"""An import never makes running look allowed where what the runner recorded forbids it,
and never loses what they recorded: each case runs through sqlite3 and through SQLAlchemy
(`context.SQLITE3_FOR_LOCAL_FILES`), alike."""

import json

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
