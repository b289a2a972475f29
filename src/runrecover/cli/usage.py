"""Typer's usage errors said in runrecover's voice: one sentence naming the value given and
what is accepted, like the errors the domain raises ("Unknown export format 'JSON': use one
of json, csv, ics.").

Typer describes a parameter through its `type_descriptor` (the annotation, the choices, the
range); anything this module cannot read falls back to Typer's own message, never to a crash.
"""

import difflib
from typing import Any

import typer


def _name(param: Any) -> str:
    """`--context` for an option, `SCORE` for an argument."""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)
    return (getattr(param, "metavar", None) or getattr(param, "name", None) or "it").upper()


def _given(exc: Exception) -> Any:
    """The value the runner typed, carried by the validation error Typer wraps."""
    errors = getattr(exc.__cause__, "errors", None)
    if callable(errors):
        found = errors()
        if found and "input" in found[0]:
            return found[0]["input"]
    return None


def _choices(param: Any) -> list[str] | None:
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None)
    if not choices:
        return None
    return [str(getattr(c, "value", c)) for c in choices]


def suggestion(value: str, choices: list[str]) -> str | None:
    """The accepted word the runner most likely meant: the same word in other case, the
    only one it begins, or a close spelling."""
    lowered = value.lower()
    for choice in choices:
        if choice.lower() == lowered:
            return choice
    starting = [c for c in choices if c.startswith(lowered)]
    if len(starting) == 1:
        return starting[0]
    close = difflib.get_close_matches(lowered, choices, n=1)
    return close[0] if close else None


def _number_words(param: Any) -> str | None:
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if annotation not in (int, float):
        return None
    words = "a whole number" if annotation is int else "a number"
    info = getattr(descriptor, "parameter_info", None)
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if low is not None and high is not None:
        return f"{words} from {low} to {high}"
    if low is not None:
        return f"{words} of {low} or more"
    return words


def accepted(param: Any) -> str | None:
    """What the parameter takes, in words, or None when Typer does not say."""
    choices = _choices(param)
    if choices:
        return "one of " + ", ".join(choices)
    return _number_words(param)


def sentence(exc: typer.TyperException) -> str:
    """One sentence for a usage error (no "Error:" prefix, no usage block)."""
    param = getattr(exc, "param", None)
    ctx = getattr(exc, "ctx", None)
    # The program's own name, however it was started (python -m, a test runner).
    command = " ".join(["runrecover", *(ctx.command_path.split()[1:] if ctx else [])])
    if type(exc).__name__ == "MissingParameter" and param is not None:
        takes = accepted(param)
        return (f"{command} needs {_name(param)}" + (f" ({takes})" if takes else "")
                + f"; see '{command} --help'.")
    if isinstance(exc, typer.BadParameter) and param is not None:
        value, takes = _given(exc), accepted(param)
        if value is not None and takes is not None:
            text = f"{_name(param)} cannot be {str(value)!r}: give {takes}"
            choices = _choices(param)
            guess = suggestion(str(value), choices) if choices else None
            return text + (f"; did you mean {guess}?" if guess else ".")
    if isinstance(exc, typer.BadParameter) and param is not None:
        # Typer's own words about the value ("file '/tmp' is a directory"), without its
        # "Invalid value for" frame or the env var's name.
        return f"{_name(param)}: {exc.message}"
    if type(exc).__name__ == "BadOptionUsage" and "requires an argument" in exc.message:
        return f"{getattr(exc, 'option_name', 'the option')} needs a value; see '{command} --help'."
    if exc.message.startswith("Got unexpected extra argument"):
        extra = exc.message.rpartition("(")[2].rstrip(".)")
        return f"{command} does not take {extra!r}; see '{command} --help'."
    if type(exc).__name__ == "NoSuchOption":
        option = getattr(exc, "option_name", "")
        guesses = getattr(exc, "possibilities", None) or []
        return (f"{command} has no option {option}"
                + (f"; did you mean {guesses[0]}?" if guesses else f"; see '{command} --help'."))
    message = exc.format_message()
    if message.startswith("No such command"):
        head, _, guess = message.partition(". Did you mean ")
        if guess:
            return f"{head}; did you mean {guess.strip(chr(39) + '?.')}?"
        return f"{head.rstrip('.')}; see '{command} --help'."
    return message
