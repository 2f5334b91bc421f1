"""Problems found while building or checking a plan, and the one error that reports them all.

Each problem names what is wrong (an option path or an object) and where the definitions
involved live, so the user can go straight to the file. The error message fits one screen; the
full list stays on `ValidationError.problems` for tools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from modsys.errors import Location, ValidationError
from modsys.show import show_option

CLUSTER_PATH: tuple[str, ...] = ("platform", "kubernetes", "cluster")
"""Where the batches live; origins below are relative to it."""

Origin = tuple[Any, ...]
"""A path below `CLUSTER_PATH`; an int last part is an element of a list option."""

Locator = Callable[[Origin], tuple[Location, ...]]
"""Where the definitions of an origin live (files and lines), as far as it is known."""

MAX_SHOWN = 20


def no_locations(origin: Origin) -> tuple[Location, ...]:
    """The locator for plain data that did not come from modules."""
    return ()


def show_origin(origin: Origin, root: Sequence[str] = CLUSTER_PATH) -> str:
    """`platform.kubernetes.cluster.batches.x.bundles.y.manifests[2]`."""
    parts = [p for p in origin if not isinstance(p, int)]
    index = "".join(f"[{p}]" for p in origin if isinstance(p, int))
    return show_option((*root, *parts)) + index


@attrs.frozen
class PlanProblem:
    """One problem: its subject (an option path or an object), what is wrong, and where."""

    subject: str
    message: str
    locations: tuple[Location, ...] = ()

    def __str__(self) -> str:
        text = f"{self.subject}: {self.message}"
        if self.locations:
            text += "\n    defined in " + ", ".join(str(loc) for loc in _unique(self.locations))
        return text


def _unique(locations: Iterable[Location]) -> list[Location]:
    return list(dict.fromkeys(locations))


def where(locate: Locator, origin: Origin) -> str:
    """"file:line, …" of an origin's definitions; "" when unknown."""
    return ", ".join(str(loc) for loc in _unique(locate(origin)))


def located(locate: Locator, origin: Origin) -> str:
    """" (file:line, …)" for inline mentions of another definition; "" when unknown."""
    text = where(locate, origin)
    return f" ({text})" if text else ""


def problem_at(locate: Locator, origin: Origin, message: str,
               more: Iterable[Origin] = ()) -> PlanProblem:
    """A problem about an option, located at it and at any other origins involved."""
    locations = [*locate(origin)]
    for other in more:
        locations.extend(locate(other))
    return PlanProblem(show_origin(origin), message, tuple(_unique(locations)))


def plan_error(problems: Sequence[PlanProblem], what: str = "the platform plan") -> ValidationError:
    """One ValidationError listing every problem (the first MAX_SHOWN in the message)."""
    n = len(problems)
    head = f"{what} has {n} problem{'s' if n != 1 else ''}:"
    shown = [f"- {p}" for p in problems[:MAX_SHOWN]]
    if n > MAX_SHOWN:
        shown.append(f"… and {n - MAX_SHOWN} more (ValidationError.problems lists them all)")
    return ValidationError("\n".join([head, *shown]), [str(p) for p in problems])
