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
from runrecover.cli.options import AthleteOption, InjuryArgument

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
    """Print the page to `pdf` (a new file in a private folder) with headless Chromium, on a
    profile of its own that is thrown away; the page makes no request, so nothing goes on
    the network."""
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


@app.command()
def report(
    ctx: typer.Context,
    injury: InjuryArgument,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False,
        help="HTML file to write (default: stdout, unless --pdf or --open).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="First day of the report (default: a week before the onset).")] = None,
    pdf: Annotated[Path | None, typer.Option(
        "--pdf", dir_okay=False, help="Also print it to this PDF file (needs Chromium).")] = None,
    open_it: Annotated[bool, typer.Option(
        "--open", help="Open the report in your browser.")] = False,
    athlete: AthleteOption = None,
) -> None:
    """One page for your clinician: pain, runs, treatments and instructions (HTML, file
    mode 0600)."""
    from runrecover import clock, dates, private_files
    from runrecover.questions import report as question
    from runrecover.render import console
    from runrecover.render import report as view

    now = clock.now()
    since_at = dates.parse_when(since, lean="past", now=now).at if since is not None else None
    with session(ctx, write=False) as s:
        answer = question.ask(s, profile(), ref=injury, now=now, since=since_at)
    page = view.report_html(answer).encode()
    if output is None and pdf is None and not open_it:
        console.emit(page.decode())
        return
    # Chromium and the browser read the page from a private folder (mode 0700); the
    # browser opening it reads it after this command ends, so --open keeps the folder
    # when it shows the copy there.
    folder = Path(tempfile.mkdtemp(prefix="runrecover-report-"))
    page_file = folder / "report.html"
    keep_folder = False
    try:
        private_files.write(page_file, page)
        if output is not None:
            private_files.write(output, page)
            if not private_files.is_stdout(output):
                console.warn(f"Wrote {output}.")
        if pdf is not None:
            printed = folder / "report.pdf"
            print_pdf(page_file, printed)
            private_files.write(pdf, printed.read_bytes())
            if not private_files.is_stdout(pdf):
                console.warn(f"Wrote {pdf}.")
        if open_it:
            import webbrowser

            shown = next((p for p in (output, pdf) if p is not None and p.is_file()), None)
            keep_folder = shown is None
            webbrowser.open((shown or page_file).resolve().as_uri())
    finally:
        if not keep_folder:
            shutil.rmtree(folder, ignore_errors=True)
