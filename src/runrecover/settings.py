"""Where runrecover keeps its files. No heavy imports: this is on the `--help` path."""

import os
import re
from pathlib import Path

from runrecover.errors import InputError
from runrecover.units import quoted

APP_NAME = "runrecover"


def default_db_path() -> Path:
    """`runrecover.db` in `RUNRECOVER_DATA_DIR`, else in the platform's user data directory."""
    env = os.environ.get("RUNRECOVER_DATA_DIR")
    if env:
        return Path(env) / "runrecover.db"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "runrecover.db"


URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
SQLITE_URL = "sqlite:///"


def db_path(option: str | None) -> Path:
    return db_choice(option)[0]


def db_choice(option: str | None) -> tuple[Path, str | None]:
    """The database file and who named it: `--db` beats `RUNRECOVER_DB`, which beats the
    platform's user data directory (None). Either is a file path or a `sqlite:///PATH`
    URL; any other URL is refused by its scheme alone (a server's URL may hold a
    password), never taken for a file path."""
    given, where = ((option, "--db") if option is not None
                    else (os.environ.get("RUNRECOVER_DB") or None, "RUNRECOVER_DB"))
    if given is None:
        return default_db_path(), None
    scheme = URL_SCHEME.match(given)
    if scheme is None:
        path = Path(given)
    elif given.startswith(SQLITE_URL) and len(given) > len(SQLITE_URL):
        path = Path(given.removeprefix(SQLITE_URL))
    elif scheme.group(1).lower().split("+")[0] in ("postgresql", "postgres"):
        raise InputError(f"{where} names a PostgreSQL database, which runrecover cannot use "
                         "yet: give the path of a local database file (or sqlite:///PATH).")
    else:
        raise InputError(f"{where} is a {quoted(scheme.group(1))} URL: give the path of a "
                         "database file, or a sqlite:///PATH URL.")
    if path.is_dir():
        # A path is named whole (quoted() shortens long values): the runner needs all of it.
        raise InputError(f"{where} '{path}' is a folder: give the path of the "
                         "database file (runrecover.db, say).")
    return path, where


def config_dir() -> Path:
    from platformdirs import user_config_path

    env = os.environ.get("RUNRECOVER_CONFIG_DIR")
    return Path(env) if env else user_config_path(APP_NAME)


def user_protocols_file() -> Path:
    return config_dir() / "protocols.toml"


def user_ladders_file() -> Path:
    return config_dir() / "ladders.toml"
# -- the runner's settings: config.toml in the config directory ----------------------------

SETTINGS = {"units": ("km", "mi")}
"""Each setting the config file holds, with the values it accepts (the first is the default)."""
SETTING_HELP = {"units": "distances and paces in kilometres (km) or miles (mi)"}


def config_file() -> Path:
    return config_dir() / "config.toml"


def env_name(key: str) -> str:
    return f"RUNRECOVER_{key.upper()}"


def check_key(key: str) -> str:
    if key not in SETTINGS:
        raise InputError(f"Unknown setting {quoted(key)}: the settings are "
                         f"{', '.join(SETTINGS)}.")
    return key


def check_value(key: str, value: str, *, where: str) -> str:
    """`value` when `key` accepts it; `where` says where it was found, for the error."""
    accepted = SETTINGS[key]
    if value not in accepted:
        raise InputError(f"{where} {quoted(value)} is not a value of {key}: use "
                         f"{' or '.join(accepted)}.")
    return value


def read_config() -> dict[str, str]:
    """The settings the config file holds (none when there is no file); a file that cannot be
    read, or holds a key or value not accepted, is an error naming it."""
    path = config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Cannot read the settings file {path} ({error}).") from error
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"The settings file {path} is not valid TOML ({error}).") from error
    for key, value in data.items():
        if key not in SETTINGS:
            raise InputError(f"The settings file {path} holds an unknown setting "
                             f"{quoted(key)}: the settings are {', '.join(SETTINGS)}.")
        check_value(key, str(value), where=f"In {path}, {key} =")
    return {key: str(value) for key, value in data.items()}


def setting(key: str, config: dict[str, str] | None = None) -> tuple[str, str]:
    """The value of `key` in force and where it comes from: `env`, `file` or `default`.
    `RUNRECOVER_<KEY>` beats the config file, which beats the default."""
    from_env = os.environ.get(env_name(key))
    if from_env:
        return check_value(key, from_env, where=env_name(key)), "env"
    config = read_config() if config is None else config
    if key in config:
        return config[key], "file"
    return SETTINGS[key][0], "default"


def config_text(config: dict[str, str]) -> str:
    """The config file for these settings. Values come from closed sets of plain words, so
    a quoted string is all TOML needs (no TOML writer to depend on)."""
    lines = ["# runrecover settings: change them with 'runrecover config KEY VALUE'."]
    lines += [f'{key} = "{config[key]}"' for key in SETTINGS if key in config]
    return "\n".join(lines) + "\n"
