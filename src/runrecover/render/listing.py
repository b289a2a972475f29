"""`runrecover list`: the entries of each kind as tables, with the ids `edit` and `delete` take."""

from datetime import datetime, timedelta
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from runrecover import clock
from runrecover.questions.listing import LIST_KINDS, Listing
from runrecover.render.entries import activity_summary, when
from runrecover.render.layout import Command
from runrecover.rows import entry_json, onset_text
from runrecover.units import Units

TITLES = {"injuries": "Injuries", "treatments": "Treatments", "pain": "Pain",
          "runs": "Runs and other activities", "races": "Races"}
NONE_WORDS = {"injuries": "injuries", "treatments": "treatments", "pain": "pain scores",
              "runs": "runs or other activities", "races": "races"}


def listing_json(listing: Listing) -> list[dict[str, Any]] | dict[str, list[dict[str, Any]]]:
    """One kind asked: its list of entries; all kinds: an object with one list per kind."""
    lists = {word: [entry_json(row) for row in rows] for word, rows in listing.entries.items()}
    return lists[listing.kinds[0]] if len(listing.kinds) == 1 else lists


def _injury(listing: Listing, row: Any) -> str:
    return listing.injury_names.get(row.injury_id, "") if row.injury_id is not None else ""


def _cells(word: str, listing: Listing, row: Any, shown: Units) -> dict[str, str]:
    """One row of the table of `word`, column by column."""
    if word == "injuries":
        return {"id": str(row.id), "name": row.name,
                "part": " ".join(str(p) for p in (row.side, row.part) if p),
                "since": onset_text(row),
                "resolved": clock.format_day(row.resolved_on) if row.resolved_on else "",
                "note": row.note or ""}
    if word == "races":
        return {"id": str(row.id), "when": when(row), "name": row.name,
                "distance": shown.distance(row.distance_km) if row.distance_km else "",
                "note": row.note or ""}
    cells = {"id": str(row.id), "when": when(row)}
    if word == "treatments":
        cells |= {"kind": row.kind, "injury": _injury(listing, row), "by": row.clinician or ""}
    elif word == "pain":
        cells |= {"score": f"{row.score}/10", "context": str(row.context or ""),
                  "injury": _injury(listing, row)}
    else:
        cells |= {"what": f"{row.kind} {activity_summary(row, shown)}".strip(),
                  "type": str(row.run_type or ""),
                  "pain": "" if row.pain_during is None else f"{row.pain_during}/10"}
    return cells | {"note": row.note or ""}


def _table(word: str, listing: Listing, rows: tuple[Any, ...], shown: Units) -> Table:
    """The entries of `word`; a column no entry fills is left out, to keep 80 columns."""
    cells = [_cells(word, listing, row, shown) for row in rows]
    columns = [c for c in cells[0] if c in ("id", "when") or any(r[c] for r in cells)]
    table = Table(title=TITLES[word], box=box.SIMPLE_HEAD, title_justify="left",
                  title_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold", justify="right" if column == "id" else "left",
                         ratio=1 if column == "note" else None)
    for row in cells:
        table.add_row(*(row[c] for c in columns))
    return table


def _span(listing: Listing) -> str:
    parts = []
    if listing.since is not None:
        since = listing.since
        parts.append(f"from {clock.format_day(since)}" if since == _midnight(since)
                     else f"since {clock.format_at(since)}")
    if listing.until is not None:
        until = listing.until
        parts.append(f"to {clock.format_day(until - timedelta(days=1))}"
                     if until == _midnight(until) else f"before {clock.format_at(until)}")
    if listing.injury is not None:
        parts.append(f"for {listing.injury.name}")
    return " ".join(parts)


def _midnight(moment: datetime) -> datetime:
    return clock.start_of_day(clock.local(moment).date())


def listing_view(listing: Listing, shown: Units) -> RenderableType:
    narrowed = _span(listing)
    if listing.empty:
        what = (NONE_WORDS[listing.kinds[0]] if len(listing.kinds) == 1 else "entries")
        if narrowed:
            return Text(f"No {what} {narrowed}; widen the list with --since, --until or "
                        "without --injury.")
        return Text(f"No {what} recorded yet; see 'runrecover --help' for how to add them.")
    parts: list[RenderableType] = [Text(f"Entries {narrowed}", style="bold")] if narrowed else []
    for word in listing.kinds:
        rows = listing.entries[word]
        if rows:
            parts.append(_table(word, listing, rows, shown))
        elif len(listing.kinds) == 1:
            parts.append(Text(f"No {NONE_WORDS[word]} {narrowed}.".replace(" .", ".")))
    kinds = {LIST_KINDS[word] for word in listing.kinds if listing.entries[word]}
    example = "pain" if "pain" in kinds else sorted(kinds)[0]
    parts += [Text("Change or remove an entry by its id ('last' is the newest):", style="dim"),
              Command(f"runrecover edit {example} ID …", style="dim"),
              Command(f"runrecover delete {example} ID", style="dim")]
    return Group(*parts)
