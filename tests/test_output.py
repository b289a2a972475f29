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


def test_a_reader_that_stops_early_is_not_an_error(cli):
    # Twice what a pipe holds (64 KiB on Linux): export is still writing when the reader
    # leaves, so it meets the closed pipe whatever the timing.
    for n in range(16):
        note = f"run {n} " + "x" * 9000
        assert cli("log", "5k", "--on", f"2016-06-01 07:{n:02d}", "--note", note,
                   "--again").exit_code == 0
    assert len(cli("export").stdout.encode()) > 2 * 65536
    env = os.environ.copy()
    # Unbuffered, Python's stdout drops what a closed pipe did not take instead of raising:
    # the error to be quiet about comes with the buffered stdout a runner's shell gives.
    env.pop("PYTHONUNBUFFERED", None)
    # This machine may set it; without cached bytecode every start recompiles every module.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
