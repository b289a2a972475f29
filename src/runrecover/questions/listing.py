"""`runrecover list`: every entry of a kind, with its id, newest last.

`ask` loads the entries of the kinds asked (all of them by default) within `--since` /
`--until`, narrowed to one injury when asked, and returns them oldest first, so the entry
just recorded is the last line on the screen, next to the prompt where `edit` is typed.
`render/listing.py` shows the answer.
"""

from datetime import datetime, timedelta
from typing import Any

from msgspec import Struct
from sqlmodel import Session

from runrecover import clock, dates, store
from runrecover.errors import InputError
from runrecover.models import Activity, Injury, Pain, Race, Treatment

# The words `list` takes, in the order a full listing shows them, with the entry kind each
# holds (the kind `edit` and `delete` take).
LIST_KINDS: dict[str, str] = {
    "injuries": "injury", "treatments": "treatment", "pain": "pain", "runs": "activity",
    "races": "race",
}
TABLES = {"treatment": Treatment, "pain": Pain, "activity": Activity, "race": Race}
# Kinds that belong to an injury, and so are narrowed by `--injury`.
OF_AN_INJURY = {"injury", "treatment", "pain"}


class Listing(Struct, frozen=True):
    kinds: tuple[str, ...]  # the list words asked, e.g. ("pain",) or all of LIST_KINDS
    entries: dict[str, tuple[Any, ...]]  # by list word, oldest first
    injury_names: dict[int, str]
    since: datetime | None = None
    until: datetime | None = None
    injury: Any = None

    @property
    def empty(self) -> bool:
        return not any(self.entries.values())


def window(since: str | None, until: str | None, *,
           now: datetime) -> tuple[datetime | None, datetime | None]:
    """[start, end) of `--since` / `--until`: a date alone means that whole day, a time that
    moment; either may be left open."""

    def read(text: str, *, end: bool) -> datetime:
        moment = dates.parse_when(text, lean="past", now=now)
        if moment.time_known:
            return moment.at
        return clock.start_of_day(moment.day + timedelta(days=1)) if end else moment.at

    start = read(since, end=False) if since is not None else None
    stop = read(until, end=True) if until is not None else None
    if start is not None and stop is not None and start >= stop:
        raise InputError(f"--since {since!r} is not before --until {until!r}: "
                         "give the earlier day first.")
    return start, stop


def _injuries(session: Session, since: datetime | None,
              until: datetime | None) -> list[Injury]:
    """Injuries that were open at some time of the window, by onset."""
    first = clock.local(since).date() if since is not None else None
    last = (clock.local(until) - timedelta(microseconds=1)).date() if until is not None else None
    rows = [row for row in store.list_injuries(session, include_resolved=True)
            if (last is None or store.injury_order(row)[0] <= last)
            and (first is None or row.resolved_on is None or row.resolved_on >= first)]
    return sorted(rows, key=store.injury_order)


def ask(session: Session, *, kind: str | None, since: datetime | None = None,
        until: datetime | None = None, injury: str | None = None) -> Listing:
    """The entries of `kind` (a word of LIST_KINDS; all kinds when None) in [since, until)."""
    injury_row = store.get_injury(session, ref=injury) if injury else None
    kinds = (kind,) if kind is not None else tuple(LIST_KINDS)
    entries: dict[str, tuple[Any, ...]] = {}
    for word in kinds:
        entry_kind = LIST_KINDS[word]
        if entry_kind == "injury":
            rows: list[Any] = _injuries(session, since, until)
        else:
            rows = store.between(session, TABLES[entry_kind], since=since, until=until)
        if injury_row is not None and entry_kind in OF_AN_INJURY:
            rows = [r for r in rows
                    if (r.id if entry_kind == "injury" else r.injury_id) == injury_row.id]
        entries[word] = tuple(rows)
    names = {row.id: row.name for row in store.list_injuries(session, include_resolved=True)}
    return Listing(kinds=kinds, entries=entries, injury_names=names, since=since, until=until,
                   injury=injury_row)
