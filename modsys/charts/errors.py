"""What can go wrong with a chart, as errors a caller can tell apart.

The platform treats the classes differently: `ChartUnavailable` means "could not be had from
anywhere right now" (offline, nothing cached or mirrored) and lets the caller fall back to
leaving the bundle a chart reference; everything else is a real problem with the chart, its
archive or its values and must stop the plan. Messages never contain chart values (they may
hold secrets): schema problems carry the value's path, not the value.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from modsys.errors import ModsysError


class ChartError(ModsysError):
    """Base class of every chart problem."""


class HelmUnavailable(ChartError):
    """Helm cannot run in this process: the helm-python-sdk native library did not load."""


class ChartUnavailable(ChartError):
    """The chart could be had from nowhere: not local, not mirrored, not cached, fetch failed.

    The caller may fall back (keep the bundle a chart reference, say so on stderr) unless the
    user asked for charts to be required.
    """


class ChartNotFound(ChartUnavailable):
    """The repository answered, but has no such chart or version (a typo, or a yanked release)."""


class ChartDigestMismatch(ChartError):
    """An archive's sha256 is not the one pinned in the lock file (or listed in the index)."""

    def __init__(self, message: str, *, expected: str, actual: str) -> None:
        super().__init__(message)
        self.expected = expected
        self.actual = actual


class ChartRenderError(ChartError):
    """A template failed, or rendered something that is not a Kubernetes object."""

    def __init__(self, message: str, *, chart: str, template: str | None = None) -> None:
        super().__init__(message)
        self.chart = chart
        self.template = template


@attrs.frozen
class ValuesProblem:
    """One way the values break the chart's `values.schema.json`.

    `path` is the key path into the values given to the render (subchart problems are
    prefixed with the subchart's key), so the caller can map it onto
    `…chart.values.<path>` and the file:line that defined it. `()` is the values as a whole.
    """

    path: tuple[str, ...]
    message: str
    chart: str

    def __str__(self) -> str:
        where = ".".join(self.path) if self.path else "(top level)"
        return f"{where}: {self.message}"


class ChartValuesError(ChartError):
    """The values do not satisfy the chart's `values.schema.json`; `problems` lists each one."""

    def __init__(self, message: str, problems: Sequence[ValuesProblem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)
