"""Kubernetes resource quantities (`500m`, `1Gi`, `2`), for comparing limits with requests."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

_SUFFIX: dict[str, Decimal] = {
    "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
    "k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "G": Decimal(10) ** 9,
    "T": Decimal(10) ** 12, "P": Decimal(10) ** 15, "E": Decimal(10) ** 18,
    "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20, "Gi": Decimal(2) ** 30,
    "Ti": Decimal(2) ** 40, "Pi": Decimal(2) ** 50, "Ei": Decimal(2) ** 60,
}
_QUANTITY = re.compile(r"([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)")


def parse_quantity(value: str | int | float) -> Decimal:
    """The number a quantity stands for: `"500m"` → 0.5, `"1Gi"` → 1073741824.

    Raises:
        ValueError: if `value` is not a Kubernetes quantity.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a quantity: {value!r}")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    m = _QUANTITY.fullmatch(value.strip())
    if m is None:
        raise ValueError(f"not a quantity: {value!r}")
    try:
        return Decimal(m[1]) * _SUFFIX[m[2]]
    except InvalidOperation:
        raise ValueError(f"not a quantity: {value!r}") from None


def resource_problems(resources: Mapping[str, Any], where: str) -> list[str]:
    """Why a container's `resources` break "limits ≥ requests" (or hold a bad quantity).

    `where` names the resources in the messages, e.g. `projects.webapp.resources`.
    """
    problems: list[str] = []
    requests = resources.get("requests") or {}
    limits = resources.get("limits") or {}
    for section, values in (("requests", requests), ("limits", limits)):
        for name, value in sorted(values.items()):
            try:
                parse_quantity(value)
            except ValueError:
                problems.append(f"{where}.{section}.{name} = {value!r} is not a Kubernetes quantity")
    for name in sorted(set(requests) & set(limits)):
        try:
            low, high = parse_quantity(requests[name]), parse_quantity(limits[name])
        except ValueError:
            continue
        if high < low:
            problems.append(
                f"{where}.limits.{name} ({limits[name]}) must be >= "
                f"{where}.requests.{name} ({requests[name]})"
            )
    return problems
