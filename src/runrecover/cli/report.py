"""`runrecover report INJURY`: the page a clinician reads in a minute, as one HTML file
(and a PDF through headless Chromium when it is installed)."""

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, session

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-extensions",
                  "--no-default-browser-check", "--no-pdf-header-footer")
PDF_TIMEOUT_S = 120


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) to print with, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html_file: Path, pdf: Path) -> None:
    """Print the page to `pdf` with headless Chromium, on a profile of its own that is thrown
    away; the page makes no request, so nothing goes on the network."""
    from runrecover.errors import InputError

    browser = find_chromium()
    if browser is None:
        raise InputError("--pdf needs Chromium, which is not installed: install it (Debian: "
                         "apt-get install chromium) or print the HTML from a browser.")
    with tempfile.TemporaryDirectory(prefix="runrecover-chromium-") as profile_dir:
        done = subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}",
             f"--print-to-pdf={pdf}", html_file.resolve().as_uri()],
            capture_output=True, timeout=PDF_TIMEOUT_S, check=False)
    if done.returncode != 0 or not pdf.exists():
        raise InputError(f"Chromium could not print {pdf}: "
                         f"{done.stderr.decode(errors='replace').strip()[-300:]}")
    pdf.chmod(0o600)


@app.command()
def report(
    ctx: typer.Context,
    injury: Annotated[str, typer.Argument(help="The injury's id or part of its name.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False,
        help="HTML file to write (default: stdout, unless --pdf or --open).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="First day of the report (default: a week before the onset).")] = None,
    pdf: Annotated[Path | None, typer.Option(
        "--pdf", dir_okay=False, help="Also print it to this PDF file (needs Chromium).")] = None,
    open_it: Annotated[bool, typer.Option(
        "--open", help="Open the report in your browser.")] = False,
) -> None:
    """One page for your clinician: pain, runs, treatments and instructions (HTML, file
    mode 0600)."""
    from runrecover import clock, exchange
    from runrecover.questions import report as question
    from runrecover.render import console
    from runrecover.render import report as view

    now = clock.now()
    since_at = clock.parse_when(since, lean="past", now=now).at if since is not None else None
    with session(ctx, write=False) as s:
        answer = question.ask(s, profile(), ref=injury, now=now, since=since_at)
    page = view.report_html(answer).encode()
    if output is None and pdf is None and not open_it:
        console.emit(page.decode())
        return
    # The browser opening the page reads it after this command ends: --open without
    # --output keeps it in a folder of its own (mode 0700, like the data directory).
    folder = Path(tempfile.mkdtemp(prefix="runrecover-report-"))
    html_file = output or folder / "report.html"
    try:
        exchange.write_private(html_file, page)
        if pdf is not None:
            print_pdf(html_file, pdf)
            console.warn(f"Wrote {pdf}.")
        if output is not None:
            console.warn(f"Wrote {output}.")
        if open_it:
            import webbrowser

            webbrowser.open((pdf if pdf is not None and output is None else html_file)
                            .resolve().as_uri())
    finally:
        if not open_it or output is not None or pdf is not None:
            shutil.rmtree(folder, ignore_errors=True)
