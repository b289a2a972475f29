"""Reading a report page back, with the standard library's HTML parser: its tables by id
(rows of cell texts), its tags, its attributes; what the report tests check."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "source", "wbr"}
# SVG elements may close themselves (`<rect/>`): the parser reports them as start+end.


@dataclass
class Page:
    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    tables: dict[str, list[list[str]]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # id -> its text

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def rows(self, table_id: str) -> list[list[str]]:
        """The body rows of a table (its header row left out)."""
        return self.tables[table_id][1:]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.table: str | None = None
        self.cell: list[str] | None = None
        self.open_ids: list[tuple[str, list[str]]] = []
        self.depth: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.page.tags.append((tag, values))
        self.in_style = tag == "style"
        if tag == "table" and "id" in values:
            self.table = values["id"]
            self.page.tables[self.table] = []
        elif tag == "tr" and self.table:
            self.page.tables[self.table].append([])
        elif tag in ("td", "th") and self.table:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")
        if "id" in values and tag not in VOID:
            self.open_ids.append((values["id"], []))
            self.depth.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        if tag in ("td", "th") and self.cell is not None and self.table:
            self.page.tables[self.table][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.table = None
        if self.depth and self.depth[-1] == tag:
            self.depth.pop()
            key, text = self.open_ids.pop()
            self.page.ids[key] = " ".join("".join(text).split())

    def handle_data(self, data: str) -> None:
        if self.in_style:  # the page's CSS is not text a reader sees
            return
        self.page.texts.append(data)
        if self.cell is not None:
            self.cell.append(data)
        for _, text in self.open_ids:
            text.append(data)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page
