"""Typer's parameter coercion without pydantic, for the plain values runrecover's options take.

Typer (0.29) converts every parameter of the command run through a pydantic TypeAdapter
(even a flag not given):
importing pydantic and building the adapters took ~180 ms of each command (measured on the
bench machine: `import typer` 110 ms, its adapter module 150 ms, seven adapters 25 ms),
more than `status` itself needs. A value that is plainly a str, an int, a float, a flag, a
path or one of an enum's choices is converted here the way the adapter would (the choice and
the path by Typer's own functions), and a value with a parser of ours goes to that parser, as
the adapter does (a list of paths item by item); any other value, and any the conversion
refuses, goes to Typer's own coercion, which converts it or says what is wrong in its own
words.
"""

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer

try:
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # another Typer: its own coercion serves, only slower
    RuntimeParam = None

INTEGER = re.compile(r"-?[0-9]{1,18}")
DECIMAL = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")


def _within(number: float, info: Any) -> float:
    """A number inside the parameter's range (`pain`'s 0 to 10); outside, Typer says so."""
    if (info.min is not None and number < info.min) or (
            info.max is not None and number > info.max):
        raise ValueError(number)
    return number


def _plain(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """`value` converted as Typer's adapter would; raises when not plainly so."""
    if info.parser is not None:
        return info.parser(value)  # all Typer's adapter does with a parser
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return coerce_cli_choice(value, choices=list(annotation),
                                 case_sensitive=info.case_sensitive, ctx=ctx)
    if annotation is bool and isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    if annotation is str:
        return value
    if annotation is int and INTEGER.fullmatch(value):
        return _within(int(value), info)
    if annotation is float and DECIMAL.fullmatch(value):
        return _within(float(value), info)
    if annotation is Path and value:
        return coerce_cli_path(Path(value), info, path_type=info.path_type or Path,
                               param=param, ctx=ctx)
    raise ValueError(value)


def _plain_list(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """A list of paths (`import FILE...`), each converted as `_plain` converts one, as
    Typer's adapter does item by item."""
    if get_origin(annotation) is list:
        if not isinstance(value, list | tuple):
            raise ValueError(value)
        (item_type,) = get_args(annotation)
        return [_plain(item_type, info, item, param, ctx) for item in value]
    return _plain(annotation, info, value, param, ctx)


if RuntimeParam is not None:
    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return _plain_list(self.annotation, self.parameter_info, value, param, ctx)
            except Exception:
                typers = build_runtime_param(param.type_descriptor)
                return typers._coerce_value(value, param=param, ctx=ctx)


def _is_plain(descriptor: Any) -> bool:
    info, annotation = descriptor.parameter_info, descriptor.annotation
    if descriptor.file_annotation is not None or (
            getattr(info, "click_type", None) is not None):
        return False
    if info.parser is not None:
        return True
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return True
    if get_origin(annotation) is list and get_args(annotation) == (Path,):
        annotation = Path
    if annotation is Path:
        return info.path_type is None and not info.allow_dash and not info.resolve_path
    if annotation in (int, float):
        return not info.clamp  # a range is checked in _within; a clamp is left to Typer
    return annotation in (str, bool) and info.min is None and info.max is None


def _runtime_param(descriptor: Any) -> Any:
    if _is_plain(descriptor):
        return PlainRuntimeParam(parameter_info=descriptor.parameter_info,
                                 annotation=descriptor.annotation)
    return build_runtime_param(descriptor)


def install() -> None:
    """Typer's parameters (the help option too) get their coercion from `_runtime_param`."""
    if RuntimeParam is not None:
        typer.core.build_runtime_param = _runtime_param
