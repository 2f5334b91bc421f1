"""The exceptions modsys raises.

Every error carries the option path (`loc`) and the locations of the definitions involved, so
that a caller (the CLI, an editor) can point at them; `str(err)` is the message a person reads.
The wording keeps nixpkgs' key phrases so users can search for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs


@attrs.frozen(slots=True)
class Location:
    """A place in a module file: the file, and the line when it is known."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


class ModsysError(Exception):
    """Base class of every error modsys raises on bad input."""

    def __init__(
        self,
        message: str,
        loc: Sequence[str] = (),
        locations: Sequence[Location] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.loc: tuple[str, ...] = tuple(loc)
        self.locations: tuple[Location, ...] = tuple(locations)

    def __str__(self) -> str:
        return self.message

    @property
    def option_path(self) -> str:
        from modsys.show import show_option

        return show_option(self.loc)


class InvalidModuleError(ModsysError):
    """A module has the wrong shape, or cannot be loaded or imported."""


class DeclarationError(InvalidModuleError):
    """Option declarations clash ("is already declared", "does not support nested options")."""


class UndeclaredOptionError(ModsysError):
    """A definition for an option that no module declares ("does not exist")."""


class TypeMismatchError(ModsysError):
    """A definition does not have the option's type ("is not of type")."""


class ConflictingDefinitionsError(ModsysError):
    """Definitions at the same priority cannot be merged ("has conflicting definition values")."""


class UndefinedOptionError(ModsysError):
    """An option without a value was read ("was accessed but has no value defined")."""


class ReadOnlyOptionError(ModsysError):
    """A read-only option was set more than once ("is read-only")."""


class InfiniteRecursionError(ModsysError):
    """An option's value depends on itself ("infinite recursion encountered")."""

    def __init__(
        self, message: str, loc: Sequence[str] = (), chain: Sequence[Sequence[str]] = ()
    ) -> None:
        super().__init__(message, loc)
        self.chain = tuple(tuple(p) for p in chain)
        #: the definitions of each option in the chain, added as the error leaves each option
        self.involved: dict[tuple[str, ...], tuple[Location, ...]] = {}

    def add_definitions(self, loc: Sequence[str], locations: Sequence[Location]) -> None:
        loc = tuple(loc)
        if loc in self.chain and loc not in self.involved and locations:
            self.involved[loc] = tuple(locations)
            self.locations = tuple(dict.fromkeys((*self.locations, *locations)))

    def __str__(self) -> str:
        if not self.involved:
            return self.message
        from modsys.show import show_option

        lines = [
            f"- `{show_option(loc)}': " + ", ".join(str(x) for x in where)
            for loc, where in self.involved.items()
        ]
        return self.message + "\nDefinitions involved:\n" + "\n".join(lines)


class AssertionFailedError(ModsysError):
    """One or more `assertions` did not hold ("Failed assertions")."""

    def __init__(self, message: str, failed: Sequence[str]) -> None:
        super().__init__(message)
        self.failed = tuple(failed)


class EvaluationError(ModsysError):
    """User code (a thunk, a module function, an `apply`) raised while computing a value."""


class MissingAttributeError(ModsysError, AttributeError, KeyError):
    """A name read from `config` or `options` that is not there."""

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return self.message


class ValidationError(ModsysError):
    """Rendered output failed a check; `problems` lists every one of them."""

    def __init__(self, message: str, problems: Sequence[str] = (), loc: Sequence[str] = ()) -> None:
        super().__init__(message, loc)
        self.problems = tuple(problems)
