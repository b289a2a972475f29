"""What `runrecover import` shows: progress, a summary table, and runs that broke rules."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from runrecover import clock
from runrecover.render.console import stderr_console
from runrecover.render.effects import broken_json, broken_view
from runrecover.render.entries import activity_summary
from runrecover.units import Units

FORMAT_NAMES = {"runrecover-json": "runrecover JSON", "fit": "FIT", "gpx": "GPX",
                "tcx": "TCX", "strava-csv": "Strava CSV", "garmin-csv": "Garmin CSV"}
PROGRESS_FROM_ENTRIES = 500
PROGRESS_FROM_FILES = 20  # a file may take a tenth of a second to read
BROKEN_SHOWN = 5  # a whole history imported at once may hold hundreds
NOTES_SHOWN = 10
FILES_SHOWN = 30  # a whole export is 1,800 files: past this, one line sums them up


@contextmanager
def progress(total: int, label: str,
             at_least: int = PROGRESS_FROM_ENTRIES) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for long imports at a terminal; silent otherwise."""
    console = stderr_console()
    if total < at_least or not console.is_terminal:
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def _left_out(imported: Any) -> int:
    return sum(note.skipped for note in imported.notes)


def _shown(name: str) -> str:
    """A file's own name, without its folder or archive ("export.zip:activities/1.fit.gz")."""
    return Path(name).name.rpartition(":")[2]


def summary(plan: Any) -> Table:
    """One line per file (the first FILES_SHOWN of them), and the totals."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("file", overflow="fold", ratio=1)
    table.add_column("format", no_wrap=True)
    files = plan.files
    # "replaced" only when `--replace` replaced something: the usual summary stays narrow.
    counted = ("added", "improved", *(("replaced",) if any(f.count.replaced for f in files)
                                      else ()), "already")
    for title in (*counted, "left out"):
        table.add_column(title, justify="right", no_wrap=True)
    for imported in files[:FILES_SHOWN]:
        table.add_row(_shown(imported.name), FORMAT_NAMES[imported.fmt],
                      *(str(getattr(imported.count, name)) for name in counted),
                      str(_left_out(imported)))
    if len(files) > FILES_SHOWN:
        table.add_row(f"… {len(files) - FILES_SHOWN} more files", "", *([""] * len(counted)),
                      "")
    if len(files) > 1:
        table.add_row("all files", "", *(str(sum(getattr(f.count, name) for f in files))
                                         for name in counted),
                      str(sum(_left_out(f) for f in files)), style="bold")
    return table


def notes(plan: Any) -> list[Text]:
    """What was left out or dropped, by file, line and the file's own id; files passed over."""
    from runrecover.exchange.files import note_text

    lines = [Text(f"{_shown(imported.name)}, {note_text(note)}"
                  + ("; left out." if note.skipped else "."), style="yellow")
             for imported in plan.files for note in imported.notes]
    if len(lines) > NOTES_SHOWN:
        more = len(lines) - NOTES_SHOWN
        lines = [*lines[:NOTES_SHOWN], Text(f"… and {more} more notes: '--json' lists them all.",
                                            style="yellow")]
    if plan.passed_over:
        count = len(plan.passed_over)
        files = "1 file that holds" if count == 1 else f"{count} files that hold"
        lines.append(Text(f"Passed over {files} no recorded activity ('--json' says why for "
                          "each).", style="yellow"))
    return lines


def summary_json(plan: Any, broken: list[tuple[Any, Any]]) -> dict:
    return {
        "files": [{"file": f.name, "format": f.fmt, "added": f.count.added,
                   "improved": f.count.improved, "replaced": f.count.replaced,
                   "already": f.count.already,
                   "left_out": _left_out(f), "notes": _notes_json(f)} for f in plan.files],
        "passed_over": [{"file": name, "why": why} for name, why in plan.passed_over],
        "breaks_restriction": [{"activity_uid": row.uid, **broken_json(window)}
                               for row, window in broken],
    }


def _notes_json(imported: Any) -> list[dict]:
    return [{"line": n.line, "id": n.source_id, "note": n.text, "left_out": n.skipped}
            for n in imported.notes]


def broken_line(row: Any, window: Any, shown: Units) -> Text:
    when = clock.format_at(row.at, row.time_known)  # a day-only run as its day, no 00:00
    return broken_view(window, f"the imported {row.kind} of {when} "
                               f"({activity_summary(row, shown)})")


def more_broken(count: int) -> Text:
    return Text(f"… and {count} more imported activities that broke a restriction: "
                "'runrecover timeline' marks each, '--json' lists them all.",
                style="bold yellow")
