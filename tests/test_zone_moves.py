"""Moving between time zones never moves a date (issue 10): an entry with a date and no time
is a calendar date, exported as YYYY-MM-DD and read back as that date in any zone, and the
copy answers the same verdicts at the same instants."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ZONES = ["Europe/Paris", "America/Los_Angeles", "Europe/London", "Asia/Tokyo",
         "Pacific/Auckland", "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Honolulu", "UTC"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(home=st.sampled_from(ZONES), away=st.sampled_from(ZONES),
       day=st.dates(datetime(2016, 1, 1).date(), datetime(2016, 12, 20).date()),
       kind=st.sampled_from(["mesotherapy", "prolotherapy", "cortisone"]),
       probe_hours=st.lists(st.integers(0, 24 * 25), min_size=3, max_size=3))
def test_export_in_one_zone_import_in_another_keeps_dates_and_verdicts(
        cli, database, monkeypatch, tmp_path_factory, home, away, day, kind, probe_hours):
    folder = tmp_path_factory.mktemp("zones")
    first, second = database("home.db"), database("away.db")
    monkeypatch.setenv("TZ", home)
    assert cli("--db", first, "treat", kind, "--on", day.isoformat()).exit_code == 0
    exported = cli("--db", first, "export").json()
    assert exported["treatments"][0]["at"] == day.isoformat()  # a date, no offset
    path = folder / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    probes = [(start + timedelta(hours=h)).isoformat() for h in probe_hours]
    before = [cli("--db", first, "status", "--at", p, "--json").json()["can_run"]
              for p in probes]
    monkeypatch.setenv("TZ", away)
    assert cli("--db", second, "import", str(path)).exit_code == 0
    copied = cli("--db", second, "export").json()["treatments"][0]
    assert copied["at"] == day.isoformat()
    # Back home, the copy answers as the original did at the same instants.
    monkeypatch.setenv("TZ", home)
    after = [cli("--db", second, "status", "--at", p, "--json").json()["can_run"]
             for p in probes]
    assert after == before


@pytest.mark.parametrize("away", ["America/Los_Angeles", "Pacific/Auckland"])
def test_undo_of_an_edit_in_another_zone_restores_the_same_date(cli, monkeypatch, away):
    cli("treat", "mesotherapy", "--on", "2016-06-14")
    cli("edit", "treatment", "1", "--on", "2016-06-20")
    monkeypatch.setenv("TZ", away)
    assert cli("undo", "--yes").exit_code == 0
    assert cli("export").json()["treatments"][0]["at"] == "2016-06-14"
