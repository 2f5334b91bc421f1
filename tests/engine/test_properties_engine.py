"""Property tests of the module engine, through the public API only.

(a) the order of independent modules never changes the result (except list order, which is
    defined by merge order and `mk_order`);
(b) `mk_force` always wins over plain definitions and `mk_default`;
(c) evaluating random modules (well-typed or not, with random `mk_if`/`mk_merge`/`mk_override`
    wrappers) and forcing the whole config never raises anything but `ModsysError`; and a single
    well-typed definition under value-preserving wrappers evaluates to itself.
"""

from __future__ import annotations

import contextlib
import string
from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modsys import (
    ModsysError,
    eval_modules,
    mk_after,
    mk_before,
    mk_default,
    mk_force,
    mk_if,
    mk_merge,
    mk_option,
    mk_option_default,
    mk_order,
    mk_override,
    types,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plain(value: Any) -> Any:
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping) or (hasattr(value, "keys") and hasattr(value, "__getitem__")):
        keys = list(value.keys())
        return {k: plain(value[k]) for k in keys}
    return value


names = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=6)
small_ints = st.integers(min_value=-1000, max_value=1000)


# ---------------------------------------------------------------------------------------------
# (a) order independence


@SETTINGS
@given(
    entries=st.dictionaries(names, small_ints, min_size=1, max_size=8),
    data=st.data(),
)
def test_attrs_of_int_independent_of_module_order(
    entries: dict[str, int], data: st.DataObject
) -> None:
    decl = {"options": {"m": mk_option(type=types.attrs_of(types.int), default={})}}
    defs = [{"m": {k: v}} for k, v in entries.items()]
    order = data.draw(st.permutations(defs))
    decl_at = data.draw(st.integers(min_value=0, max_value=len(order)))
    modules = [*order[:decl_at], decl, *order[decl_at:]]
    assert plain(eval_modules(modules).config.m) == entries


@SETTINGS
@given(
    entries=st.dictionaries(
        names, st.one_of(small_ints, st.booleans(), st.text(max_size=5)), min_size=1, max_size=8
    ),
    data=st.data(),
)
def test_separate_options_independent_of_module_order(
    entries: dict[str, Any], data: st.DataObject
) -> None:
    def type_of(v: Any) -> Any:
        if isinstance(v, bool):
            return types.bool
        return types.int if isinstance(v, int) else types.str

    # each module declares its own option and another module defines it
    decls = [{"options": {"ns": {k: mk_option(type=type_of(v))}}} for k, v in entries.items()]
    defs = [{"ns": {k: v}} for k, v in entries.items()]
    modules = data.draw(st.permutations(decls + defs))
    ev = eval_modules(modules)
    assert ev.config.to_dict() == {"ns": entries}


@SETTINGS
@given(
    entries=st.dictionaries(names, small_ints, min_size=1, max_size=6),
    wrappers=st.lists(
        st.sampled_from(["plain", "default", "force", "if", "merge"]), min_size=6, max_size=6
    ),
    data=st.data(),
)
def test_wrapped_independent_definitions_commute(
    entries: dict[str, int], wrappers: list[str], data: st.DataObject
) -> None:
    wrap = {
        "plain": lambda v: v,
        "default": mk_default,
        "force": mk_force,
        "if": lambda v: mk_if(True, v),
        "merge": lambda v: mk_merge([mk_if(False, v + 1), v]),
    }
    decl = {"options": {"m": mk_option(type=types.attrs_of(types.int), default={})}}
    defs = [{"m": {k: wrap[w](v)}} for (k, v), w in zip(entries.items(), wrappers, strict=False)]
    modules = [decl, *data.draw(st.permutations(defs))]
    assert plain(eval_modules(modules).config.m) == entries


@SETTINGS
@given(
    prios=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=8, unique=True),
    data=st.data(),
)
def test_list_order_defined_by_mk_order(prios: list[int], data: st.DataObject) -> None:
    decl = {"options": {"l": mk_option(type=types.list_of(types.int))}}
    defs = [{"l": mk_order(p, [p])} for p in prios]
    modules = [decl, *data.draw(st.permutations(defs))]
    assert list(eval_modules(modules).config.l) == sorted(prios)


@SETTINGS
@given(values=st.lists(small_ints, min_size=1, max_size=8))
def test_list_without_order_follows_reversed_module_order(values: list[int]) -> None:
    # shared doc §3.5: definitions merge in reversed module order (upstream [exp]).
    decl = {"options": {"l": mk_option(type=types.list_of(types.int))}}
    modules = [decl, *({"l": [v]} for v in values)]
    assert list(eval_modules(modules).config.l) == list(reversed(values))


@SETTINGS
@given(
    before=st.lists(small_ints, max_size=3),
    middle=st.lists(small_ints, max_size=3),
    after=st.lists(small_ints, max_size=3),
    data=st.data(),
)
def test_mk_before_and_mk_after_bracket_plain_definitions(
    before: list[int], middle: list[int], after: list[int], data: st.DataObject
) -> None:
    decl = {"options": {"l": mk_option(type=types.list_of(types.int))}}
    defs = (
        [("b", {"l": mk_before([v])}, v) for v in before]
        + [("m", {"l": [v]}, v) for v in middle]
        + [("a", {"l": mk_after([v])}, v) for v in after]
    )
    order = data.draw(st.permutations(defs))
    result = list(eval_modules([decl, *(m for _, m, _ in order)]).config.l)
    # within one order class, reversed module order (stable sort)
    expected = [v for tag in "bma" for t, _, v in reversed(order) if t == tag]
    assert result == expected


# ---------------------------------------------------------------------------------------------
# (b) mk_force wins


@SETTINGS
@given(
    others=st.lists(
        st.tuples(st.sampled_from(["plain", "default", "option_default", "override"]), small_ints),
        max_size=6,
    ),
    forced=small_ints,
    override_prio=st.integers(min_value=51, max_value=1500),
    data=st.data(),
)
def test_mk_force_wins_over_weaker_definitions(
    others: list[tuple[str, int]], forced: int, override_prio: int, data: st.DataObject
) -> None:
    wrap = {
        "plain": lambda v: v,
        "default": mk_default,
        "option_default": mk_option_default,
        "override": lambda v: mk_override(override_prio, v),
    }
    decl = {"options": {"x": mk_option(type=types.int, default=0)}}
    defs = [{"x": wrap[w](v)} for w, v in others]
    n_forced = data.draw(st.integers(min_value=1, max_value=3))
    modules = data.draw(st.permutations([decl, *defs, *([{"x": mk_force(forced)}] * n_forced)]))
    ev = eval_modules(modules)
    assert ev.config.x == forced
    assert ev.options["x"].highest_prio == 50


@SETTINGS
@given(
    plain_values=st.lists(st.lists(small_ints, max_size=3), max_size=4),
    forced=st.lists(small_ints, max_size=3),
    data=st.data(),
)
def test_mk_force_discards_weaker_list_definitions(
    plain_values: list[list[int]], forced: list[int], data: st.DataObject
) -> None:
    decl = {"options": {"l": mk_option(type=types.list_of(types.int), default=[99])}}
    defs = [{"l": v} for v in plain_values] + [{"l": mk_default([7])}]
    modules = data.draw(st.permutations([decl, *defs, {"l": mk_force(forced)}]))
    assert list(eval_modules(modules).config.l) == forced


@SETTINGS
@given(key=names, forced=st.booleans(), plain_value=st.booleans(), data=st.data())
def test_mk_force_wins_inside_submodules(
    key: str, forced: bool, plain_value: bool, data: st.DataObject
) -> None:
    sub = types.submodule({"options": {"enable": mk_option(type=types.bool, default=False)}})
    decl = {"options": {"s": mk_option(type=types.attrs_of(sub), default={})}}
    where = data.draw(st.sampled_from(["leaf", "entry", "attrs", "module"]))
    force_def = {
        "leaf": {"s": {key: {"enable": mk_force(forced)}}},
        "entry": {"s": {key: mk_force({"enable": forced})}},
        "attrs": {"s": mk_force({key: {"enable": forced}})},
        "module": mk_force({"s": {key: {"enable": forced}}}),
    }[where]
    modules = data.draw(st.permutations([decl, {"s": {key: {"enable": plain_value}}}, force_def]))
    assert eval_modules(modules).config.s[key].enable is forced


# ---------------------------------------------------------------------------------------------
# (c) random modules never raise anything but ModsysError

# A type description: ("int",) ("str",) ("bool",) ("enum", values) ("list", t) ("attrs", t)
# ("null", t)

leaf_types = st.one_of(
    st.just(("int",)),
    st.just(("str",)),
    st.just(("bool",)),
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True).map(
        lambda vs: ("enum", tuple(vs))
    ),
)
type_descs = st.recursive(
    leaf_types,
    lambda inner: st.one_of(
        inner.map(lambda t: ("list", t)),
        inner.map(lambda t: ("attrs", t)),
        inner.map(lambda t: ("null", t)),
    ),
    max_leaves=4,
)


def build_type(desc: tuple[Any, ...]) -> Any:
    tag = desc[0]
    if tag == "int":
        return types.int
    if tag == "str":
        return types.str
    if tag == "bool":
        return types.bool
    if tag == "enum":
        return types.enum(list(desc[1]))
    if tag == "list":
        return types.list_of(build_type(desc[1]))
    if tag == "attrs":
        return types.attrs_of(build_type(desc[1]))
    if tag == "null":
        return types.null_or(build_type(desc[1]))
    raise AssertionError(desc)


def good_values(desc: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    tag = desc[0]
    if tag == "int":
        return small_ints
    if tag == "str":
        return st.text(alphabet="xyz", max_size=3)
    if tag == "bool":
        return st.booleans()
    if tag == "enum":
        return st.sampled_from(desc[1])
    if tag == "list":
        return st.lists(good_values(desc[1]), max_size=3)
    if tag == "attrs":
        return st.dictionaries(names, good_values(desc[1]), max_size=3)
    if tag == "null":
        return st.one_of(st.none(), good_values(desc[1]))
    raise AssertionError(desc)


any_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), small_ints, st.floats(allow_nan=False), st.text(max_size=3)
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(names, inner, max_size=3)),
    max_leaves=6,
)


def values_for(desc: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """Mostly well-typed values, sometimes anything at all (possibly ill-typed)."""
    return st.one_of(good_values(desc), good_values(desc), any_values)


@st.composite
def wrapped(draw: st.DrawFn, value_strategy: st.SearchStrategy[Any], depth: int = 0) -> Any:
    value = draw(value_strategy)
    if depth >= 3:
        return value
    kind = draw(
        st.sampled_from(
            ["plain", "plain", "if", "merge", "override", "default", "force", "thunk", "order"]
        )
    )
    if kind == "plain":
        return value
    inner = draw(wrapped(st.just(value), depth + 1))
    if kind == "if":
        cond = draw(st.booleans())
        return mk_if(cond if draw(st.booleans()) else (lambda: cond), inner)
    if kind == "merge":
        extra = draw(st.lists(wrapped(value_strategy, depth + 1), max_size=2))
        return mk_merge([inner, *extra])
    if kind == "override":
        return mk_override(draw(st.integers(min_value=0, max_value=2000)), inner)
    if kind == "default":
        return mk_default(inner)
    if kind == "force":
        return mk_force(inner)
    if kind == "order":
        return mk_order(draw(st.integers(min_value=0, max_value=2000)), inner)
    return lambda: inner


@st.composite
def random_modules(draw: st.DrawFn) -> list[Any]:
    option_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    descs = {n: draw(type_descs) for n in option_names}
    modules: list[Any] = []
    for n, desc in descs.items():
        kw: dict[str, Any] = {"type": build_type(desc)}
        if draw(st.booleans()):
            kw["default"] = draw(values_for(desc))
        modules.append({"options": {"o": {n: mk_option(**kw)}}})
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        defined = draw(st.lists(st.sampled_from(option_names), min_size=1, max_size=3, unique=True))
        body = {n: draw(wrapped(values_for(descs[n]))) for n in defined}
        module = {"o": body}
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            module = {"o": {**body, "undeclared": 1}}  # sometimes a stray definition
        shape = draw(st.sampled_from(["shorthand", "full", "if", "force", "merge"]))
        if shape == "full":
            module = {"config": module}
        elif shape == "if":
            module = mk_if(draw(st.booleans()), module)
        elif shape == "force":
            module = mk_force(module)
        elif shape == "merge":
            module = mk_merge([module])
        modules.append(module)
    return draw(st.permutations(modules))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules=random_modules())
def test_random_modules_raise_only_modsys_errors(modules: list[Any]) -> None:
    try:
        ev = eval_modules(modules)
        result = ev.config.to_dict()
    except ModsysError:
        return
    # forcing succeeded: the result is plain data
    assert isinstance(result, dict)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules=random_modules(), data=st.data())
def test_random_modules_each_option_alone_raises_only_modsys_errors(
    modules: list[Any], data: st.DataObject
) -> None:
    # Reading one option at a time goes through other code paths than `to_dict()`.
    try:
        ev = eval_modules(modules)
        o = ev.config.o
        for name in list(o.keys()):
            with contextlib.suppress(ModsysError):
                plain(o[name])
    except ModsysError:
        return


@st.composite
def preserving(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """Wrap `value` in properties that never change what a single definition means.

    Conditionals, merges and thunks may nest freely; at most one priority wrapper sits inside
    them, because only the outermost override is stripped (shared doc §5.5 step 4: an inner
    `mk_default(mk_default(x))` stays in the value and is a type error, as in Nix).
    """
    kind = draw(st.sampled_from(["plain", "if", "merge", "thunk", "override"]))
    if kind == "plain" or depth >= 3:
        return value
    if kind == "override":
        prio = draw(st.sampled_from(["default", "force", "other"]))
        if prio == "default":
            return mk_default(value)
        if prio == "force":
            return mk_force(value)
        return mk_override(draw(st.integers(min_value=0, max_value=2000)), value)
    inner = draw(preserving(value, depth + 1))
    if kind == "if":
        return mk_if(True, inner) if draw(st.booleans()) else mk_if(lambda: True, inner)
    if kind == "merge":
        # a vanishing sibling does not count as a definition
        return mk_merge([inner, mk_if(False, value)]) if draw(st.booleans()) else mk_merge([inner])
    if callable(inner):
        # a thunk's result is never called again: `lambda: (lambda: 0)` defines a function
        return mk_if(True, inner)
    return lambda: inner


@SETTINGS
@given(desc=type_descs, data=st.data())
def test_single_well_typed_definition_evaluates_to_itself(
    desc: tuple[Any, ...], data: st.DataObject
) -> None:
    value = data.draw(good_values(desc))
    definition = data.draw(preserving(value))
    ev = eval_modules([{"options": {"x": mk_option(type=build_type(desc))}}, {"x": definition}])
    assert ev.config.to_dict() == {"x": value}


@SETTINGS
@given(desc=type_descs, data=st.data())
def test_well_typed_default_evaluates_to_itself(desc: tuple[Any, ...], data: st.DataObject) -> None:
    value = data.draw(good_values(desc))
    ev = eval_modules([{"options": {"x": mk_option(type=build_type(desc), default=value)}}])
    assert plain(ev.config.x) == value
    assert ev.options["x"].highest_prio == 1500
