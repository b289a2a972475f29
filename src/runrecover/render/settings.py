"""The runner's settings, as `runrecover config` shows them: plain lines, written unwrapped,
since a path is copied whole into an editor."""

from pathlib import Path
from typing import Any

from msgspec import Struct

from runrecover.settings import SETTING_HELP

_FROM = {"env": "from {env}", "athlete": "the athlete's own", "file": "from the settings file",
         "default": "default"}


class Setting(Struct, frozen=True):
    key: str
    value: str
    source: str  # env, file or default
    env: str  # the variable that overrides it


def settings_json(shown: list[Setting], path: Path) -> dict[str, Any]:
    return {"file": str(path),
            "settings": {s.key: {"value": s.value, "source": s.source} for s in shown}}


def settings_text(shown: list[Setting], path: Path) -> str:
    lines = [f"Settings file: {path}"]
    for s in shown:
        lines += [f"{s.key} = {s.value}  ({_FROM[s.source].format(env=s.env)})",
                  f"  {SETTING_HELP[s.key]}"]
    return "\n".join(lines) + "\n"


def changed(key: str, value: str, path: Path) -> str:
    return f"Set {key} = {value} in {path}\n"


def overridden(s: Setting) -> str:
    return (f"{s.env}={s.value} is set in the environment: it overrides the settings file "
            "while it is set.")
