"""`runrecover report`: one self-contained HTML page for the clinician, a view of the same
story `injury show` tells (the seed: mesotherapy, 4 days off running, before a 15K)."""

import re
import stat
from pathlib import Path

import pytest

from report_html import read
from test_timeline import calf_story, hip_story, record


def report(cli, tmp_path: Path, *args: str):
    out = tmp_path / "report.html"
    result = cli("report", *args, "--output", str(out))
    assert result.exit_code == 0, result.stderr
    return out, read(out.read_text(encoding="utf-8"))


def test_the_page_is_self_contained(cli, now, tmp_path):
    calf_story(cli, now)
    out, page = report(cli, tmp_path, "calf")
    html = out.read_text(encoding="utf-8")
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "<script" not in html.lower()
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE)
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "srcset"):
            assert name not in attrs or attrs[name].startswith("#"), (tag, attrs)
    assert "@import" not in html and not re.search(r"url\((?!#)", html)
    assert tags.count("svg") == 1 and "@page" in html and "@media print" in html
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # health data
    assert page.text.startswith("left calf strain: recovery report left calf strain")


def test_the_numbers_are_those_of_injury_show(cli, now, tmp_path):
    calf_story(cli, now)
    story = cli("injury", "show", "calf", "--json").json()
    _, page = report(cli, tmp_path, "calf")
    assert page.ids["days-since"] == str(story["days_since_onset"]) == "15"
    assert "Onset: Sun 5 Jun 2016, 15 days ago" in page.text
    assert "Cause: track intervals" in page.text and "Clinicians seen: Dr Rossi" in page.text
    (effect,) = page.rows("effects")
    (treated,) = story["treatments"]
    before, after = treated["pain_before"], treated["pain_after"]
    assert effect[:3] == ["Tue 14 Jun 2016 10:00", "mesotherapy 1 of 3", "Dr Rossi"]
    assert effect[3] == f"{before['mean']:.1f} ({before['count']})" == "4.6 (7)"
    assert not after["complete"]  # the 7 days after end tomorrow
    assert effect[4] == f"{after['mean']:.1f} ({after['count']}) so far" == "3.0 (4) so far"
    assert effect[5] == f"{-treated['change']:.1f} less"
    checks = page.rows("checks")
    assert [(row[1], row[3], row[4], row[5]) for row in checks] == [
        (f"{r['distance_km']:.1f} km", str(r["morning_before"] or "–"),
         str(r["next_morning"] or "–"), r["next_morning_change"] or "")
        for r in story["runs"]]
    assert len(page.rows("volumes")) == 2
    for label, key in (("before the onset", "before_onset"), ("since the onset", "since_onset")):
        (row,) = [r[1:] for r in page.rows("volumes") if r[0].startswith(label)]
        volume = story["running"][key]
        assert row == [f"{volume['distance_km']:.1f} km", str(volume["runs"]),
                       f"{volume['km_per_week']:.1f} km"]
    worst = {row[0]: int(row[1]) for row in page.rows("chart-data")}
    by_day = {d["date"]: d["worst"] for d in story["pain_by_day"]}
    assert len(worst) == len(by_day) == 15
    assert sorted(worst.values()) == sorted(by_day.values())


def test_the_broken_instruction_and_what_comes_next(cli, now, tmp_path):
    calf_story(cli, now)
    _, page = report(cli, tmp_path, "calf")
    (instruction,) = page.rows("instructions")
    assert instruction == ["mesotherapy of Tue 14 Jun 2016", "no running",
                           "Tue 14 Jun 2016 10:00 – Sat 18 Jun 2016 00:00", "clinic",
                           "broken Thu 16 Jun 2016 18:30: run 5.0 km"]
    assert page.ids["next"] == "mesotherapy 2 of 3 due Tue 21 Jun 2016"
    rules = page.rows("rules")
    assert ["mesotherapy", "from 0h until 4d: cross-train, no running", "clinic"] in rules
    assert all(row[2] for row in rules)  # every rule names its source
    entries = page.rows("entries")
    # Every entry of the period: 4 runs, the onset, the visit, the race, 15 pain scores.
    assert len(entries) == 4 + 1 + 1 + 1 + 15
    broken = [row for row in entries if "broke" in row[2]]
    assert broken == [["Thu 16 Jun 2016 18:30", "activity",
                       "run 5.0 km 30:00 pain during 2 — broke mesotherapy's no running", ""]]


def test_the_chart_draws_the_period(cli, now, tmp_path):
    calf_story(cli, now)
    out, page = report(cli, tmp_path, "calf")
    bars = [attrs for tag, attrs in page.tags if tag == "rect"
            and attrs.get("class", "").startswith("bar")]
    assert len(bars) == 4  # the long run before the onset, the intervals, the cheat, the race
    assert [b["class"] for b in bars].count("bar broke") == 1
    bands = [attrs for tag, attrs in page.tags if tag == "rect" and attrs.get("class") == "band"]
    assert len(bands) == 1
    dots = [attrs["class"] for tag, attrs in page.tags
            if attrs.get("class", "").startswith("pain ")]
    assert dots == ["pain circle"] * 15  # every score of the seed is a morning one
    markers = [attrs["class"] for tag, attrs in page.tags if tag == "line"
               and attrs.get("class", "").startswith("marker")]
    assert markers == ["marker treatment", "marker race", "marker today"]
    assert "City 15K" in page.text


def test_since_moves_the_start_and_stdout_is_the_default(cli, now, tmp_path):
    calf_story(cli, now)
    result = cli("report", "calf", "--since", "2016-06-10")
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    page = read(result.stdout)
    assert "Report for Fri 10 Jun 2016 – Mon 20 Jun 2016" in page.text
    assert all(not row[0].startswith(("Sun 5", "Mon 6")) for row in page.rows("entries"))


def test_output_dash_is_stdout(cli, now):
    calf_story(cli, now)
    result = cli("report", "calf", "--output", "-")
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    assert "Wrote" not in result.stderr


def test_a_resolved_injury_and_a_second_one(cli, now, tmp_path):
    hip_story(cli)
    calf_story(cli, now)
    record(cli, "injury resolve calf --on 2016-06-20")  # the day of its last pain
    _, page = report(cli, tmp_path, "hip")
    assert [row[1] for row in page.rows("effects")] == ["prolotherapy 1 of 3",
                                                       "prolotherapy 2 of 3"]
    assert all("calf" not in row[2] for row in page.rows("entries"))
    _, calf = report(cli, tmp_path, "calf")
    # A run breaks every window that forbids it, the hip's too: it holds the runner.
    assert [(row[0], row[4]) for row in calf.rows("instructions")] == [
        ("prolotherapy of Tue 17 May 2016 (another injury)",
         "broken Sun 29 May 2016 09:00: run 10.0 km"),
        ("mesotherapy of Tue 14 Jun 2016", "broken Thu 16 Jun 2016 18:30: run 5.0 km"),
        ("prolotherapy of Tue 14 Jun 2016 (another injury)",
         "broken Thu 16 Jun 2016 18:30: run 5.0 km Sun 19 Jun 2016 09:30: run 15.0 km")]
    assert "Resolved: Mon 20 Jun 2016" in calf.text
    assert not any(a.get("class") == "marker today" for _, a in calf.tags)


@pytest.mark.parametrize("args, words", [
    (("report", "knee"), "knee"),
    (("report", "calf", "--since", "the other day"), "the other day"),
])
def test_bad_input_is_one_sentence(cli, now, args, words):
    calf_story(cli, now)
    result = cli(*args)
    assert result.exit_code == 2 and words in result.stderr and not result.stdout


def test_open_shows_the_page_in_the_browser(cli, now, tmp_path, monkeypatch):
    import webbrowser

    calf_story(cli, now)
    opened = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    out = tmp_path / "calf.html"
    assert cli("report", "calf", "--open", "--output", str(out)).exit_code == 0
    assert opened == [out.resolve().as_uri()]
    result = cli("report", "calf", "--open")  # no --output: a private file that stays
    assert result.exit_code == 0 and not result.stdout
    kept = Path(opened[1].removeprefix("file://"))
    assert kept.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700


def test_pdf_without_chromium_says_so(cli, now, tmp_path, monkeypatch):
    from runrecover.cli import report as command

    calf_story(cli, now)
    monkeypatch.setattr(command, "find_chromium", lambda: None)
    result = cli("report", "calf", "--pdf", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2
    assert "--pdf needs Chromium" in result.stderr and not (tmp_path / "r.pdf").exists()


def test_the_demo_says_how_to_make_its_report(cli, tmp_path):
    kept = tmp_path / "demo.db"
    shown = cli("demo", "--keep", str(kept))
    assert shown.exit_code == 0, shown.stderr
    assert "report calf --output calf.html" in " ".join(shown.stdout.split())
    page = read(cli("--db", str(kept), "report", "calf").stdout)
    assert page.rows("effects")[0][1] == "mesotherapy 1 of 3"
    assert any("(another injury)" in row[0] for row in page.rows("instructions"))
    again = cli("demo", "--keep", str(kept))
    assert again.exit_code == 2 and "already exists" in again.stderr
