"""Module collection: loading every module an evaluation imports, in order, once each
(nixpkgs' `collectModules`), leaving out `disabled_modules`."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs

from modsys.errors import InvalidModuleError, Location
from modsys.internal import _internal_module
from modsys.module import DATA_SUFFIXES, Module, is_data_file, normalize, resolve_path


class ModuleCollector:
    """The module collection of an `Evaluation` (a mixin: `Evaluation.__init__` sets it up)."""

    __slots__ = ("_any_disabled", "_loaded")

    _any_disabled: bool
    _loaded: dict[str, Module]
    # the evaluation's
    prefix: tuple[str, ...]
    special_args: dict[str, Any]
    class_: str | None
    _call: Callable[[Callable[..., Any], str, str], Any]

    def _load(
        self, value: Any, parent_file: str, parent_key: str, index: int, data: bool = False
    ) -> Module:
        """Load one module; `data`: it is named by a data module, so it must be one too."""
        lines = None
        if isinstance(value, (str, PurePath)):
            path = resolve_path(value, parent_file)
            spath = str(path)
            if data and not spath.endswith(DATA_SUFFIXES):
                raise InvalidModuleError(
                    f"`{parent_file}' is a data module (YAML/JSON), which may import only data "
                    f"modules (.yaml, .yml, .json), not `{value}': import Python modules from a "
                    f"Python module or on the command line",
                    self.prefix,
                    [Location(parent_file)],
                )
            hit = self._loaded.get(spath)
            if hit is not None:
                return hit
            file = key = spath
            from modsys.module import load_file

            value, lines = load_file(path)
        else:
            file = parent_file
            key = f"{parent_key}:anon-{index}"
            spath = None
        if isinstance(value, Module):
            m = value
            if not m.key:
                m = attrs.evolve(m, key=key)
        else:
            m = normalize(value, file, key, self._call, lines)
        if data or is_data_file(m.file) or (spath is not None and is_data_file(spath)):
            m.data = True
        if spath is not None:
            self._loaded[spath] = m
        if m.disabled:
            self._any_disabled = True
        if self.class_ is not None and m.class_ is not None and m.class_ != self.class_:
            raise InvalidModuleError(
                f"The module `{m.file}` (class: \"{m.class_}\") cannot be imported into a module "
                f"evaluation that expects class \"{self.class_}\".",
                self.prefix,
                [Location(m.file)],
            )
        if m.imports:
            m.children = [
                self._load(imp, m.file, m.key, i, m.data) for i, imp in enumerate(m.imports, 1)
            ]
        return m

    def _disabled_key(self, item: Any, file: str, data: bool = False) -> str:
        if isinstance(item, (str, PurePath)):
            path = resolve_path(item, file)
            if path.is_file():  # the key the file's module carries (its path, or its own `key`)
                hit = self._loaded.get(str(path))
                if hit is not None:
                    return hit.key
                if data and not str(path).endswith(DATA_SUFFIXES):
                    # a data module runs no code: a Python file not loaded yet is named by path
                    return str(path)
                return self._load(item, file, "", 0, data).key
            return str(item)  # a module key, such as "modsys:targets/local-k3d"
        if isinstance(item, Mapping):
            if "key" in item:
                return str(item["key"])
            raise InvalidModuleError(
                f"Module `{file}` contains a disabledModules item that is an attribute set, "
                f"presumably a module, that does not have a `key` attribute. This means that the "
                f"module system doesn't have any means to identify the module that should be "
                f"disabled. Make sure that you've put the correct value in disabledModules: a "
                f"string path relative to modulesPath, a path value, or an attribute set with a "
                f"`key` attribute.",
                self.prefix,
                [Location(file)],
            )
        raise InvalidModuleError(
            f"Each disabledModules item must be a path, string, or an attribute set with a key "
            f"attribute, or a value supported by toString. However, one of the disabledModules "
            f"items in `{file}` is none of that, but is of type {type(item).__name__}.",
            self.prefix,
            [Location(file)],
        )

    def _collect(self, modules: Sequence[Any]) -> list[Module]:
        top = [self._load(m, "<unknown-file>", "", i) for i, m in enumerate(modules, 1)]
        top.append(_internal_module(self.special_args, bool(self.prefix)))
        disabled: set[str] = set()
        stack = list(top) if self._any_disabled else []
        seen_ids: set[int] = set()
        while stack:
            m = stack.pop()
            if id(m) in seen_ids:
                continue
            seen_ids.add(id(m))
            for item in m.disabled:
                disabled.add(self._disabled_key(item, m.file, m.data))
            stack.extend(m.children)
        out: list[Module] = []
        seen: dict[str, Module] = {}
        queue = deque(top)
        while queue:
            m = queue.popleft()
            if m.key in disabled:
                continue
            first = seen.get(m.key)
            if first is None:
                seen[m.key] = m
            elif first is m or not self._different_files_one_key(first, m):
                continue
            out.append(m)
            queue.extend(m.children)
        out.reverse()
        return out

    def _different_files_one_key(self, first: Module, other: Module) -> bool:
        """Whether `other` is a different module file that carries `first`'s key.

        A key deduplicates one module imported from several places: the same file, or an
        identical copy of it (the bundled tree installed with the package and the same tree in
        a source checkout). A file whose content differs is a different module even when it
        kept the key (a user's edited copy of a bundled module): both count, so its option
        declarations clash loudly with the original's instead of one silently replacing the
        other. `disabled_modules` is the way to replace a module, as in NixOS.
        """
        loaded = self._loaded
        if loaded.get(first.file) is not first or loaded.get(other.file) is not other:
            return False  # not whole files: inline modules with a `key`, dedup by key alone
        if first.file == other.file:
            return False
        try:
            return Path(first.file).read_bytes() != Path(other.file).read_bytes()
        except OSError:
            return True
