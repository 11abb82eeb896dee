"""The toolkit's exceptions: one root, one subclass per kind of failure.

Library code raises these; only the CLI turns them into a message and an exit code. Every error
can carry the place it concerns (file, line, column) and a hint saying what to do next.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any


class ToolkitError(Exception):
    """Root of every error the toolkit raises on purpose."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    def location(self) -> str:
        """``path:line:col`` as far as known, or an empty string."""
        if not self.path:
            return ""
        parts = [self.path]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ConfigError(ToolkitError):
    """The project's configuration is missing, unreadable or has bad keys or values."""


class InputError(ToolkitError):
    """An input file cannot be read or parsed (not well-formed, bad encoding, unsafe)."""


class SchemaError(ToolkitError):
    """A schema is missing, cannot be compiled, or took too long to compile."""


class ValidationFailed(ToolkitError):
    """Validation found errors; ``diagnostics`` holds all of them."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: list | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.diagnostics = list(diagnostics or [])


class TransformError(ToolkitError):
    """A stylesheet failed to compile or to run."""


class BuildFailed(ToolkitError):
    """One or more documents could not be built; ``failures`` maps each to its diagnostics."""

    exit_code = 1

    def __init__(self, message: str, failures: dict | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.failures = dict(failures or {})


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's table; a file that cannot be read or is not TOML is a ConfigError with
    its line and column."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11 has no lineno attribute; the position is in the message.
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"not valid TOML: {msg}", path=path, line=line, column=col,
                          hint="see https://toml.io for the syntax") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=path) from None
