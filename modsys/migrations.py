"""Option-migration modules: renamed, aliased, removed and changed options.

Each helper returns a module. Unlike nixpkgs they import `assertions_module` themselves, so the
warnings and assertions they emit always have an option to go to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from modsys import types as t
from modsys.assertions import assertions_module
from modsys.errors import EvaluationError
from modsys.merge import Def
from modsys.options import mk_option
from modsys.properties import If, mk_definition, mk_if, mk_merge, mk_override
from modsys.show import show_files, show_option

_MERGED_SENTINEL = "_mkMergedOptionModule"


def _get(root: Any, path: Sequence[str]) -> Any:
    for p in path:
        root = root[p]
    return root


def _nest(path: Sequence[str], value: Any) -> dict[str, Any]:
    out: Any = value
    for p in reversed(path):
        out = {p: out}
    return out


class _TypeOf(t.Type):
    """The type of another option, looked up when first needed (declarations are lazy)."""

    def __init__(self, lookup: Callable[[], t.Type]) -> None:
        self._lookup = lookup
        self._resolved: t.Type | None = None

    def _t(self) -> t.Type:
        if self._resolved is None:
            try:
                self._resolved = self._lookup()
            except Exception:
                self._resolved = t.submodule({})
        return self._resolved

    @property
    def name(self) -> str:  # type: ignore[override]
        return self._t().name

    @property
    def description(self) -> str:  # type: ignore[override]
        return self._t().description

    @property
    def v2(self) -> bool:  # type: ignore[override]
        return self._t().v2

    def check(self, value: Any) -> bool:
        return self._t().check(value)

    def head_error(self, loc: Sequence[str], defs: Sequence[Def]) -> str | None:
        return self._t().head_error(loc, defs)

    def merge(self, loc: Sequence[str], defs: Sequence[Def]) -> Any:
        return self._t().merge(loc, defs)

    def empty_value(self, loc: Sequence[str]) -> Any:
        return self._t().empty_value(loc)


def _do_rename(
    from_path: Sequence[str], to_path: Sequence[str], *, visible: bool, warn: bool,
    with_priority: bool = True,
) -> Callable[..., Any]:
    from_path, to_path = list(from_path), list(to_path)
    to_shown = show_option(to_path)

    def module(config: Any, options: Any) -> Any:
        def from_opt() -> Any:
            return _get(options, from_path)

        def forwarded() -> Any:
            opt = from_opt()
            prio = opt.highest_prio
            return mk_merge(
                mk_definition(
                    d.file, mk_override(prio, d.value) if with_priority else d.value, d.line
                )
                for d in opt.definitions_with_locations
            )

        def is_defined() -> bool:
            return bool(from_opt().is_defined)

        config_: dict[str, Any] = _nest(to_path, If(is_defined, forwarded))
        if warn:
            config_["warnings"] = mk_if(
                is_defined,
                lambda: [
                    f"The option `{show_option(from_path)}' defined in "
                    f"{show_files(from_opt().files)} has been renamed to `{to_shown}'."
                ],
            )
        return {
            "imports": [assertions_module],
            "options": _nest(
                from_path,
                mk_option(
                    type=_TypeOf(lambda: _get(options, to_path).type),
                    visible=visible,
                    description=f"Alias of `{to_shown}`.",
                    apply=lambda _value: _get(config, to_path),
                ),
            ),
            "config": config_,
        }

    return module


def mk_renamed_option_module(from_path: Sequence[str], to_path: Sequence[str]) -> Any:
    """`from_path` was renamed to `to_path`: forward its definitions, with a warning."""
    return _do_rename(from_path, to_path, visible=False, warn=True)


def mk_alias_option_module(from_path: Sequence[str], to_path: Sequence[str]) -> Any:
    """`from_path` is another name for `to_path`, silently."""
    return _do_rename(from_path, to_path, visible=True, warn=False)


def mk_removed_option_module(path: Sequence[str], why: str) -> Any:
    """`path` no longer exists: reading it fails, and setting it fails the assertions."""
    path = list(path)
    shown = show_option(path)

    def refuse(_value: Any) -> Any:
        raise EvaluationError(
            f"The option `{shown}' can no longer be used since it's been removed. {why}", path
        )

    def module(options: Any) -> Any:
        def assertion() -> list[dict[str, Any]]:
            opt = _get(options, path)
            return [
                {
                    "assertion": not opt.is_defined,
                    "message": f"The option definition `{shown}' in {show_files(opt.files)} no "
                    f"longer has any effect; please remove it.\n{why}\n",
                }
            ]

        return {
            "imports": [assertions_module],
            "options": _nest(path, mk_option(visible=False, apply=refuse)),
            "config": {"assertions": assertion},
        }

    return module


def mk_merged_option_module(
    from_paths: Sequence[Sequence[str]], to_path: Sequence[str], merge_fn: Callable[[Any], Any]
) -> Any:
    """Several old options became one new one; `merge_fn(config)` computes its value."""
    froms = [list(p) for p in from_paths]
    to_path = list(to_path)

    def module(config: Any, options: Any) -> Any:
        def any_set() -> bool:
            return any(_get(config, p) != _MERGED_SENTINEL for p in froms)

        def warnings() -> list[str]:
            out = []
            for p in froms:
                if _get(config, p) != _MERGED_SENTINEL:
                    opt = _get(options, p)
                    out.append(
                        f"The option `{show_option(p)}' defined in {show_files(opt.files)} has "
                        f"been changed to `{show_option(to_path)}' that has a different type. "
                        f"Please read `{show_option(to_path)}' documentation and update your "
                        f"configuration accordingly."
                    )
            return out

        opts: dict[str, Any] = {}
        for p in froms:
            _deep_set(opts, p, mk_option(visible=False, default=_MERGED_SENTINEL))
        cfg = _nest(to_path, mk_if(any_set, lambda: merge_fn(config)))
        cfg["warnings"] = warnings
        return {"imports": [assertions_module], "options": opts, "config": cfg}

    return module


def mk_changed_option_module(
    from_path: Sequence[str], to_path: Sequence[str], fn: Callable[[Any], Any]
) -> Any:
    """`from_path` became `to_path` with a different type; `fn(config)` converts the value."""
    return mk_merged_option_module([from_path], to_path, fn)


def _deep_set(tree: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for p in path[:-1]:
        tree = tree.setdefault(p, {})
    tree[path[-1]] = value
