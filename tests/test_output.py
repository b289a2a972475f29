"""Output rules of the contract: no escape codes with NO_COLOR, quiet when the reader
leaves early, ids shown so entries can be edited."""

import os
import subprocess
import sys


def test_no_color_means_no_escape_codes_even_at_a_terminal(cli, monkeypatch):
    cli("treat", "mesotherapy", "--on", "2016-06-14 10:00")
    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich then writes as to a terminal
    assert "\x1b[" not in cli("status").stdout
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" in cli("status").stdout


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    env = os.environ | {"RUNRECOVER_DB": str(tmp_path / "r.db")}
    for _ in range(30):
        subprocess.run([sys.executable, "-m", "runrecover", "log", "5k", "--on", "2016-06-01"],
                       env=env, check=True, capture_output=True)
    export = subprocess.Popen([sys.executable, "-m", "runrecover", "export"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    export.stdout.read(10)
    export.stdout.close()
    assert export.wait(timeout=60) == 0
    assert export.stderr.read() == b""
    export.stderr.close()


def test_log_shows_the_id_to_edit_it_by(cli):
    assert "(id 1)" in cli("log", "5k", "30:00").stdout


def test_export_refuses_a_range_that_ends_before_it_starts(cli):
    result = cli("export", "--since", "2016-06-10", "--until", "2016-06-01")
    assert result.exit_code == 2
    assert "'2016-06-10'" in result.stderr
