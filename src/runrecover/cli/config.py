"""`runrecover config [KEY [VALUE]]`: the runner's settings, in config.toml."""

from typing import Annotated

import typer

from runrecover.cli.app import app
from runrecover.cli.options import JsonOption


@app.command()
def config(
    key: Annotated[str | None, typer.Argument(
        help="A setting: units (default: show them all).")] = None,
    value: Annotated[str | None, typer.Argument(
        help="Its new value, e.g. km or mi for units (default: show it).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show or change your settings (units: km or mi)."""
    from runrecover import settings
    from runrecover.render import console
    from runrecover.render import settings as view

    if key is not None:
        settings.check_key(key)
    if value is not None:
        _write(key, settings.check_value(key, value, where="The value"))
    config = settings.read_config()
    keys = [key] if key is not None else list(settings.SETTINGS)
    shown = [view.Setting(k, *settings.setting(k, config), env=settings.env_name(k))
             for k in keys]
    if as_json:
        console.emit_json(view.settings_json(shown, settings.config_file()))
        return
    if value is not None:
        console.emit(view.changed(key, value, settings.config_file()))
    else:
        console.emit(view.settings_text(shown, settings.config_file()))
    for s in shown:
        if s.source == "env":
            console.warn(view.overridden(s))


def _write(key: str, value: str) -> None:
    """Set `key` in the config file, written whole (a private file in a private folder)."""
    from runrecover import private_files, settings

    config = settings.read_config() | {key: value}
    folder = settings.config_file().parent
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    private_files.write(settings.config_file(), settings.config_text(config).encode("utf-8"))
