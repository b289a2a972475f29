"""A typo never records a treatment with no restriction: kinds match through aliases kept
in the protocol data, a name close to a known kind is refused with "did you mean", and a
genuinely new kind needs --new-kind."""

import pytest


@pytest.mark.parametrize(("typed", "kind"), [
    ("prolo", "prolotherapy"),
    ("PRP injection", "prp"),
    ("eswt", "shockwave"),
    ("Shock Wave", "shockwave"),
    ("steroid", "cortisone"),
    ("mesoterapia", "mesotherapy"),
])
def test_an_alias_records_the_kind_and_its_restrictions(cli, typed, kind):
    result = cli("treat", typed, "--on", "2016-06-14 10:00", "--json")
    assert result.exit_code == 0, result.stderr
    answer = result.json()
    assert (answer["kind"], answer["protocol"]) == (kind, kind)
    assert answer["restrictions"]


@pytest.mark.parametrize(("typed", "meant"), [("mesoterapy", "mesotherapy"),
                                              ("prolotheraphy", "prolotherapy"),
                                              ("massge", "massage")])
def test_a_typo_is_refused_with_did_you_mean_and_nothing_written(cli, typed, meant):
    result = cli("treat", typed, "--on", "2016-06-14 10:00")
    assert result.exit_code == 2
    assert f"did you mean {meant}?" in result.stderr
    assert "--new-kind" in result.stderr
    assert cli("export").json()["treatments"] == []
    assert cli("status", "--check").exit_code == 0


def test_a_new_kind_needs_new_kind_and_says_it_starts_nothing(cli):
    refused = cli("treat", "reiki")
    assert refused.exit_code == 2 and "--new-kind" in refused.stderr
    recorded = cli("treat", "reiki", "--new-kind", "--json").json()
    assert (recorded["kind"], recorded["protocol"], recorded["restrictions"]) == (
        "reiki", None, [])
    shown = cli("treat", "reiki", "--new-kind").stdout
    assert "No protocol is known for 'reiki', so it starts no restriction" in " ".join(
        shown.split())


def test_a_new_kind_with_the_clinicians_days_restricts_running(cli):
    cli("treat", "reiki", "--new-kind", "--on", "2016-06-14 10:00", "--no-run-days", "3")
    assert cli("status", "--at", "2016-06-16 12:00", "--check").exit_code == 1
    assert cli("status", "--at", "2016-06-17 12:00", "--check").exit_code == 0


def test_a_stored_alias_still_restricts(cli, tmp_path):
    # A file from before aliases were followed, or from another tool, may hold "eswt".
    document = {"format": "runrecover", "version": 1, "injuries": [], "pain": [],
                "activities": [], "races": [], "treatments": [{
                    "uid": "5f1c8a52-7d0e-4c55-9a55-2f1a0d7e7c01", "kind": "eswt",
                    "at": "2016-06-14T10:00:00+02:00", "time_known": True}]}
    import json
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert cli("import", str(path)).exit_code == 0
    assert cli("status", "--at", "2016-06-15 10:00", "--check").exit_code == 1
