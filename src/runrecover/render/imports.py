"""What `runrecover import` shows: progress, a summary table, and runs that broke rules."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich import box
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from runrecover import clock
from runrecover.render.console import stderr_console
from runrecover.render.effects import broken_json, broken_view
from runrecover.render.entries import activity_summary

FORMAT_NAMES = {"runrecover-json": "runrecover JSON", "fit": "FIT", "gpx": "GPX",
                "tcx": "TCX", "strava-csv": "Strava CSV", "garmin-csv": "Garmin CSV"}
PROGRESS_FROM_ENTRIES = 500
BROKEN_SHOWN = 5  # a whole history imported at once may hold hundreds


@contextmanager
def progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for long imports at a terminal; silent otherwise."""
    console = stderr_console()
    if total < PROGRESS_FROM_ENTRIES or not console.is_terminal:
        yield lambda: None
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Importing", total=total)
        yield lambda: bar.advance(task)


def summary(counts: dict[str, tuple[str, Any]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("file", overflow="fold")
    table.add_column("format")
    table.add_column("added", justify="right")
    table.add_column("already there", justify="right")
    for name, (fmt, count) in counts.items():
        table.add_row(Path(name).name, FORMAT_NAMES[fmt], str(count.added), str(count.already))
    if len(counts) > 1:
        table.add_row("all files", "", str(sum(c.added for _, c in counts.values())),
                      str(sum(c.already for _, c in counts.values())), style="bold")
    return table


def summary_json(counts: dict[str, tuple[str, Any]], broken: list[tuple[Any, Any]]) -> dict:
    return {
        "files": [{"file": name, "format": fmt, "added": c.added, "already": c.already}
                  for name, (fmt, c) in counts.items()],
        "breaks_restriction": [{"activity_uid": row.uid, **broken_json(window)}
                               for row, window in broken],
    }


def broken_line(row: Any, window: Any) -> Text:
    return broken_view(window, f"the imported {row.kind} of {clock.format_at(row.at)} "
                               f"({activity_summary(row)})")


def more_broken(count: int) -> Text:
    return Text(f"… and {count} more imported activities that broke a restriction: "
                "'runrecover timeline' marks each, '--json' lists them all.",
                style="bold yellow")
