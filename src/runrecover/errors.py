"""The error family every layer raises, and the exit codes the CLI boundary maps them to."""

from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_ALLOWED = 1  # `status --check` when running is not allowed
    DECLINED = 1  # the runner answered no at a prompt: nothing done, but no bad input
    BAD_INPUT = 2
    DB_UNUSABLE = 3


class RunRecoverError(Exception):
    """A problem the user can act on; its message is one sentence shown on stderr."""

    exit_code = ExitCode.BAD_INPUT


class InputError(RunRecoverError):
    """A value, file or reference the user gave cannot be accepted."""


class Declined(RunRecoverError):
    """The runner said no (or nothing) when asked to confirm."""

    exit_code = ExitCode.DECLINED


class Remedy(StrEnum):
    """What the runner can do about a database that cannot be used; the command layer says
    it in words (storage knows files, not options)."""

    restore = "restore"  # restore a backup
    other_file = "other-file"  # use another file
    upgrade = "upgrade"  # a newer runrecover wrote it
    writable = "writable"  # make the file and its folder writable
    target = "target"  # name the database to restore into


class DatabaseError(RunRecoverError):
    """The database file cannot be used: not ours, corrupt, newer schema, locked too long.
    The message states the problem; `remedy`, when there is one, what to do about it."""

    exit_code = ExitCode.DB_UNUSABLE

    def __init__(self, problem: str, remedy: Remedy | None = None) -> None:
        super().__init__(problem)
        self.remedy = remedy
