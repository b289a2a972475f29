"""`runrecover timeline`: what happened, day by day, at a glance."""

import gc
from datetime import datetime, timedelta
from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.context import profile, records
from runrecover.cli.options import AthleteOption, JsonOption

DEFAULT_DAYS = 8 * 7


def _days_asked(since: str | None, until: str | None, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the days asked for: a date alone means that whole day, a time that
    moment; by default the 8 weeks up to the end of today. A weekday named by `--until` is
    the coming one (`--until sat`: up to the planned race), by `--since` the last one."""
    from runrecover import clock, dates
    from runrecover.errors import InputError

    def read(text: str, *, end: bool) -> datetime:
        moment = dates.parse_when(text, lean="past", now=now,
                                  weekdays="future" if end else "past")
        if moment.time_known:
            return moment.at
        return clock.start_of_day(moment.day + timedelta(days=1)) if end else moment.at

    today = clock.local(now).date()
    end = (read(until, end=True) if until is not None
           else clock.start_of_day(today + timedelta(days=1)))
    if since is not None:
        start = read(since, end=False)
    else:
        last_day = clock.local(end - timedelta(microseconds=1)).date()
        start = clock.start_of_day(last_day - timedelta(days=DEFAULT_DAYS - 1))
    if start >= end:
        raise InputError(f"--since {since!r} is not before --until {until or 'today'!r}: "
                         "give the earlier day first.")
    return start, end


@app.command()
def timeline(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(
        "--since", help="First day shown: 2016-05-01, '3 weeks ago', mon… "
        "(default: 8 weeks before --until).")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Last day shown, or a moment; a weekday is the coming one "
        "(default: today).")] = None,
    injury: Annotated[str | None, typer.Option(
        "--injury", help="Only this injury's entries (its id or part of its name); "
        "runs and races stay.")] = None,
    chart: Annotated[bool, typer.Option(
        "--chart", help="Add the pain chart and weekly running distance.")] = False,
    ids: Annotated[bool, typer.Option(
        "--ids", help="Show each entry's kind and id, as edit and delete take them.")] = False,
    as_json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """What happened, day by day: treatments, restrictions, pain, runs, races."""
    from runrecover import clock
    from runrecover.questions import timeline as question
    from runrecover.render import console
    from runrecover.render import timeline as view

    start, end = _days_asked(since, until, clock.now())
    # What the imports made lives until the process ends: frozen out of the collector's
    # sight, its passes over years of rows no longer walk it (~30 ms of a ten-year timeline).
    gc.freeze()
    with records(ctx, write=False) as r:
        record = question.ask(r, profile(), since=start, until=end, injury=injury,
                              now=clock.now())
    if as_json:
        console.emit_json(view.timeline_json(record))
    else:
        console.show_parts(view.timeline_parts(record, chart=chart, ids=ids))
