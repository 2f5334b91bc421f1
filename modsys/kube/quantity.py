"""Kubernetes resource quantities ("500m", "1.5Gi", "1e3"), parsed as the API server does.

The JSON schemas only say "string or number" for a quantity, so `cpu: abc` passes schema
validation and is rejected by the API server; `limits >= requests` needs the values compared.
The grammar is apimachinery's `resource.ParseQuantity` (pkg/api/resource/quantity.go):

    <quantity>       ::= <signedNumber><suffix>
    <number>         ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
    <suffix>         ::= <binarySI> | <decimalExponent> | <decimalSI>
    <binarySI>       ::= Ki | Mi | Gi | Ti | Pi | Ei
    <decimalSI>      ::= m | "" | k | M | G | T | P | E
    <decimalExponent>::= "e" <signedNumber> | "E" <signedNumber>

Values are exact `Fraction`s, so "0.1" and "100m" compare equal.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import Any

_QUANTITY = re.compile(
    r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?"
)

_SUFFIX: dict[str, Fraction] = {
    "": Fraction(1),
    "m": Fraction(1, 1000),
    **{s: Fraction(10 ** (3 * n)) for n, s in enumerate("kMGTPE", 1)},
    **{f"{s}i": Fraction(2 ** (10 * n)) for n, s in enumerate("KMGTPE", 1)},
}

QUANTITY_TEXT = (
    "a quantity: a number with an optional suffix (m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei "
    "or an exponent e3), such as 500m, 2, 1.5Gi"
)


def parse_quantity(value: Any) -> Fraction | None:
    """The exact value of a quantity (a string, or a number as YAML gives it); None if it is
    not one. `parse_quantity("1.5Gi") == 1.5 * 2**30`; `parse_quantity("abc") is None`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(value) if value == value and abs(value) != float("inf") else None
    if not isinstance(value, str):
        return None
    return _parse_string(value)


@functools.lru_cache(maxsize=4096)
def _parse_string(value: str) -> Fraction | None:
    m = _QUANTITY.fullmatch(value)
    if m is None:
        return None
    number = Fraction(m[1])
    suffix = m[2] or ""
    if suffix[:1] in ("e", "E"):
        exponent = int(suffix[1:])
        if abs(exponent) > 1000:  # far outside what the API server's int64 scale accepts
            return None
        return number * Fraction(10) ** exponent
    return number * _SUFFIX[suffix]
