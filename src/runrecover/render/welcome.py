"""The welcome a runner sees before anything is recorded: first steps, not a bare GO."""

from rich.console import Group, RenderableType
from rich.text import Text

from runrecover.render.layout import Command

FIRST_STEPS = (
    ("runrecover injury add 'left calf strain' --since mon", "the injury"),
    ("runrecover treat mesotherapy --injury calf", "after a clinic visit"),
    ("runrecover pain 3 --context morning", "a pain score, 0 to 10"),
    ("runrecover log 5k 30:00", "after a run"),
    ("runrecover status", "every morning: may I run today?"),
    ("runrecover demo", "the whole thing on a made-up history"),
)


def first_steps(*, demo: bool = True) -> list[RenderableType]:
    """The commands to start a record with, each breaking only between its arguments."""
    return [Command(command, comment=what) for command, what in FIRST_STEPS
            if demo or "demo" not in command]


def welcome() -> RenderableType:
    return Group(
        Text("Nothing is recorded yet, so there is nothing to answer from.", style="bold"),
        Text("First steps:"), *first_steps())
