"""Environment overlays and the precedence rule, value by value:

    project defaults < overlay (`!default`) < `--set` (plain); `!force` in an overlay beats `--set`
    (`--force-set`, also `mk_force`, is a conflict naming both; `mk_override(10, …)` beats it),
    and `explain` names the definition that won.

Every leaf of every overlay file is checked, so a value added to an overlay is covered too.
"""

from __future__ import annotations

import json

import pytest
from layer_helpers import OVERLAYS, evaluate

from modsys import ModsysError, mk_override
from modsys.attrset import to_plain
from modsys.cli.setopt import FORCE_SET_FILE, SET_FILE, parse_set_arg, set_module
from modsys.properties import Override
from modsys.yamlload import load_yaml_module

ENABLE = {"projects": {"wookie": {"enable": True, "istio": {"enable": True}, "pxc": {"enable": True}}, "webapp": {"enable": True}}}

#: A `--set` value for leaves whose default is no different value to set.
OTHER = {"projects.webapp.environment": "staging", "projects.wookie.pxc.tls": False}


def leaves(value, path=()):
    """(path, priority, value) of every prioritised definition in an overlay."""
    if isinstance(value, Override):
        yield path, value.priority, value.content
    elif isinstance(value, dict):
        for key, sub in value.items():
            if key != "imports":
                yield from leaves(sub, (*path, key))


CASES = [
    (overlay, path, priority, value)
    for overlay, file in OVERLAYS.items()
    for path, priority, value in leaves(load_yaml_module(file)[0])
]


def _id(case):
    overlay, path, priority, _ = case
    return f"{overlay}:{'.'.join(path)}{'!force' if priority == 50 else ''}"


def value_at(ev, path):
    return to_plain(ev.explain(list(path)).value)


def winner(ev, path):
    [won] = [d for d in ev.explain(list(path)).definitions if d.status == "won"]
    return won


ABSENT = object()


def base_value(ev, path):
    """The value without the overlay, or ABSENT (e.g. an env var only the overlay defines)."""
    try:
        explanation = ev.explain(list(path))
    except ModsysError:
        return ABSENT
    return to_plain(explanation.value) if explanation.is_defined else ABSENT


def other_value(path, value, default):
    """A value for `--set` that differs from the overlay's."""
    dotted = ".".join(path)
    if dotted in OTHER:
        return OTHER[dotted]
    if default is not ABSENT and default != value:
        return default
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return "cli-value"
    raise AssertionError(f"no other value known for {dotted}; add one to OTHER")


def _read(ev, path):
    node = ev.config
    for part in path:
        node = node[part]
    return node


def set_text(value):
    if value is None:
        return "null"
    return value if isinstance(value, str) else json.dumps(value)


@pytest.fixture(scope="module")
def base():
    return evaluate(ENABLE)


@pytest.fixture(scope="module")
def with_overlay():
    return {name: evaluate(ENABLE, file) for name, file in OVERLAYS.items()}


def test_every_overlay_sets_the_expected_things():
    """Replicas, image tags, resources, the Istio profile and PXC size, in each overlay."""
    for overlay in OVERLAYS:
        paths = {".".join(p) for o, p, _, _ in CASES if o == overlay}
        assert "projects.webapp.replicas" in paths
        assert "projects.webapp.image.tag" in paths
        assert any(p.startswith("projects.webapp.resources") for p in paths)
        assert "projects.wookie.pxc.size" in paths
        assert any(p.startswith("projects.wookie.istio.pilot") for p in paths)
    assert "projects.wookie.istio.profile" in {".".join(p) for o, p, _, _ in CASES if o == "development"}


def test_overlays_only_use_default_and_force():
    assert {priority for *_, priority, _ in CASES} == {1000, 50}


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_overlay_beats_project_defaults(case, base, with_overlay):
    overlay, path, priority, value = case
    ev = with_overlay[overlay]
    assert value_at(ev, path) == value
    won = winner(ev, path)
    assert won.file == str(OVERLAYS[overlay])
    assert won.priority == priority
    overridden = [d for d in ev.explain(list(path)).definitions if d.status != "won"]
    assert all(d.priority > priority for d in overridden)


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_set_beats_overlay_unless_forced(case, base, with_overlay):
    overlay, path, priority, value = case
    ev = with_overlay[overlay]
    other = other_value(path, value, base_value(base, path))
    text, expected = set_text(other), other
    dotted = ".".join(f'"{p}"' if "." in p else p for p in path)
    with_set = ev.extend_modules([set_module(ev, parse_set_arg(f"{dotted}={text}"))])
    if priority == 50:  # !force: a plain --set loses; --force-set (also 50) is a conflict
        assert value_at(with_set, path) == value
        assert winner(with_set, path).file == str(OVERLAYS[overlay])
        forced = ev.extend_modules([set_module(ev, parse_set_arg(f"{dotted}={text}", force=True))])
        with pytest.raises(ModsysError, match="conflicting definition values") as err:
            to_plain(_read(forced, path))
        assert str(OVERLAYS[overlay]) in str(err.value) and FORCE_SET_FILE in str(err.value)
        stronger = {"_file": "stronger.py"}
        node = mk_override(10, other)
        for part in reversed(path):
            node = {part: node}
        overridden = ev.extend_modules([{**stronger, **node}])
        assert value_at(overridden, path) == expected
        assert winner(overridden, path).file == "stronger.py"
    else:
        assert value_at(with_set, path) == expected
        assert winner(with_set, path).file == SET_FILE


def test_entry_module_values_beat_the_overlay():
    """examples/local.py defines plain values: they win over the development overlay."""
    ev = evaluate(OVERLAYS["development"].parents[1] / "local.py")
    assert ev.config.projects.wookie.istio.version == "1_24_2"
    assert ev.config.projects.wookie.pxc.size == 1  # from the overlay: the example leaves it alone
