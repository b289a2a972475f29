"""What every reader shares: the record they return, their error, and small value helpers."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class ParsedActivity:
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


class Unreadable(Exception):
    """A problem with a file's content, as the end of a sentence ("it is a FIT course, …");
    `read_activities` turns it into an `InputError` that names the file."""


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
