"""Where runrecover keeps its files. No heavy imports: this is on the `--help` path."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from msgspec import Struct

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
POSTGRES_SCHEMES = ("postgresql", "postgresql+psycopg", "postgres")
HIDDEN = "***"


class ServerDatabase(Struct, frozen=True):
    """A PostgreSQL database named by URL. Shown (str, repr, every message) without its
    password; `url` holds it as given, for the driver alone."""

    url: str

    def __str__(self) -> str:
        return redacted(self.url)

    def __repr__(self) -> str:
        return f"ServerDatabase({redacted(self.url)!r})"

    def __rich_repr__(self) -> Iterator[str]:  # Rich's pretty printer asks this, not __repr__
        yield redacted(self.url)

    @property
    def password(self) -> str | None:
        parts = urlsplit(self.url)
        given = dict(parse_qsl(parts.query)).get("password")
        return parts.password or given or None

    @property
    def sqlalchemy_url(self) -> str:
        """The URL with SQLAlchemy's name for psycopg 3 (`postgresql://` alone means
        psycopg2 to it)."""
        return "postgresql+psycopg://" + self.url.split("://", 1)[1]


def redacted(url: str) -> str:
    """`url` with any password (in its user part or its query) replaced by ***."""
    try:
        parts = urlsplit(url)
        if parts.password is None and "password" not in parts.query.lower():
            return url  # as typed: urlunsplit would write postgresql:///db as postgresql:/db
        netloc = parts.netloc
        if parts.password is not None:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.split(':', 1)[0]}:{HIDDEN}@{host}"
        query = parts.query
        if "password" in query.lower():
            query = urlencode([(k, HIDDEN if k.lower() == "password" else v)
                               for k, v in parse_qsl(query, keep_blank_values=True)],
                              safe="/*", quote_via=quote)
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:  # a URL too broken to parse: show its scheme only
        return url.split("://", 1)[0] + "://" + HIDDEN


# A password runs to the '@' of its URL, or to the '…' of a value shortened for a message;
# it may hold quotes (a message's own quotes then end at whitespace, which it cannot hold).
_USER_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:'\"…]*):[^\s/@…]*([@…])")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&\s'\"]*", re.IGNORECASE)


def hide_passwords(text: str) -> str:
    """`text` with the password of any URL in it replaced by ***: a message may quote what
    was typed, a database URL given in the wrong place among it."""
    return _QUERY_PASSWORD.sub(rf"\1{HIDDEN}", _USER_PASSWORD.sub(rf"\1:{HIDDEN}\2", text))


Database = Path | ServerDatabase
"""A local SQLite file, or a PostgreSQL server's database."""


def db_path(option: str | None) -> Database:
    return db_choice(option)[0]


def db_choice(option: str | None) -> tuple[Database, str | None]:
    """The database and who named it: `--db` beats `RUNRECOVER_DB`, which beats the
    platform's user data directory (None). Either is a file path, a `sqlite:///PATH` URL or
    a `postgresql://` URL (`postgresql+psycopg://` too); any other URL is refused by its
    scheme alone, never taken for a file path (a server's URL may hold a password)."""
    given, where = ((option, "--db") if option is not None
                    else (os.environ.get("RUNRECOVER_DB") or None, "RUNRECOVER_DB"))
    if given is None:
        return default_db_path(), None
    scheme = URL_SCHEME.match(given)
    if scheme is None:
        path = Path(given)
    elif given.startswith(SQLITE_URL) and len(given) > len(SQLITE_URL):
        path = Path(given.removeprefix(SQLITE_URL))
    elif scheme.group(1).lower() in POSTGRES_SCHEMES:
        _check_server_url(given, where)
        return ServerDatabase(given), where
    elif scheme.group(1).lower().split("+")[0] in ("postgresql", "postgres"):
        raise InputError(f"{where} is a {quoted(scheme.group(1))} URL: runrecover reaches "
                         "PostgreSQL through psycopg 3, with a postgresql:// URL.")
    else:
        raise InputError(f"{where} is a {quoted(scheme.group(1))} URL: give the path of a "
                         "database file, a sqlite:///PATH URL or a postgresql:// URL.")
    if path.is_dir():
        # A path is named whole (quoted() shortens long values): the runner needs all of it.
        raise InputError(f"{where} '{path}' is a folder: give the path of the "
                         "database file (runrecover.db, say).")
    return path, where


def _check_server_url(url: str, where: str) -> None:
    """Refuse a server URL that the driver could only fail on (a port that is no number, a
    host left open with '['), naming what is wrong but never the password."""
    try:
        parts = urlsplit(url)
        ports = [parts.port] + [port for key, value in parse_qsl(parts.query)
                                if key == "port" for port in value.split(",")]
    except ValueError as exc:
        problem = ("its port is not a number" if "port" in str(exc).lower()
                   else str(exc)[:1].lower() + str(exc)[1:])
    else:
        bad = [port for port in ports if isinstance(port, str) and not port.isdigit()]
        if not bad:
            return
        problem = f"its port {quoted(bad[0])} is not a number"
    raise InputError(f"{where} '{redacted(url)}' is not a URL runrecover can use ({problem}): "
                     "give postgresql://USER@HOST:PORT/DATABASE.")


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


_athlete_settings: dict[str, str] = {}


def use_athlete_settings(values: dict[str, str | None]) -> None:
    """The settings of the athlete the command acts for (`athletes`): they beat the config
    file; `RUNRECOVER_<KEY>` still beats them."""
    _athlete_settings.clear()
    _athlete_settings.update({key: value for key, value in values.items() if value})


def setting(key: str, config: dict[str, str] | None = None) -> tuple[str, str]:
    """The value of `key` in force and where it comes from: `env`, `athlete`, `file` or
    `default`. `RUNRECOVER_<KEY>` beats the athlete's own, which beats the config file,
    which beats the default."""
    from_env = os.environ.get(env_name(key))
    if from_env:
        return check_value(key, from_env, where=env_name(key)), "env"
    if key in _athlete_settings:
        return _athlete_settings[key], "athlete"
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
