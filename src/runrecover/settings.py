"""Where runrecover keeps its files. No heavy imports: this is on the `--help` path."""

import os
from pathlib import Path

APP_NAME = "runrecover"


def default_db_path() -> Path:
    """`runrecover.db` in `RUNRECOVER_DATA_DIR`, else in the platform's user data directory."""
    env = os.environ.get("RUNRECOVER_DATA_DIR")
    if env:
        return Path(env) / "runrecover.db"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "runrecover.db"


def db_path(option: Path | None) -> Path:
    """`--db` beats `RUNRECOVER_DB`, which beats the platform's user data directory."""
    if option is not None:
        return option
    env = os.environ.get("RUNRECOVER_DB")
    return Path(env) if env else default_db_path()


def config_dir() -> Path:
    from platformdirs import user_config_path

    env = os.environ.get("RUNRECOVER_CONFIG_DIR")
    return Path(env) if env else user_config_path(APP_NAME)


def user_protocols_file() -> Path:
    return config_dir() / "protocols.toml"


def user_ladders_file() -> Path:
    return config_dir() / "ladders.toml"
