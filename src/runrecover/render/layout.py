"""How long lines break at any width: a text wraps under itself, not under its mark, and a
command to type breaks only between its arguments."""

import shlex
from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text


class Trimmed:
    """A renderable whose lines end at their last mark: Rich pads table cells to the
    column width, and trailing blanks only get in the way of copies and comparisons."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Any, options: Any) -> Iterable[Segment]:
        for line in console.render_lines(self.renderable, options, pad=False):
            while line and not line[-1].control and not line[-1].text.strip():
                line.pop()
            if line:
                last = line[-1]
                line[-1] = Segment(last.text.rstrip(), last.style, last.control)
            yield from line
            yield Segment.line()


def hanging(rows: Iterable[tuple[RenderableType, RenderableType]]) -> RenderableType:
    """Lines of a mark and a text, in a grid so that a long text wraps under itself, not
    under its mark."""
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column()
    for mark, text in rows:
        grid.add_row(mark, text)
    return Trimmed(grid)


class Command:
    """A command to type, indented, that breaks only between arguments (a quoted one such as
    'left calf strain' stays whole); a continued line is indented two more columns. A
    comment, when given, follows on the line if it fits, else on a line of its own."""

    def __init__(self, command: str, *, indent: int = 2, comment: str | None = None,
                 style: str = "") -> None:
        self.command, self.indent, self.comment, self.style = command, indent, comment, style

    def _arguments(self) -> list[str]:
        lexer = shlex.shlex(self.command, posix=False)
        lexer.whitespace_split = True
        return list(lexer)

    def __rich_console__(self, console: Any, options: Any) -> Iterable[Segment]:
        width = options.max_width
        lines: list[str] = []
        line = " " * self.indent
        for argument in self._arguments():
            if line.strip() and len(line) + 1 + len(argument) > width:
                lines.append(line)
                line = " " * (self.indent + 2)
            line += argument if not line.strip() else " " + argument
        comment = f"  # {self.comment}" if self.comment else ""
        if comment and len(line) + len(comment) > width:
            lines.append(line)
            line, comment = " " * (self.indent + 2), f"# {self.comment}"
        for text in lines:
            yield from console.render(Text(text, style=self.style), options)
        yield from console.render(Text.assemble((line, self.style), (comment, "dim")), options)
