"""Writing health data to a place the runner names: a file, a pipe, a device or stdout.

A regular file (or a new one) is written to a temporary file beside it and renamed over it,
so that a reader never sees half of it. The temporary file comes from `tempfile.mkstemp`:
an unpredictable name, created with O_EXCL and O_NOFOLLOW, mode 0600 from the first byte, so
another user of a shared directory can neither plant a symlink there nor read it. A pipe
(`--output >(gpg -e ...)`), a character device or `/dev/stdout` is written in place:
renaming over it would replace the device with a file of health data. `-` is stdout.

A process killed mid-write cannot remove its temporary file; the name carries its process
id, so the next writer into that directory removes what dead processes left.
"""

import errno
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from msgspec import Struct

from runrecover.errors import InputError

TEMP_SUFFIX = ".tmp"
# `.NAME.rr<pid>-<random>.tmp`, and the -journal/-wal/-shm files SQLite may put beside it.
_TEMP_NAME = re.compile(r"^\..*\.rr(\d+)-[^.]+\.tmp(-journal|-wal|-shm)?$")


def is_stdout(path: Path) -> bool:
    return str(path) == "-"


# A name for an open file descriptor: /dev/stdout, /dev/fd/3, /proc/self/fd/1...
_DESCRIPTOR = re.compile(r"^/(dev|proc/[^/]+)/fd/\d+$|^/dev/std(out|err)$")


def _names_a_descriptor(path: Path) -> bool:
    """Whether `path`, or a symlink on the way from it, names an open file descriptor: that
    one is written in place even when it is a regular file (`> out.json` in the shell)."""
    name = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on symlinks followed
        if _DESCRIPTOR.match(name):
            return True
        if not os.path.islink(name):
            return False
        name = os.path.join(os.path.dirname(name), os.readlink(name))
    return False


def is_in_place(path: Path) -> bool:
    """A pipe, socket, character device or open descriptor: written where it is."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)
            or _names_a_descriptor(path))


def target_error(path: Path, exc: OSError) -> InputError:
    """The sentence for a target that cannot be written (exit 2: the place is the input)."""
    if exc.errno == errno.ENOSPC:
        return InputError(f"No space left on {path}; nothing was written there.")
    return InputError(f"Cannot write {path}: {exc.strerror or exc}.")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(directory: Path) -> None:
    """Remove the temporary files that killed runrecover processes left in `directory`."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        match = _TEMP_NAME.match(name)
        if match is None or _process_alive(int(match.group(1))):
            continue
        leftover = directory / name
        try:
            if leftover.lstat().st_uid == os.geteuid() and stat.S_ISREG(leftover.lstat().st_mode):
                leftover.unlink()
        except OSError:
            pass


class Temporary(Struct, frozen=True):
    """A private temporary file: its name, for SQLite, and the descriptor it was made
    with, to write through and to recognise it by (another user of a shared folder could
    swap the name for a file of theirs)."""

    path: Path
    fd: int


@contextmanager
def temporary_beside(path: Path) -> Iterator[Temporary]:
    """A new private empty file in `path`'s directory, removed on leaving unless renamed."""
    directory = path.parent
    remove_leftovers(directory)
    # The name is cut short so that the temporary name stays within NAME_MAX.
    fd, name = tempfile.mkstemp(prefix=f".{path.name[:100]}.rr{os.getpid()}-",
                                suffix=TEMP_SUFFIX, dir=directory)
    tmp = Path(name)
    try:
        yield Temporary(tmp, fd)
    finally:
        os.close(fd)
        for leftover in (tmp, *(Path(f"{tmp}{s}") for s in ("-journal", "-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)


def regular_target(path: Path) -> Path:
    """Where the renamed file goes: through symlinks to the file they point at, like `>`.

    Anything else that exists (a directory, a block device) is refused: never renamed over.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    if stat.S_ISDIR(mode):
        raise InputError(f"Cannot write {path}: it is a directory; give a file name.")
    if not stat.S_ISREG(mode):
        raise InputError(f"Cannot write {path}: it is neither a file, a pipe nor a "
                         "character device.")
    return target


def install(temporary: Temporary, path: Path) -> None:
    """Make the finished temporary file (beside `path`) be `path`, durably."""
    os.fsync(temporary.fd)
    if os.stat(temporary.path, follow_symlinks=False).st_ino != os.fstat(temporary.fd).st_ino:
        raise InputError(f"Cannot write {path}: another program replaced the temporary file "
                         "beside it; nothing was written.")
    os.replace(temporary.path, path)
    _fsync_directory(path.parent)


def write(path: Path, data: bytes) -> None:
    """Write `data` to `path` (see the module's docstring for what each kind of place gets)."""
    try:
        if is_stdout(path):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        elif is_in_place(path):
            _write_in_place(path, data)
        else:
            target = regular_target(path)
            with temporary_beside(target) as tmp:
                with open(tmp.fd, "wb", closefd=False) as f:
                    f.write(data)
                install(tmp, target)
    except OSError as exc:
        raise target_error(path, exc) from None


def copy_file(source: Path, path: Path) -> None:
    """Copy the finished private file `source` to `path`, written in place, or stdout."""
    try:
        with source.open("rb") as f:
            if is_stdout(path):
                sys.stdout.flush()
                shutil.copyfileobj(f, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with _open_in_place(path) as out:
                    shutil.copyfileobj(f, out)
    except OSError as exc:
        raise target_error(path, exc) from None


def _open_in_place(path: Path) -> BinaryIO:
    # No O_CREAT: if the pipe or device went away meanwhile, fail rather than make a file.
    # O_APPEND: a regular file behind /dev/stdout is the shell's `>` (empty) or `>>`.
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_APPEND), "wb")


def _write_in_place(path: Path, data: bytes) -> None:
    with _open_in_place(path) as f:
        f.write(data)
