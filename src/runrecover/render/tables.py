"""Lists of entries as Rich tables."""

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.table import Table

from runrecover import clock
from runrecover.render.entries import when
from runrecover.rows import onset_text
from runrecover.units import Units


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def injuries(rows: Sequence[Any], *, resolved_hidden: int = 0) -> Table | str:
    """The injuries listed; `resolved_hidden` counts the resolved ones left out."""
    if not rows and resolved_hidden:
        return (f"No open injuries ({resolved_hidden} resolved); 'runrecover injury list "
                "--all' shows resolved ones too.")
    if not rows:
        return "No injuries recorded. Add one with: runrecover injury add 'left calf strain'"
    table = _table("Injuries", "id", "name", "part", "since", "resolved")
    for row in rows:
        part = " ".join(p for p in (row.side, row.part) if p)
        table.add_row(str(row.id), row.name, part,
                      onset_text(row),
                      clock.format_day(row.resolved_on) if row.resolved_on else "")
    return table


def races(rows: Sequence[Any], shown: Units) -> Table | str:
    if not rows:
        return "No races recorded. Add one with: runrecover race add 'City 15K' sun --distance 15k"
    table = _table("Races", "id", "name", "when", "distance")
    for row in rows:
        table.add_row(str(row.id), row.name, when(row),
                      shown.distance(row.distance_km) if row.distance_km else "")
    return table
