"""Option types: what a definition may be (`check`) and how several combine (`merge`).

Names and descriptions are spelled as nixpkgs spells them ("signed integer", "list of string",
"attribute set of (submodule)") because users read them in errors and documentation.
Checks are shallow on purpose: nested values are checked when the nested merge reads them.
"""

from __future__ import annotations

import builtins
import json
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from modsys.attrset import AttrSet
from modsys.deps import FRAMES, secret_scope, stored
from modsys.errors import ConflictingDefinitionsError, DeclarationError, InfiniteRecursionError
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
from modsys.module import INTERNAL_FILE, Module, is_module_path
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
        """An integer in `lo..hi`, both inclusive (nixpkgs `types.ints.between`).

        `ints.between(1, 10)` accepts `5`, refuses `0` and `11`.
        """
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


#: POSIX character classes (C locale), as the inside of a Python character set
_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "\\x21-\\x7e",
    "lower": "a-z",
    "print": "\\x20-\\x7e",
    "punct": "\\x21-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7e",
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


def _bracket_item(pattern: _str, j: _int) -> tuple[_str, _int]:
    """One item of a bracket expression at `pattern[j]`, as Python `re` text, and the next index."""
    c = pattern[j]
    if c == "\\":
        return pattern[j : j + 2], j + 2
    if c != "[":
        return c, j + 1
    kind = pattern[j + 1 : j + 2]
    end = pattern.find(kind + "]", j + 2) if kind in (":", "=", ".") else -1
    if end < 0:
        return "\\[", j + 1
    name = pattern[j + 2 : end]
    if kind != ":":  # an equivalence class or collating symbol: in the C locale, the text itself
        return re.escape(name), end + 2
    if name not in _POSIX_CLASSES:
        raise DeclarationError(
            f"invalid regular expression '{pattern}': unknown character class [:{name}:]"
        )
    return _POSIX_CLASSES[name], end + 2


def posix_to_python(pattern: _str) -> _str:
    """`pattern` with the POSIX classes of its bracket expressions (`[[:alnum:]_-]`) spelled as
    Python `re` understands them (`[0-9A-Za-z_-]`); everything else is left as it is.
    """
    if "[" not in pattern:
        return pattern
    out: _list[_str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c != "[":
            out.append(c)
            i += 1
            continue
        body = ["["]
        j = i + 1
        if pattern.startswith("^", j):
            body.append("^")
            j += 1
        if pattern.startswith("]", j):  # a leading `]` is a literal
            body.append("\\]")
            j += 1
        while j < n and pattern[j] != "]":
            item, j = _bracket_item(pattern, j)
            body.append(item)
        if j >= n:  # unterminated: let `re` report it
            out.append(pattern[i:])
            break
        body.append("]")
        out.append("".join(body))
        i = j + 1
    return "".join(out)


def str_matching(pattern: _str) -> Type:
    """A string matching a regular expression as a whole (nixpkgs `types.strMatching`).

    Python `re` syntax, plus POSIX bracket classes such as `[:alnum:]`; e.g.
    `str_matching("[[:alnum:]_-]+")` accepts `"abc_1-z"`.
    """
    compiled = re.compile(posix_to_python(pattern))
    return _Simple(
        f"strMatching {json.dumps(pattern)}",
        f"string matching the pattern {pattern}",
        lambda v: _is_str(v) and compiled.fullmatch(v) is not None,
        payload=pattern,
    )


def separated_string(sep: _str) -> Type:
    """Strings joined with `sep` when defined several times (nixpkgs `types.separatedString`).

    `separated_string(",")` joins definitions `"a"` and `"b"` in merge order (`"b,a"`);
    `lines`, `commas` and `env_var` are the common ones.
    """
    def merge(loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        return sep.join(d.value for d in defs)

    return _Simple(
        "separatedString",
        f"strings concatenated with {json.dumps(sep)}",
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
    """One of a fixed set of values, compared with their type (nixpkgs `types.enum`).

    `enum(["http", "https"])` accepts `"https"`, refuses `"ftp"`; declaring an option twice with
    two enums allows the values of both.
    """
    return _Enum(values)


#: the Nix store directory that `path_with(in_store=...)` tests against (nixpkgs' `storeDir`)
STORE_DIR = "/nix/store"
_STORE_PARTS = tuple(STORE_DIR.strip("/").split("/"))


def has_store_path_prefix(value: Any) -> _bool:
    """Whether a path is a store path or below one (nixpkgs' `lib.path.hasStorePathPrefix`):
    `/nix/store/<32 chars>-<name>/...`, or a content-addressed `/<52 base-32 chars>/...`.
    A string is read as a path below `/`, normalised as Nix does (`/nix/store/` is the store
    directory itself, not a store path).
    """
    parts = [p for p in posixpath.normpath("/" + _str(value)).split("/") if p]
    n = len(_STORE_PARTS)
    if tuple(parts[:n]) == _STORE_PARTS and len(parts) > n and re.fullmatch(".{32}-.+", parts[n]):
        return True
    return _bool(parts) and re.fullmatch("[0-9a-z]{52}", parts[0]) is not None


class _PathWith(_Simple):
    def __init__(self, in_store: _bool | None, absolute: _bool | None) -> None:
        if in_store and absolute is False:
            raise DeclarationError("In pathWith, inStore means the path must be absolute")
        desc = "" if absolute is None else ("absolute " if absolute else "relative ")
        desc += "path"
        if in_store is not None:
            desc += " in the Nix store" if in_store else " not in the Nix store"

        def check(v: Any) -> _bool:
            if not (_is_str(v) or isinstance(v, PurePath)):
                return False
            if in_store is not None and has_store_path_prefix(v) != in_store:
                return False
            return absolute is None or _str(v).startswith("/") == absolute

        super().__init__("path", desc, check, payload=(in_store, absolute))
        self.in_store = in_store
        self.absolute = absolute


def path_with(in_store: _bool | None = None, absolute: _bool | None = None) -> Type:
    """A path as a string or `pathlib` path (nixpkgs `types.pathWith { inStore; absolute; }`).

    `in_store` asks for (True) or against (False) a path in `/nix/store`; None allows both.
    `path_with(absolute=True)` accepts `"/etc/hosts"`, not `"etc/hosts"`.
    """
    return _PathWith(in_store, absolute)


path = path_with(absolute=True)
path_in_store = path_with(in_store=True)
external_path = path_with(in_store=False, absolute=True)


class _Attrs(_Simple):
    """A plain attribute set merged shallowly: the later definition wins per top-level key."""

    def __init__(self) -> None:
        # no description class, as in nixpkgs: "attribute set of (attribute set)"
        super().__init__(
            "attrs", "attribute set", _is_attrs, self._merge_shallow, description_class=None
        )

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
        applied = [Def(d.file, d.value(*args, **kwargs), d.line, None, d.deps) for d in fns]
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
                    append(check_and_merge(eloc, elem, [Def(d.file, x, line, child, d.deps)]))
                    continue
                r, v = merge_definitions(eloc, elem, [Def(d.file, x, line, child, d.deps)])
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
    """A list whose elements are each merged as `elem` (nixpkgs `types.listOf`).

    `list_of(str)` merges `["a"]` and `["b"]` into one list, in merge order;
    `list_of(submodule(...))` gives a list of configurations.
    """
    return _ListOf(elem)


class _NonEmptyListOf(_ListOf):
    name = "nonEmptyListOf"

    def __init__(self, elem: Type) -> None:
        super().__init__(elem)
        # the class stays "composite", as in nixpkgs: "list of non-empty (list of string)"
        self.description = f"non-empty ({self.description})"

    def head_error(self, loc: Sequence[_str], defs: Sequence[Def]) -> _str | None:
        # each definition must be non-empty, like nixpkgs' `addCheck`: `[]` in one file is an
        # error even when another file adds elements (and `[mk_if(False, 1)]` is not)
        err = super().head_error(loc, defs)
        if err is not None:
            return err
        bad = [d for d in defs if not d.value]
        return f"Definition values:{show_defs(bad)}" if bad else None

    def empty_value(self, loc: Sequence[_str]) -> Any:
        return NOTHING


def non_empty_list_of(elem: Type) -> Type:
    """Like `list_of`, but each definition must have an element (nixpkgs `types.nonEmptyListOf`).

    `non_empty_list_of(str)` accepts `["a"]`; a definition `[]` is an error even when another
    definition adds elements.
    """
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
                bucket.append(Def(d.file, x, d.line, None, d.deps))
            else:
                bucket.append(Def(d.file, x, lines.line(k), lines.child(k), d.deps))
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
        self._deps = None
        self._secret = secret_scope(loc)

    @property  # type: ignore[override]
    def _meta(self) -> AttrsMeta:
        return AttrsMeta(self._elem, self._per_key)

    def entry_reads(self, key: _str) -> tuple[Any, ...]:
        own = super().entry_reads(key)
        defs = self._per_key.get(key, ())
        return own + tuple(x for d in defs for x in d.deps) if defs else own

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
        key_deps: dict[_str, tuple[Any, ...]] | None = None
        for key, kdefs in per_key.items():
            for d in kdefs:
                if type(d.value) not in PLAIN_TYPES:
                    break
            else:  # plain data has the default priority: resolving keeps it as is
                resolved[key] = kdefs
                continue
            if FRAMES:  # what resolving the key read (its thunks): the entry's reads
                frame: _list[Any] = []
                FRAMES.append(frame)
                try:
                    r = resolve((*loc, key), kdefs)
                finally:
                    FRAMES.pop()
                if frame:
                    if key_deps is None:
                        key_deps = {}
                    key_deps[key] = stored(frame)
                    FRAMES[-1].extend(frame)
            else:
                r = resolve((*loc, key), kdefs)
            if r.defs:
                resolved[key] = r.defs
        out = _AttrsOfSet(sorted(resolved), loc, elem, resolved, per_key)
        if key_deps is not None:
            out._deps = key_deps
        return out

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
    """An attribute set whose values are each merged as `elem` (nixpkgs `types.attrsOf`).

    `attrs_of(int)` merges `{"a": 1}` and `{"b": 2}` to `{"a": 1, "b": 2}`;
    `attrs_of(submodule(...))` gives named configurations (`name` is the key).
    """
    return _AttrsOf(elem)


def lazy_attrs_of(elem: Type) -> Type:
    """Like `attrs_of`, but `mk_if(False, ...)` values keep their key (nixpkgs `types.lazyAttrsOf`).

    `lazy_attrs_of(int)` with `{"a": mk_if(False, 1)}` keeps `"a"`, and reading it is an error;
    other values are never computed to find the keys.
    """
    return _AttrsOf(elem, lazy=True)


def attrs_with(elem_type: Type, lazy: _bool = False, placeholder: _str = "name") -> Type:
    """`attrs_of` or `lazy_attrs_of` with a documentation placeholder (nixpkgs `types.attrsWith`).

    `attrs_with(submodule(m), placeholder="user")` documents its options as `users.<user>.…`;
    `attrs_with(int, lazy=True)` is `lazy_attrs_of(int)`.
    """
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
    """`None` or a value of `elem` (nixpkgs `types.nullOr`); with no definitions it is `None`.

    `null_or(port)` accepts `None` and `8080`; `None` in one file and `8080` in another is an
    error.
    """
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
    """A value of `left` or of `right`: all definitions must fit one side (nixpkgs `types.either`).

    `either(int, str)` accepts `1` or `"1"`; `left` is tried first, and its merge is used
    when every definition fits it.
    """
    return _Either(left, right)


def one_of(ts: Sequence[Type]) -> Type:
    """A value of one of several types: `either` folded left (nixpkgs `types.oneOf`).

    `one_of([int, str, bool])` is `either(either(int, str), bool)`;
    an empty list is an error.
    """
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
                out.append(Def(d.file, self.fn(d.value), d.line, d.lines, d.deps))
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
    """`to_type`, also accepting `from_type` values converted by `fn` (nixpkgs `types.coercedTo`).

    `coerced_to(int, str, str)` turns a definition `8080` into `"8080"`;
    `"8080"` is accepted as it is.
    """
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
    """A function whose results are merged as `elem` (nixpkgs `types.functionTo`).

    `function_to(list_of(str))` defined as `lambda x: [x]` and as `lambda x: [x + "!"]` is one
    function returning both lists, concatenated.
    """
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
    """`elem`, but defined at most once; `message` explains why (nixpkgs `types.unique`).

    `unique("Set it in one place.", str)` refuses two definitions,
    even equal ones, and adds `message` to the error.
    """
    return _Unique(message, elem)


def uniq(elem: Type) -> Type:
    """`elem`, defined at most once (nixpkgs `types.uniq`).

    `uniq(list_of(str))` refuses a second definition instead of concatenating;
    it is `unique("", elem)`.
    """
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
    """`elem` with an extra check on each definition (nixpkgs `types.addCheck`).

    `add_check(int, lambda v: v % 2 == 0)` accepts `4`, refuses `3`;
    name and description stay those of `elem`.
    """
    return _AddCheck(elem, predicate)


_NIX_KEYWORDS = frozenset({"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"})


def _show_identifier(name: _str) -> _str:
    """A name as nixpkgs' `escapeNixIdentifier` prints it: bare, or quoted when it must be."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_'-]*", name) and name not in _NIX_KEYWORDS:
        return name
    return json.dumps(name)


#: `modsys.options` (`OptionDecl`, `Declaration`, `merge_decls`), registered by it when it is
#: imported: declarations are made with types, so the types do not import them. Only `attr_tag`,
#: whose tags are declarations, needs it.
_options_api: Any = None


def register_options_api(api: Any) -> None:
    """Called once by `modsys.options`."""
    global _options_api
    _options_api = api


def _tag_decls(tags: Mapping[_str, Any]) -> dict[_str, Any]:
    option_decl = getattr(_options_api, "OptionDecl", ())
    out = {}
    for name, decl in tags.items():
        if not isinstance(decl, option_decl):
            what = "was a bare type, not wrapped in mkOption." if isinstance(decl, Type) else "was not."
            raise DeclarationError(
                f"In attrTag, each tag value must be an option, but tag {_show_identifier(name)} {what}"
            )
        out[name] = decl
    return out


def _option_value(loc: Sequence[_str], decl: Any, defs: _list[Def]) -> Any:
    """One option's value from its declaration and definitions (nixpkgs' `evalOptionValue`):
    the default at option-default priority, the highest-priority definitions, type, `apply`.
    """
    from modsys.properties import mk_option_default

    if decl.default is not NOTHING:
        defs = [Def("<attrTag default>", mk_option_default(decl.default)), *defs]
    resolved = resolve(loc, defs)
    value = check_and_merge(loc, unspecified if decl.type is NOTHING else decl.type, resolved.defs)
    return value if decl.apply is None else decl.apply(value)


class _AttrTag(Type):
    """An attribute set with exactly one key, the tag, whose value is merged as that tag's option."""

    name = "attrTag"

    def __init__(self, tags: Mapping[_str, Any]) -> None:
        self.tags = _tag_decls(tags)
        self.choices = ", ".join(_show_identifier(n) for n in sorted(self.tags))
        self.description = f"attribute-tagged union with choices: {self.choices}"

    def check(self, value: Any) -> _bool:
        if not _is_attrs(value) or len(value) != 1:
            return False
        return next(iter(value)) in self.tags

    def merge(self, loc: Sequence[_str], defs: Sequence[Def]) -> Any:
        choice = next(iter(defs[0].value))
        for d in defs[1:]:
            other = next(iter(d.value))
            if other != choice:
                raise ConflictingDefinitionsError(
                    f"The option `{show_option(loc)}` is defined both as `{choice}` and `{other}`, "
                    f"in {show_files(x.file for x in defs)}.",
                    loc,
                    [x.location for x in defs],
                )
        if choice not in self.tags:  # the check refuses it first; kept as nixpkgs has it
            raise ConflictingDefinitionsError(
                f"The option `{show_option(loc)}` is defined as {_show_identifier(choice)}, but "
                f"{_show_identifier(choice)} is not among the valid choices ({self.choices}). "
                f"Value {choice} was defined in {show_files(x.file for x in defs)}.",
                loc,
                [x.location for x in defs],
            )
        tag_defs = [
            Def(
                d.file,
                _lookup(d.value, choice),
                d.line,
                d.lines.child(choice) if d.lines else None,
                d.deps,
            )
            for d in defs
        ]
        tloc = (*loc, choice)
        return AttrSet([choice], lambda _key: _option_value(tloc, self.tags[choice], tag_defs), tuple(loc))

    def payload(self) -> Any:
        return tuple(sorted((k, id(v)) for k, v in self.tags.items()))

    def type_merge(self, other: Type) -> Type | None:
        if not isinstance(other, _AttrTag):
            return None
        if other is self:
            return self
        Declaration, OptionDecl = _options_api.Declaration, _options_api.OptionDecl
        merge_decls = _options_api.merge_decls
        tags = {**self.tags, **other.tags}
        for name in self.tags.keys() & other.tags.keys():
            pair = [
                Declaration("<attrTag {...}>", None, self.tags[name]),
                Declaration("<attrTag {...}>", None, other.tags[name]),
            ]
            m = merge_decls([name], pair)
            tags[name] = OptionDecl(
                m.type, m.default, m.default_text, m.example, m.description, m.apply, m.read_only,
                m.visible, m.internal, m.sensitive,
            )
        return _AttrTag(tags)

    def get_sub_options(self, prefix: Sequence[_str]) -> Any:
        return dict(self.tags)

    @property
    def nested_types(self) -> dict[_str, Type]:
        return {n: d.type for n, d in self.tags.items() if isinstance(d.type, Type)}


def attr_tag(tags: Mapping[_str, Any]) -> Type:
    """A tagged union: a set with exactly one key, chosen among `tags` (nixpkgs `types.attrTag`).

    Each tag is an `mk_option(...)`; e.g. `attr_tag({"port": mk_option(type=port),
    "socket": mk_option(type=str)})` accepts `{"port": 80}` or `{"socket": "/run/x.sock"}`.
    """
    return _AttrTag(tags)


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
                self._freeform_desc = None if ff is None else _phrase(ff, ("noun", "composite"))
            except Exception:
                self._freeform_desc = None
        if self._freeform_desc is not None:
            return f"open submodule of {self._freeform_desc}"
        return "submodule"

    def check(self, value: Any) -> _bool:
        # a path (object or string) names a module file, resolved against the defining file
        return _is_attrs(value) or callable(value) or is_module_path(value)

    def evaluate(self, loc: Sequence[_str], defs: Sequence[Def], check: _bool = True) -> Any:
        evaluate = _submodule_evaluator
        if evaluate is None:
            raise RuntimeError(
                "a submodule type is evaluated by `modsys.evaluation`, which is not loaded yet: "
                "import it (or call `modsys.eval_modules`) first"
            )
        loc = tuple(loc)
        name = loc[-1] if loc else "‹name›"
        # nixpkgs' `{ _module.args.name = last loc; }`: the `name` argument is
        # `_module.args.name`, so a module may override it (`mk_force`)
        extra: _list[Any] = [
            Module.config_only(
                INTERNAL_FILE, {"_module": {"args": {"name": name}}}, None, f"{INTERNAL_FILE}:name"
            )
        ]
        shorthand = self.shorthand_only_defines_config
        # the key `Evaluation._load` gives an anonymous top-level module: its 1-based position
        index = len(self.modules) + 1
        for d in defs:
            v = d.value
            index += 1
            if shorthand and type(v) is dict:
                extra.append(Module.config_only(d.file, v, d.lines, f":anon-{index}"))
            else:
                extra.append({"_file": d.file, "imports": [v]})
        ev = evaluate(self, loc, name, extra, check)
        if not check:  # documentation and descriptions: the attribute name will do
            return ev
        # `name` is passed to module functions as a plain string while modules are collected:
        # if `_module.args.name` says otherwise, collect again with that name, which must then
        # be stable (in Nix, a name computed from itself is an infinite recursion)
        renamed = ev.module_arg_name()
        if renamed is None or renamed == name:
            return ev
        ev = evaluate(self, loc, renamed, extra, check)
        again = ev.module_arg_name()
        if again != renamed:
            raise InfiniteRecursionError(
                f"infinite recursion encountered while evaluating the option "
                f"`{show_option((*loc, '_module', 'args', 'name'))}': its value depends on the "
                f"`name' module argument (with name {show_value(name)} it is "
                f"{show_value(renamed)}, with name {show_value(renamed)} it is {show_value(again)})",
                (*loc, "_module", "args", "name"),
            )
        return ev

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
    """A submodule with all of nixpkgs' settings (nixpkgs `types.submoduleWith`).

    `submodule_with([m], special_args={"pkgs": pkgs})` passes `pkgs` to the modules;
    unlike `submodule`, a dict definition may hold `options` and `imports`.
    """
    return _Submodule(modules, special_args, shorthand_only_defines_config, description, class_)


def submodule(module_or_list: Any) -> Type:
    """A nested configuration with its own options (nixpkgs `types.submodule`).

    `submodule({"options": {"port": mk_option(type=port)}})` takes `{"port": 80}`; a definition
    may also be a module function or a path to a module file.
    """
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
    """`deferred_module` with modules always included (nixpkgs `types.deferredModuleWith`).

    `deferred_module_with([base])` merges to `{"imports": [base, ...definitions]}`,
    to be imported into a submodule elsewhere.
    """
    return _DeferredModule(static_modules)


from modsys.properties import PROPERTY_TYPES as _PROPERTY_TYPES  # noqa: E402

__all__ = [
    "Type",
    "add_check",
    "anything",
    "attr_tag",
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
    "external_path",
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
    "path_in_store",
    "path_with",
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
