"""A bare Typer app: issue 15 holds `--help`, completion and `rules` within 1.2x of its `--help`."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str, formal: bool = False) -> None:
    """Say hello."""
    print(f"Good day, {name}." if formal else f"Hi {name}!")


@app.command()
def bye(name: str) -> None:
    """Say goodbye."""
    print(f"Bye {name}!")


app()
