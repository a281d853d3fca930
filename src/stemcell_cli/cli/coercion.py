"""Convert plain option values without pydantic, which typer imports (about 70 ms) to convert any value."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from typer import _coercion, _param_types, core

_NOT_PLAIN = object()


class _PlainRuntimeParam(_coercion.RuntimeParam):
    """Convert a choice, a path or a string the way typer would; hand anything else to typer's own converter."""

    # Deliberately not a @dataclass of its own: building one costs about a millisecond on every run.

    @property
    def descriptor(self) -> _coercion.TypeDescriptor:
        """Return the type this parameter converts to (never a file: those keep typer's converter)."""
        return _coercion.TypeDescriptor(annotation=self.annotation, parameter_info=self.parameter_info,
                                        file_annotation=None)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        """Return the converted value; anything unusual, and every error, comes from typer itself."""
        try:
            result = self._plain(value, param, ctx)
        except Exception:
            result = _NOT_PLAIN
        if result is _NOT_PLAIN:
            return _coercion.build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)
        return result

    def _plain(self, value: Any, param: Any, ctx: Any) -> Any:
        """Convert the cases typer handles without pydantic, or return _NOT_PLAIN."""
        desc = self.descriptor
        if isinstance(value, (list, tuple)) or desc.is_list or desc.is_tuple:
            return _NOT_PLAIN
        if desc.choices is not None:
            return _param_types.coerce_cli_choice(value, choices=desc.choices, case_sensitive=desc.case_sensitive,
                                                  ctx=ctx)
        if desc.annotation is str and isinstance(value, str):
            return value
        info = desc.parameter_info
        if (desc.is_path and desc.annotation is Path and info.path_type is None and isinstance(value, str)
                and value):
            return _param_types.coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        return _NOT_PLAIN


@contextmanager
def plain_coercion() -> Iterator[None]:
    """While a command line is parsed, give every parameter the plain converter; restore typer's afterwards."""
    # typer.core calls the converter factory by its module-global name, so swapping that name is the one hook.
    original = core.build_runtime_param  # type: ignore[attr-defined]
    core.build_runtime_param = _build  # type: ignore[attr-defined]
    try:
        yield
    finally:
        core.build_runtime_param = original  # type: ignore[attr-defined]


def _build(descriptor: _coercion.TypeDescriptor) -> _coercion.RuntimeParam:
    """Return the plain converter for a parameter, or typer's own for file parameters."""
    if descriptor.file_annotation is not None:
        return _coercion.build_runtime_param(descriptor)
    return _PlainRuntimeParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
