"""The report as a person sees it: opened in headless Chromium (Debian's `chromium`, which
`.ci/run` installs), at a desktop and a phone width, and printed to PDF.

Chromium runs on a fresh profile with its background networking off; the page itself names
no URL. The layout probe runs on a copy of the page with a script added: the report itself
never holds one."""

import json
import re
import shutil
import stat
import subprocess
from html import escape
from pathlib import Path

import pytest

from pngread import read as read_png
from runrecover.cli.report import CHROMIUM_FLAGS, find_chromium
from test_timeline import calf_story

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install "
    "chromium; .ci/run installs it)")

PROBE = """<script>
window.addEventListener("load", () => {
  const chart = document.querySelector("svg.chart").getBoundingClientRect();
  parent.document.title = JSON.stringify({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    chart: [chart.left, chart.top, chart.width, chart.height]});
});
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                           "--hide-scrollbars", *args], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture
def page(cli, now, tmp_path) -> Path:
    calf_story(cli, now)
    out = tmp_path / "report.html"
    assert cli("report", "calf", "--output", str(out)).exit_code == 0
    return out


def framed(page: Path, tmp_path: Path, width: int, height: int, probe: bool) -> Path:
    """A page showing the report in a frame `width` px wide: headless Chromium's window
    is never narrower than 500 px, a phone's is. The frame shares the page's origin
    (srcdoc), so the probe can hand its measures up."""
    html = page.read_text(encoding="utf-8")
    if probe:
        html = html.replace("</body>", PROBE + "</body>")
    frame = tmp_path / f"frame-{width}-{probe}.html"
    frame.write_text(
        '<!DOCTYPE html><html><head><title>-</title><style>body{margin:0}iframe{border:0;'
        f'display:block}}</style></head><body><iframe width="{width}" height="{height}" '
        f'srcdoc="{escape(html, quote=True)}"></iframe></body></html>', encoding="utf-8")
    return frame


def layout(page: Path, tmp_path: Path, width: int) -> dict:
    frame = framed(page, tmp_path, width, 1000, probe=True)
    done = chromium(tmp_path, f"--window-size={max(width, 600)},1000",
                    "--virtual-time-budget=3000", "--dump-dom", frame.as_uri())
    found = re.search(r"<title>(\{.*?\})</title>", done.stdout)
    assert found, done.stderr[-500:]
    return json.loads(found.group(1).replace("&quot;", '"'))


@pytest.mark.parametrize("width", [1000, 375])
def test_the_chart_is_drawn_and_nothing_overflows(page, tmp_path, width):
    measured = layout(page, tmp_path, width)
    assert measured["inner"] == width
    assert measured["scroll"] <= measured["inner"], measured  # no sideways scrolling
    left, top, chart_w, chart_h = (round(v) for v in measured["chart"])
    assert chart_w > 300 and chart_h > 100, measured
    shot = tmp_path / f"shot-{width}.png"
    height = top + chart_h + 20
    chromium(tmp_path, f"--window-size={max(width, 600)},{height}", f"--screenshot={shot}",
             framed(page, tmp_path, width, height, probe=False).as_uri())
    image = read_png(shot.read_bytes())
    inside = [image.pixel(x, y)  # what shows of the chart (at 375 px it scrolls in its box)
              for y in range(top + 2, min(top + chart_h - 2, image.height), 3)
              for x in range(max(left + 2, 0), min(left + chart_w - 2, width), 3)]
    drawn = [p for p in inside if p != (255, 255, 255)]
    assert len(drawn) > len(inside) // 20  # bands, bars, the pain line, the grid
    blue = [p for p in inside if p[2] > 150 and p[0] < 60]  # the runs' bars
    vermillion = [p for p in inside if p[0] > 180 and 60 < p[1] < 120 and p[2] < 40]
    assert blue  # runs are drawn
    if width >= 600:  # the whole chart shows: the broken run too, in its own colour
        assert vermillion


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                    reason="pdftotext/pdfinfo (Debian: poppler-utils) are not installed")
def test_the_pdf_prints_on_a_few_pages(cli, now, tmp_path):
    calf_story(cli, now)
    pdf = tmp_path / "report.pdf"
    result = cli("report", "calf", "--pdf", str(pdf))
    assert result.exit_code == 0, result.stderr
    assert not result.stdout  # the page went to the PDF only
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600  # health data
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert 2 <= pages <= 4  # the report, then the appendix on a page of its own
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for words in ("left calf strain", "mesotherapy 1 of 3", "4.6 (7)",
                  "Instructions kept or broken", "Appendix: every entry of the period"):
        assert words in text, words
    first_page = text.split("\f")[0]
    assert "Pain before and after each treatment" in first_page
