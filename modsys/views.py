"""`config` and `options` as module code sees them: views of an evaluation, computed on demand."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from modsys.decltree import DeclLeaf, DeclNode
from modsys.deps import FRAMES
from modsys.errors import InvalidModuleError, MissingAttributeError
from modsys.lazy import NotAThunk
from modsys.option import Option
from modsys.plain import to_plain
from modsys.show import did_you_mean, show_option

if TYPE_CHECKING:
    from modsys.definitions import Level
    from modsys.evaluation import Evaluation


class ConfigView(Mapping[str, Any], NotAThunk):
    """`config` at one namespace level: attribute and item access, computed on demand."""

    __slots__ = ("_cache", "_ev", "_freeform", "_hide_module", "_level")

    def __init__(self, ev: Evaluation, level: Level | None, freeform: Any, hide_module: bool):
        self._ev = ev
        self._level = level
        self._freeform = freeform
        self._hide_module = hide_module
        self._cache: dict[str, Any] = {}

    def _lvl(self) -> Level:
        ev = self._ev
        if ev._collecting:
            raise InvalidModuleError(
                "`config` was read while modules were still being collected (in `imports`, or "
                "at the top level of a module function). Module structure cannot depend on "
                "configuration values: wrap the read in a thunk (`lambda: config.x`), use "
                "`mk_if(lambda: config.x, ...)` for conditional definitions, or pass the value "
                "through `special_args`.",
                ev.prefix,
            )
        level = self._level
        if level is None:
            level = self._level = ev.root
        return level

    def __getitem__(self, key: str) -> Any:
        cache = self._cache
        if key in cache:
            v = cache[key]
            if type(v) is Option:
                return v.value  # records the read (`modsys.deps`)
            if FRAMES and type(v) is not ConfigView:
                FRAMES[-1].extend(self._ev._freeform_deps)
            return v
        level = self._lvl()
        child = level.children.get(key)
        if child is None or (self._hide_module and key == "_module"):
            ff = self._ff()
            if ff is not None and key in ff:
                v = ff[key]
                cache[key] = v
                if FRAMES:
                    FRAMES[-1].extend(self._ev._freeform_deps)
                return v
            raise MissingAttributeError(
                f"The option `{show_option((*level.loc, key))}' does not exist"
                + did_you_mean(level.loc, key, [n for n in self._keys() if n != key]),
                (*level.loc, key),
            )
        if type(child) is Option:
            v = child.value
            cache[key] = child
            return v
        ff = self._ff()
        sub = ff.get(key) if ff is not None else None
        v = ConfigView(
            self._ev, child, sub if isinstance(sub, Mapping) else None, False  # type: ignore[arg-type]
        )
        cache[key] = v
        return v

    def _ff(self) -> Any:
        ff = self._freeform
        if ff is None and self._lvl().loc == self._ev.prefix:
            ff = self._freeform = self._ev.freeform_config()
        return ff

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def _keys(self) -> list[str]:
        level = self._lvl()
        names = set(level.children)
        if self._hide_module:
            names.discard("_module")
        ff = self._ff()
        if ff is not None:
            names.update(ff)
        return sorted(names)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        level = self._lvl()
        if key in level.children and not (self._hide_module and key == "_module"):
            return True
        ff = self._ff()
        return ff is not None and key in ff

    def __dir__(self) -> list[str]:
        return self._keys()

    def __repr__(self) -> str:
        return f"<config {show_option(self._lvl().loc) or '(root)'}>"

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)


class OptionsView:
    """`options` at one namespace level: children are `Option`s or further `OptionsView`s.

    Navigation uses declarations only, so module code may test `"x" in options` while the
    definitions are still being split up (declarations never depend on definitions).
    """

    __slots__ = ("_decl", "_ev")

    def __init__(self, ev: Evaluation, decl: DeclNode | None) -> None:
        self._ev = ev
        self._decl = decl

    def _node(self) -> DeclNode:
        ev = self._ev
        if ev._collecting:
            raise InvalidModuleError(
                "`options` was read while modules were still being collected; read it inside a "
                "thunk (`lambda: ...`) instead.",
                ev.prefix,
            )
        if self._decl is None:
            self._decl = ev._decls
        return self._decl

    def __getitem__(self, key: str) -> Any:
        node = self._node()
        child = node.child(key)
        if child is None:
            raise MissingAttributeError(
                f"The option `{show_option((*node.loc, key))}' does not exist"
                + did_you_mean(node.loc, key, node.names()),
                (*node.loc, key),
            )
        if isinstance(child, DeclLeaf):
            return self._ev.option_for(child)
        return OptionsView(self._ev, child)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __contains__(self, key: object) -> bool:
        return key in self._node().entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def keys(self) -> list[str]:
        return sorted(self._node().entries)

    def items(self) -> list[tuple[str, Any]]:
        return [(k, self[k]) for k in self.keys()]

    def __len__(self) -> int:
        return len(self._node().entries)

    @property
    def loc(self) -> tuple[str, ...]:
        return self._node().loc

    def __repr__(self) -> str:
        return f"<options {show_option(self._node().loc) or '(root)'}>"
