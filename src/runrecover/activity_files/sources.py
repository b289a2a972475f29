"""Where activity files come from: a file, a gzip file, a folder (a watch's `GARMIN/Activity`,
an unpacked Strava export) or a zip archive (Strava's bulk export), each read with a size
limit and loaded only when its turn comes, so that a whole export never sits in memory."""

import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from msgspec import Struct

from runrecover.activity_files.reading import GZIP_MAGIC
from runrecover.errors import InputError

MAX_FILE_MB = 64  # the longest real recordings (24 h FIT, GPX at 1 s) are a few MB
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# In a folder or an archive, files by these names are read; the rest (photos, other CSVs of
# a Strava export are sniffed and passed over) are not looked at.
SUFFIXES = (".fit", ".gpx", ".tcx", ".csv", ".json")


class Source(Struct, frozen=True):
    name: str  # a path, or "archive.zip:member/path"
    load: Callable[[], bytes]
    in_collection: bool  # from a folder or an archive: what is not an activity is passed over


def sources(paths: list[Path]) -> list[Source]:
    """The files to read, in order: each path, every activity file under a folder (sorted),
    every activity file in a zip archive."""
    found: list[Source] = []
    for path in paths:
        name = str(path)
        if path.is_dir():
            found += [Source(str(file), partial(read_limited, file, str(file)), True)
                      for file in sorted(path.rglob("*")) if _wanted(file.name) and file.is_file()]
        elif _starts_with(path, ZIP_MAGIC):
            found += _zip_sources(path, name)
        else:
            found.append(Source(name, partial(read_limited, path, name), False))
    return found


def read_limited(path: Path, name: str) -> bytes:
    """The file's bytes, uncompressed when it is gzip; refused beyond `MAX_FILE_MB`."""
    try:
        with open(path, "rb") as stream:
            if os.fstat(stream.fileno()).st_size > MAX_FILE_BYTES:
                raise _too_big(name, "")
            data = stream.read(MAX_FILE_BYTES + 1)  # a pipe or a device has no size to ask
    except OSError as error:
        raise _refused(name, f"it cannot be opened ({error.strerror or error})") from None
    _check_size(data, name, "")
    return _gunzipped(data, name)


def _wanted(name: str) -> bool:
    return name.lower().removesuffix(".gz").endswith(SUFFIXES) and not name.startswith(".")


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(magic)) == magic
    except OSError:
        return False  # reading it later says why


def _zip_sources(path: Path, name: str) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist()
                       if not info.is_dir() and _wanted(info.filename.rpartition("/")[2])]
    except (zipfile.BadZipFile, OSError) as error:
        raise _refused(name, f"it is a damaged zip archive ({error})") from None
    return [Source(f"{name}:{info.filename}", partial(_zip_member, path, info, name), True)
            for info in members]


def _zip_member(path: Path, info: zipfile.ZipInfo, archive_name: str) -> bytes:
    name = f"{archive_name}:{info.filename}"
    try:
        with zipfile.ZipFile(path) as archive, archive.open(info) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as error:
        raise _refused(name, f"it cannot be unpacked ({error})") from None
    _check_size(data, name, "unpacked, ")
    return _gunzipped(data, name)


def _gunzipped(data: bytes, name: str) -> bytes:
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        # Read through a bounded stream: a small gzip may unpack to gigabytes.
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            inner = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise _refused(name, f"it is a damaged gzip file ({error})") from None
    _check_size(inner, name, "uncompressed, ")
    return inner


def _check_size(data: bytes, name: str, how: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(name, how)


def _too_big(name: str, how: str) -> InputError:
    return _refused(name, f"{how}it is more than {MAX_FILE_MB} MB, the most runrecover reads "
                          "from one activity file")


def _refused(name: str, problem: str) -> InputError:
    return InputError(f"Cannot import {name}: {problem}.")
