"""`runrecover list` and `timeline --ids`: every entry in reach, with the id to edit it by."""


def _record(cli):
    cli("injury", "add", "left calf strain", "--part", "calf", "--since", "2016-06-01")
    cli("injury", "add", "right knee", "--since", "2016-05-01")
    cli("injury", "resolve", "knee", "--on", "2016-05-20")
    cli("treat", "physio", "--injury", "calf", "--on", "2016-06-13 10:00", "--by", "Ana")
    cli("pain", "5", "--injury", "calf", "--on", "2016-06-14 07:00", "--context", "morning")
    cli("pain", "3", "--injury", "calf", "--on", "2016-06-12 07:00")
    cli("log", "8k", "45:10", "--on", "2016-06-11 18:00")
    cli("log", "5k", "30:00", "--on", "2016-06-14 18:00", "--pain", "2")
    cli("race", "add", "City 15K", "2016-06-19", "--distance", "15k")


def test_list_of_one_kind_is_newest_last_with_ids(cli):
    _record(cli)
    result = cli("list", "pain")
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0] == "Pain"
    rows = [line for line in lines if line[:1].isdigit()]
    assert rows == ["2   Sun 12 Jun 2016 07:00   3/10              left calf strain",
                    "1   Tue 14 Jun 2016 07:00   5/10    morning   left calf strain"]
    assert "runrecover edit pain ID" in result.stdout


def test_list_json_of_one_kind_and_of_all(cli):
    _record(cli)
    runs = cli("list", "runs", "--json").json()
    assert [(r["id"], r["distance_km"]) for r in runs] == [(1, 8), (2, 5)]
    everything = cli("list", "--json").json()
    assert list(everything) == ["injuries", "treatments", "pain", "runs", "races"]
    assert [i["name"] for i in everything["injuries"]] == ["right knee", "left calf strain"]
    assert [p["score"] for p in everything["pain"]] == [3, 5]
    assert everything["races"][0]["name"] == "City 15K"


def test_list_all_kinds_shows_each_table(cli):
    _record(cli)
    shown = cli("list").stdout
    for title in ("Injuries", "Treatments", "Pain", "Runs and other activities", "Races"):
        assert title in shown
    assert "physio" in shown and "Ana" in shown
    assert "run 5.0 km in 30:00 (6:00/km)" in shown


def test_list_narrowed_by_days_and_injury(cli):
    _record(cli)
    window = cli("list", "--since", "2016-06-12", "--until", "2016-06-13", "--json").json()
    assert [p["score"] for p in window["pain"]] == [3]
    assert [t["kind"] for t in window["treatments"]] == ["physio"]
    assert window["runs"] == []
    # The knee was resolved before these days: it is not in them.
    assert [i["name"] for i in window["injuries"]] == ["left calf strain"]
    knee = cli("list", "--injury", "knee", "--json").json()
    assert knee["pain"] == [] and knee["treatments"] == []
    assert [i["name"] for i in knee["injuries"]] == ["right knee"]
    assert len(knee["runs"]) == 2  # runs belong to no injury: they stay
    empty = cli("list", "pain", "--since", "2016-06-15")
    assert empty.exit_code == 0
    assert "No pain scores from Wed 15 Jun 2016; widen" in empty.stdout


def test_list_refuses_what_it_cannot_read(cli):
    _record(cli)
    backwards = cli("list", "--since", "2016-06-14", "--until", "2016-06-01")
    assert backwards.exit_code == 2
    assert "--since '2016-06-14' is not before --until '2016-06-01'" in backwards.stderr
    unreadable = cli("list", "pain", "--since", "the other day")
    assert unreadable.exit_code == 2
    assert "the other day" in unreadable.stderr
    assert cli("list", "shoes").exit_code == 2


def test_list_with_nothing_recorded(cli, db_path):
    result = cli("list")
    assert result.exit_code == 0
    assert "No entries recorded yet" in result.stdout
    assert not db_path.exists()  # listing never creates a database


def test_a_missing_id_points_at_list(cli):
    cli("pain", "3")
    result = cli("edit", "pain", "7", "--score", "2")
    assert result.exit_code == 2
    assert "There is no pain with id 7; see the ids with 'runrecover list pain'." in result.stderr
    deleted = cli("delete", "activity", "7", "--yes")
    assert "'runrecover list runs'" in deleted.stderr


def test_timeline_ids_show_what_edit_takes(cli):
    _record(cli)
    cli("treat", "mesotherapy", "--injury", "calf", "--on", "2016-06-11 09:00")
    plain = cli("timeline", "--since", "2016-06-11", "--until", "2016-06-14").stdout
    assert "(pain 1)" not in plain
    shown = cli("timeline", "--since", "2016-06-11", "--until", "2016-06-14", "--ids").stdout
    lines = shown.splitlines()
    assert any("physio" in line and line.endswith("(treatment 1)") for line in lines)
    assert any("5 morning" in line and line.endswith("(pain 1)") for line in lines)
    assert any("run 8.0 km" in line and line.endswith("(activity 1)") for line in lines)
    assert any("mesotherapy" in line and line.endswith("(treatment 2)") for line in lines)
    # A restriction band is no entry: nothing to edit on its line.
    bands = [line for line in lines if "no running until" in line]
    assert bands and not any("(treatment" in line for line in bands)


def test_last_is_the_newest_of_its_kind(cli):
    _record(cli)
    # Pain 1 (14 June) is newer than pain 2 (12 June, recorded after it).
    edited = cli("edit", "pain", "last", "--score", "3", "--json")
    assert edited.exit_code == 0, edited.stderr
    assert (edited.json()["id"], edited.json()["score"]) == (1, 3)
    assert [(p["id"], p["score"]) for p in cli("list", "pain", "--json").json()] == [(2, 3),
                                                                                     (1, 3)]
    deleted = cli("delete", "run", "LAST", "--yes")
    assert deleted.exit_code == 0, deleted.stderr
    assert "Deleted activity 2" in deleted.stdout
    assert [r["distance_km"] for r in cli("list", "runs", "--json").json()] == [8]
    # The newest injury is the one that began last, not the one added last.
    assert cli("edit", "injury", "last", "--part", "soleus", "--json").json()["name"] == (
        "left calf strain")
    assert cli("edit", "race", "last", "--name", "City 15 K").exit_code == 0
    assert cli("list", "races", "--json").json()[0]["name"] == "City 15 K"


def test_last_with_a_day_only_entry_beside_timed_ones(cli):
    cli("pain", "2", "--on", "2016-06-14 01:00")
    cli("pain", "4", "--on", "2016-06-14")  # the day, no time: it stands for 00:00
    cli("pain", "6", "--on", "2016-06-13 23:30")
    assert cli("edit", "pain", "last", "--note", "newest", "--json").json()["score"] == 2


def test_last_and_bad_references_are_explained(cli):
    nothing = cli("edit", "pain", "last", "--score", "2")
    assert nothing.exit_code == 2
    assert "There is no pain recorded yet" in nothing.stderr
    cli("pain", "3")
    word = cli("delete", "pain", "first", "--yes")
    assert word.exit_code == 2
    assert "'first' is not an id" in word.stderr and "'runrecover list pain'" in word.stderr
    assert len(cli("list", "pain", "--json").json()) == 1


def test_undo_after_edit_last_restores_it(cli):
    cli("pain", "5", "--on", "2016-06-14 07:00")
    cli("edit", "pain", "last", "--score", "2")
    cli("pain", "7")  # a newer one: `last` moves on, the journal keeps the id
    cli("undo", "--yes")
    cli("undo", "--yes")
    assert [p["score"] for p in cli("list", "pain", "--json").json()] == [5]


def test_injury_list_with_only_resolved_ones_points_at_all(cli):
    assert "No injuries recorded" in cli("injury", "list").stdout
    cli("injury", "add", "left calf strain", "--since", "2016-05-01")
    cli("injury", "resolve", "calf", "--on", "2016-06-01")
    shown = cli("injury", "list")
    assert shown.exit_code == 0
    assert shown.stdout.split() == ("No open injuries (1 resolved); 'runrecover injury list "
                                    "--all' shows resolved ones too.").split()
    assert cli("injury", "list", "--json").json() == []
    assert "left calf strain" in cli("injury", "list", "--all").stdout
    cli("injury", "add", "right knee", "--since", "2016-04-01")
    cli("injury", "resolve", "knee", "--on", "2016-04-20")
    assert "No open injuries (2 resolved);" in cli("injury", "list").stdout


def test_the_hint_gives_whole_commands_at_any_width(cli, monkeypatch):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    cli("pain", "4", "--on", "2016-06-14 07:00")
    for columns in ("80", "40"):
        monkeypatch.setenv("COLUMNS", columns)
        lines = cli("list", "pain").stdout.splitlines()
        assert lines[-2:] == ["  runrecover edit pain ID …", "  runrecover delete pain ID"]
