"""The one way output leaves runrecover: data to stdout, messages to stderr.

Consoles are made per call so that `NO_COLOR`, `COLUMNS` and the streams swapped by tests
are read when printing, not when the module was imported.
"""

import codecs
import functools
import json
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

WIDTH_MAX = 80


@functools.cache
def _console_class() -> type["Console"]:
    # Rich is imported when something is shown, not with this module: data written as it
    # is (`export`, `--json`) never needs it (tens of ms of every such start).
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # The reader stopped listening (`| head`): Rich would exit 1; the command's
            # error boundary ends it as done instead, quietly (cli/app.py).
            self.quiet = True
            raise BrokenPipeError

    return _Console


def _console(*, stderr: bool) -> "Console":
    # No markup: names and notes are the runner's own text, and "[left]" is not a style.
    # NO_COLOR means no escape codes at all: Rich alone would still send bold and dim.
    plain = {"color_system": None} if os.environ.get("NO_COLOR") else {}
    console = _console_class()(stderr=stderr, highlight=False, markup=False, emoji=False,
                               soft_wrap=False, **plain)
    # Views are laid out for 80 columns; a wider terminal gains nothing but long lines.
    if console.width > WIDTH_MAX:
        console.width = WIDTH_MAX
    return console


def stderr_console() -> "Console":
    return _console(stderr=True)


def show(*renderables: "RenderableType") -> None:
    """Print each renderable on its own lines (Rich would join plain texts with spaces), with
    no blanks at their ends (Rich pads tables and wrapped lines to the width)."""
    from runrecover.render.layout import Trimmed

    console = _console(stderr=False)
    for renderable in renderables:
        console.print(Trimmed(renderable))


def show_parts(parts: Iterable["RenderableType"]) -> None:
    """Print each part as soon as it is made: a long view's first lines show at once, and a
    reader that closes the pipe (`| head`) stops the work. Without styles (NO_COLOR, a pipe),
    a part that has `plain_lines(console)` writes those lines as they are: Rich's layout of
    years of timeline lines costs more than making them."""
    from runrecover.render.layout import Trimmed

    console = _console(stderr=False)
    for part in parts:
        plain_lines = getattr(part, "plain_lines", None)
        if plain_lines is not None and console.color_system is None:
            console.file.write("".join(plain_lines(console)))
            console.file.flush()
        else:
            console.print(Trimmed(part))


def warn(message: "RenderableType") -> None:
    """A warning for the person, kept off stdout so that scripts read only data."""
    _console(stderr=True).print(message)


def error(message: str) -> None:
    console = _console(stderr=True)
    # On a terminal a long sentence wraps between words; read by a script, it stays one
    # line (a wrapped one would split it).
    console.print(message, style="red", soft_wrap=not console.is_terminal)


def emit_json(data: Any) -> None:
    emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def emit(text: str) -> None:
    """Data for a script or a file, written as it is: no wrapping, no styling."""
    sys.stdout.write(text)


def emit_utf8(data: bytes) -> None:
    """`emit(data.decode())`, byte for byte: straight to stdout's bytes when it writes UTF-8
    and "\n" as it is (an export of ten years is megabytes: decoding it to write it
    encoded again took 20 ms)."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if (buffer is None or os.linesep != "\n"
            or codecs.lookup(stream.encoding or "ascii").name != "utf-8"):
        stream.write(data.decode())
        return
    stream.flush()
    buffer.write(data)
