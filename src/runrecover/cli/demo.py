"""`runrecover demo`: the product on a built-in history, in a throwaway database."""

import shlex
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from runrecover.cli.app import app


@app.command()
def demo(
    keep: Annotated[Path | None, typer.Option(
        "--keep", dir_okay=False, help="Keep the demo history in this new database file, to "
        "try other commands on it (runrecover --db FILE report calf).")] = None,
) -> None:
    """Show status on a built-in demo history (your own data is never touched)."""
    from rich.text import Text

    from runrecover import athletes, clock, db, demo, store
    from runrecover.cli.context import profile
    from runrecover.cli.timeline import DEFAULT_DAYS
    from runrecover.errors import InputError
    from runrecover.questions import ladder, status, timeline
    from runrecover.records.session import SessionRecords
    from runrecover.render import console
    from runrecover.render import status as status_view
    from runrecover.render import timeline as timeline_view
    from runrecover.render.ladder import story_lines
    from runrecover.render.layout import Command
    from runrecover.render.welcome import first_steps

    # Noon at the earliest, so that this morning's demo entries are already in the past.
    now = max(clock.now(), clock.start_of_day(clock.now().date()) + timedelta(hours=12))
    built_in = profile(builtin_only=True)
    if keep is not None and keep.exists():
        raise InputError(f"{keep} already exists: give --keep a new file (the demo never "
                         "writes into a database that holds data).")
    with tempfile.TemporaryDirectory(prefix="runrecover-demo-") as folder:
        engine = db.open_database(keep or Path(folder) / "demo.db", write=True)
        try:
            with db.transaction(engine) as s:
                store.scope(s, athletes.confirmed_in(s, None, write=True).id)
                demo.fill(s, today=now.date())
                filled = SessionRecords(s)
                answer = status.ask(filled, built_in, asked=clock.Moment(now, True), now=now)
                end = clock.start_of_day(now.date() + timedelta(days=7))
                record = timeline.ask(filled, built_in, since=end - timedelta(days=DEFAULT_DAYS),
                                      until=end, now=now)
                climbed = ladder.state_at(filled, built_in, at=now)
        finally:
            engine.dispose()
    console.show(
        Text("Demo: a runner with a right hip treated with prolotherapy and brought back on "
             "the return-to-run ladder, and a left calf treated with mesotherapy yesterday, "
             "racing a 15K this week. This history lives in a throwaway database; your own "
             "data is untouched.", style="italic"),
        Text(f"The demo pretends it is now {clock.format_at(now)}.", style="italic"),
        Text(""),
        Text(f"runrecover status  ({clock.format_at(now)})", style="bold"),
        status_view.status_view(answer),
        Text(""),
        Text("runrecover timeline --chart  (to a week ahead, with the race)", style="bold"),
        timeline_view.timeline_view(record, chart=True),
        Text(""),
        Text("runrecover ladder  (the hip's way back: rung by rung, one step back)",
             style="bold"),
        *story_lines(climbed)[1:],
        Text(""),
        *([Text(f"Kept in {keep}: try", style="italic"),
           Command(f"runrecover --db {shlex.quote(str(keep))} report calf --output calf.html")]
          if keep is not None else
          [Text("The page for a clinician:", style="italic"),
           Command("runrecover demo --keep demo.db"),
           Command("runrecover --db demo.db report calf --output calf.html")]),
        Text(""),
        Text("Start your own record (your data, not the demo's):", style="bold"),
        *first_steps(demo=False),
    )



