"""Activity files (FIT, GPX, TCX, Strava and Garmin CSV exports) read into plain records.

The reading half of `runrecover import`: bytes in, `ParsedActivity` records out, with no
database and no clock; the caller decides what to store. Formats are recognised by content,
never by file name (`sniff`). A file that cannot be read raises `InputError`, one sentence
naming the file and the problem: never a traceback. What a file holds that cannot be kept
(a CSV row, an impossible value) is left out with a `Note` instead. How each format
becomes records is told in its module (`fit`, `gpx`, `tcx`, `csv_exports`); how sports become
kinds in `kinds`.

Where files come from (gzip, folders, zip archives, with a size limit) is `sources`; how
each activity is judged before it is stored (impossible values, implausible paces) is
`plausible`. fitdecode (for the FIT profile), gpxpy (for its geometry) and defusedxml are
imported inside the functions that use them, so that `runrecover --help` does not pay for
them.
"""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runrecover.activity_files.csv_exports import read_csv, sniff_csv
from runrecover.activity_files.fit import read_fit
from runrecover.activity_files.gpx import read_gpx
from runrecover.activity_files.kinds import kind_for_sport
from runrecover.activity_files.reading import (
    GZIP_MAGIC,
    NotAnActivity,
    Note,
    ParsedActivity,
    Reading,
    Unreadable,
    brief,
    strip_xml_lead,
    xml_text,
)
from runrecover.activity_files.tcx import read_tcx
from runrecover.errors import InputError
from runrecover.vocab import ActivityKind

__all__ = [
    "NotAnActivityError",
    "Note",
    "ParsedActivity",
    "Reading",
    "kind_for_sport",
    "read",
    "read_activities",
    "identify",
    "sniff",
]


class NotAnActivityError(InputError):
    """A file refused because it holds no recorded activity runrecover reads (a course, a
    workout, a route, a file of another kind): passed over inside a folder or an archive,
    refused when given on its own."""


_READERS: dict[str, Callable[[bytes, str | None], Reading]] = {
    "fit": read_fit,
    "gpx": read_gpx,
    "tcx": read_tcx,
}
_LABELS = {
    "fit": "a FIT file",
    "gpx": "a GPX file",
    "tcx": "a TCX file",
    "strava-csv": "a Strava activities CSV",
    "garmin-csv": "a Garmin Connect activities CSV",
}
_KNOWN = (
    "FIT, GPX and TCX activity files, Strava and Garmin Connect activity CSV exports, "
    "and runrecover JSON exports"
)
_XML_ROOTS = {"gpx": "gpx", "TrainingCenterDatabase": "tcx"}
_XML_SNIFF_BYTES = 65536
_UTF16_XML = (b"\xff\xfe<", b"\xfe\xff\x00<", b"<\x00", b"\x00<")
_XML_PROLOG = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*", re.DOTALL
)
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def read_activities(
    path: Path, *, default_kind: str | None = None, units: str | None = None
) -> list[ParsedActivity]:
    """Every activity in the file at `path`, in file order (see `read`)."""
    from runrecover.activity_files.sources import read_limited

    name = str(path)
    return read(read_limited(Path(path), name), name, default_kind=default_kind,
                units=units).activities


def read(
    data: bytes, name: str, *, default_kind: str | None = None, units: str | None = None
) -> Reading:
    """The activities of one file's bytes, with notes on what was left out.

    For every format but runrecover JSON, which the caller reads itself. `default_kind` is the
    kind of activities whose file does not say (see `kinds`); `units` the unit of CSV distances
    that do not say theirs. Raises `InputError` naming the file (as `name`) when it cannot be
    read or holds no recorded activity.
    """
    if default_kind is not None and default_kind not in set(ActivityKind):
        raise ValueError(f"default_kind must be an ActivityKind, not {default_kind!r}")
    file_format = sniff(data, name)
    if file_format == "runrecover-json":
        raise _cannot_import(name, "it is a runrecover JSON export, not an activity file")
    try:
        if file_format in _READERS:
            return _READERS[file_format](data, default_kind)
        return read_csv(data, default_kind, units)
    except NotAnActivity as problem:
        raise NotAnActivityError(f"Cannot import {name}: {problem}.") from None
    except Unreadable as problem:
        raise _cannot_import(name, str(problem)) from None
    except (ValueError, OverflowError, RecursionError, MemoryError) as error:
        # What the libraries raise on content they cannot make sense of.
        raise _cannot_import(
            name, f"it looks like {_LABELS[file_format]} but cannot be read ({brief(error)})"
        ) from None


def sniff(data: bytes, name: str = "this file") -> str:
    """What `data` holds, by its content: "fit", "gpx", "tcx", "strava-csv", "garmin-csv" or
    "runrecover-json". Anything else raises `InputError`, naming the file as `name`."""
    return identify(data, name)[0]


def identify(data: bytes, name: str = "this file") -> tuple[str, Any]:
    """`sniff`, with the JSON document it read to tell a runrecover export (None for the
    other formats): a whole history is not parsed twice."""
    if not data.strip():
        raise _cannot_import(name, "it is empty")
    if data[8:12] == b".FIT":
        return "fit", None
    if data.startswith(GZIP_MAGIC):
        raise _cannot_import(name, "it is gzip-compressed, and was not uncompressed first")
    body = strip_xml_lead(data)
    if body.startswith(_UTF16_XML):
        try:
            body = xml_text(body[:_XML_SNIFF_BYTES]).encode()
        except Unreadable as problem:
            raise _cannot_import(name, str(problem)) from None
    if body.startswith(b"<"):
        root = _xml_root(body[:_XML_SNIFF_BYTES])
        if root in _XML_ROOTS:
            return _XML_ROOTS[root], None
        shown = f"<{root}>" if root else "unreadable"
        raise _not_ours(name, f"it is XML but neither GPX nor TCX (its root is {shown})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        export = sniff_csv(data[: error.start].decode("utf-8-sig"))
        if export is not None:
            raise _cannot_import(
                name, f"it is {_LABELS[export]} but byte {error.start} is not UTF-8 text"
            ) from None
        raise _not_ours(
            name, f"it is neither a FIT file nor text; runrecover imports {_KNOWN}"
        ) from None
    if text.lstrip().startswith(("{", "[")):
        return "runrecover-json", _sniff_json(text, name)
    csv_format = sniff_csv(text)
    if csv_format is None:
        raise _not_ours(name, f"it is none of the files runrecover imports: {_KNOWN}")
    return csv_format, None


def _cannot_import(name: str, problem: str) -> InputError:
    return InputError(f"Cannot import {name}: {problem}.")


def _not_ours(name: str, problem: str) -> NotAnActivityError:
    return NotAnActivityError(f"Cannot import {name}: {problem}.")


def _xml_root(head: bytes) -> str | None:
    """The root element's local name, found after the prolog without parsing the document."""
    prolog = _XML_PROLOG.match(head)
    root = _XML_ROOT.match(head, prolog.end() if prolog else 0)
    return root.group(1).decode("ascii").rpartition(":")[2] if root else None


def _sniff_json(text: str, name: str) -> dict[str, Any]:
    """The runrecover export `text` holds; anything else is refused."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise _cannot_import(name, "it looks like JSON but is not valid JSON") from None
    if isinstance(document, dict) and document.get("format") == "runrecover":
        return document
    raise _not_ours(name, 'it is JSON but not a runrecover export (no "format": "runrecover")')
