"""The runner's settings, as `runrecover config` shows them."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text

from runrecover.settings import SETTING_HELP

_FROM = {"env": "from {env}", "file": "from the settings file", "default": "default"}


@dataclass(frozen=True)
class Setting:
    key: str
    value: str
    source: str  # env, file or default
    env: str  # the variable that overrides it


def settings_json(shown: list[Setting], path: Path) -> dict[str, Any]:
    return {"file": str(path),
            "settings": {s.key: {"value": s.value, "source": s.source} for s in shown}}


def settings_view(shown: list[Setting], path: Path) -> Text:
    text = Text(f"Settings file: {path}")
    for s in shown:
        text.append("\n")
        text.append(f"{s.key} = {s.value}", style="bold")
        text.append(f"  ({_FROM[s.source].format(env=s.env)})\n  {SETTING_HELP[s.key]}",
                    style="dim")
    return text


def changed(key: str, value: str, path: Path) -> Text:
    text = Text("Set ")
    text.append(f"{key} = {value}", style="bold")
    text.append(f" in {path}")
    return text


def overridden(s: Setting) -> Text:
    return Text(f"{s.env}={s.value} is set in the environment: it overrides the settings "
                "file while it is set.", style="yellow")
