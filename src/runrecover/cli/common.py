"""What every command shares: global state, the database session, WHEN options."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass
class State:
    db_option: Path | None = None
    debug: bool = False


def state(ctx: typer.Context) -> State:
    return ctx.find_object(State) or State()


@contextmanager
def session(ctx: typer.Context, *, command: str | None = None,
            write: bool = True) -> Iterator["Session"]:
    """The command's one transaction; `command` names it in the undo journal."""
    from runrecover import db, settings

    path = settings.db_path(state(ctx).db_option)
    engine = db.open_database(path, write=write)
    try:
        with db.transaction(engine, command=command) as s:
            yield s
    finally:
        engine.dispose()


def protocols_file() -> Path | None:
    from runrecover import settings

    path = settings.user_protocols_file()
    return path if path.exists() else None


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of the view.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Free text to keep with it.")]
OnOption = Annotated[str | None, typer.Option(
    "--on", help="When: 2016-06-14, '14 June 2016 11:30', yesterday 18:30, 3d ago, tue 7am… "
    "(default: now).")]
InjuryOption = Annotated[str | None, typer.Option(
    "--injury", help="The injury it is for: its id or part of its name "
    "(default: your only open injury).")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def confirm(question: str, *, yes: bool) -> None:
    """Ask before destroying data; no answer (end of input) counts as no."""
    from runrecover.errors import InputError

    if yes:
        return
    try:
        agreed = typer.confirm(question, default=False, err=True)
    except typer.Abort:
        agreed = False
    if not agreed:
        raise InputError("Not confirmed, so nothing was changed; add --yes to skip the question.")
