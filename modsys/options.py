"""Option declarations (`mk_option`) and how several declarations of one option combine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import attrs

from modsys import types as t
from modsys.errors import DeclarationError, Location
from modsys.merge import NOTHING
from modsys.show import show_option


@attrs.frozen(slots=True, eq=False)
class OptionDecl:
    """What `mk_option` returns: a declaration; fields not given are NOTHING, not None."""

    type: Any = NOTHING
    default: Any = NOTHING
    default_text: Any = NOTHING
    example: Any = NOTHING
    description: Any = NOTHING
    apply: Callable[[Any], Any] | None = None
    read_only: bool = False
    visible: Any = True
    internal: bool = False
    sensitive: bool = False


def mk_option(
    type: Any = NOTHING,
    default: Any = NOTHING,
    default_text: Any = NOTHING,
    example: Any = NOTHING,
    description: Any = NOTHING,
    apply: Callable[[Any], Any] | None = None,
    read_only: bool = False,
    visible: Any = True,
    internal: bool = False,
    sensitive: bool = False,
) -> OptionDecl:
    """Declare an option (nixpkgs `lib.mkOption`).

    `type` checks and merges the definitions (default `types.unspecified`); `default` is used at
    priority 1500 when nothing else defines the option; `apply` post-processes the merged
    value; `read_only` allows one definition at most; `visible`/`internal` hide it from docs;
    `sensitive` keeps its value out of every output but rendered files.

        {"options": {"replicas": mk_option(type=types.ints.positive, default=1,
                                           description="Pod count.")}}
    """
    return OptionDecl(
        type, default, default_text, example, description, apply, read_only, visible, internal,
        sensitive,
    )


def mk_enable_option(name: str) -> OptionDecl:
    """A boolean option, off by default, described "Whether to enable NAME."
    (nixpkgs `lib.mkEnableOption`).

        {"options": {"web": {"enable": mk_enable_option("the web service")}}}
    """
    return OptionDecl(t.bool, False, NOTHING, True, f"Whether to enable {name}.")


@attrs.define(slots=True)
class Declaration:
    """One declaration of an option: the `mk_option` value, and the file and line it is in."""

    file: str
    line: int | None
    option: OptionDecl


@attrs.define(slots=True)
class MergedDecl:
    """All declarations of one option folded together (nixpkgs' `mergeOptionDecls`)."""

    type: Any
    default: Any
    default_text: Any
    example: Any
    description: Any
    apply: Callable[[Any], Any] | None
    read_only: bool
    visible: Any
    internal: bool
    sensitive: bool
    declarations: list[str]
    positions: list[Location]


def merge_decls(loc: Sequence[str], decls: Sequence[Declaration]) -> MergedDecl:
    """Fold declarations in merge order; clashing fields or unmergeable types are errors."""
    first_file, first_line, first = decls[0].file, decls[0].line, decls[0].option
    if len(decls) == 1:  # fast path: one declaration is the result as it is
        ftype = first.type
        if ftype is NOTHING:
            ftype = t.unspecified
        elif ftype.sub_modules:
            mods = ftype.sub_modules
            ftype = ftype.subst_sub_modules([{"_file": first_file, "imports": [m]} for m in mods])
        return MergedDecl(
            ftype,
            first.default,
            first.default_text,
            first.example,
            first.description,
            first.apply,
            first.read_only,
            first.visible,
            first.internal,
            first.sensitive,
            [first_file],
            [Location(first_file, first_line)],
        )
    res = MergedDecl(
        type=first.type,
        default=first.default,
        default_text=first.default_text,
        example=first.example,
        description=first.description,
        apply=first.apply,
        read_only=first.read_only,
        visible=first.visible,
        internal=first.internal,
        sensitive=first.sensitive,
        declarations=[first_file],
        positions=[Location(first_file, first_line)],
    )
    sub_modules: list[Any] = []
    _collect_sub_modules(sub_modules, first_file, first.type)
    for decl in decls[1:]:
        file, line, opt = decl.file, decl.line, decl.option
        clash = (
            (opt.default is not NOTHING and res.default is not NOTHING)
            or (opt.example is not NOTHING and res.example is not NOTHING)
            or (opt.description is not NOTHING and res.description is not NOTHING)
            or (opt.apply is not None and res.apply is not None)
        )
        if opt.type is not NOTHING and res.type is not NOTHING:
            merged = res.type.type_merge(opt.type)
            if merged is None:
                clash = True
        else:
            merged = opt.type if res.type is NOTHING else res.type
        if clash:
            raise DeclarationError(
                f"The option `{show_option(loc)}' in `{file}' is already declared in "
                + " and ".join(f"`{f}'" for f in res.declarations)
                + ".",
                loc,
                [*res.positions, Location(file, line)],
            )
        res.type = merged
        for field in ("default", "default_text", "example", "description"):
            if getattr(res, field) is NOTHING:
                setattr(res, field, getattr(opt, field))
        if res.apply is None:
            res.apply = opt.apply
        res.sensitive = res.sensitive or opt.sensitive
        res.declarations.append(file)
        res.positions.append(Location(file, line))
        _collect_sub_modules(sub_modules, file, opt.type)
    if res.type is NOTHING:
        res.type = t.unspecified
    elif sub_modules and res.type.sub_modules is not None:
        res.type = res.type.subst_sub_modules(sub_modules)
    return res


def _collect_sub_modules(out: list[Any], file: str, type_: Any) -> None:
    if type_ is NOTHING:
        return
    mods = type_.sub_modules
    if mods:  # each declaration's modules go in front of the earlier ones, as in nixpkgs
        out[:0] = [{"_file": file, "imports": [m]} for m in mods]


t.register_options_api(SimpleNamespace(OptionDecl=OptionDecl, Declaration=Declaration, merge_decls=merge_decls))
