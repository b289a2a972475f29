import subprocess
import sys
from pathlib import Path

import pytest

from runrecover.errors import InputError
from runrecover.protocols import (
    BUILT_IN,
    LEVELS,
    Course,
    Offset,
    load_advice,
    load_protocols,
)

PROTOCOLS_MD_KINDS = {
    "mesotherapy",
    "prolotherapy",
    "cortisone",
    "prp",
    "shockwave",
    "dry-needling",
    "acupuncture",
    "massage",
    "osteopath",
    "chiropractor",
    "physio",
    "consult",
    "imaging",
    "b12",
}


def phase_table(protocol):
    return [
        (str(p.start), None if p.end is None else str(p.end), p.level, p.source)
        for p in protocol.phases
    ]


def test_every_kind_of_protocols_md_is_built_in():
    assert set(load_protocols()) == PROTOCOLS_MD_KINDS


@pytest.mark.parametrize("kind", sorted(PROTOCOLS_MD_KINDS))
def test_built_in_kinds_are_well_formed_and_cited(kind):
    protocol = load_protocols()[kind]
    assert protocol.kind == kind
    assert protocol.summary
    assert set(protocol.origin.values()) == {BUILT_IN}
    for phase in protocol.phases:
        assert phase.level in LEVELS
        assert phase.source
    if protocol.phases:
        assert protocol.phases[0].start.amount == 0
        assert protocol.phases[-1].end is None
        assert protocol.phases[-1].level == "run"
    if protocol.course is not None:
        course = protocol.course
        assert course.sessions_min <= course.sessions <= course.sessions_max
        assert course.source


def test_mesotherapy_is_the_seed():
    meso = load_protocols()["mesotherapy"]
    assert phase_table(meso) == [("0h", "4d", "cross", "clinic"), ("4d", None, "run", "clinic")]
    assert meso.course == Course(3, 3, 6, 7, None, "clinic/S15/S14")
    assert any("pregnancy" in item for item in meso.contraindications)
    assert meso.aftercare and meso.side_effects


def test_prolotherapy_is_the_seed():
    prolo = load_protocols()["prolotherapy"]
    assert phase_table(prolo) == [
        ("0h", "24h", "walk", "clinic"),
        ("24h", "2d", "walk", "clinic"),
        ("2d", "7d", "cross", "clinic"),
        ("7d", "14d", "run-easy", "clinic"),
        ("14d", None, "run", "S10"),
    ]
    assert (prolo.course.sessions, prolo.course.interval_days) == (3, 28)


@pytest.mark.parametrize("kind", ["physio", "consult", "imaging", "b12"])
def test_no_restriction_kinds_have_no_phases(kind):
    assert load_protocols()[kind].phases == ()


def test_missing_or_absent_user_file_gives_built_ins(tmp_path):
    assert load_protocols(tmp_path / "absent.toml") == load_protocols(None) == load_protocols()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "protocols.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_overrides_one_number_and_origin_names_the_file(tmp_path):
    path = write(tmp_path, "[mesotherapy.course]\ninterval_days = 5\n")
    meso = load_protocols(path)["mesotherapy"]
    assert meso.course.interval_days == 5
    assert meso.course.sessions == 3
    assert meso.origin["course.interval_days"] == str(path)
    assert meso.origin["course.sessions"] == BUILT_IN
    assert meso.origin["phases"] == BUILT_IN
    assert load_protocols()["mesotherapy"].course.interval_days == 7


def test_user_file_replaces_phases_and_adds_a_kind_by_normalised_name(tmp_path):
    path = write(
        tmp_path,
        """
[Mesotherapy]
phases = [
  { from = "0h", until = "5d", level = "walk", source = "my doctor" },
  { from = "5d", level = "run" },
]

["Cold Plunge"]
summary = "Ice bath."
[["Cold Plunge".phases]]
from = "0h"
until = "12h"
level = "cross"
[["Cold Plunge".phases]]
from = "12h"
level = "run"
["Cold Plunge".course]
sessions = 2
interval_days = 3
""",
    )
    protocols = load_protocols(path)
    meso = protocols["mesotherapy"]
    assert phase_table(meso) == [("0h", "5d", "walk", "my doctor"), ("5d", None, "run", "user")]
    assert meso.origin["phases"] == str(path)
    assert meso.origin["summary"] == BUILT_IN
    plunge = protocols["cold-plunge"]
    assert plunge.summary == "Ice bath."
    assert plunge.phases[0].end == Offset(12, "h")
    assert plunge.course == Course(2, 2, 2, 3, None, "user")
    assert set(plunge.origin.values()) == {str(path)}


def test_a_user_sessions_count_moves_the_built_in_range(tmp_path):
    course = load_protocols(write(tmp_path, "[mesotherapy.course]\nsessions = 8\n"))[
        "mesotherapy"
    ].course
    assert (course.sessions_min, course.sessions, course.sessions_max) == (3, 8, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[mesotherapy\nsummary = 'x'\n", "line 1"),
        ("[mesotherapy.course]\ninterval_days = 5\ninterval_days = 6\n", "line 3"),
        (
            '[x]\n[[x.phases]]\nfrom = "0h"\nuntil = "1d"\nlevel = "jog"\n'
            '[[x.phases]]\nfrom = "1d"\nlevel = "run"\n',
            "[x] phases[0].level: 'jog' is not a level",
        ),
        (
            '[x]\nphases = [{ from = "0h", until = "4x", level = "walk" }, '
            '{ from = "4x", level = "run" }]\n',
            "[x] phases[0].until: '4x' is not an offset",
        ),
        (
            '[x]\nphases = [{ from = "0h", until = "1d", level = "walk" }, '
            '{ from = "2d", level = "run" }]\n',
            "[x] phases[1].from: '2d' must equal the previous phase's until '1d'",
        ),
        (
            '[x]\nphases = [{ from = "1h", until = "1d", level = "walk" }, '
            '{ from = "1d", level = "run" }]\n',
            "[x] phases[0].from: the first phase must start at '0h'",
        ),
        (
            '[x]\nphases = [{ from = "0h", until = "1.5d", level = "walk" }, '
            '{ from = "1.5d", level = "run" }]\n',
            "days are calendar days",
        ),
        (
            '[x]\nphases = [{ from = "0h", until = "2d", level = "walk" }, '
            '{ from = "2d", until = "24h", level = "cross" }, { from = "24h", level = "run" }]\n',
            "[x] phases[1].until: '24h' must come after from '2d'",
        ),
        (
            '[x]\nphases = [{ from = "0h", until = "2d", level = "run" }, '
            '{ from = "2d", level = "walk" }]\n',
            "[x] phases[1].level: the last phase must be 'run'",
        ),
        (
            '[x]\nphases = [{ from = "0h", level = "walk" }, { from = "2d", level = "run" }]\n',
            "[x] phases[0]: 'until' is missing",
        ),
        ("[mesotherapy.course]\nsessions = -1\n", "[mesotherapy] course.sessions: -1"),
        ('[mesotherapy.course]\ninterval_days = "7"\n', "course.interval_days: '7' must be"),
        ("[mesotherapy.course]\nsessions_max = 2\n", "sessions 3 must lie within"),
        ("[mesotherapy.course]\nmin_interval_days = 9\n", "longer than interval_days 7"),
        ("[mesotherapy]\nphases = 3\n", "[mesotherapy] phases: must be an array"),
        ("[mesotherapy]\nsummary = 3\n", "[mesotherapy] summary: must be a string"),
        ("[mesotherapy]\naftercare = 'ice'\n", "[mesotherapy] aftercare: must be a list"),
        ("[mesotherapy]\nrest = '2d'\n", "[mesotherapy] has unknown key 'rest'"),
        ("[mesotherapy.course]\nevery = 7\n", "course.every: unknown key"),
        ("mesotherapy = 3\n", "'mesotherapy' must be a table"),
        ("['!!']\nsummary = 'x'\n", "'!!' is not a treatment kind name"),
        ("[x.course]\nsessions = 2\n", "[x] course.interval_days: is missing"),
    ],
)
def test_bad_user_files_are_one_sentence_naming_file_and_place(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as raised:
        load_protocols(path)
    message = str(raised.value)
    assert str(path) in message
    assert expected in message
    assert "\n" not in message


def test_unreadable_user_file_is_an_input_error(tmp_path):
    path = tmp_path / "protocols.toml"
    path.write_bytes(b"\xff\xfe[x]")
    with pytest.raises(InputError, match="not UTF-8"):
        load_protocols(path)


def test_advice_thresholds_carry_their_sources():
    advice = load_advice()
    assert (advice.pain_during_run.above, advice.pain_during_run.source) == (5, "S27-S29")
    light = advice.traffic_light
    assert [light.band(score) for score in (0, 3, 4, 6, 7, 10)] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
        "red",
    ]
    assert light.source == "S32"
    assert (advice.run_spike.above_percent, advice.run_spike.source) == (10, "S52")
    back = advice.return_after_time_off
    assert back.source == "S42"
    assert back.step_for(5) is None
    assert "half" in back.step_for(6).volume and "three quarters" in back.step_for(27).volume
    assert "two weeks" in back.step_for(28).volume
    assert (advice.see_clinician.pain_days, advice.see_clinician.window_days) == (8, 14)
    assert (advice.race_window.minutes_per_km, advice.race_window.source) == (10, "D")
    assert advice.history_days >= 30


def test_completion_offers_the_kinds_of_the_users_protocol_file(tmp_path):
    """The profile, not a bare load of the built-ins, feeds completion: a kind the runner
    added in protocols.toml completes like a built-in one."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "protocols.toml").write_text('[cold-plunge]\nsummary = "Ice bath."\n',
                                           encoding="utf-8")
    env = {"_RUNRECOVER_COMPLETE": "complete_bash", "COMP_WORDS": "runrecover treat co",
           "COMP_CWORD": "2", "RUNRECOVER_CONFIG_DIR": str(config), "PATH": "/usr/bin:/bin"}
    script = Path(sys.executable).parent / "runrecover"
    result = subprocess.run([str(script)], env=env, capture_output=True, text=True)
    assert "cold-plunge" in result.stdout.split()
    assert "cortisone" in result.stdout.split()


def test_rules_sources_explains_every_key_the_protocols_cite(cli):
    every = {row["key"]: row["source"] for row in cli("rules", "--sources", "--json").json()}
    assert "Silbernagel" in every["S27"] and "clinician" in every["clinic"]
    cited = [row["key"] for row in cli("rules", "--sources", "cortisone", "--json").json()]
    assert {"S1", "S2", "S4", "visit"} <= set(cited)
    # Every key the shipped data cites is explained.
    from runrecover.protocols import load_advice, load_protocols, source_keys

    shipped = [p.source for protocol in load_protocols().values() for p in protocol.phases]
    shipped += [p.course.source for p in load_protocols().values() if p.course]
    shipped += [load_advice().pain_gates.red_source, load_advice().traffic_light.source]
    assert {key for s in shipped for key in source_keys(s)} <= set(every)
    shown = cli("rules", "--sources", "mesotherapy").stdout
    assert "[S14]" in shown and "mesoterapia" in shown
