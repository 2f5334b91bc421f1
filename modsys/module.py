"""Loading modules of every shape into one normalised record (nixpkgs' `unifyModuleSyntax`).

A module is a dict (full form with `options`/`config`, or shorthand), a function returning one,
a bare property (`mk_if`, `mk_force`, `mk_merge`), or a path to a `.py`, `.yaml`/`.yml` or
`.json` file.
"""

from __future__ import annotations

import inspect
import os
import runpy
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs

from modsys.errors import EvaluationError, InvalidModuleError, Location, ModsysError
from modsys.lazy import NotAThunk
from modsys.merge import LineInfo
from modsys.properties import If, Merge, Override

FULL_FORM_KEYS = frozenset(
    {"_class", "_file", "key", "disabled_modules", "imports", "options", "config", "meta", "freeform_type"}
)
SHORTHAND_META_KEYS = frozenset(
    {"_class", "_file", "key", "disabled_modules", "imports", "freeform_type", "require"}
)
MODULE_SUFFIXES = (".py", ".yaml", ".yml", ".json")
#: Data modules: plain data, never code (see `docs/modules.md`, "Data modules run no code").
DATA_SUFFIXES = (".yaml", ".yml", ".json")

#: The file the engine's own definitions (the `_module` options, `name`) are attributed to.
INTERNAL_FILE = "<modsys internal>"

#: the `options` of a module that declares none (shared; never mutated)
_NO_OPTIONS: Mapping[str, Any] = {}


class EvaluationResult:
    """Marker base of `Evaluation`: loading refuses one as a module (nixpkgs: a value of type
    "configuration") without depending on the evaluation, which depends on loading."""

    __slots__ = ()


@attrs.define(slots=True, eq=False)
class Module:
    """A normalised module: where it is from, what it imports, declares and defines."""

    file: str
    key: str
    imports: Sequence[Any]
    disabled: Sequence[Any]
    options: Any
    config: Any
    lines: LineInfo | None = None
    class_: str | None = None
    children: Sequence[Module] = ()
    decl_lines: LineInfo | None = None
    #: a data module (YAML/JSON, or an inline module attributed to one): imports only data
    data: bool = False

    @classmethod
    def config_only(
        cls, file: str, config: Any, lines: LineInfo | None = None, key: str = ""
    ) -> Module:
        """A module that only defines config (a submodule definition, a `--set`)."""
        return cls(file, key, (), (), _NO_OPTIONS, config, lines)


@attrs.define(slots=True)
class _Signature:
    names: tuple[str, ...]
    var_keyword: bool


_SIGNATURES: dict[Any, _Signature] = {}


def function_signature(fn: Callable[..., Any]) -> _Signature:
    code = getattr(fn, "__code__", None)
    cache_key = code if code is not None else fn
    sig = _SIGNATURES.get(cache_key)
    if sig is None:
        params = inspect.signature(fn).parameters.values()
        sig = _Signature(
            tuple(
                p.name
                for p in params
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            ),
            any(p.kind == p.VAR_KEYWORD for p in params),
        )
        _SIGNATURES[cache_key] = sig
    return sig


@attrs.define(slots=True)
class _LoadedFile:
    """A module file as loaded, and the modification time and size it had then."""

    stamp: tuple[int, int]
    value: Any
    lines: LineInfo | None


_FILE_CACHE: dict[str, _LoadedFile] = {}


def is_module_path(value: Any) -> bool:
    """Whether a definition names a module file: a path object, or a string that is absolute,
    starts with `./`, `../` or `~`, or ends in a module suffix (`web.yaml`)."""
    if isinstance(value, PurePath):
        return True
    return type(value) is str and (
        value.startswith(("/", "./", "../", "~")) or value.endswith(MODULE_SUFFIXES)
    )


def is_data_file(file: str) -> bool:
    """Whether definitions attributed to `file` come from a data module (YAML or JSON)."""
    return file.split(", via option")[0].endswith(DATA_SUFFIXES)


def resolve_path(item: str | PurePath, base_file: str | None) -> Path:
    """A module path, relative to the file that names it (or the working directory)."""
    try:
        p = Path(os.path.expanduser(str(item)))
        if not p.is_absolute() and base_file and not base_file.startswith("<"):
            base = Path(base_file.split(", via option")[0]).parent
            p = base / p
        if p.is_dir() and (p / "default.py").exists():
            p = p / "default.py"
        return p.resolve() if p.exists() else p.absolute()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, a loop of symlinks
        shown = str(item) if len(str(item)) <= 120 else str(item)[:120] + "…"
        where = [Location(base_file)] if base_file else []
        raise InvalidModuleError(
            f"cannot load module `{shown}'"
            + (f" (named in `{base_file}')" if base_file else "")
            + f": {getattr(exc, 'strerror', None) or exc}",
            (),
            where,
        ) from None


def load_file(path: Path) -> tuple[Any, LineInfo | None]:
    """The module a file holds, cached while the file is unchanged."""
    spath = str(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise InvalidModuleError(f"cannot load module `{spath}': {exc.strerror or exc}", (), [Location(spath)]) from exc
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
        raise InvalidModuleError(
            f"cannot load module `{spath}': not a regular file", (), [Location(spath)]
        )
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _FILE_CACHE.get(spath)
    if hit is not None and hit.stamp == stamp:
        return hit.value, hit.lines
    suffix = path.suffix
    lines: LineInfo | None = None
    if suffix == ".py":
        try:
            namespace = runpy.run_path(spath, run_name=f"modsys_module_{abs(hash(spath))}")
        except ModsysError:
            raise
        except SyntaxError as exc:
            raise InvalidModuleError(
                f"{spath}:{exc.lineno}: syntax error in module: {exc.msg}", (), [Location(spath, exc.lineno)]
            ) from exc
        except Exception as exc:
            raise EvaluationError(
                f"error while loading module `{spath}': {type(exc).__name__}: {exc}", (), [Location(spath)]
            ) from exc
        if "module" not in namespace:
            raise InvalidModuleError(
                f"module file `{spath}' defines no top-level `module' (a dict or a function "
                f"returning one)",
                (),
                [Location(spath)],
            )
        value = namespace["module"]
        from modsys.pylines import definition_lines

        table = definition_lines(path.read_text(encoding="utf-8", errors="replace"))
        lines = LineInfo(table) if table else None
    elif suffix in (".yaml", ".yml"):
        from modsys.yamlload import load_yaml_module

        value, table = load_yaml_module(path)
        lines = LineInfo(table) if table else None
        _check_data_document(value, spath)
    elif suffix == ".json":
        from modsys.yamlload import load_json_module

        value, table = load_json_module(path)
        lines = LineInfo(table) if table else None
        _check_data_document(value, spath)
    else:
        raise InvalidModuleError(
            f"cannot load module `{spath}': expected a .py, .yaml, .yml or .json file",
            (),
            [Location(spath)],
        )
    _FILE_CACHE[spath] = _LoadedFile(stamp, value, lines)
    return value, lines


def _check_data_document(value: Any, file: str) -> None:
    """A data module is a mapping (or a property of one): never a path, so it runs no code."""
    if isinstance(value, (If, Override, Merge)):
        return
    if not isinstance(value, Mapping):
        raise InvalidModuleError(
            f"{file}: a YAML/JSON module must be a mapping of options (or empty), not a "
            f"{_type_name(value)}; a data module cannot name another module as its whole "
            f"content: use `imports: [...]' (data modules only)",
            (),
            [Location(file)],
        )
    if "_file" in value:
        raise InvalidModuleError(
            f"{file}: `_file' is not allowed in a YAML/JSON module (its definitions are "
            f"attributed to the file itself)",
            (),
            [Location(file)],
        )


def _module_list(value: Mapping[str, Any], field: str, file: str) -> list[Any]:
    """`imports`, `disabled_modules` or `require`: a list (absent or null: empty)."""
    items = value.get(field)
    if items is None:
        return []
    if not isinstance(items, (list, tuple)):
        raise InvalidModuleError(
            f"`{field}' of the module `{file}' must be a list, not {_type_name(items)} {items!r}"[:200]
            + (f" (write `{field}: [{items}]')" if isinstance(items, (str, PurePath)) else ""),
            (),
            [Location(file)],
        )
    return list(items)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "int"
    return type(value).__name__


def normalize(
    value: Any,
    file: str,
    key: str,
    call: Callable[[Callable[..., Any], str, str], Any],
    lines: LineInfo | None = None,
) -> Module:
    """Turn any module shape into a `Module`; `call` applies a function module to its arguments."""
    if type(value) is dict:  # the common case: skip the checks for other shapes
        return _normalize_mapping(value, file, key, lines)
    if isinstance(value, Module):
        return value
    if isinstance(value, (str, PurePath)):
        path = resolve_path(value, None)
        data, file_lines = load_file(path)
        return normalize(data, str(path), str(path), call, file_lines)
    if isinstance(value, (If, Override, Merge)):
        return Module(file, key, (), (), _NO_OPTIONS, value, lines)
    if callable(value) and not isinstance(value, (NotAThunk, type)):
        return normalize(call(value, file, key), file, key, call, lines)
    if isinstance(value, EvaluationResult):
        raise InvalidModuleError(
            f"Expected a module, but found a value of type \"configuration\", while trying to "
            f"load a module into `{file}'. An evaluation result is not a module: pass its "
            f"modules instead, or use `evaluation.extend_modules(...)`.",
            (),
            [Location(file)],
        )
    if isinstance(value, (list, tuple)):
        raise InvalidModuleError(
            f"Module imports can't be nested lists. Perhaps you meant to remove one level of "
            f"lists? Definitions: `{file}'",
            (),
            [Location(file)],
        )
    if not isinstance(value, Mapping):
        raise InvalidModuleError(
            f"Expected a module, but found a value of type \"{_type_name(value)}\", while trying "
            f"to load a module into `{file}'.",
            (),
            [Location(file)],
        )
    return _normalize_mapping(value, file, key, lines)


def _normalize_mapping(
    value: Mapping[str, Any], file: str, key: str, lines: LineInfo | None
) -> Module:
    if "_file" in value:
        file = str(value["_file"])
    if "key" in value:
        key = str(value["key"])
    imports: Sequence[Any] = _module_list(value, "imports", file) or ()
    disabled: Sequence[Any] = _module_list(value, "disabled_modules", file) or ()
    class_ = value.get("_class")
    if "options" in value or "config" in value:
        extra = () if FULL_FORM_KEYS.issuperset(value) else sorted(set(value) - FULL_FORM_KEYS)
        if extra:
            raise InvalidModuleError(
                f"Module `{key}' has an unsupported attribute `{extra[0]}'. This is caused by "
                f"introducing a top-level `config' or `options' attribute. Add configuration "
                f"attributes immediately on the top level instead, or move all of them (namely: "
                f"{' '.join(extra)}) into the explicit `config' attribute.",
                (),
                [Location(file)],
            )
        options = value.get("options", _NO_OPTIONS)
        config = value.get("config", {})
        config_lines = lines.child("config") if lines else None
        decl_lines = lines.child("options") if lines else None
        if "meta" in value:
            config = Merge([config, {"meta": value["meta"]}])
    else:
        options = _NO_OPTIONS
        config = {k: v for k, v in value.items() if k not in SHORTHAND_META_KEYS}
        require = _module_list(value, "require", file)
        if require:
            imports = [*require, *imports]
        config_lines = lines
        decl_lines = None
    if "freeform_type" in value:
        config = Merge([config, {"_module": {"freeformType": value["freeform_type"]}}])
    return Module(
        file, key, imports, disabled, options, config, config_lines, class_, decl_lines=decl_lines
    )
