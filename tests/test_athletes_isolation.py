"""One athlete's record never leaks into another's, and is never changed through another's
(issue 16, the athletes contract): every reading command shows an athlete only their own
entries, every write by another athlete's id or name fails as for a missing one, undo and
import stay within the athlete, and the verdict is always the athlete's own (never GO from
another's record, never held back by another's restriction). Driven through the real CLI on
both engines; athletes_world.py builds the shared record.
"""

import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forked
from athletes_world import (
    EXPORT_KINDS,
    FRIDAY,
    LIST_KINDS,
    MONDAY,
    NAMES,
    NOW_AT,
    World,
    comparable,
    dump,
    leaked,
    with_athlete,
    zip_text,
)
from conftest import POSTGRES, RUN_GPX

# On PostgreSQL every test gets a schema of its own: the worker's shared one is emptied of
# entries between tests, not of athletes.
pytestmark = pytest.mark.postgres_fresh


@pytest.fixture
def world(cli) -> World:
    return World(cli).build()


def _reading_commands(tmp_path, name):
    """Every command that shows an athlete's record, with what to read from it."""
    csv = tmp_path / f"{name}-export.zip"
    return [
        ([], None), (["status"], None), (["status", "--json"], None),
        (["status", "--at", FRIDAY, "--json"], None), (["status", "--at", MONDAY], None),
        (["timeline", "--since", "2016-05-01", "--until", "2016-07-01"], None),
        (["timeline", "--since", "2016-05-01", "--until", "2016-07-01", "--json"], None),
        (["timeline", "--since", "2016-05-01", "--until", "2016-07-01", "--chart"], None),
        (["list"], None), (["list", "--json"], None),
        *[(["list", kind, "--json"], None)
          for kind in ("runs", "pain", "treatments", "injuries", "races")],
        *[(["list", kind], None) for kind in ("runs", "pain", "treatments", "injuries", "races")],
        (["injury", "list", "--all"], None), (["injury", "list", "--all", "--json"], None),
        (["race", "list"], None), (["race", "list", "--json"], None),
        (["ladder"], None), (["ladder", "--json"], None),
        (["export"], None), (["export", "--format", "ics"], None),
        (["export", "--format", "csv", "--output", str(csv)], csv),
    ]


@pytest.mark.parametrize("how", ["command", "global", "env"])
def test_every_reading_command_shows_only_the_athletes_own_record(world, cli, tmp_path,
                                                                 monkeypatch, how):
    for name in NAMES:
        others = world.other_marks(name)
        own = world.athletes[name]
        commands = _reading_commands(tmp_path, name)
        if how != "command":
            # The global option and the environment name the athlete before any command
            # runs: a few commands of each kind show it; every command takes its own option.
            commands = [c for c in commands if c[0] in ([], ["status", "--json"], ["list"],
                                                        ["export"])]
        if name != "carol":
            commands += [(["injury", "show", "calf"], None),
                         (["injury", "show", "calf", "--json"], None),
                         (["report", "calf"], None)]
        for args, output in commands:
            if how == "env":
                monkeypatch.setenv("RUNRECOVER_ATHLETE", name)
                result = cli(*args)
            else:
                result = cli(*with_athlete(name, args, how))
            assert result.exit_code == 0, (name, args, result.stderr)
            text = zip_text(output) if output is not None else result.stdout + result.stderr
            assert leaked(text, others) == [], (name, args)
        monkeypatch.delenv("RUNRECOVER_ATHLETE", raising=False)
        # Not vacuous: the athlete's own record is all there.
        exported = cli(*with_athlete(name, ["export"])).stdout
        assert leaked(exported, own.marks()) == sorted(own.marks()), name


def test_json_views_hold_only_the_athletes_own_ids(world, cli):
    for name in NAMES:
        own = world.athletes[name]
        listed = cli(*with_athlete(name, ["list", "--json"])).json()
        for key, kind in LIST_KINDS.items():
            assert {e["id"] for e in listed[key]} == own.ids[kind], (name, key)
            assert {e["uid"] for e in listed[key]} <= own.uids
        exported = cli(*with_athlete(name, ["export"])).json()
        uids = {e["uid"] for key in ("injuries", "treatments", "pain", "activities", "races",
                                     "ladder") for e in exported.get(key, [])}
        assert uids == own.uids, name
        events = cli(*with_athlete(name, ["timeline", "--since", "2016-05-01", "--until",
                                          "2016-07-01", "--json"])).json()
        assert {e["uid"] for e in events if e.get("uid")} <= own.uids, name
        races = cli(*with_athlete(name, ["race", "list", "--json"])).json()
        assert {r["id"] for r in races} == own.ids["race"]
        injuries = cli(*with_athlete(name, ["injury", "list", "--all", "--json"])).json()
        assert {i["id"] for i in injuries} == own.ids["injury"]
    # Both "left calf"s: each athlete's `injury show calf` is their own.
    for name in ("alice", "bob"):
        shown = cli(*with_athlete(name, ["injury", "show", "calf", "--json"])).json()
        assert shown["injury"]["uid"] in world.athletes[name].uids
        assert shown["injury"]["note"].startswith(name.upper())


def test_each_verdict_is_the_athletes_own(world, cli):
    def level(name, at):
        answer = cli(*with_athlete(name, ["status", "--at", at, "--json"]))
        assert answer.exit_code == 0, answer.stderr
        return answer.json()

    # Now: alice held by her mesotherapy and her red pain; bob by his red pain.
    alice, bob = level("alice", NOW_AT), level("bob", NOW_AT)
    assert (alice["can_run"], alice["run_level"]) == (False, "none")
    assert (bob["can_run"], bob["run_level"]) == (False, "none")
    # bob's later low score lifts nothing of alice's: her red gate (no injury) still holds.
    assert any(r["pain"] and r["pain"]["score"] == 7 for r in alice["restrictions"])
    assert not any(r["pain"] and r["pain"]["score"] in (1, 2) for r in bob["restrictions"])
    # Friday: alice's mesotherapy holds her; bob is free, whatever alice's record says.
    alice, bob = level("alice", FRIDAY), level("bob", FRIDAY)
    assert (alice["can_run"], alice["run_level"]) == (False, "none")
    assert (bob["can_run"], bob["run_level"], bob["restrictions"]) == (True, "normal", [])
    assert bob["next_sessions"] == [] or all(
        s["kind"] != "mesotherapy" for s in bob["next_sessions"])
    # Monday: alice's ladder keeps her to easy running (bob's `ladder leave` was his own).
    alice, bob = level("alice", MONDAY), level("bob", MONDAY)
    assert alice["run_level"] == "easy" and alice.get("plan")
    assert (bob["run_level"], bob["restrictions"], bob.get("plan")) == ("normal", [], None)
    # Races: each athlete's own only.
    assert {r["name"] for r in level("alice", NOW_AT)["races"]} == {"Alicetown 10K"}
    assert {r["name"] for r in level("bob", "2016-06-20 10:00")["races"]} == {"Bobville 20K"}
    assert level("carol", FRIDAY)["restrictions"] == []
    # The exit codes of --check say the same.
    assert cli("status", "--at", FRIDAY, "--check", "--athlete", "alice").exit_code == 1
    assert cli("--athlete", "bob", "status", "--at", FRIDAY, "--check").exit_code == 0
    assert cli("status", "--race", "Alicetown", "--check", "--athlete", "alice").exit_code == 1
    missing = cli("status", "--race", "Alicetown", "--athlete", "bob")
    assert missing.exit_code == 2 and "Alicetown" in missing.stderr


def test_the_shared_record_answers_as_each_athletes_own_database(world, cli, database):
    """Each athlete's commands replayed alone on a database of their own answer the same,
    but for ids and uids: status at three moments, the timeline, every list, the export."""
    views = [["status", "--at", NOW_AT, "--json"], ["status", "--at", FRIDAY, "--json"],
             ["status", "--at", MONDAY, "--json"],
             ["timeline", "--since", "2016-05-01", "--until", "2016-07-01", "--json"],
             ["list", "--json"], ["race", "list", "--json"],
             ["injury", "list", "--all", "--json"], ["ladder", "--json"]]
    for name in NAMES:
        alone = World(cli, db=database(f"{name}.db"))
        assert alone.run(None, "athletes", "add", name).exit_code == 0
        for command in world.athletes[name].commands:
            assert alone.run(name, *command).exit_code == 0, command
        for view in views + [["export"]] + (
                [["injury", "show", "calf", "--json"]] if name != "carol" else []):
            shared = world.run(name, *view)
            own = alone.run(name, *view)
            assert (shared.exit_code, own.exit_code) == (0, 0), (name, view, shared.stderr)
            assert comparable(shared.json()) == comparable(own.json()), (name, view)


def test_the_athletes_view_gives_each_their_own_verdict(world, cli, now):
    from datetime import datetime

    from conftest import PARIS

    now(datetime(2016, 6, 17, 10, 0, tzinfo=PARIS))  # bob free, alice not
    listed = cli("athletes", "--json")
    assert listed.exit_code == 0, listed.stderr
    rows = {a["name"]: a for a in listed.json()["athletes"]}
    assert set(rows) == set(NAMES)
    for name in NAMES:
        status = cli("status", "--json", "--athlete", name).json()
        assert (rows[name]["can_run"], rows[name]["run_level"]) == (
            status["can_run"], status["run_level"]), name
    assert (rows["alice"]["can_run"], rows["bob"]["can_run"]) == (False, True)
    assert "mesotherapy" in json.dumps(rows["alice"]["next_session"])
    assert "mesotherapy" not in json.dumps(rows["bob"]["next_session"])
    assert "mesotherapy" not in json.dumps(rows["carol"]["next_session"])
    text = cli("athletes").stdout
    line = {name: next(row for row in text.splitlines() if name in row.lower())
            for name in NAMES}
    assert "NOT YET" in line["alice"]
    assert "GO" in line["bob"] and "NOT YET" not in line["bob"]


# -- writing across ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["injury", "treatment", "pain", "activity", "race"])
@pytest.mark.parametrize("how", ["command", "global"])
def test_edit_or_delete_of_anothers_id_is_a_missing_id(world, cli, database_query, kind, how):
    before = dump(database_query)
    for victim, attacker in (("alice", "bob"), ("bob", "carol"), ("alice", "carol")):
        for entry_id in sorted(world.athletes[victim].ids[kind]):
            option = {"injury": ["--name", "HACKED"], "race": ["--name", "HACKED"],
                      "pain": ["--score", "0"], "activity": ["--distance", "1k"],
                      "treatment": ["--no-run-days", "0"]}[kind]
            for args in (["edit", kind, str(entry_id), *option, "--note", "HACKED"],
                         ["delete", kind, str(entry_id), "--yes"]):
                result = cli(*with_athlete(attacker, args, how))
                assert result.exit_code == 2, (attacker, args, result.stdout)
                assert f"no {kind}" in result.stderr and str(entry_id) in result.stderr, \
                    result.stderr
                assert victim not in result.stderr.lower()
    assert dump(database_query) == before


def test_edit_and_delete_of_last_are_the_athletes_own_last(world, cli):
    alice_before = cli("export", "--athlete", "alice").json()
    edited = cli("edit", "pain", "last", "--note", "EDITED-BY-BOB", "--athlete", "bob",
                 "--json")
    assert edited.exit_code == 0, edited.stderr
    assert edited.json()["uid"] in world.athletes["bob"].uids
    deleted = cli("delete", "activity", "last", "--yes", "--athlete", "bob", "--json")
    assert deleted.exit_code == 0, deleted.stderr
    assert "BOB-RUN" in deleted.stdout
    assert cli("export", "--athlete", "alice").json() == alice_before
    bob = cli("export", "--athlete", "bob").json()
    assert bob["activities"] == []
    assert [p["note"] for p in bob["pain"]] == ["BOB-PAIN-LOW", "EDITED-BY-BOB"]
    # carol has no entry of any kind: `last` is missing for her.
    for kind in ("pain", "activity", "race", "injury", "treatment"):
        result = cli("delete", kind, "last", "--yes", "--athlete", "carol")
        assert result.exit_code == 2, (kind, result.stdout)
    assert cli("export", "--athlete", "alice").json() == alice_before


def test_anothers_injury_or_race_cannot_be_named(world, cli, database_query):
    before = dump(database_query)
    bob_calf = min(world.athletes["bob"].ids["injury"])
    hamstring = max(world.athletes["bob"].ids["injury"])
    alice_calf = min(world.athletes["alice"].ids["injury"])
    refused = [
        ("alice", ["injury", "show", "hamstring"]), ("alice", ["injury", "show", str(bob_calf)]),
        ("alice", ["injury", "resolve", str(bob_calf)]), ("alice", ["injury", "resolve", "ham"]),
        ("alice", ["pain", "3", "--injury", "hamstring"]),
        ("alice", ["pain", "3", "--injury", str(bob_calf)]),
        ("alice", ["treat", "physio", "--injury", "hamstring"]),
        ("alice", ["treat", "physio", "--injury", str(hamstring)]),
        ("alice", ["report", "hamstring"]), ("alice", ["report", str(bob_calf)]),
        ("alice", ["timeline", "--injury", "hamstring"]),
        ("alice", ["list", "--injury", str(bob_calf)]),
        ("alice", ["status", "--race", "Bobville"]),
        ("alice", ["edit", "pain", str(min(world.athletes["alice"].ids["pain"])), "--injury",
                   str(bob_calf)]),
        ("bob", ["edit", "treatment", str(min(world.athletes["bob"].ids["treatment"])),
                 "--injury", str(alice_calf)]),
        ("bob", ["status", "--race", "Alicetown"]),
        ("bob", ["status", "--race", str(min(world.athletes["alice"].ids["race"]))]),
        ("alice", ["status", "--race", str(min(world.athletes["bob"].ids["race"]))]),
        ("carol", ["injury", "show", "calf"]), ("carol", ["injury", "resolve", "calf"]),
        ("carol", ["pain", "3", "--injury", "calf"]),
        ("carol", ["treat", "physio", "--injury", "calf"]),
        ("carol", ["ladder", "start", "--injury", "calf"]),
        ("carol", ["ladder", "start", "--injury", str(alice_calf)]),
        ("carol", ["report", "calf"]), ("carol", ["timeline", "--injury", "calf"]),
        ("carol", ["list", "--injury", "calf"]),
        ("carol", ["status", "--race", "Alicetown"]),
    ]
    for name, args in refused:
        result = cli(*with_athlete(name, args))
        assert result.exit_code == 2, (name, args, result.stdout)
        said = result.stderr.lower()
        for typed in args:
            said = said.replace(typed.lower(), "")
        for other in NAMES:
            if other != name:
                assert not re.search(rf"\b{other}\b", said), (name, args, result.stderr)
    assert dump(database_query) == before
    # carol's ladder actions (she has none) touch no one else's ladder.
    others = [(cli("export", "--athlete", n).json(),
               cli("ladder", "--json", "--athlete", n).json()) for n in ("alice", "bob")]
    for args in (["ladder", "leave"], ["ladder", "pause"], ["ladder", "reset"]):
        cli(*with_athlete("carol", args))
    assert [(cli("export", "--athlete", n).json(),
             cli("ladder", "--json", "--athlete", n).json()) for n in ("alice", "bob")] == others


def test_resolving_a_shared_injury_name_resolves_only_ones_own(world, cli):
    resolved = cli("injury", "resolve", "calf", "--on", "2016-06-15", "--athlete", "alice",
                   "--json")
    assert resolved.exit_code == 0, resolved.stderr
    bob = cli("injury", "list", "--all", "--json", "--athlete", "bob").json()
    assert [i["resolved_on"] for i in bob] == [None, None]
    alice = cli("injury", "list", "--all", "--json", "--athlete", "alice").json()
    assert [i["resolved_on"] for i in alice] == ["2016-06-15"]


def test_the_only_open_injury_is_the_athletes_own(world, cli):
    """alice has one open injury, bob two, carol none: a score with no --injury goes to
    alice's one, and to no injury for carol."""
    alice = cli("pain", "3", "--on", "2016-06-15 09:55", "--athlete", "alice", "--json")
    assert alice.exit_code == 0, alice.stderr
    assert alice.json()["injury_id"] in world.athletes["alice"].ids["injury"]
    carol = cli("pain", "3", "--on", "2016-06-15 09:55", "--athlete", "carol", "--json")
    assert carol.exit_code == 0, carol.stderr
    assert carol.json()["injury_id"] is None
    # carol's ladder has no injury to attach to: never alice's nor bob's.
    ladder = cli("ladder", "start", "--athlete", "carol", "--json")
    if ladder.exit_code == 0:
        assert ladder.json()["injury_id"] is None


def test_the_same_run_is_each_athletes_own_and_a_repeat_only_within_one(world, cli):
    again = cli("log", "5k", "30:00", "--on", "2016-06-12 07:00", "--athlete", "alice",
                "--json")
    assert again.exit_code == 0
    assert again.json()["already_logged"] is True
    assert again.json()["id"] in world.athletes["alice"].ids["activity"]
    carols = cli("--athlete", "carol", "log", "5k", "30:00", "--on", "2016-06-12 07:00",
                 "--json")
    assert carols.exit_code == 0
    assert carols.json()["already_logged"] is False
    assert len(cli("export", "--athlete", "carol").json()["activities"]) == 1
    assert len(cli("export", "--athlete", "alice").json()["activities"]) == 1


def test_what_a_write_says_is_about_the_athletes_own_record(world, cli):
    """bob's run inside alice's no-running window breaks nothing of his; his mesotherapy is
    the first of his course, with no warning about alice's session of the day before."""
    alices = cli("log", "5k", "30:00", "--on", "2016-06-15 06:00", "--json", "--athlete",
                 "alice")
    assert alices.json()["breaks_restriction"] is not None
    bobs = cli("log", "5k", "30:00", "--on", "2016-06-15 06:00", "--json", "--athlete", "bob")
    assert bobs.exit_code == 0, bobs.stderr
    assert (bobs.json()["breaks_restriction"], bobs.json()["ladder"]) == (None, None)
    assert bobs.stderr.strip() == "", bobs.stderr
    treated = cli("treat", "mesotherapy", "--injury", "calf", "--on", "2016-06-15 09:00",
                  "--json", "--athlete", "bob")
    assert treated.exit_code == 0, treated.stderr
    answer = treated.json()
    assert answer["course"]["session"] == 1
    assert answer["warnings"] == []
    assert {s["injury_id"] for s in answer["next_sessions"]} <= world.athletes["bob"].ids[
        "injury"]
    text = cli("treat", "mesotherapy", "--injury", "calf", "--on", "2016-06-22 09:00",
               "--athlete", "bob")
    assert leaked(text.stdout + text.stderr, world.athletes["alice"].marks()) == []


def test_undo_asks_about_the_athletes_own_last_command(world, cli, database_query):
    assert cli("treat", "physio", "--athlete", "carol", "--on", "2016-06-15 09:00"
               ).exit_code == 0
    assert cli("race", "add", "Late 5K", "2016-07-01", "--athlete", "alice").exit_code == 0
    before = dump(database_query)
    asked = cli("undo", "--athlete", "carol", input="n\n")
    assert "'treat'" in asked.stdout + asked.stderr and "race" not in asked.stderr
    assert leaked(asked.stdout + asked.stderr, world.athletes["alice"].marks()) == []
    assert "Alicetown" not in asked.stdout + asked.stderr
    assert dump(database_query) == before


def test_anothers_ladder_commands_leave_the_athletes_ladder_alone(world, cli):
    alice = [cli("ladder", "--json", "--athlete", "alice").json(),
             cli("status", "--at", MONDAY, "--json", "--athlete", "alice").json(),
             cli("export", "--athlete", "alice").json()]
    for args in (["ladder", "start", "--injury", "hamstring", "--on", "2016-06-15 08:00"],
                 ["log", "2k", "20:00", "--rung", "1", "--on", "2016-06-15 08:10"],
                 ["ladder", "pause", "--on", "2016-06-15 08:20"],
                 ["ladder", "start", "--injury", "hamstring", "--on", "2016-06-15 08:30"],
                 ["ladder", "reset", "--rung", "3", "--on", "2016-06-15 08:40"],
                 ["ladder", "leave", "--on", "2016-06-15 08:50"]):
        done = cli(*args, "--athlete", "bob")
        assert done.exit_code == 0, (args, done.stderr)
        assert [cli("ladder", "--json", "--athlete", "alice").json(),
                cli("status", "--at", MONDAY, "--json", "--athlete", "alice").json(),
                cli("export", "--athlete", "alice").json()] == alice, args
    # carol has no ladder and no injury: --rung on her run is hers alone, whatever it says.
    cli("log", "2k", "20:00", "--rung", "2", "--on", "2016-06-15 08:55", "--athlete", "carol")
    assert cli("ladder", "--json", "--athlete", "alice").json() == alice[0]


def test_undo_undoes_only_the_athletes_own_commands(world, cli, database_query):
    before = dump(database_query)
    nothing = cli("undo", "--yes", "--athlete", "carol")
    assert nothing.exit_code == 2 and "nothing to undo" in nothing.stderr
    assert dump(database_query) == before
    alice_export = cli("export", "--athlete", "alice").json()
    alice_status = [cli("status", "--at", at, "--json", "--athlete", "alice").json()
                    for at in (NOW_AT, FRIDAY, MONDAY)]
    bob = world.athletes["bob"]
    for _ in range(len(bob.commands) + 3):
        undone = cli("--athlete", "bob", "undo", "--yes", "--json")
        if undone.exit_code != 0:
            assert undone.exit_code == 2
            break
        for change in undone.json()["undone"]:
            assert change["kind"] == "athlete" or change["entry"]["uid"] in bob.uids, change
        assert cli("export", "--athlete", "alice").json() == alice_export
    else:
        pytest.fail("bob's undo never ran out")
    left = cli("export", "--athlete", "bob")
    if left.exit_code == 0:  # (bob himself may have been undone: `athletes add` journalled)
        assert all(left.json()[k] == [] for k in EXPORT_KINDS)
    assert [cli("status", "--at", at, "--json", "--athlete", "alice").json()
            for at in (NOW_AT, FRIDAY, MONDAY)] == alice_status
    undone = cli("undo", "--yes", "--json", "--athlete", "alice")
    assert undone.exit_code == 0
    assert [c["entry"]["name"] for c in undone.json()["undone"]] == ["Alicetown 10K"]


@pytest.mark.parametrize("kind", ["activity", "pain", "race"])
def test_undo_of_a_delete_after_another_took_the_freed_id(cli, kind):
    """ids are global and numbered from the largest: alice deletes her newest entry, bob's
    next one is given its id, then alice undoes her delete (and then her add). bob's entry is
    never overwritten nor removed, and alice's comes back whole."""
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    add = {"activity": ["log", "5k", "30:00", "--on", "2016-06-14 07:00"],
           "pain": ["pain", "3", "--on", "2016-06-14 07:00"],
           "race": ["race", "add", "City 10K", "2016-06-19"]}[kind]
    key = {"activity": "activities", "pain": "pain", "race": "races"}[kind]
    alices = cli(*add, "--note", "ALICE", "--json", "--athlete", "alice").json()
    assert cli("delete", kind, str(alices["id"]), "--yes", "--athlete", "alice").exit_code == 0
    bobs = cli(*add, "--note", "BOB", "--json", "--athlete", "bob").json()
    bob_before = cli("export", "--athlete", "bob").json()
    undone = cli("undo", "--yes", "--athlete", "alice")
    assert undone.exit_code == 0, undone.stderr
    assert cli("export", "--athlete", "bob").json() == bob_before
    [back] = cli("export", "--athlete", "alice").json()[key]
    assert (back["uid"], back["note"]) == (alices["uid"], "ALICE")
    # alice's add undone: her entry goes, bob's (which may hold its old id) stays.
    assert cli("undo", "--yes", "--athlete", "alice").exit_code == 0
    assert cli("export", "--athlete", "alice").json()[key] == []
    assert cli("export", "--athlete", "bob").json() == bob_before
    assert bob_before[key][0]["uid"] == bobs["uid"]


def test_undo_of_an_injury_delete_after_another_took_its_id_relinks_to_the_new_id(cli):
    """alice deletes her injury (its pain is unlinked), bob's new injury takes the freed id,
    alice undoes: her injury comes back under a new id with her pain linked to it, never to
    bob's injury; her earlier commands still undo, and bob's record is untouched."""
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    injury = cli("injury", "add", "left calf strain", "--since", "2016-06-10", "--json",
                 "--athlete", "alice").json()
    pain = cli("pain", "6", "--on", "2016-06-12 08:00", "--injury", "calf", "--json",
               "--athlete", "alice").json()
    assert cli("delete", "injury", str(injury["id"]), "--yes",
               "--athlete", "alice").exit_code == 0
    bobs = cli("injury", "add", "right knee", "--since", "2016-06-11", "--json",
               "--athlete", "bob").json()
    assert bobs["id"] == injury["id"]  # the freed id is the next one
    bob_before = cli("export", "--athlete", "bob").json()
    undone = cli("undo", "--yes", "--athlete", "alice")
    assert undone.exit_code == 0, undone.stderr
    alice = cli("export", "--athlete", "alice").json()
    [back] = alice["injuries"]
    assert back["uid"] == injury["uid"]
    assert [p["injury_uid"] for p in alice["pain"]] == [injury["uid"]]
    shown = cli("injury", "show", "calf", "--json", "--athlete", "alice")
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["injury"]["id"] != bobs["id"]
    assert cli("export", "--athlete", "bob").json() == bob_before
    # Her earlier commands (the pain, then the injury) undo cleanly, still nothing of bob's.
    for _ in range(2):
        again = cli("undo", "--yes", "--athlete", "alice")
        assert again.exit_code == 0, again.stderr
    alice = cli("export", "--athlete", "alice").json()
    assert alice["injuries"] == [] and alice["pain"] == [] and pain["uid"]
    assert cli("export", "--athlete", "bob").json() == bob_before


def _links_stay_within(cli) -> None:
    """Every entry of each athlete links to one of their own injuries or to none, and bob
    can delete each of his injuries (no entry of amy's holds on to one)."""
    exports = {name: cli("export", "--athlete", name).json() for name in ("amy", "bob")}
    for name, exported in exports.items():
        own = {i["uid"] for i in exported["injuries"]}
        for kind in ("pain", "treatments"):
            assert {e["injury_uid"] for e in exported[kind]} <= own | {None}, (name, kind)
    for injury in cli("injury", "list", "--all", "--json", "--athlete", "bob").json():
        deleted = cli("delete", "injury", str(injury["id"]), "--yes", "--athlete", "bob")
        assert deleted.exit_code == 0, deleted.stderr


def test_undo_past_an_edit_of_an_injury_brought_back_under_a_new_id(cli):
    """amy edits, then deletes, her injury; bob's new injury takes its id; amy undoes the
    delete (her injury back under a new id) and then the edit: the edit is undone on her
    injury as it is now, its id unchanged, and every later undo works."""
    for name in ("bob", "amy"):
        assert cli("athletes", "add", name).exit_code == 0
    amy = ("--athlete", "amy")
    assert cli("injury", "add", "left calf strain", "--since", "2016-06-10", *amy).exit_code == 0
    assert cli("treat", "cortisone", "--on", "2016-06-12 09:00", "--injury", "calf",
               *amy).exit_code == 0
    assert cli("edit", "injury", "1", "--diagnosis", "grade 1", *amy).exit_code == 0
    assert cli("delete", "injury", "1", "--yes", *amy).exit_code == 0
    assert cli("injury", "add", "right achilles", "--since", "2016-06-14",
               "--athlete", "bob").exit_code == 0
    for _ in range(4):  # the delete, the edit, the treatment, the injury
        undone = cli("undo", "--yes", *amy)
        assert undone.exit_code == 0, undone.stderr
        _links_stay_within(cli) if _ == 1 else None
    assert cli("export", *amy).json()["injuries"] == []


def test_undo_never_links_an_entry_to_another_athletes_injury(cli):
    """Ids are given again once freed: a pain's journalled injury id may, by the time its
    delete is undone, name bob's injury, or an injury of amy's that is not the one it
    meant. The pain comes back linked to one of amy's injuries or to none, never bob's."""
    for name in ("bob", "amy"):
        assert cli("athletes", "add", name).exit_code == 0
    amy, bob = ("--athlete", "amy"), ("--athlete", "bob")
    for args in (("injury", "add", "left calf strain", "--since", "2016-06-10", *amy),
                 ("pain", "8", "--injury", "calf", "--on", "2016-06-15 08:00", *amy),
                 ("delete", "pain", "1", "--yes", *amy),
                 ("delete", "injury", "1", "--yes", *amy),
                 ("injury", "add", "right hip", "--since", "2016-06-13", *amy),
                 ("delete", "injury", "1", "--yes", *amy),
                 ("injury", "add", "right achilles", "--since", "2016-06-14", *bob),
                 ("undo", "--yes", *amy), ("undo", "--yes", *amy),
                 ("injury", "add", "left knee", "--since", "2016-06-14", *bob),
                 ("undo", "--yes", *amy), ("undo", "--yes", *amy)):
        done = cli(*args)
        assert done.exit_code == 0, (args, done.stderr)
    assert [p["score"] for p in cli("export", *amy).json()["pain"]] == [8]
    _links_stay_within(cli)


def test_undo_of_a_delete_after_another_imported_its_uid(cli, tmp_path):
    """bob deletes his race; alice imports a file holding that race (its uid is no one's
    now); bob's undo cannot give him back an entry that is alice's: it says so (exit 2) or
    gives it back under a new uid, and alice's entry is untouched. Never exit 3."""
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    assert cli("race", "add", "Bobville 20K", "2016-06-26", "--athlete", "bob").exit_code == 0
    # alice's race takes the next id: bob's freed id stays free (the uid is the question).
    assert cli("race", "add", "Alicetown 10K", "2016-06-19", "--athlete", "alice").exit_code == 0
    exported = tmp_path / "bob.json"
    assert cli("export", "--output", str(exported), "--athlete", "bob").exit_code == 0
    assert cli("delete", "race", "last", "--yes", "--athlete", "bob").exit_code == 0
    imported = cli("import", str(exported), "--athlete", "alice")
    assert imported.exit_code == 0, imported.stderr
    alice = cli("export", "--athlete", "alice").json()
    undone = cli("undo", "--yes", "--athlete", "bob")
    assert undone.exit_code in (0, 2), undone.stderr
    assert cli("export", "--athlete", "alice").json() == alice
    races = cli("race", "list", "--json", "--athlete", "bob").json()
    assert all(r["uid"] not in {a["uid"] for a in alice["races"]} for r in races)


def test_an_import_of_anothers_export_is_refused_without_naming_them(world, cli, tmp_path,
                                                                     database_query):
    exported = tmp_path / "export.json"
    assert cli("export", "--output", str(exported), "--athlete", "alice").exit_code == 0
    before = dump(database_query)
    for name in ("bob", "carol"):
        for extra in ([], ["--replace"], ["--keep"]):
            result = cli("import", str(exported), *extra, "--athlete", name)
            assert result.exit_code == 2, (name, extra, result.stdout)
            said = result.stderr.replace(str(exported), "FILE").lower()
            assert "alice" not in said, said
            assert dump(database_query) == before, (name, extra)
    # One of alice's entries among new ones: the whole file is refused.
    mixed = json.loads(exported.read_text())
    mixed["pain"] = [p | {"uid": "0" * 8 + p["uid"][8:], "note": "NEW"} for p in mixed["pain"]]
    mixed["races"] = []
    mixed["treatments"] = mixed["treatments"][:1]
    (tmp_path / "mixed.json").write_text(json.dumps(mixed))
    result = cli("import", str(tmp_path / "mixed.json"), "--athlete", "bob")
    assert result.exit_code == 2, result.stdout
    assert dump(database_query) == before
    # Her own export, into her own record: all already there.
    again = cli("import", str(exported), "--athlete", "alice", "--json")
    assert again.exit_code == 0, again.stderr
    assert again.json()["files"][0]["added"] == 0
    assert cli("export", "--athlete", "alice").json()["activities"] == \
        json.loads(exported.read_text())["activities"]



def test_an_activity_file_is_judged_against_the_athletes_own_runs(cli, tmp_path, database):
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    # alice has this run, day only (a GPX would improve it); bob has nothing.
    assert cli("log", "2.2k", "--on", "today", "--pain", "3", "--athlete", "alice",
               "--note", "ALICE-RUN").exit_code == 0
    alice = cli("export", "--athlete", "alice").json()
    (tmp_path / "run.gpx").write_text(RUN_GPX)
    imported = cli("import", str(tmp_path / "run.gpx"), "--athlete", "bob", "--json")
    assert imported.exit_code == 0, imported.stderr
    counts = imported.json()["files"][0]
    assert (counts["added"], counts["improved"], counts["already"]) == (1, 0, 0)
    assert cli("export", "--athlete", "alice").json() == alice
    [bobs] = cli("export", "--athlete", "bob").json()["activities"]
    assert bobs["time_known"] is True and bobs["note"] is None
    # The same run from another device's export (another uid, pain 8): bob's own, again not
    # alice's to improve.
    phone = database("phone.db")
    assert cli("--db", phone, "log", "2.2k", "12:00", "--on", "today 7:00", "--pain", "8",
               "--type", "tempo").exit_code == 0
    assert cli("--db", phone, "export", "--output", str(tmp_path / "phone.json")).exit_code == 0
    imported = cli("import", str(tmp_path / "phone.json"), "--athlete", "carol")
    assert imported.exit_code == 2  # no carol here
    assert cli("athletes", "add", "carol").exit_code == 0
    imported = cli("import", str(tmp_path / "phone.json"), "--athlete", "carol", "--json")
    assert imported.exit_code == 0, imported.stderr
    assert imported.json()["files"][0]["added"] == 1
    assert cli("export", "--athlete", "alice").json() == alice
    assert cli("status", "--check", "--athlete", "carol").exit_code == 1
    assert cli("status", "--check", "--athlete", "alice").exit_code == 0
    # And into alice's own record, the GPX improves her run as on a file of her own.
    improved = cli("import", str(tmp_path / "run.gpx"), "--athlete", "alice", "--json")
    assert improved.json()["files"][0]["improved"] == 1
    assert cli("export", "--athlete", "bob").json()["activities"] == [bobs]


def test_the_same_file_imported_for_two_athletes_is_stored_for_each(cli, tmp_path):
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    (tmp_path / "run.gpx").write_text(RUN_GPX)
    for name in ("alice", "bob"):
        imported = cli("import", str(tmp_path / "run.gpx"), "--athlete", name, "--json")
        assert imported.exit_code == 0, imported.stderr
        assert imported.json()["files"][0]["added"] == 1, name
        again = cli("import", str(tmp_path / "run.gpx"), "--athlete", name, "--json")
        assert again.json()["files"][0]["already"] == 1, name
    alice = cli("export", "--athlete", "alice").json()["activities"]
    bob = cli("export", "--athlete", "bob").json()["activities"]
    assert len(alice) == len(bob) == 1 and alice[0]["uid"] != bob[0]["uid"]


def test_an_import_cannot_point_at_anothers_injury(world, cli, tmp_path, database_query):
    """A file whose new entries name alice's injury (by its uid) does not link bob's record
    to it: refused, or linked to nothing; never a way to see or change alice's injury."""
    alice = cli("export", "--athlete", "alice").json()
    [injury] = alice["injuries"]
    planted = {key: value for key, value in alice.items()
               if key not in ("injuries", "treatments", "pain", "activities", "races",
                              "ladder")}
    planted |= {"injuries": [], "treatments": [], "activities": [], "races": [],
                "ladder": [],
                "pain": [{"uid": "11111111-2222-4333-8444-555555555555", "note": "PLANTED",
                          "score": 9, "at": "2016-06-15T09:00:00+02:00", "time_known": True,
                          "injury_uid": injury["uid"], "context": "rest"}]}
    (tmp_path / "planted.json").write_text(json.dumps(planted))
    before = cli("injury", "show", "calf", "--json", "--athlete", "alice").json()
    imported = cli("import", str(tmp_path / "planted.json"), "--athlete", "bob")
    assert imported.exit_code in (0, 2), imported.stderr
    assert "alice" not in imported.stderr.lower()
    bobs = cli("export", "--athlete", "bob").stdout
    assert injury["uid"] not in bobs
    assert cli("injury", "show", "calf", "--json", "--athlete", "alice").json() == before
    assert cli("export", "--athlete", "alice").json() == alice
    if imported.exit_code == 0:
        [planted_pain] = [p for p in cli("export", "--athlete", "bob").json()["pain"]
                          if p["note"] == "PLANTED"]
        assert planted_pain["injury_uid"] in (None, *{
            i["uid"] for i in cli("export", "--athlete", "bob").json()["injuries"]})


def test_advice_comes_from_the_athletes_own_record(cli, database):
    """bob has had pain most days for two weeks with no clinician seen, alice saw one; alice
    ran far more than she usually does, bob runs that much every other day. Each one's advice
    is what their own record alone gives."""
    steps = [("alice", ["log", "5k", "30:00", "--on", f"2016-05-{day:02d} 07:00"])
             for day in (16, 20, 24, 28)]
    steps += [("bob", ["log", "15k", "1:30:00", "--on", f"2016-05-{day:02d} 07:00"])
              for day in range(15, 32, 2)]
    steps += [("bob", ["pain", "3", "--context", "morning", "--on", f"2016-06-{day:02d} 07:00"])
              for day in range(2, 15)]
    steps += [("alice", ["treat", "consult", "--on", "2016-06-12 10:00"]),
              ("alice", ["log", "25k", "2:30:00", "--on", "2016-06-14 07:00"]),
              ("bob", ["log", "15k", "1:30:00", "--on", "2016-06-14 18:00"])]
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    for name, command in sorted(steps, key=lambda step: step[1][-1]):  # by date: interleaved
        assert cli(*command, "--athlete", name).exit_code == 0, (name, command)
    shared = {name: cli("status", "--json", "--athlete", name).json() for name in ("alice", "bob")}
    assert any(a["level"] == "see-clinician" for a in shared["bob"]["advice"])
    assert not any(a["level"] == "see-clinician" for a in shared["alice"]["advice"])
    for name in ("alice", "bob"):
        alone = World(cli, db=database(f"{name}.db"))
        assert alone.run(None, "athletes", "add", name).exit_code == 0
        for who, command in sorted(steps, key=lambda step: step[1][-1]):
            if who == name:
                assert alone.run(name, *command).exit_code == 0
        assert comparable(alone.run(name, "status", "--json").json()) == comparable(
            shared[name]), name
    listed = {a["name"]: a for a in cli("athletes", "--json").json()["athletes"]}
    assert listed["bob"]["see_clinician"] and not listed["alice"]["see_clinician"]


def test_settings_are_each_athletes_own(world, cli):
    assert cli("athletes", "set", "bob", "--units", "mi", "--zone", "Asia/Tokyo").exit_code == 0
    bob = cli("status", "--json", "--athlete", "bob").json()
    alice = cli("status", "--json", "--athlete", "alice").json()  # after bob's, in-process
    assert alice["at"].endswith("+02:00") and bob["at"].endswith("+09:00")
    assert " mi" in cli("list", "runs", "--athlete", "bob").stdout
    assert " km" in cli("list", "runs", "--athlete", "alice").stdout
    listed = {a["name"]: a for a in cli("athletes", "--json").json()["athletes"]}
    # alice's settings are not bob's (shown as set, or as what applies: the config's, TZ).
    assert listed["alice"]["units"] in (None, "km")
    assert listed["alice"]["time_zone"] in (None, "Europe/Paris")
    assert (listed["bob"]["units"], listed["bob"]["time_zone"]) == ("mi", "Asia/Tokyo")


def test_units_the_athletes_own_then_the_config_then_the_environment(world, cli, monkeypatch):
    assert cli("config", "units", "mi").exit_code == 0
    assert cli("athletes", "set", "alice", "--units", "km").exit_code == 0
    assert " 5.0 km " in cli("list", "runs", "--athlete", "alice").stdout
    bobs = cli("list", "runs", "--athlete", "bob").stdout
    assert " mi " in bobs and " km " not in bobs
    monkeypatch.setenv("RUNRECOVER_UNITS", "mi")
    assert " km " not in cli("list", "runs", "--athlete", "alice").stdout
    monkeypatch.setenv("RUNRECOVER_UNITS", "km")
    assert " mi " not in cli("list", "runs", "--athlete", "bob").stdout
    monkeypatch.delenv("RUNRECOVER_UNITS")
    assert cli("athletes", "set", "alice", "--units", "").exit_code == 0  # cleared: the config
    assert " km " not in cli("list", "runs", "--athlete", "alice").stdout


def test_a_bad_setting_is_refused_and_breaks_no_one_elses_view(world, cli, database_query):
    before = dump(database_query)
    for args in (["athletes", "set", "bob", "--zone", "Mars/Olympus"],
                 ["athletes", "set", "bob", "--units", "furlongs"],
                 ["athletes", "add", "dave", "--zone", "Europe/Pariss"],
                 ["athletes", "add", "erin", "--units", "leagues"],
                 ["athletes", "set", "dave", "--units", "mi"],
                 ["athletes", "rename", "dave", "erin"]):
        refused = cli(*args)
        assert refused.exit_code == 2, (args, refused.stdout)
    assert dump(database_query) == before
    listed = cli("athletes", "--json")
    assert listed.exit_code == 0
    assert [a["name"] for a in listed.json()["athletes"]] == list(NAMES)


def test_one_athletes_zone_never_counts_anothers_days(cli, now):
    """alice lives in Tokyo; bob, in Paris, may not run until Sat 18 Jun 00:00 Paris time.
    At 23:30 on Friday in Paris (Saturday morning in Tokyo), bob may not run, whoever was
    answered for before him in the same process (the athletes view answers for all)."""
    from datetime import datetime

    from conftest import PARIS

    assert cli("athletes", "add", "alice", "--zone", "Asia/Tokyo").exit_code == 0
    assert cli("athletes", "add", "bob").exit_code == 0
    assert cli("treat", "mesotherapy", "--on", "2016-06-14 09:00", "--athlete", "bob",
               "--no-run-days", "4").exit_code == 0
    assert cli("treat", "mesotherapy", "--on", "2016-06-14 09:00", "--athlete", "alice",
               "--no-run-days", "4").exit_code == 0
    now(datetime(2016, 6, 17, 23, 30, tzinfo=PARIS))
    assert cli("status", "--json", "--athlete", "alice").json()["can_run"] is True
    bob = cli("status", "--json", "--athlete", "bob").json()
    assert (bob["can_run"], bob["run_allowed_from"]) == (False, "2016-06-18T00:00:00+02:00")
    listed = {a["name"]: a for a in cli("athletes", "--json").json()["athletes"]}
    assert (listed["alice"]["can_run"], listed["bob"]["can_run"]) == (True, False)
    assert "NOT YET" in next(line for line in cli("athletes").stdout.splitlines()
                             if "bob" in line)
    assert cli("status", "--check", "--athlete", "bob").exit_code == 1
    assert cli("--athlete", "bob", "status", "--at", "2016-06-17 23:59", "--check").exit_code == 1


@pytest.mark.parametrize("order", ["athlete first", "athlete last", "global"])
def test_dates_are_read_in_the_named_athletes_zone_wherever_the_name_is(cli, order):
    assert cli("athletes", "add", "alice", "--zone", "Asia/Tokyo").exit_code == 0
    assert cli("athletes", "add", "bob").exit_code == 0

    def run(*args):
        dated = list(args)
        if order == "athlete first":  # right after the command's name(s), before its dates
            words = 2 if dated[0] == "race" else 1
            return cli(*dated[:words], "--athlete", "alice", *dated[words:])
        if order == "athlete last":
            return cli(*dated, "--athlete", "alice")
        return cli("--athlete", "alice", *dated)

    answer = run("status", "--at", "2016-06-18 06:00", "--json")
    assert answer.exit_code == 0, answer.stderr
    assert answer.json()["at"] == "2016-06-18T06:00:00+09:00"
    written = run("pain", "3", "--on", "2016-06-15 08:00", "--json")
    assert written.exit_code == 0, written.stderr
    assert written.json()["at"] == "2016-06-15T08:00:00+09:00"
    race = run("race", "add", "Tokyo 10K", "2016-06-19 07:00", "--json")
    assert race.json()["at"] == "2016-06-19T07:00:00+09:00"


def test_shell_completion_offers_only_the_athletes_own_names(world, cli, isolated):
    from typer.testing import CliRunner

    from runrecover.cli import app

    db = os.environ["RUNRECOVER_DB"] if POSTGRES else str(isolated)

    def complete(words, env=None):
        result = CliRunner().invoke(app, [], prog_name="runrecover", env={
            "_RUNRECOVER_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": f"runrecover --db {db} {words}"} | (env or {}))
        assert result.exit_code == 0
        return result.stdout

    assert '"right hamstring"' in complete("report ", {"RUNRECOVER_ATHLETE": "bob"})
    assert "hamstring" not in complete("report ", {"RUNRECOVER_ATHLETE": "alice"})
    assert "hamstring" not in complete("--athlete alice report ", {"RUNRECOVER_ATHLETE": "bob"})
    # Several athletes and none named, or one unknown: no one's names.
    for words in ("report ", "--athlete dave report ", "status --race "):
        offered = complete(words)
        assert not any(name in offered for name in ("calf", "hamstring", "Alicetown",
                                                    "Bobville")), words

    assert '"right hamstring"' in complete("--athlete bob report ")
    for words in ("--athlete alice report ", "--athlete alice pain 3 --injury r",
                  "report --athlete alice r", "--athlete carol injury show "):
        assert "hamstring" not in complete(words), words
    assert "Bobville" not in complete("--athlete alice status --race ")
    assert "Alicetown" in complete("--athlete alice status --race ")
    assert "Alicetown" not in complete("--athlete carol status --race ")


# -- names -----------------------------------------------------------------------------------

def test_names_match_whatever_their_case_and_surrounding_spaces(world, cli):
    alice = cli("export", "--athlete", "alice").json()
    for spelled in ("ALICE", "Alice", "  alice  ", "aLiCe "):
        for how in ("command", "global"):
            shown = cli(*with_athlete(spelled, ["export"], how))
            assert shown.exit_code == 0, (spelled, shown.stderr)
            assert comparable(shown.json()) == comparable(alice)
    for taken in ("ALICE", " alice", "Bob"):
        refused = cli("athletes", "add", taken)
        assert refused.exit_code == 2, taken
    assert cli("athletes", "rename", "bob", "Alice").exit_code == 2
    assert len(cli("athletes", "--json").json()["athletes"]) == 3
    # A partial name is not a name.
    for partial in ("ali", "alic", "al ice"):
        assert cli("export", "--athlete", partial).exit_code == 2


def test_a_name_with_spaces_is_one_whole_name_and_an_id_is_not_a_name(world, cli):
    assert cli("athletes", "add", "Mary Jane").exit_code == 0
    written = cli("pain", "2", "--on", "2016-06-15 09:00", "--athlete", "mary jane", "--json")
    assert written.exit_code == 0, written.stderr
    for spelled in ("Mary Jane", " MARY JANE ", "mary jane"):
        assert written.json()["uid"] in cli("export", "--athlete", spelled).stdout
    for wrong in ("Mary", "Jane", "MaryJane", "1", "2"):
        refused = cli("export", "--athlete", wrong)
        assert refused.exit_code == 2, wrong
    for empty in ("", "   "):
        assert cli("athletes", "add", empty).exit_code == 2
        assert cli("export", "--athlete", empty).exit_code == 2
    assert len(cli("athletes", "--json").json()["athletes"]) == 4


def test_names_match_whatever_their_case_beyond_ascii(cli):
    """A clinic's athletes are not all named in ASCII: Émile is ÉMILE is émile, on both
    engines (SQLite's own lower() knows only ASCII)."""
    assert cli("athletes", "add", "Émile").exit_code == 0
    assert cli("athletes", "add", "Zoë").exit_code == 0
    for taken in ("émile", "ÉMILE", "ZOË", " zoë "):
        refused = cli("athletes", "add", taken)
        assert refused.exit_code == 2, taken
    written = cli("pain", "2", "--on", "2016-06-15 09:00", "--athlete", "ÉMILE", "--json")
    assert written.exit_code == 0, written.stderr
    for spelled in ("émile", "Émile", "ÉMILE"):
        shown = cli("export", "--athlete", spelled)
        assert shown.exit_code == 0, (spelled, shown.stderr)
        assert written.json()["uid"] in shown.stdout
    assert cli("export", "--athlete", "ZOË").json()["pain"] == []
    assert sorted(a["name"] for a in cli("athletes", "--json").json()["athletes"]) == [
        "Zoë", "Émile"]


def test_a_renamed_athlete_keeps_their_record_under_the_new_name_only(world, cli):
    alice = cli("export", "--athlete", "alice").json()
    assert cli("athletes", "rename", "alice", "alicia").exit_code == 0
    assert comparable(cli("export", "--athlete", "alicia").json()) == comparable(alice)
    assert cli("export", "--athlete", "alice").exit_code == 2
    assert cli("status", "--athlete", "alice").exit_code == 2


UNNAMED = [[], ["status"], ["status", "--json"], ["status", "--check"],
           ["status", "--race", "Alicetown", "--check"], ["timeline"], ["list"],
           ["list", "pain", "--json"], ["injury", "list"], ["injury", "show", "calf"],
           ["race", "list"], ["ladder"], ["export"], ["export", "--format", "ics"],
           ["report", "calf"],
           ["pain", "3"], ["log", "5k", "30:00"], ["treat", "physio"],
           ["injury", "add", "right knee"], ["injury", "resolve", "calf"],
           ["race", "add", "Test 5K", "2016-07-01"], ["ladder", "start"],
           ["edit", "pain", "last", "--score", "1"], ["delete", "pain", "last", "--yes"],
           ["undo", "--yes"]]


def test_several_athletes_and_none_named_is_refused_for_every_command(world, cli, tmp_path,
                                                                     database_query):
    before = dump(database_query)
    exported = tmp_path / "bob.json"
    assert cli("export", "--athlete", "bob", "--output", str(exported)).exit_code == 0
    for args in UNNAMED + [["import", str(exported)]]:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout)
        said = " ".join(result.stderr.split())
        assert "several athletes (alice, bob, carol)" in said, (args, said)
        assert "--athlete" in said and "RUNRECOVER_ATHLETE" in said
        assert "GO" not in result.stdout
    assert dump(database_query) == before


@pytest.mark.parametrize("how", ["command", "global", "env"])
def test_an_unknown_athlete_is_refused_and_never_created(world, cli, monkeypatch, tmp_path,
                                                        database_query, how):
    before = dump(database_query)
    exported = tmp_path / "bob.json"
    assert cli("export", "--athlete", "bob", "--output", str(exported)).exit_code == 0
    for args in UNNAMED + [["import", str(exported)]]:
        if how == "env":
            monkeypatch.setenv("RUNRECOVER_ATHLETE", "dave")
            result = cli(*args)
        else:
            result = cli(*with_athlete("dave", args, how))
        assert result.exit_code == 2, (args, result.stdout)
        said = " ".join(result.stderr.split())
        assert "dave" in said and "athletes add" in said, (args, said)
        assert all(name in said for name in NAMES), (args, said)
        assert "GO" not in result.stdout
    assert dump(database_query) == before


def test_the_command_option_beats_the_global_one_which_beats_the_environment(world, cli,
                                                                           monkeypatch):
    bob = comparable(cli("export", "--athlete", "bob").json())
    alice = comparable(cli("export", "--athlete", "alice").json())
    monkeypatch.setenv("RUNRECOVER_ATHLETE", "bob")
    assert comparable(cli("export").json()) == bob
    assert comparable(cli("--athlete", "alice", "export").json()) == alice
    assert comparable(cli("--athlete", "bob", "export", "--athlete", "alice").json()) == alice
    monkeypatch.setenv("RUNRECOVER_ATHLETE", "dave")  # an unknown one, beaten: never looked up
    assert comparable(cli("export", "--athlete", "alice").json()) == alice
    assert comparable(cli("--athlete", "dave", "export", "--athlete", "alice").json()) == alice
    # Writes go where the winner says.
    monkeypatch.setenv("RUNRECOVER_ATHLETE", "bob")
    written = cli("--athlete", "carol", "pain", "4", "--on", "2016-06-15 09:58",
                  "--athlete", "alice", "--json")
    assert written.exit_code == 0, written.stderr
    uid = written.json()["uid"]
    assert uid in json.dumps(cli("export", "--athlete", "alice").json())
    for name in ("bob", "carol"):
        assert uid not in json.dumps(cli("export", "--athlete", name).json())
    # bob's verdict under the env, alice's under the option: each their own.
    assert cli("status", "--at", FRIDAY, "--check").exit_code == 0
    assert cli("status", "--at", FRIDAY, "--check", "--athlete", "alice").exit_code == 1
    assert cli("--athlete", "alice", "status", "--at", FRIDAY, "--check").exit_code == 1


def test_a_single_runners_database_needs_no_name(cli, database_query):
    """No athlete: the first write makes `me`; one athlete: used unnamed; a second one added:
    every command must name one."""
    assert cli("pain", "3", "--on", "2016-06-15 08:00").exit_code == 0
    listed = cli("athletes", "--json").json()["athletes"]
    assert [a["name"] for a in listed] == ["me"]
    assert cli("status", "--check").exit_code == 0
    assert cli("export", "--athlete", "ME").json()["pain"][0]["score"] == 3
    assert cli("athletes", "add", "bob").exit_code == 0
    for args in (["status"], ["pain", "2"], []):
        result = cli(*args)
        assert result.exit_code == 2
        assert "several athletes (bob, me)" in " ".join(result.stderr.split()) or \
            "several athletes (me, bob)" in " ".join(result.stderr.split())
    assert database_query("SELECT count(*) FROM pain") == [(1,)]


def test_a_lone_named_athlete_is_used_and_no_me_is_made(cli):
    assert cli("athletes", "add", "alice").exit_code == 0
    assert cli("pain", "3", "--on", "2016-06-15 08:00").exit_code == 0
    assert [a["name"] for a in cli("athletes", "--json").json()["athletes"]] == ["alice"]
    assert len(cli("export", "--athlete", "alice").json()["pain"]) == 1


def test_an_unknown_athlete_creates_nobody(cli, database_query):
    assert cli("--athlete", "dave", "pain", "3").exit_code == 2  # a new database: no one yet
    assert cli("athletes", "add", "alice").exit_code == 0
    for args in (["pain", "3"], ["log", "5k", "30:00"], ["status"], ["status", "--check"]):
        result = cli("--athlete", "dave", *args)
        assert result.exit_code == 2, (args, result.stdout)
        assert "GO" not in result.stdout
    assert database_query("SELECT count(*) FROM athlete") == [(1,)]
    assert database_query("SELECT count(*) FROM pain") == [(0,)]
    assert database_query("SELECT count(*) FROM activity") == [(0,)]


# -- the property: a shared record is the sum of records of their own ---------------------

MOMENTS = ["2016-06-15 07:00", "2016-06-14 18:00", "2016-06-13 07:00", "2016-06-11 09:00"]


def _command():
    moment = st.sampled_from(MOMENTS)
    return st.one_of(
        st.just(["injury", "add", "left calf", "--since", "2016-05-01"]),
        st.builds(lambda score, at, context: ["pain", str(score), "--on", at, "--context",
                                              context],
                  st.integers(0, 10), moment, st.sampled_from(["morning", "rest", "night"])),
        st.builds(lambda at, kind, pain: ["log", "5k", "30:00", "--on", at, "--type", kind,
                                          *(["--pain", str(pain)] if pain is not None else [])],
                  moment, st.sampled_from(["easy", "intervals"]),
                  st.one_of(st.none(), st.integers(0, 10))),
        st.builds(lambda kind, at: ["treat", kind, "--on", at],
                  st.sampled_from(["mesotherapy", "prolotherapy", "shockwave", "massage"]),
                  st.sampled_from([*MOMENTS, "2016-06-16 09:00"])),
        st.builds(lambda day: ["race", "add", "City 10K", day],
                  st.sampled_from(["2016-06-18", "2016-06-25"])),
        st.just(["undo", "--yes"]),
        st.builds(lambda score: ["edit", "pain", "last", "--score", str(score)],
                  st.integers(0, 10)),
        st.just(["delete", "activity", "last", "--yes"]),
        st.builds(lambda at: ["ladder", "start", "--on", at], moment),
        st.builds(lambda action, at: ["ladder", action, "--on", at],
                  st.sampled_from(["pause", "reset", "leave"]), moment),
        st.builds(lambda at, rung: ["log", "2k", "20:00", "--rung", str(rung), "--on", at],
                  moment, st.integers(1, 3)),
        st.just(["injury", "resolve", "calf", "--on", "2016-06-15"]),
        st.builds(lambda score, at: ["pain", str(score), "--injury", "calf", "--on", at],
                  st.integers(0, 10), moment),
        st.builds(lambda at: ["treat", "physio", "--injury", "calf", "--on", at], moment),
        st.builds(lambda pain: ["edit", "activity", "last", "--pain", str(pain)],
                  st.integers(0, 10)),
        st.just(["delete", "injury", "last", "--yes"]),
    )


PROPERTY_VIEWS = [["export"], ["status", "--at", NOW_AT, "--json"],
                  ["status", "--at", FRIDAY, "--json"], ["list", "--json"],
                  ["timeline", "--since", "2016-05-01", "--until", "2016-07-01", "--json"]]


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(["alice", "bob"]), _command(),
                                st.sampled_from(["command", "global"])),
                      min_size=2, max_size=14))
def test_a_shared_record_answers_as_databases_of_their_own(cli, database, steps):
    """Each command's answer (its JSON, its warnings, its exit code), and then the record's
    views, are what the athlete's own commands alone give on a database of their own."""
    shared = World(cli, db=database("shared.db"))
    for name in ("alice", "bob"):
        assert shared.run(None, "athletes", "add", name).exit_code == 0
    answers = {"alice": [], "bob": []}
    for name, command, how in steps:
        answers[name].append(_answer(shared.run(name, *command, "--json", how=how)))
    for name in ("alice", "bob"):
        alone = World(cli, db=database(f"{name}.db"))
        assert alone.run(None, "athletes", "add", name).exit_code == 0
        own = [command for who, command, _ in steps if who == name]
        for command, there in zip(own, answers[name], strict=True):
            assert _answer(alone.run(name, *command, "--json")) == there, (name, command, own)
        for view in PROPERTY_VIEWS:
            there, here = shared.run(name, *view), alone.run(name, *view)
            assert (there.exit_code, here.exit_code) == (0, 0), (view, there.stderr)
            assert comparable(there.json()) == comparable(here.json()), (name, view, own)


def _answer(result):
    """A command's exit code, its JSON but for ids and uids, and what it said on stderr but
    for the numbers in it (ids)."""
    said = re.sub(r"\d+", "#", " ".join(result.stderr.split()))
    return result.exit_code, comparable(result.json()) if result.exit_code == 0 else None, said


# -- PostgreSQL: many writers at once -------------------------------------------------------

WRITERS = 24
on_server = pytest.mark.skipif(POSTGRES is None, reason="PostgreSQL only: parallel writers "
                               "on a server (set RUNRECOVER_TEST_POSTGRES; .ci/run starts one)")


def _parallel(tmp_path, commands_per_writer):
    """Each list of commands in a process of its own, all started at once."""
    env = {k: v for k, v in os.environ.items() if k != "RUNRECOVER_ATHLETE"}
    start = forked.barrier(len(commands_per_writer))
    writers = [forked.Commands(commands, env, tmp_path / f"writer-{n}.json", start)
               for n, commands in enumerate(commands_per_writer)]
    start.wait(timeout=120)
    return [writer.outcome() for writer in writers]


def _owners(query, table):
    """Each row's note and its athlete's name."""
    return sorted(query(f"SELECT t.note, a.name FROM {table} t "
                        "JOIN athlete a ON a.id = t.athlete_id"))


@on_server
def test_writers_across_athletes_at_once_keep_each_record_its_own(cli, database_query,
                                                                  tmp_path):
    names = [f"runner{n:02d}" for n in range(WRITERS)]
    for name in names:
        assert cli("athletes", "add", name).exit_code == 0
    outcomes = _parallel(tmp_path, [[
        # The same run for every athlete at once: each stores it for themselves.
        ["log", "5k", "30:00", "--on", "2016-06-01 07:00", "--note", f"W{n:02d}",
         "--athlete", name],
        ["pain", str(n % 10), "--on", "2016-06-01 09:00", "--note", f"W{n:02d}",
         "--athlete", name],
        ["--athlete", name, "treat", "physio", "--on", "2016-06-02 09:00", "--note",
         f"W{n:02d}"],
        ["log", "5k", "30:00", "--on", "2016-06-01 07:00", "--athlete", name],  # a repeat
    ] for n, name in enumerate(names)])
    for results in outcomes:
        assert [r.code for r in results] == [0] * 4, [r.stderr for r in results]
        assert "Already logged" not in results[0].stderr
        assert "Already logged" in results[3].stderr
    expected = sorted((f"W{n:02d}", name) for n, name in enumerate(names))
    for table in ("activity", "pain", "treatment"):
        assert _owners(database_query, table) == expected, table
        assert database_query(f"SELECT count(*), count(DISTINCT id) FROM {table}") == [
            (WRITERS, WRITERS)]
    assert database_query("SELECT count(*) FROM journal WHERE command IN ('log', 'pain', "
                          "'treat')") == [(3 * WRITERS,)]
    for n in (0, 7, 23):
        exported = cli("export", "--athlete", names[n]).json()
        assert [[e["note"] for e in exported[k]] for k in ("activities", "pain", "treatments")
                ] == [[f"W{n:02d}"]] * 3


@on_server
def test_writers_for_one_athlete_at_once_lose_nothing_and_touch_no_other(cli, database_query,
                                                                        tmp_path):
    for name in ("solo", "other"):
        assert cli("athletes", "add", name).exit_code == 0
    assert cli("log", "5k", "30:00", "--on", "2016-06-01 07:00", "--note", "OTHER",
               "--athlete", "other").exit_code == 0
    outcomes = _parallel(tmp_path, [[
        ["log", "5k", f"{20 + n}:00", "--on", "2016-06-01 07:00", "--again", "--note",
         f"S{n:02d}", "--athlete", "solo"],
        ["pain", str(n % 10), "--on", f"2016-06-01 {8 + n % 10:02d}:00", "--note",
         f"S{n:02d}", "--athlete", "solo"],
    ] for n in range(WRITERS)])
    for results in outcomes:
        assert [r.code for r in results] == [0, 0], [r.stderr for r in results]
    assert _owners(database_query, "activity") == sorted(
        [("OTHER", "other")] + [(f"S{n:02d}", "solo") for n in range(WRITERS)])
    assert _owners(database_query, "pain") == sorted((f"S{n:02d}", "solo")
                                                     for n in range(WRITERS))
    assert database_query("SELECT count(DISTINCT id) FROM activity") == [(WRITERS + 1,)]
    [run] = cli("export", "--athlete", "other").json()["activities"]
    assert run["note"] == "OTHER"


@on_server
def test_the_same_run_logged_at_once_for_two_athletes_is_stored_once_for_each(
        cli, database_query, tmp_path):
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    outcomes = _parallel(tmp_path, [
        [["log", "5k", "30:00", "--on", "2016-06-01 07:00", "--athlete", ("alice", "bob")[n % 2]]]
        for n in range(WRITERS)])
    results = [r for outcome in outcomes for r in outcome]
    assert [r.code for r in results] == [0] * WRITERS
    assert sum("Already logged" in r.stderr for r in results) == WRITERS - 2
    assert sorted(database_query("SELECT a.name FROM activity t JOIN athlete a "
                                 "ON a.id = t.athlete_id")) == [("alice",), ("bob",)]


@on_server
def test_undo_by_many_at_once_undoes_only_the_athletes_own(cli, database_query, tmp_path):
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    for n in range(6):
        for name in ("alice", "bob"):
            assert cli("pain", str(n), "--on", f"2016-06-0{n + 1} 07:00", "--note",
                       f"{name}{n}", "--athlete", name).exit_code == 0
    outcomes = _parallel(tmp_path, [[["undo", "--yes", "--athlete", "bob"]]] * 4
                         + [[["--athlete", "alice", "undo", "--yes"]]] * 2)
    assert [r.code for outcome in outcomes for r in outcome] == [0] * 6
    assert _owners(database_query, "pain") == sorted(
        [(f"alice{n}", "alice") for n in range(4)] + [(f"bob{n}", "bob") for n in range(2)])


# -- a single runner's file, migrated, then shared ------------------------------------------

def test_a_migrated_file_is_mes_and_a_new_athlete_starts_empty(cli, db_path, database_query):
    """Every entry and journal row of an older file is `me`'s: a second athlete sees none of
    them, and cannot undo the commands the old code journalled."""
    import shutil
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "schema-v4.db"
    expected = json.loads(fixture.with_suffix(".json").read_text())
    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(fixture, db_path)
    db_path.chmod(0o600)
    assert cli("athletes", "add", "bob").exit_code == 0
    names = [a["name"] for a in cli("athletes", "--json").json()["athletes"]]
    assert sorted(names) == ["bob", "me"]
    mine = cli("export", "--athlete", "me").json()
    for key in EXPORT_KINDS:
        assert {e["uid"] for e in mine[key]} == {e["uid"] for e in expected.get(key, [])}, key
    bobs = cli("export", "--athlete", "bob").json()
    assert all(bobs[key] == [] for key in EXPORT_KINDS)
    before = dump(database_query)
    nothing = cli("undo", "--yes", "--athlete", "bob")
    assert nothing.exit_code == 2 and "nothing to undo" in nothing.stderr
    assert dump(database_query) == before
    assert cli("status", "--check").exit_code == 2  # two athletes now: name one
    assert cli("undo", "--yes", "--athlete", "me").exit_code == 0


# -- at once, on either engine ---------------------------------------------------------------

def test_one_file_imported_at_once_for_two_athletes_goes_to_one_only(cli, database, tmp_path):
    """Twelve imports of one export for alice and twelve for bob, all at once: its entries
    are stored once, for one of them; every import for the other is refused (exit 2), never a
    failure of the database (exit 3), never the same uid twice."""
    source = database("phone.db")
    for command in (["log", "5k", "30:00", "--on", "2016-06-01 07:00", "--pain", "2"],
                    ["pain", "4", "--on", "2016-06-02 08:00"], ["race", "add", "Q 10K",
                                                                "2016-07-03"]):
        assert cli("--db", source, *command).exit_code == 0
    exported = tmp_path / "phone.json"
    assert cli("--db", source, "export", "--output", str(exported)).exit_code == 0
    for name in ("alice", "bob"):
        assert cli("athletes", "add", name).exit_code == 0
    writers = WRITERS if POSTGRES else 8  # SQLite's writers wait their turn: fewer
    outcomes = _parallel(tmp_path, [[["import", str(exported), "--athlete",
                                      ("alice", "bob")[n % 2]]] for n in range(writers)])
    codes = {"alice": [], "bob": []}
    for n, [result] in enumerate(outcomes):
        codes[("alice", "bob")[n % 2]].append(result.code)
        assert result.code in (0, 2), result.stderr
    owners = [name for name in ("alice", "bob") if 0 in codes[name]]
    assert len(owners) == 1, codes
    [owner] = owners
    other = "bob" if owner == "alice" else "alice"
    assert codes[owner] == [0] * (writers // 2) and codes[other] == [2] * (writers // 2)
    kept = cli("export", "--athlete", owner).json()
    assert [len(kept[k]) for k in ("activities", "pain", "races")] == [1, 1, 1]
    assert all(cli("export", "--athlete", other).json()[k] == [] for k in EXPORT_KINDS)


def test_names_added_at_once_are_each_added_once(cli, database_query, tmp_path):
    assert cli("athletes", "add", "first").exit_code == 0
    outcomes = _parallel(tmp_path, [[["athletes", "add", f"runner{n % 12:02d}"]]
                                    for n in range(WRITERS)])
    codes = sorted(result.code for [result] in outcomes)
    assert codes == [0] * 12 + [2] * 12, [r.stderr for [r] in outcomes if r.code]
    assert database_query("SELECT count(*), count(DISTINCT lower(name)) FROM athlete") == [
        (13, 13)]
