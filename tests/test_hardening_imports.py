"""`--help`, shell completion and `rules` never import SQLAlchemy (SPEC, "Performance").

test_database.py checks `--help` of the commands; this checks running `rules` and the
completion a shell asks for, each in a fresh interpreter, through `sys.modules`.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent("""
    import contextlib, io, json, sys
    from runrecover.cli import app

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            app(args=json.loads(sys.argv[1]), prog_name="runrecover")
        except SystemExit as exc:
            code = exc.code
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel"))
    print(json.dumps({"code": code, "output": out.getvalue(), "heavy": heavy}))
""")
COMPLETE = {"_RUNRECOVER_COMPLETE": "complete_bash"}

CASES = [
    ("rules", ["rules"], {}, "mesotherapy"),
    ("rules-kind", ["rules", "mesotherapy"], {}, "mesotherapy"),
    ("rules-json", ["rules", "--json"], {}, "mesotherapy"),
    ("version", ["--version"], {}, "runrecover"),
    ("complete-command", [], COMPLETE | {"COMP_WORDS": "runrecover tr", "COMP_CWORD": "1"},
     "treat"),
    ("complete-treatment-kind", [], COMPLETE | {"COMP_WORDS": "runrecover treat me",
                                                "COMP_CWORD": "2"}, "mesotherapy"),
    ("complete-option", [], COMPLETE | {"COMP_WORDS": "runrecover log 5k --ac",
                                        "COMP_CWORD": "3"}, "--activity"),
]


@pytest.mark.parametrize(("name", "args", "env", "shows"), CASES, ids=[c[0] for c in CASES])
def test_no_sqlalchemy(tmp_path, name, args, env, shows):
    environment = os.environ | env | {"RUNRECOVER_DB": str(tmp_path / "never.db")}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["code"] in (0, None), probe
    assert shows in probe["output"]
    assert probe["heavy"] == []
    assert not (tmp_path / "never.db").exists()  # nor does any of them touch the database
