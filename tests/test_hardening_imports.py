"""`--help`, shell completion and `rules` never import SQLAlchemy (SPEC, "Performance"), nor
do the modules under the storage layer that they use.

The one check of it: each case runs in a fresh interpreter and looks in `sys.modules` after
every command it runs. One case asks every command and group for its `--help`, found by
walking the app, so a new command is covered the day it is added (one interpreter for all
of them: a command that loads SQLAlchemy is named by the first assertion that fails).
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest
import typer.main

from runrecover.cli import app

PROBE = textwrap.dedent("""
    import contextlib, io, json, sys

    # The report's templating is heavy too: only `report` itself loads it.
    HEAVY = {"sqlalchemy", "sqlmodel", "jinja2"}

    def cli(args):
        from runrecover.cli import app

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                app(args=args, prog_name="runrecover")
            except SystemExit as exc:
                assert exc.code in (0, None), (args, exc.code)
        heavy = sorted({m.split(".")[0] for m in sys.modules} & HEAVY)
        assert not heavy, (args, heavy)
        return out.getvalue()

    shown = ""
    exec(sys.argv[1])
    heavy = sorted({m.split(".")[0] for m in sys.modules} & HEAVY)
    print(json.dumps({"shown": shown, "heavy": heavy}))
""")
COMPLETE = {"_RUNRECOVER_COMPLETE": "complete_bash"}


def command_paths(group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from command_paths(command, (*prefix, name))


def cli_case(name: str, args: list[str], shows: str, env: dict | None = None):
    return pytest.param(f"shown = cli({args!r})", env or {}, shows, id=name)


HELPS = [["--help"]] + [[*path, "--help"] for path in command_paths(typer.main.get_command(app))]

CASES = [
    pytest.param(f"for args in {HELPS!r}:\n    assert 'Usage' in cli(args), args", {}, "",
                 id="help-of-every-command"),
    cli_case("version", ["--version"], "runrecover"),
    cli_case("rules", ["rules"], "mesotherapy"),
    cli_case("rules-kind", ["rules", "mesotherapy"], "mesotherapy"),
    cli_case("rules-json", ["rules", "--json"], "mesotherapy"),
    cli_case("complete-command", [], "treat",
             COMPLETE | {"COMP_WORDS": "runrecover tr", "COMP_CWORD": "1"}),
    cli_case("complete-treatment-kind", [], "mesotherapy",
             COMPLETE | {"COMP_WORDS": "runrecover treat me", "COMP_CWORD": "2"}),
    cli_case("complete-option", [], "--activity",
             COMPLETE | {"COMP_WORDS": "runrecover log 5k --ac", "COMP_CWORD": "3"}),
    # What the rules engine stands on: time, the protocols and the advice thresholds.
    pytest.param("import runrecover.clock", {}, "", id="module-clock"),
    pytest.param("import runrecover.rules, runrecover.protocols as p\n"
                 "p.load_protocols(); p.load_advice()", {}, "", id="module-rules-protocols"),
]


@pytest.mark.parametrize(("code", "env", "shows"), CASES)
def test_no_sqlalchemy(tmp_path, code, env, shows):
    environment = os.environ | env | {"RUNRECOVER_DB": str(tmp_path / "never.db")}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([sys.executable, "-c", PROBE, code], env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.splitlines()[-1])
    assert shows in probe["shown"]
    assert probe["heavy"] == []
    assert not (tmp_path / "never.db").exists()  # nor does any of them touch the database


def test_a_directory_as_database(cli, tmp_path):
    result = cli("--db", str(tmp_path), "pain", "2")
    assert result.exit_code == 2
    assert str(tmp_path) in result.stderr
