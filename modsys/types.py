"""Option types: what a definition may be (`check`) and how several combine (`merge`).

Names and descriptions are spelled as nixpkgs spells them ("signed integer", "list of string",
"attribute set of (submodule)") because users read them in errors and documentation.
Checks are shallow on purpose: nested values are checked when the nested merge reads them.
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from modsys.attrset import AttrSet
from modsys.errors import ConflictingDefinitionsError, DeclarationError
from modsys.lazy import NotAThunk, force, force_deep
from modsys.merge import (
    NOTHING,
    Def,
    check_and_merge,
    merge_definitions,
    merge_equal,
    merge_unique,
    resolve,
)
from modsys.module import Module
from modsys.plain import PLAIN_TYPES, SCALAR_TYPES
from modsys.show import show_defs, show_files, show_option, show_value

_bool = builtins.bool
_int = builtins.int
_float = builtins.float
_str = builtins.str
_list = builtins.list


def _phrase(t: Type, accepted: tuple[_str, ...]) -> _str:
    return t.description if t.description_class in accepted else f"({t.description})"


def _is_attrs(v: Any) -> _bool:
    return type(v) is dict or isinstance(v, Mapping)


def _is_list(v: Any) -> _bool:
    return type(v) is _list or type(v) is tuple


class Type(NotAThunk):
    """Base of every option type."""

    name: _str = "unspecified"
    description: _str = "unspecified value"
    description_class: _str | None = "noun"
    #: v2 types check their own structure (`head_error`) and merge nested values themselves.
    v2: _bool = False
    #: merging one definition returns its value unchanged (enables a fast path for list elements)
    identity_single: _bool = False

    def check(self, value: Any) -> _bool:
        return True

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return merge_equal(loc, defs)

    def head_error(self, loc: Sequence[_str], defs: Sequence[Def]) -> _str | None:
        bad = [d for d in defs if not self.check(d.value)]
        return f"Definition values:{show_defs(bad)}" if bad else None

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return NOTHING

    def payload(self) -> Any:
        return None

    def type_merge(self, other: Type) -> Type | None:
        """The type two declarations of one option merge to, or None if they can't."""
        if other is self:
            return self
        if type(other) is type(self) and other.name == self.name and other.payload() == self.payload():
            return self
        return None

    @property
    def sub_modules(self) -> _list[Any] | None:
        return None

    def subst_sub_modules(self, modules: _list[Any]) -> Type:
        return self

    def get_sub_options(self, prefix: Sequence[_str]) -> Any:
        return {}

    @property
    def nested_types(self) -> dict[_str, Type]:
        return {}

    def __repr__(self) -> _str:
        return f"<type {self.description}>"


class _Simple(Type):
    """A scalar type: a predicate and a merge function."""

    identity_single = True

    def __init__(
        self,
        name: _str,
        description: _str,
        check: Callable[[Any], _bool],
        merge: Callable[[Sequence[_str], Sequence[Def]], Any] | None = None,
        description_class: _str | None = "noun",
        payload: Any = None,
    ) -> None:
        self.name = name
        self.description = description
        self._check = check
        self._merge = merge
        self.description_class = description_class
        self._payload = payload
        if merge is not None:
            self.identity_single = False

    def check(self, value: Any) -> _bool:
        return self._check(value)

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        if self._merge is None:
            return merge_equal(loc, defs)
        return self._merge(loc, defs)

    def payload(self) -> Any:
        return self._payload


def _is_int(v: Any) -> _bool:
    return type(v) is _int or (isinstance(v, _int) and not isinstance(v, _bool))


def _is_str(v: Any) -> _bool:
    return type(v) is _str


class _IntRange(_Simple):
    def __init__(self, name: _str, description: _str, lo: _int | None, hi: _int | None, cls: _str = "noun"):
        def check(v: Any) -> _bool:
            return _is_int(v) and (lo is None or v >= lo) and (hi is None or v <= hi)

        super().__init__(name, description, check, description_class=cls, payload=(lo, hi))


class _Ints:
    """`types.ints`: bounded integer types."""

    def between(self, lo: _int, hi: _int) -> Type:
        return _IntRange("intBetween", f"integer between {lo} and {hi} (both inclusive)", lo, hi)

    def _bits(self, bits: _int, signed: _bool) -> Type:
        if signed:
            lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
            return _IntRange(
                f"signedInt{bits}",
                f"{bits} bit signed integer; between {lo} and {hi} (both inclusive)",
                lo,
                hi,
            )
        hi = 2**bits - 1
        return _IntRange(
            f"unsignedInt{bits}", f"{bits} bit unsigned integer; between 0 and {hi} (both inclusive)", 0, hi
        )

    def __init__(self) -> None:
        self.unsigned = _IntRange(
            "unsignedInt", "unsigned integer, meaning >=0", 0, None, "nonRestrictiveClause"
        )
        self.positive = _IntRange(
            "positiveInt", "positive integer, meaning >0", 1, None, "nonRestrictiveClause"
        )
        self.u8 = self._bits(8, False)
        self.u16 = self._bits(16, False)
        self.u32 = self._bits(32, False)
        self.u64 = self._bits(64, False)
        self.s8 = self._bits(8, True)
        self.s16 = self._bits(16, True)
        self.s32 = self._bits(32, True)
        self.s64 = self._bits(64, True)


ints = _Ints()
port = ints.u16

bool = _Simple("bool", "boolean", lambda v: v is True or v is False)


def _merge_or(loc: Sequence[_str], defs: Sequence[Def]) -> Any:
    return any(d.value for d in defs)


bool_by_or = _Simple("boolByOr", "boolean (merged using or)", lambda v: v is True or v is False, _merge_or)
int = _Simple("int", "signed integer", _is_int)
float = _Simple("float", "floating point number", lambda v: type(v) is builtins.float)
str = _Simple("str", "string", _is_str)
non_empty_str = _Simple(
    "nonEmptyStr", "non-empty string", lambda v: _is_str(v) and v.strip(" \t\n") != ""
)


def _merge_single_line(loc: Sequence[_str], defs: Sequence[Def]) -> Any:
    v = merge_equal(loc, defs)
    return v[:-1] if v.endswith("\n") else v


single_line_str = _Simple(
    "singleLineStr",
    "(optionally newline-terminated) single-line string",
    lambda v: _is_str(v) and re.fullmatch(r"[^\n\r]*\n?", v) is not None,
    _merge_single_line,
)


def str_matching(pattern: _str) -> Type:
    compiled = re.compile(pattern)
    return _Simple(
        f"strMatching {json.dumps(pattern)}",
        f"string matching the pattern {pattern}",
        lambda v: _is_str(v) and compiled.fullmatch(v) is not None,
        payload=pattern,
    )


def separated_string(sep: _str) -> Type:
    def merge(loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return sep.join(d.value for d in defs)

    return _Simple(
        "separatedString",
        "string" if sep == "" else f"strings concatenated with {json.dumps(sep)}",
        _is_str,
        merge,
        payload=sep,
    )


lines = separated_string("\n")
commas = separated_string(",")
env_var = separated_string(":")


def _show_enum_value(v: Any) -> _str:
    if isinstance(v, (_str, _bool, _int)) or v is None:
        return show_value(v)
    return f"<{type(v).__name__}>"


class _Enum(_Simple):
    def __init__(self, values: Sequence[Any]) -> None:
        vals = _list(values)
        self.values = vals
        if not vals:
            desc = "impossible (empty enum)"
        elif len(vals) == 1:
            desc = f"value {_show_enum_value(vals[0])} (singular enum)"
        else:
            desc = "one of " + ", ".join(_show_enum_value(v) for v in vals)

        def check(v: Any) -> _bool:
            return any(v == x and type(v) is type(x) for x in vals)

        super().__init__(
            "enum", desc, check, description_class="noun" if len(vals) < 2 else "conjunction",
            payload=tuple(vals),
        )

    def type_merge(self, other: Type) -> Type | None:
        if isinstance(other, _Enum):
            return _Enum(self.values + [v for v in other.values if v not in self.values])
        return None


def enum(values: Sequence[Any]) -> Type:
    return _Enum(values)


def _is_abs_path(v: Any) -> _bool:
    return (isinstance(v, PurePath) or _is_str(v)) and _str(v).startswith("/")


path = _Simple("path", "absolute path", _is_abs_path)


class _Attrs(_Simple):
    """A plain attribute set merged shallowly: the later definition wins per top-level key."""

    def __init__(self) -> None:
        super().__init__("attrs", "attribute set", _is_attrs, self._merge_shallow)

    def _merge_shallow(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        out: dict[_str, Any] = {}
        for d in defs:
            for k, v in d.value.items():
                out[k] = force_deep(v)
        return out

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return {}


attrs = _Attrs()


class _Raw(Type):
    name = "raw"
    description = "raw value"

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return merge_unique(loc, defs)


raw = _Raw()


def _merge_default(loc: Sequence[_str], defs: Sequence[Def]) -> Any:
    """nixpkgs' `mergeDefaultOption`, used by `unspecified`."""
    if len(defs) == 1:
        return defs[0].value
    values = [d.value for d in defs]
    if all(_is_list(v) for v in values):
        return [x for v in values for x in v]
    if all(_is_attrs(v) for v in values):
        out: dict[_str, Any] = {}
        for v in values:
            out.update(v)
        return out
    if all(v is True or v is False for v in values):
        return any(values)
    if all(_is_str(v) for v in values):
        return "".join(values)
    if all(_is_int(v) for v in values) and all(v == values[0] for v in values):
        return values[0]
    raise ConflictingDefinitionsError(
        f"Cannot merge definitions of `{show_option(loc)}'. Definition values:{show_defs(defs)}",
        loc,
        [d.location for d in defs],
    )


class _Unspecified(Type):
    name = "unspecified"
    description = "unspecified value"

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return _merge_default(loc, defs)


unspecified = _Unspecified()


def _kind(v: Any) -> _str:
    if _is_attrs(v):
        return "set"
    if _is_list(v):
        return "list"
    if v is None:
        return "null"
    if v is True or v is False:
        return "bool"
    if _is_int(v):
        return "int"
    if type(v) is builtins.float:
        return "float"
    if _is_str(v):
        return "string"
    if isinstance(v, PurePath):
        return "path"
    if callable(v):
        return "lambda"
    return type(v).__name__


class _Anything(Type):
    """Anything at all; attribute sets merge recursively, everything else must be equal."""

    name = "anything"
    description = "anything"

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        if len(defs) == 1:
            v = defs[0].value
            tv = type(v)
            if tv in SCALAR_TYPES:
                return v
            if tv is dict:
                plain = _plain_data(v)
                if plain is not _HAS_PROPERTIES:
                    return plain
                return _ANYTHING_SET.merge(loc, defs)
        first = _kind(defs[0].value)
        for d in defs[1:]:
            k = _kind(d.value)
            if k != first:
                raise ConflictingDefinitionsError(
                    f"The option `{show_option(loc)}' has conflicting option types in "
                    f"`{defs[0].file}' and `{d.file}'",
                    loc,
                    [defs[0].location, d.location],
                )
        if first == "set":
            if len(defs) == 1:
                plain = _plain_data(defs[0].value)
                if plain is not _HAS_PROPERTIES:
                    return plain
            return _ANYTHING_SET.merge(loc, defs)
        if first == "lambda":
            return _merge_functions(loc, self, defs)
        if len(defs) == 1:
            return force_deep(defs[0].value)
        return force_deep(merge_equal(loc, defs))


anything = _Anything()

_HAS_PROPERTIES: Any = object()


def _plain_data(value: Any) -> Any:
    """A single definition as plain data, or _HAS_PROPERTIES if some part needs a real merge.

    One definition written as plain data merges to itself; building lazy sets at every level
    for it costs ten times more than the data is worth.
    """
    value = force(value)
    tv = type(value)
    if tv in SCALAR_TYPES:
        return value
    if tv is dict:
        out = {}
        for k, v in value.items():
            pv = _plain_data(v)
            if pv is _HAS_PROPERTIES:
                return pv
            out[k] = pv
        return out
    if tv is _list or tv is tuple:
        return [force_deep(v) for v in value]
    if isinstance(value, _PROPERTY_TYPES) or callable(value) or isinstance(value, Mapping):
        return _HAS_PROPERTIES
    return value


def _merge_functions(loc: Sequence[_str], result_type: Type, defs: Sequence[Def]) -> Any:
    fns = list(defs)

    def merged(*args: Any, **kwargs: Any) -> Any:
        body_loc = (*loc, "<function body>")
        applied = [Def(d.file, d.value(*args, **kwargs), d.line) for d in fns]
        r, v = merge_definitions(body_loc, result_type, applied)
        if not r.defs and v is NOTHING:
            check_and_merge(body_loc, result_type, [])
        return v

    return merged


class _ListOf(Type):
    name = "listOf"
    description_class = "composite"
    v2 = True

    def __init__(self, elem: Type) -> None:
        self.elem = elem
        self._desc: _str | None = None

    # computed on first use: a submodule element's description evaluates the submodule (to
    # look for a freeform type), far too costly for every type built while merging declarations
    @property
    def description(self) -> _str:  # type: ignore[override]
        d = self._desc
        if d is None:
            d = self._desc = "list of " + _phrase(self.elem, ("noun", "composite"))
        return d

    @description.setter
    def description(self, value: _str) -> None:
        self._desc = value

    def check(self, value: Any) -> _bool:
        return _is_list(value)

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return []

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        elem = self.elem
        fast = elem.identity_single
        out: _list[Any] = []
        append = out.append
        for n, d in enumerate(defs, 1):
            lines = d.lines
            for m, x in enumerate(d.value, 1):
                if fast and not callable(x) and not isinstance(x, _PROPERTY_TYPES) and elem.check(x):
                    append(x)
                    continue
                eloc = (*loc, f"[definition {n}-entry {m}]")
                line = lines.line(m - 1) if lines else d.line
                child = lines.child(m - 1) if lines else None
                if type(x) in PLAIN_TYPES:  # one plain definition: resolving keeps it as is
                    append(check_and_merge(eloc, elem, [Def(d.file, x, line, child)]))
                    continue
                r, v = merge_definitions(eloc, elem, [Def(d.file, x, line, child)])
                if r.defs:
                    append(v)
        return out

    def payload(self) -> Any:
        return self.elem

    def type_merge(self, other: Type) -> Type | None:
        if type(other) is type(self):
            m = self.elem.type_merge(other.elem)  # type: ignore[attr-defined]
            return None if m is None else type(self)(m)
        return None

    @property
    def nested_types(self) -> dict[_str, Type]:
        return {"elemType": self.elem}

    def get_sub_options(self, prefix: Sequence[_str]) -> Any:
        return self.elem.get_sub_options((*prefix, "*"))

    @property
    def sub_modules(self) -> _list[Any] | None:
        return self.elem.sub_modules

    def subst_sub_modules(self, modules: _list[Any]) -> Type:
        return type(self)(self.elem.subst_sub_modules(modules))


def list_of(elem: Type) -> Type:
    return _ListOf(elem)


class _NonEmptyListOf(_ListOf):
    name = "nonEmptyListOf"

    def __init__(self, elem: Type) -> None:
        super().__init__(elem)
        self.description = f"non-empty ({self.description})"
        self.description_class = None  # type: ignore[assignment]

    def head_error(self, loc: Sequence[_str], defs: Sequence[Def]) -> _str | None:
        return super().head_error(loc, defs)

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        out = super().merge(loc, defs)
        if not out:
            from modsys.errors import TypeMismatchError

            raise TypeMismatchError(
                f"A definition for option `{show_option(loc)}' is not of type "
                f"`{self.description}'. Definition values:{show_defs(defs)}",
                loc,
                [d.location for d in defs],
            )
        return out

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return NOTHING


def non_empty_list_of(elem: Type) -> Type:
    return _NonEmptyListOf(elem)


def _lookup(mapping: Any, key: _str) -> Callable[[], Any]:
    return lambda: mapping[key]


def split_by_key(defs: Sequence[Def]) -> dict[_str, _list[Def]]:
    """Per-key definitions of a list of attribute-set definitions, keeping file and line."""
    per_key: dict[_str, _list[Def]] = {}
    for d in defs:
        v = d.value
        lines = d.lines
        # keep the values of lazy sets unforced
        items: Any = v.items() if type(v) is dict else ((k, _lookup(v, k)) for k in v)
        for k, x in items:
            bucket = per_key.get(k)
            if bucket is None:
                per_key[k] = bucket = []
            if lines is None:
                bucket.append(Def(d.file, x, d.line))
            else:
                bucket.append(Def(d.file, x, lines.line(k), lines.child(k)))
    return per_key


class AttrsMeta:
    """What an attrs-of value remembers about its keys, so `explain` can reach into it."""

    __slots__ = ("elem", "per_key")

    def __init__(self, elem: Type, per_key: dict[_str, _list[Def]]) -> None:
        self.elem = elem
        self.per_key = per_key


class _AttrsOfSet(AttrSet):
    """The value of an attrs-of option: each key merges its (resolved) definitions on first read.

    A subclass rather than an `AttrSet` with a closure: one object per set instead of a closure,
    its cells and a key set (these are numerous, and the garbage collector walks them all).
    """

    __slots__ = ("_by_key", "_elem", "_per_key")

    def __init__(
        self,
        keys: _list[_str],
        loc: tuple[_str, ...],
        elem: Type,
        by_key: dict[_str, _list[Def]],
        per_key: dict[_str, _list[Def]],
    ) -> None:
        self._keys = keys
        self._kset = by_key  # membership only
        self._values = {}
        self._loc = loc
        self._elem = elem
        self._by_key = by_key  # key -> its resolved definitions (lazy: as written)
        self._per_key = per_key  # key -> its definitions as written (for `explain`)

    @property  # type: ignore[override]
    def _meta(self) -> AttrsMeta:
        return AttrsMeta(self._elem, self._per_key)

    def _value(self, key: _str) -> Any:
        return check_and_merge((*self._loc, key), self._elem, self._by_key[key])


class _LazyAttrsOfSet(_AttrsOfSet):
    __slots__ = ()

    def _value(self, key: _str) -> Any:
        kloc = (*self._loc, key)
        elem = self._elem
        _r, v = merge_definitions(kloc, elem, self._by_key[key])
        if v is NOTHING:
            check_and_merge(kloc, elem, [])
        return v


class _AttrsOf(Type):
    name = "attrsOf"
    description_class = "composite"
    v2 = True

    def __init__(self, elem: Type, lazy: _bool = False, placeholder: _str = "name") -> None:
        self.elem = elem
        self.lazy = lazy
        self.placeholder = placeholder
        self.name = "lazyAttrsOf" if lazy else "attrsOf"
        self._desc: _str | None = None

    @property
    def description(self) -> _str:  # type: ignore[override]
        d = self._desc  # computed on first use, as for list_of
        if d is None:
            prefix = "lazy attribute set of " if self.lazy else "attribute set of "
            d = self._desc = prefix + _phrase(self.elem, ("noun", "composite"))
        return d

    @description.setter
    def description(self, value: _str) -> None:
        self._desc = value

    def check(self, value: Any) -> _bool:
        return _is_attrs(value)

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return AttrSet([], _no_compute, tuple(loc))

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        loc = tuple(loc)
        elem = self.elem
        per_key = split_by_key(defs)
        if self.lazy:
            return _LazyAttrsOfSet(sorted(per_key), loc, elem, per_key, per_key)
        resolved = {}
        for key, kdefs in per_key.items():
            for d in kdefs:
                if type(d.value) not in PLAIN_TYPES:
                    break
            else:  # plain data has the default priority: resolving keeps it as is
                resolved[key] = kdefs
                continue
            r = resolve((*loc, key), kdefs)
            if r.defs:
                resolved[key] = r.defs
        return _AttrsOfSet(sorted(resolved), loc, elem, resolved, per_key)

    def payload(self) -> Any:
        return (self.elem, self.lazy)

    def type_merge(self, other: Type) -> Type | None:
        if isinstance(other, _AttrsOf) and other.lazy == self.lazy:
            m = self.elem.type_merge(other.elem)
            if m is None:
                return None
            ph = self.placeholder if other.placeholder == "name" else other.placeholder
            return _AttrsOf(m, self.lazy, ph)
        return None

    @property
    def nested_types(self) -> dict[_str, Type]:
        return {"elemType": self.elem}

    def get_sub_options(self, prefix: Sequence[_str]) -> Any:
        return self.elem.get_sub_options((*prefix, f"<{self.placeholder}>"))

    @property
    def sub_modules(self) -> _list[Any] | None:
        return self.elem.sub_modules

    def subst_sub_modules(self, modules: _list[Any]) -> Type:
        return _AttrsOf(self.elem.subst_sub_modules(modules), self.lazy, self.placeholder)


def _no_compute(key: _str) -> Any:
    raise KeyError(key)


def attrs_of(elem: Type) -> Type:
    return _AttrsOf(elem)


def lazy_attrs_of(elem: Type) -> Type:
    return _AttrsOf(elem, lazy=True)


def attrs_with(elem_type: Type, lazy: _bool = False, placeholder: _str = "name") -> Type:
    return _AttrsOf(elem_type, lazy, placeholder)


_ANYTHING_SET = _AttrsOf(anything)


class _NullOr(Type):
    name = "nullOr"
    description_class = "conjunction"

    def __init__(self, elem: Type) -> None:
        self.elem = elem
        self._desc: _str | None = None
        self.v2 = False

    @property
    def description(self) -> _str:  # type: ignore[override]
        d = self._desc  # computed on first use, as for list_of
        if d is None:
            d = self._desc = "null or " + _phrase(self.elem, ("noun", "conjunction"))
        return d

    @description.setter
    def description(self, value: _str) -> None:
        self._desc = value

    def check(self, value: Any) -> _bool:
        return value is None or self.elem.check(value)

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return None

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        nulls = [d for d in defs if d.value is None]
        if len(nulls) == len(defs):
            return None
        if not nulls:
            return check_and_merge(loc, self.elem, _list(defs))
        raise ConflictingDefinitionsError(
            f"The option `{show_option(loc)}` is defined both null and not null, in "
            f"{show_files(d.file for d in defs)}.",
            loc,
            [d.location for d in defs],
        )

    def payload(self) -> Any:
        return self.elem

    def type_merge(self, other: Type) -> Type | None:
        if isinstance(other, _NullOr):
            m = self.elem.type_merge(other.elem)
            return None if m is None else _NullOr(m)
        return None

    @property
    def nested_types(self) -> dict[_str, Type]:
        return {"elemType": self.elem}

    def get_sub_options(self, prefix: Sequence[_str]) -> Any:
        return self.elem.get_sub_options(prefix)

    @property
    def sub_modules(self) -> _list[Any] | None:
        return self.elem.sub_modules

    def subst_sub_modules(self, modules: _list[Any]) -> Type:
        return _NullOr(self.elem.subst_sub_modules(modules))


def null_or(elem: Type) -> Type:
    return _NullOr(elem)


def _passes(t: Type, loc: Sequence[_str], defs: Sequence[Def]) -> _bool:
    if t.v2:
        return t.head_error(loc, defs) is None
    return all(t.check(d.value) for d in defs)


class _Either(Type):
    name = "either"
    description_class = "conjunction"
    v2 = True

    def __init__(self, left: Type, right: Type) -> None:
        self.left = left
        self.right = right
        if left.description_class == "nonRestrictiveClause":
            self.description = (
                f"{left.description}, or "
                + _phrase(right, ("noun", "conjunction", "composite"))
            )
        else:
            self.description = (
                _phrase(left, ("noun", "conjunction"))
                + " or "
                + _phrase(right, ("noun", "conjunction", "composite"))
            )

    def check(self, value: Any) -> _bool:
        return self.left.check(value) or self.right.check(value)

    def head_error(self, loc: Sequence[_str], defs: Sequence[Def]) -> _str | None:
        if _passes(self.left, loc, defs) or _passes(self.right, loc, defs):
            return None
        return (
            f"The option `{show_option(loc)}` is neither a value of type `{self.left.description}` "
            f"nor `{self.right.description}`, Definition values:{show_defs(defs)}"
        )

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        if _passes(self.left, loc, defs):
            return self.left.merge(loc, defs)
        return self.right.merge(loc, defs)

    def payload(self) -> Any:
        return (self.left, self.right)

    def type_merge(self, other: Type) -> Type | None:
        if isinstance(other, _Either):
            lm = self.left.type_merge(other.left)
            rm = self.right.type_merge(other.right)
            return None if lm is None or rm is None else _Either(lm, rm)
        return None

    @property
    def nested_types(self) -> dict[_str, Type]:
        return {"left": self.left, "right": self.right}


def either(left: Type, right: Type) -> Type:
    return _Either(left, right)


def one_of(ts: Sequence[Type]) -> Type:
    ts = _list(ts)
    if not ts:
        raise DeclarationError("types.one_of needs at least one type")
    out = ts[0]
    for t in ts[1:]:
        out = _Either(out, t)
    return out


number = _Either(int, float)


class _CoercedTo(Type):
    name = "coercedTo"
    description_class = None
    v2 = True

    def __init__(self, from_type: Type, fn: Callable[[Any], Any], to_type: Type) -> None:
        self.from_type = from_type
        self.fn = fn
        self.to_type = to_type
        self.description = (
            _phrase(to_type, ("noun",)) + " or " + _phrase(from_type, ("noun",)) + " convertible to it"
        )

    def check(self, value: Any) -> _bool:
        if self.from_type.check(value) and self.to_type.check(self.fn(value)):
            return True
        return self.to_type.check(value)

    def _coerce(self, loc: Sequence[_str], defs: Sequence[Def]) -> _list[Def]:
        out = []
        for d in defs:
            if _passes(self.from_type, loc, [d]):
                out.append(Def(d.file, self.fn(d.value), d.line, d.lines))
            else:
                out.append(d)
        return out

    def head_error(self, loc: Sequence[_str], defs: Sequence[Def]) -> _str | None:
        coerced = self._coerce(loc, defs)
        if self.to_type.v2:
            return self.to_type.head_error(loc, coerced)
        bad = [d for d, c in zip(defs, coerced, strict=True) if not self.to_type.check(c.value)]
        return f"Definition values:{show_defs(bad)}" if bad else None

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return self.to_type.merge(loc, self._coerce(loc, defs))

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return self.to_type.empty_value(loc)

    def type_merge(self, other: Type) -> Type | None:
        return None

    @property
    def nested_types(self) -> dict[_str, Type]:
        return {"coercedType": self.from_type, "finalType": self.to_type}


def coerced_to(from_type: Type, fn: Callable[[Any], Any], to_type: Type) -> Type:
    return _CoercedTo(from_type, fn, to_type)


class _FunctionTo(Type):
    name = "functionTo"
    description_class = "composite"

    def __init__(self, elem: Type) -> None:
        self.elem = elem
        self.description = "function that evaluates to a(n) " + _phrase(elem, ("noun", "composite"))

    def check(self, value: Any) -> _bool:
        return callable(value)

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return _merge_functions(loc, self.elem, defs)

    def payload(self) -> Any:
        return self.elem

    def type_merge(self, other: Type) -> Type | None:
        if isinstance(other, _FunctionTo):
            m = self.elem.type_merge(other.elem)
            return None if m is None else _FunctionTo(m)
        return None


def function_to(elem: Type) -> Type:
    return _FunctionTo(elem)


class _Unique(Type):
    name = "unique"

    def __init__(self, message: _str, elem: Type) -> None:
        self.message = message
        self.elem = elem
        self.description = elem.description
        self.description_class = elem.description_class
        self.v2 = elem.v2

    def check(self, value: Any) -> _bool:
        return self.elem.check(value)

    def head_error(self, loc: Sequence[_str], defs: Sequence[Def]) -> _str | None:
        return self.elem.head_error(loc, defs)

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        merge_unique(loc, defs, self.message)
        return self.elem.merge(loc, defs)

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return self.elem.empty_value(loc)

    def payload(self) -> Any:
        return (self.message, self.elem)

    def type_merge(self, other: Type) -> Type | None:
        if isinstance(other, _Unique) and other.message == self.message:
            m = self.elem.type_merge(other.elem)
            return None if m is None else _Unique(self.message, m)
        return None

    def get_sub_options(self, prefix: Sequence[_str]) -> Any:
        return self.elem.get_sub_options(prefix)


def unique(message: _str, elem: Type) -> Type:
    return _Unique(message, elem)


def uniq(elem: Type) -> Type:
    return _Unique("", elem)


class _AddCheck(Type):
    def __init__(self, elem: Type, predicate: Callable[[Any], _bool]) -> None:
        self.elem = elem
        self.predicate = predicate
        self.name = elem.name
        self.description = elem.description
        self.description_class = elem.description_class
        self.v2 = elem.v2
        self.identity_single = elem.identity_single

    def check(self, value: Any) -> _bool:
        return self.elem.check(value) and _bool(self.predicate(value))

    def head_error(self, loc: Sequence[_str], defs: Sequence[Def]) -> _str | None:
        err = self.elem.head_error(loc, defs)
        if err is not None:
            return err
        bad = [d for d in defs if not self.predicate(d.value)]
        return f"Definition values:{show_defs(bad)}" if bad else None

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return self.elem.merge(loc, defs)

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return self.elem.empty_value(loc)

    def payload(self) -> Any:
        return (self.elem, self.predicate)

    def get_sub_options(self, prefix: Sequence[_str]) -> Any:
        return self.elem.get_sub_options(prefix)


def add_check(elem: Type, predicate: Callable[[Any], _bool]) -> Type:
    return _AddCheck(elem, predicate)


class _OptionType(Type):
    """The type of `_module.freeformType`: a type, several of which merge as declarations do."""

    name = "optionType"
    description = "optionType"

    def check(self, value: Any) -> _bool:
        return isinstance(value, Type)

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        out = defs[0].value
        for d in defs[1:]:
            merged = out.type_merge(d.value)
            if merged is None:
                raise ConflictingDefinitionsError(
                    f"The option `{show_option(loc)}' has conflicting definition values:"
                    f"{show_defs([defs[0], d])}",
                    loc,
                    [defs[0].location, d.location],
                )
            out = merged
        return out


option_type = _OptionType()


#: How a submodule type evaluates its modules: `Evaluation.for_submodule(type, loc, name,
#: extra_modules, check)`, registered by `modsys.evaluation` when it is imported (the evaluation
#: depends on the types, so the types do not import it).
_submodule_evaluator: Callable[..., Any] | None = None


def register_submodule_evaluator(evaluate: Callable[..., Any]) -> None:
    """Called once by `modsys.evaluation`: how submodule types evaluate their modules."""
    global _submodule_evaluator
    _submodule_evaluator = evaluate


class _Submodule(Type):
    """A nested module evaluation; each definition becomes one more module of it."""

    name = "submodule"
    description_class = None
    v2 = True

    def __init__(
        self,
        modules: Sequence[Any],
        special_args: Mapping[_str, Any] | None = None,
        shorthand_only_defines_config: _bool | None = False,
        description: _str | None = None,
        class_: _str | None = None,
    ) -> None:
        self.modules = _list(modules)
        self.special_args = dict(special_args or {})
        self.shorthand_only_defines_config = shorthand_only_defines_config
        self._description = description
        self.class_ = class_
        self._freeform_checked = False
        self._freeform_desc: _str | None = None

    @property
    def description(self) -> _str:  # type: ignore[override]
        if self._description is not None:
            return self._description
        if not self._freeform_checked and _submodule_evaluator is not None:
            self._freeform_checked = True
            try:
                base = self.evaluate(("<name>",), [], check=False)
                ff = base.freeform_type
                self._freeform_desc = None if ff is None else ff.description
            except Exception:
                self._freeform_desc = None
        if self._freeform_desc is not None:
            return f"open submodule of {self._freeform_desc}"
        return "submodule"

    def check(self, value: Any) -> _bool:
        return _is_attrs(value) or callable(value) or isinstance(value, PurePath)

    def evaluate(self, loc: Sequence[_str], defs: Sequence[Def], check: _bool = True) -> Any:
        evaluate = _submodule_evaluator
        if evaluate is None:
            raise RuntimeError(
                "a submodule type is evaluated by `modsys.evaluation`, which is not loaded yet: "
                "import it (or call `modsys.eval_modules`) first"
            )
        extra: _list[Any] = []
        shorthand = self.shorthand_only_defines_config
        # the key `Evaluation._load` gives an anonymous top-level module: its 1-based position
        index = len(self.modules)
        for d in defs:
            v = d.value
            index += 1
            if shorthand and type(v) is dict:
                extra.append(Module.config_only(d.file, v, d.lines, f":anon-{index}"))
            else:
                extra.append({"_file": d.file, "imports": [v]})
        name = loc[-1] if loc else "‹name›"
        return evaluate(self, tuple(loc), name, extra, check)

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return self.evaluate(loc, defs).checked_config()

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return self.evaluate(loc, []).checked_config()

    def payload(self) -> Any:
        return (tuple(id(m) for m in self.modules),)

    def type_merge(self, other: Type) -> Type | None:
        if not isinstance(other, _Submodule):
            return None
        if set(self.special_args) & set(other.special_args):
            raise DeclarationError(
                "A submoduleWith option is declared multiple times with conflicting specialArgs: "
                + ", ".join(sorted(set(self.special_args) & set(other.special_args)))
            )
        for field in ("class_", "shorthand_only_defines_config", "_description"):
            a, b = getattr(self, field), getattr(other, field)
            if a is not None and b is not None and a != b:
                raise DeclarationError(
                    f"A submoduleWith option is declared multiple times with conflicting "
                    f"{field.strip('_')} values {a!r} and {b!r}"
                )
        sh = self.shorthand_only_defines_config
        if sh is None:
            sh = other.shorthand_only_defines_config
        return _Submodule(
            self.modules + other.modules,
            {**self.special_args, **other.special_args},
            sh,
            self._description if self._description is not None else other._description,
            self.class_ if self.class_ is not None else other.class_,
        )

    @property
    def sub_modules(self) -> _list[Any] | None:
        return self.modules

    def subst_sub_modules(self, modules: _list[Any]) -> Type:
        return _Submodule(
            modules, self.special_args, self.shorthand_only_defines_config, self._description,
            self.class_,
        )

    def get_sub_options(self, prefix: Sequence[_str]) -> Any:
        return self.evaluate(tuple(prefix), [], check=False).options


def submodule_with(
    modules: Sequence[Any] = (),
    special_args: Mapping[_str, Any] | None = None,
    shorthand_only_defines_config: _bool = False,
    description: _str | None = None,
    class_: _str | None = None,
) -> Type:
    return _Submodule(modules, special_args, shorthand_only_defines_config, description, class_)


def submodule(module_or_list: Any) -> Type:
    mods = _list(module_or_list) if _is_list(module_or_list) else [module_or_list]
    return _Submodule(mods, None, True)


class _DeferredModule(Type):
    """A module kept as data, to be imported elsewhere (e.g. as a default for many submodules)."""

    name = "deferredModule"
    description = "module"

    def __init__(self, static_modules: Sequence[Any] = ()) -> None:
        self.static_modules = _list(static_modules)

    def check(self, value: Any) -> _bool:
        return _is_attrs(value) or callable(value) or isinstance(value, (PurePath, _str))

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        where = show_option(loc)
        return {
            "imports": self.static_modules
            + [{"_file": f"{d.file}, via option {where}", "imports": [d.value]} for d in defs]
        }

    def payload(self) -> Any:
        return tuple(id(m) for m in self.static_modules)

    def type_merge(self, other: Type) -> Type | None:
        if isinstance(other, _DeferredModule):
            return _DeferredModule(self.static_modules + other.static_modules)
        return None


deferred_module = _DeferredModule()


def deferred_module_with(static_modules: Sequence[Any] = ()) -> Type:
    return _DeferredModule(static_modules)


from modsys.properties import PROPERTY_TYPES as _PROPERTY_TYPES  # noqa: E402

__all__ = [
    "Type",
    "add_check",
    "anything",
    "attrs",
    "attrs_of",
    "attrs_with",
    "bool",
    "bool_by_or",
    "coerced_to",
    "commas",
    "deferred_module",
    "deferred_module_with",
    "either",
    "enum",
    "env_var",
    "float",
    "function_to",
    "int",
    "ints",
    "lazy_attrs_of",
    "lines",
    "list_of",
    "non_empty_list_of",
    "non_empty_str",
    "null_or",
    "number",
    "one_of",
    "option_type",
    "path",
    "port",
    "raw",
    "separated_string",
    "single_line_str",
    "str",
    "str_matching",
    "submodule",
    "submodule_with",
    "uniq",
    "unique",
    "unspecified",
]
_unused = (force,)
