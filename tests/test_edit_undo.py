"""edit, delete and undo: every change can be taken back."""


def test_undo_add(cli):
    cli("pain", "3")
    undone = cli("undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert "Undid 'pain'" in undone.stdout
    assert cli("export").json()["pain"] == []


def test_undo_edit_restores_previous_values(cli):
    cli("log", "8k", "45:10", "--on", "2016-06-14 18:00")
    edited = cli("edit", "activity", "1", "--distance", "10k", "--pain", "4", "--json")
    assert edited.exit_code == 0, edited.stderr
    assert edited.json()["distance_km"] == 10
    assert edited.json()["pain_during"] == 4
    cli("undo", "--yes")
    activity = cli("export").json()["activities"][0]
    assert activity["distance_km"] == 8
    assert activity["pain_during"] is None
    assert activity["at"] == "2016-06-14T18:00:00+02:00"


def test_delete_then_undo_brings_it_back_with_its_uid(cli):
    uid = cli("race", "add", "City 15K", "2016-06-19", "--json").json()["uid"]
    deleted = cli("delete", "race", "1", "--yes")
    assert deleted.exit_code == 0, deleted.stderr
    assert "Deleted race 1 'City 15K'" in deleted.stdout
    assert cli("race", "list", "--json").json() == []
    cli("undo", "--yes")
    races = cli("race", "list", "--json").json()
    assert [(r["id"], r["uid"], r["name"]) for r in races] == [(1, uid, "City 15K")]


def test_deleting_an_injury_unlinks_its_entries_and_undo_relinks(cli):
    cli("injury", "add", "left calf strain")
    cli("pain", "3")
    cli("treat", "physio")
    cli("delete", "injury", "1", "--yes")
    exported = cli("export").json()
    assert exported["injuries"] == []
    assert exported["pain"][0]["injury_uid"] is None
    cli("undo", "--yes")
    exported = cli("export").json()
    injury_uid = exported["injuries"][0]["uid"]
    assert exported["pain"][0]["injury_uid"] == injury_uid
    assert exported["treatments"][0]["injury_uid"] == injury_uid


def test_undo_walks_back_one_command_at_a_time(cli):
    cli("pain", "1")
    cli("pain", "2")
    cli("undo", "--yes")
    assert [p["score"] for p in cli("export").json()["pain"]] == [1]
    cli("undo", "--yes")
    assert cli("export").json()["pain"] == []
    nothing = cli("undo", "--yes")
    assert nothing.exit_code == 2
    assert "nothing to undo" in nothing.stderr


def test_delete_asks_and_a_no_changes_nothing(cli):
    cli("pain", "5")
    declined = cli("delete", "pain", "1", input="n\n")
    assert declined.exit_code == 1  # the runner's choice, not bad input
    assert "Not confirmed" in declined.stderr
    assert len(cli("export").json()["pain"]) == 1
    accepted = cli("delete", "pain", "1", input="y\n")
    assert accepted.exit_code == 0
    assert cli("export").json()["pain"] == []


def test_edit_refuses_options_of_another_kind(cli):
    cli("pain", "5")
    result = cli("edit", "pain", "1", "--distance", "5k")
    assert result.exit_code == 2
    assert "--distance does not apply to a pain" in result.stderr
    assert cli("export").json()["pain"][0]["score"] == 5


def test_edit_validates_like_add(cli):
    cli("pain", "5")
    result = cli("edit", "pain", "1", "--score", "11")
    assert result.exit_code == 2
    assert "11" in result.stderr
    assert cli("export").json()["pain"][0]["score"] == 5


def test_edit_and_delete_of_a_missing_id(cli):
    for args in (("edit", "pain", "9", "--score", "1"), ("delete", "race", "4", "--yes")):
        result = cli(*args)
        assert result.exit_code == 2
        assert "no" in result.stderr.lower() and "id" in result.stderr


def test_clear_removes_a_visits_override_and_undo_restores_it(cli):
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00", "--no-run-days", "9")
    assert cli("status", "--json").json()["run_allowed_from"] == "2016-06-23T00:00:00+02:00"
    cleared = cli("edit", "treatment", "1", "--clear", "no-run-days", "--json")
    assert cleared.exit_code == 0, cleared.stderr
    assert cleared.json()["no_run_days"] is None
    assert cli("status", "--json").json()["run_allowed_from"] == "2016-06-18T00:00:00+02:00"
    cli("undo", "--yes")
    assert cli("export").json()["treatments"][0]["no_run_days"] == 9


def test_clear_refuses_what_an_entry_must_have(cli):
    cli("pain", "4", "--note", "stairs")
    assert cli("edit", "pain", "1", "--clear", "note").exit_code == 0
    refused = cli("edit", "pain", "1", "--clear", "score")
    assert refused.exit_code == 2
    assert "'score'" in refused.stderr
    assert cli("export").json()["pain"][0]["score"] == 4
