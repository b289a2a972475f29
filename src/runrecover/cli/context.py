"""What a command gets from its context: the global options, the database session, the
profile; and asking before destroying data."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlmodel import Session

    from runrecover.profile import Profile


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


def profile() -> "Profile":
    """The profile in force, loaded once by the command that needs it."""
    from runrecover.profile import load_profile

    return load_profile()


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
