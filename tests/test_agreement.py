"""Every view of the same moment says the same thing (issue 10): the headline of `status`,
`status --json`, the exit code of `status --check` and of `status --race R --check`, the
flags `log` gave, the timeline's marks and `injury show`'s sessions, over generated
histories driven through the real CLI."""

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PARIS

NOW = datetime(2016, 6, 15, 10, 0, tzinfo=PARIS)
HEADLINE = {"none": "NOT YET", "easy": "EASY ONLY", "normal": "GO"}


def moment(hours_back: int) -> str:
    return (NOW - timedelta(hours=hours_back)).strftime("%Y-%m-%d %H:%M")


@st.composite
def histories(draw):
    commands = [["injury", "add", "left calf", "--since", "2016-05-01"]]
    for _ in range(draw(st.integers(0, 2))):
        commands.append(["treat", draw(st.sampled_from(
            ["mesotherapy", "prolotherapy", "cortisone", "shockwave", "massage"])),
            "--on", moment(draw(st.integers(0, 24 * 20)))])
    for _ in range(draw(st.integers(0, 3))):
        commands.append(["pain", str(draw(st.integers(0, 10))), "--on",
                         moment(draw(st.integers(0, 48))), "--context",
                         draw(st.sampled_from(["morning", "rest", "night", "during"]))])
    for _ in range(draw(st.integers(0, 2))):
        commands.append(["log", "8k", "45:00", "--on", moment(draw(st.integers(1, 24 * 10))),
                         "--type", draw(st.sampled_from(["easy", "intervals", "long"]))])
    race_in = draw(st.integers(1, 24 * 12))
    commands.append(["race", "add", "Test 10K",
                     (NOW + timedelta(hours=race_in)).strftime("%Y-%m-%d %H:%M"),
                     "--distance", "10k"])
    return commands


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(commands=histories())
def test_every_view_of_the_moment_agrees(cli, now, fresh_database, commands):
    now(NOW)
    fresh_database()  # hypothesis reuses the fixture's database: start each example anew
    logged = {}
    for command in commands:
        result = cli(*command, "--json") if command[0] == "log" else cli(*command)
        assert result.exit_code == 0, (command, result.stderr)
        if command[0] == "log":
            entry = result.json()
            logged[entry["id"]] = entry["breaks_restriction"] is not None
    answer = cli("status", "--json").json()
    assert answer["can_run"] == (answer["run_level"] != "none")
    assert cli("status").stdout.startswith(f" {HEADLINE[answer['run_level']]} ")
    assert cli("status", "--check").exit_code == (0 if answer["can_run"] else 1)
    [race] = answer["races"]
    assert cli("status", "--race", "test", "--check").exit_code == (0 if race["cleared"] else 1)
    events = cli("timeline", "--since", "2016-05-20", "--json").json()
    marked = {e["id"]: e["breaks_restriction"] is not None
              for e in events if e["kind"] == "activity"}
    assert marked == logged
    story = cli("injury", "show", "calf", "--json").json()
    assert [(s["kind"], s["due"]) for s in story["next_sessions"]] == [
        (s["kind"], s["due"]) for s in answer["next_sessions"]]
