"""The one way output leaves runrecover: data to stdout, messages to stderr.

Consoles are made per call so that `NO_COLOR`, `COLUMNS` and the streams swapped by tests
are read when printing, not when the module was imported.
"""

import json
import sys
from typing import Any

from rich.console import Console, RenderableType

WIDTH_MAX = 80


def _console(*, stderr: bool) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    # Views are laid out for 80 columns; a wider terminal gains nothing but long lines.
    if console.width > WIDTH_MAX:
        console.width = WIDTH_MAX
    return console


def show(*renderables: RenderableType) -> None:
    _console(stderr=False).print(*renderables)


def warn(message: RenderableType) -> None:
    """A warning for the person, kept off stdout so that scripts read only data."""
    _console(stderr=True).print(message)


def error(message: str) -> None:
    # One sentence on one line: wrapping would split it for scripts that read stderr.
    _console(stderr=True).print(message, markup=False, style="red", soft_wrap=True)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
