"""The README is the user's map: it must name every command the program has."""

from pathlib import Path

from typer.main import get_command

from runrecover.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text()


def _command_paths(command, prefix=""):
    for name, sub in getattr(command, "commands", {}).items():
        path = f"{prefix} {name}".strip()
        if getattr(sub, "commands", None):
            yield from _command_paths(sub, path)
        else:
            yield path


def test_readme_mentions_every_command():
    missing = [p for p in _command_paths(get_command(app)) if p not in README]
    assert not missing


def test_readme_has_the_two_setup_commands():
    assert "uv run runrecover demo" in README
    assert "uv run pytest" in README


def test_every_command_and_option_has_help():
    def walk(command):
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from walk(sub)

    for command in walk(get_command(app)):
        assert command.help, command.name
        for param in command.params:
            if param.param_type_name == "option" and param.name not in ("help",):
                assert param.help, (command.name, param.name)
