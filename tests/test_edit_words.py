"""`edit` says what it changed, field by field; `undo` says which entry it took back."""


def test_edit_prints_each_field_before_and_after(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    cli("pain", "5", "--on", "2016-06-13 07:00", "--context", "morning")
    edited = cli("edit", "pain", "last", "--score", "3", "--on", "2016-06-14",
                 "--clear", "context", "--note", "stairs")
    assert edited.exit_code == 0, edited.stderr
    assert edited.stdout.splitlines() == [
        "Updated pain 1:",
        "  score    5/10 → 3/10",
        "  when     Mon 13 Jun 2016 07:00 → Tue 14 Jun 2016",
        "  context  morning → —",
        "  note     — → stairs",
    ]


def test_edit_json_lists_the_changes(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    cli("injury", "add", "right knee", "--since", "2016-06-01")
    cli("treat", "physio", "--injury", "calf", "--on", "2016-06-14 10:00")
    edited = cli("edit", "treatment", "1", "--injury", "knee", "--by", "Ana", "--json").json()
    assert edited["injury_id"] == 2 and edited["clinician"] == "Ana"
    assert edited["changes"] == [
        {"field": "injury_id", "before": 1, "after": 2},
        {"field": "clinician", "before": None, "after": "Ana"},
    ]
    shown = cli("edit", "treatment", "1", "--injury", "calf").stdout
    assert "  injury  right knee → left calf strain" in shown


def test_edit_to_the_same_value_says_nothing_changed(cli):
    cli("pain", "4")
    same = cli("edit", "pain", "1", "--score", "4")
    assert same.exit_code == 0
    assert "nothing changed" in same.stdout
    assert cli("edit", "pain", "1", "--score", "4", "--json").json()["changes"] == []


def test_undo_names_the_entry_it_took_back(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    cli("pain", "5", "--on", "2016-06-13 07:00")
    removed = cli("undo", "--yes")
    assert removed.exit_code == 0, removed.stderr
    assert " ".join(removed.stdout.split()) == (
        "Undid 'pain' of Wed 15 Jun 2016 10:00: removed pain 5/10 of Mon 13 Jun 2016 07:00, "
        "left calf strain.")
    cli("log", "8k", "45:10", "--on", "2016-06-14 18:00")
    cli("edit", "run", "last", "--distance", "10k")
    restored = cli("undo", "--yes", "--json").json()
    assert restored["command"] == "edit activity 1"
    assert restored["at"] == "2016-06-15T10:00:00+02:00"
    assert [(u["change"], u["undid"], u["kind"], u["entry"]["distance_km"])
            for u in restored["undone"]] == [("update", "restored", "activity", 8)]
    cli("delete", "run", "1", "--yes")
    back = cli("undo", "--yes")
    assert "brought back run 8.0 km in 45:10 (5:39/km) of Tue 14 Jun 2016 18:00" in " ".join(
        back.stdout.split())


def test_undo_of_a_deleted_injury_names_it_and_its_relinked_entries(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    for score in ("1", "2", "3", "4"):
        cli("pain", score, "--on", f"2016-06-1{score} 07:00")
    cli("delete", "injury", "1", "--yes")
    undone = " ".join(cli("undo", "--yes").stdout.split())
    assert undone.startswith("Undid 'delete injury 1' of Wed 15 Jun 2016 10:00: brought back "
                             "injury 'left calf strain'; restored pain 4/10 of")
    assert undone.endswith("; and 2 more entries.")
    assert all(p["injury_id"] == 1 for p in cli("list", "pain", "--json").json())


def test_delete_json_gives_the_entry_it_deleted(cli):
    cli("pain", "6", "--on", "2016-06-14 07:00", "--note", "stairs")
    deleted = cli("delete", "pain", "last", "--yes", "--json")
    assert deleted.exit_code == 0, deleted.stderr
    assert deleted.json()["deleted"] == "pain"
    assert (deleted.json()["entry"]["score"], deleted.json()["entry"]["note"]) == (6, "stairs")
    assert cli("list", "pain", "--json").json() == []


# -- what the edit changes, as treat and log say it -----------------------------------------

def test_a_longer_instruction_says_its_window_and_the_runs_that_now_break_it(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    cli("treat", "mesotherapy", "--on", "2016-06-04 10:00")  # no running until Wed 8 Jun
    cli("log", "8k", "45:00", "--on", "2016-06-09 08:00")  # fine: after the window
    edited = cli("edit", "treatment", "1", "--no-run-days", "7")
    assert edited.exit_code == 0, edited.stderr
    assert edited.stdout.splitlines()[-2:] == [
        "Now:", "  no running until Sat 11 Jun 00:00 [visit]"]
    assert "run 8.0 km in 45:00 (5:38/km) of Thu 9 Jun 08:00 now breaks it" in edited.stderr
    data = cli("edit", "treatment", "1", "--no-run-days", "7", "--json").json()
    assert [b["activity_id"] for b in data["broken_by"]] == [1]
    assert data["restrictions"][-1]["until"] == "2016-06-11T00:00:00+02:00"
    status = cli("status", "--at", "2016-06-10 09:00", "--json").json()
    assert status["can_run"] is False  # and status agrees


def test_a_run_moved_into_a_window_is_warned_of_like_a_new_one(cli):
    cli("injury", "add", "left calf strain", "--since", "2016-06-01")
    cli("treat", "mesotherapy", "--on", "2016-06-04 10:00")
    cli("log", "8k", "45:00", "--on", "2016-06-09 08:00")
    moved = cli("edit", "activity", "1", "--on", "2016-06-06 08:00")
    assert moved.exit_code == 0, moved.stderr
    assert "Warning: this run broke a restriction: no running after mesotherapy" in moved.stderr
    data = cli("edit", "activity", "1", "--note", "hills", "--json").json()
    assert data["breaks_restriction"]["until"] == "2016-06-08T00:00:00+02:00"
    back = cli("edit", "activity", "1", "--on", "2016-06-09 08:00")
    assert back.stderr == ""
