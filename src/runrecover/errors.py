"""The error family every layer raises, and the exit codes the CLI boundary maps them to."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_ALLOWED = 1  # `status --check` when running is not allowed
    BAD_INPUT = 2
    DB_UNUSABLE = 3


class RunRecoverError(Exception):
    """A problem the user can act on; its message is one sentence shown on stderr."""

    exit_code = ExitCode.BAD_INPUT


class InputError(RunRecoverError):
    """A value, file or reference the user gave cannot be accepted."""


class DatabaseError(RunRecoverError):
    """The database file cannot be used: not ours, corrupt, newer schema, locked too long."""

    exit_code = ExitCode.DB_UNUSABLE
