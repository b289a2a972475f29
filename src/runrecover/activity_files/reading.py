"""What every reader shares: the record they return, their error, and small value helpers."""

import codecs
import io
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from msgspec import Struct, field

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


class ParsedActivity(Struct, frozen=True):
    kind: str  # an ActivityKind value
    sport: str | None  # as written in the file
    start: datetime  # aware, UTC
    distance_km: float | None
    elapsed_s: float | None
    moving_s: float | None
    avg_hr: float | None
    rpe: int | None  # 1–10
    name: str | None
    source: str  # "fit" | "gpx" | "tcx" | "strava-csv" | "garmin-csv"
    source_id: str | None  # the file's own id for the activity, where it has one
    # False when the kind is runrecover's guess (the file names no sport): a pace no runner
    # could hold then makes it "other" rather than an impossible run.
    kind_said: bool = True
    line: int | None = None  # a CSV row's line in its file


class Note(Struct, frozen=True):
    """Something the importer did about one activity of a file: a row skipped or a field
    dropped, named by the row's line and the file's own id where it has them."""

    text: str  # the end of a sentence: "its elapsed time (31 days) is dropped: …"
    line: int | None = None
    source_id: str | None = None
    skipped: bool = False  # the whole activity was left out, not just one field


class Reading(Struct):
    """What one file holds: its activities, and notes about what was dropped on the way."""

    activities: list[ParsedActivity]
    notes: list[Note] = field(default_factory=list)


class Unreadable(Exception):
    """A problem with a file's content, as the end of a sentence ("it is a FIT course, …");
    `read_activities` turns it into an `InputError` that names the file."""


class NotAnActivity(Unreadable):
    """A well-formed file that holds no recorded activity (a course, a workout, a route): in a
    folder or an archive it is passed over, given on its own it is refused."""


GZIP_MAGIC = b"\x1f\x8b"
NAME_MAX = 200  # characters of an activity's name kept as its note


def clean_name(name: str | None, notes: list[Note], *, line: int | None = None,
               source_id: str | None = None) -> str | None:
    """An activity's name as a file gives it, fit to keep: control characters become spaces
    (a name is one line), and a name too long to be one is shortened, with a note. Spaces
    around it go, but nothing else: a leading tab is what keeps `\t=1+1` from being a
    spreadsheet formula, so it is kept (as a space would not be)."""
    if name is None:
        return None
    kept = "".join(" " if unicodedata.category(char) == "Cc" and char != "\t" else char
                   for char in name).strip(" ")
    if len(kept) > NAME_MAX:
        notes.append(Note(f"its name ({len(kept):,} characters) is shortened to {NAME_MAX}",
                          line, source_id))
        kept = kept[: NAME_MAX - 1].rstrip() + "…"
    return kept or None


def brief(error: BaseException) -> str:
    """A library's error message cut to one short line, to quote inside a sentence."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def text_of(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(f"it is not UTF-8 text (byte {error.start} is not valid)") from None


def strip_xml_lead(data: bytes) -> bytes:
    # Strava's GPX and TCX exports start with spaces before `<?xml`, which XML parsers refuse.
    return data.removeprefix(b"\xef\xbb\xbf").lstrip()


_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF16_LEADS = {
    codecs.BOM_UTF16_LE: "utf-16",
    codecs.BOM_UTF16_BE: "utf-16",
    b"<\x00": "utf-16-le",
    b"\x00<": "utf-16-be",
}


def xml_text(data: bytes) -> str:
    """An XML file's text in the encoding its byte order mark or declaration names (UTF-8
    when it names none), without what comes before its first `<`."""
    encoding = next((name for lead, name in _UTF16_LEADS.items() if data.startswith(lead)),
                    None)
    if encoding is None:
        data = strip_xml_lead(data)
        declared = _XML_ENCODING.match(data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return data.decode(encoding).lstrip("\ufeff \t\r\n")
    except LookupError:
        raise Unreadable(f"it declares an unknown text encoding ({encoding})") from None
    except UnicodeDecodeError as error:
        raise Unreadable(f"it is not valid {encoding} text (byte {error.start})") from None


MAX_XML_DEPTH = 32  # GPX and TCX nest about 10 levels deep; hostile files nest thousands


def xml_events(data: bytes, what: str) -> Iterator[tuple[str, "Element"]]:
    """("start" | "end", element) of an XML file, read as a stream so that no tree of the
    whole file is ever built (a reader clears what it has used on "end"), through defusedxml
    so that no entity expands and no DTD is fetched. `what` ("GPX", "TCX") names the format in
    refusals."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    depth = 0
    try:
        for event, element in iterparse(io.StringIO(xml_text(data)), events=("start", "end"),
                                        forbid_dtd=True):
            depth += 1 if event == "start" else -1
            if depth > MAX_XML_DEPTH:
                raise Unreadable(f"its XML nests deeper than {MAX_XML_DEPTH} levels, which no "
                                 f"{what} file does")
            yield event, element
    except ParseError as error:
        raise Unreadable(f"it is not well-formed XML, so not a readable {what} file ({error})"
                         ) from None
    except DefusedXmlException:
        raise Unreadable(f"it declares a DTD or entities, which no {what} file needs and "
                         "runrecover does not expand") from None


def folded(word: str) -> str:
    """'Trail Run', 'trail_running' and 'Vélo' become 'trailrun', 'trailrunning', 'velo'."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def local_name(tag: object) -> str:
    """`{namespace}name` → `name`; "" for comments and processing instructions."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def utc(moment: datetime) -> datetime:
    # GPX and TCX times are UTC by their specifications, so a time without a zone is UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def positive(value: float | None) -> float | None:
    """A zero distance or heart rate means nothing was recorded, and must not yield a pace."""
    return value if value is not None and value > 0 else None


def km(metres: float | None) -> float | None:
    return None if metres is None else positive(metres / 1000)


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_POINT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,024.5
_COMMA_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+")  # 1.024,5
_COMMA_DECIMAL = re.compile(r"[+-]?\d+,\d+")  # 7,00


def number(text: str) -> float | None:
    """A number as files write it, with a decimal point or a locale's decimal comma; None
    when it is not one.

    "1,500" (one comma, three digits after it) is read as fifteen hundred: the exports that use
    a decimal comma write two decimals or five, never three.
    """
    text = text.strip()
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    if _POINT_THOUSANDS.fullmatch(text):
        return float(text.replace(",", ""))
    if _COMMA_THOUSANDS.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    if _COMMA_DECIMAL.fullmatch(text):
        return float(text.replace(",", "."))
    return None


def required_number(text: str, what: str) -> float:
    value = number(text)
    if value is None:
        raise Unreadable(f"its {what} {text.strip()!r} is not a number")
    return value
