"""`modsys why`: where an option's value comes from, definition by definition."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from modsys.cli.common import Style, secret_fields
from modsys.lazy import is_thunk

#: `why --show-secrets`: Secrets' data is shown too (set while one explanation is formatted)
_SHOWING: list[bool] = []


def _hide() -> Any:
    """The Secret rule, or None under `--show-secrets`."""
    return None if _SHOWING and _SHOWING[-1] else secret_fields()


def _value_text(value: Any, redact: bool, path: tuple[Any, ...] = (), limit: int = 200) -> str:
    from modsys.dump import REDACTED_TEXT

    if redact:
        return REDACTED_TEXT
    try:
        text = render_definition(value, 0, path)
    except Exception as exc:  # a definition that fails to evaluate still gets listed
        text = f"<error: {exc}>"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def render_definition(value: Any, depth: int = 0, path: tuple[Any, ...] = ()) -> str:
    """A compact one-line rendering of a definition, properties shown as the calls that made
    them (`mk_force(5)`), Secrets' data redacted."""
    from collections.abc import Mapping

    from modsys.dump import PRIORITY_NAMES, has_own_text, plain, scalar, to_json
    from modsys.evaluation import ConfigView
    from modsys.lazy import force
    from modsys.properties import Definition, If, Merge, Order, Override

    if depth > 12:
        return "…"
    value = force(value)
    t = type(value)
    if t is Override:
        name = PRIORITY_NAMES.get(value.priority)
        inner = render_definition(value.content, depth + 1, path)
        if name and name != "option default":
            return f"{name}({inner})"
        return f"mk_override({value.priority}, {inner})"
    if t is Order:
        inner = render_definition(value.content, depth + 1, path)
        named = {500: "mk_before", 1500: "mk_after"}.get(value.priority)
        return f"{named}({inner})" if named else f"mk_order({value.priority}, {inner})"
    if t is If:
        cond = value.condition
        try:
            shown = "true" if force(cond) is True else "false"
        except Exception:
            shown = "<error>"
        return f"mk_if({shown}, {render_definition(value.content, depth + 1, path)})"
    if t is Merge:
        return "mk_merge([" + ", ".join(
            render_definition(c, depth + 1, path) for c in value.contents
        ) + "])"
    if t is Definition:
        return render_definition(value.value, depth, path)
    if isinstance(value, ConfigView):
        showing = bool(_SHOWING and _SHOWING[-1])
        return to_json(plain(value, hide=_hide(), show_secrets=showing), indent=None)
    if isinstance(value, Mapping):
        hide = _hide()
        secret = hide is not None and hide.when(
            {"kind": force(value.get("kind"))} if "kind" in value else {}, path
        )
        items = []
        for k, v in value.items():
            if secret and hide is not None and k in hide.names:
                items.append(f"{to_json(k, None)}: {_hidden_text(v, hide.shown)}")
            else:
                items.append(f"{to_json(k, None)}: {render_definition(v, depth + 1, (*path, k))}")
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(
            render_definition(v, depth + 1, (*path, i)) for i, v in enumerate(value)
        ) + "]"
    if isinstance(value, str):
        return to_json(value, None)
    if value is None or isinstance(value, (bool, int, float)):
        return scalar(value)
    if has_own_text(value):
        return str(value)
    return to_json(value, None)


def _hidden_text(value: Any, shown: Callable[[Any], bool]) -> str:
    """A hidden Secret field: its keys, each value `<redacted>` unless it is a reference."""
    from collections.abc import Mapping

    from modsys.dump import REDACTED_TEXT, describe_other, to_json
    from modsys.lazy import force

    try:
        value = force(value)
    except Exception:
        return REDACTED_TEXT
    if shown(value):
        return describe_other(value)
    if not isinstance(value, Mapping):
        return REDACTED_TEXT
    items = []
    for k in value:
        try:
            v = force(value[k])
        except Exception:
            v = None
        text = describe_other(v) if shown(v) else REDACTED_TEXT
        items.append(f"{to_json(k, None)}: {text}")
    return "{" + ", ".join(items) + "}"


def _status_text(rec: Any, st: Style) -> str:
    if rec.status == "won":
        return st("won", fg="green", bold=True)
    if rec.status == "overridden":
        return st("overridden", fg="yellow") + f": {rec.detail}"
    if rec.status == "condition false":
        return st("skipped", dim=True) + ": an mk_if condition was false"
    return st(rec.status, fg="red") + (f": {rec.detail}" if rec.detail else "")


def _conditions(rec: Any) -> str:
    if not rec.conditions:
        return ""
    shown = ", ".join("true" if c else "false" for c in rec.conditions)
    return f"mk_if: {shown}"


def _prio(priority: int) -> str:
    from modsys.dump import PRIORITY_NAMES

    name = PRIORITY_NAMES.get(priority)
    return f"{priority}, {name}" if name else str(priority)


def _verdict(expl: Any) -> str:
    defs = expl.definitions
    winners = [d for d in defs if d.status == "won"]
    losers = [d for d in defs if d.status == "overridden"]
    skipped = [d for d in defs if d.status == "condition false"]
    if not defs:
        return "no module defines this option" + (
            "; its type gives the value" if expl.error is None else ""
        )
    if not winners:
        reason = "no definition is active"
        if skipped:
            reason += f" ({len(skipped)} skipped because an mk_if condition was false)"
        return reason
    best = winners[0].priority
    if len(winners) == 1:
        w = winners[0]
        if w.is_default:
            text = "no module defines it, so the option's default applies"
            if skipped:
                text = (
                    f"no other definition is active ({len(skipped)} skipped because an mk_if "
                    f"condition was false), so the option's default applies"
                )
        elif losers:
            text = (
                f"it has the highest priority ({_prio(best)}; lower numbers win) and overrides "
                f"{len(losers)} other definition{'s' if len(losers) != 1 else ''}"
            )
        else:
            text = "it is the only active definition"
        return text
    merges = "cannot merge them (see the error below)" if expl.error else "merges them"
    return (
        f"{len(winners)} definitions share the highest priority ({_prio(best)}), so the type "
        f"`{expl.type}' {merges}"
        + (f"; they override {len(losers)} other{'s' if len(losers) != 1 else ''}" if losers else "")
    )


def declaring_option(ev: Any, parts: Sequence[str]) -> tuple[tuple[str, ...], tuple[Any, ...]] | None:
    """The nearest enclosing declared option of a path inside attrs-of entries: its path and
    declaration locations."""
    from modsys.explain import find_target

    for n in range(len(parts) - 1, 0, -1):
        try:
            target = find_target(ev, list(parts[:n]))
        except Exception:
            continue
        if target.declarations:
            return tuple(target.loc), tuple(target.declarations)
    return None


def explain_path(
    ev: Any, parts: Sequence[str], *, show_secrets: bool, show_file: Callable[[str], str], st: Style
) -> str:
    """`modsys why`: explain `parts`; a path inside a value that one definition sets as a whole
    (no per-key merge happened, so there is nothing to explain below it) is explained through
    its nearest explainable parent, with the value at the path itself."""
    from modsys.dump import REDACTED_TEXT, Redacted, select, to_yaml
    from modsys.errors import MissingAttributeError
    from modsys.show import show_option

    try:
        expl = ev.explain(list(parts))
    except MissingAttributeError as exc:
        if "is part of a value" not in str(exc):
            raise
        for n in range(len(parts) - 1, 0, -1):
            try:
                expl = ev.explain(list(parts[:n]))
            except MissingAttributeError:
                continue
            break
        else:
            raise
        value = select(
            ev.config, list(parts), show_secrets=show_secrets,
            hide=None if show_secrets else secret_fields(),
        )
        shown = REDACTED_TEXT if isinstance(value, Redacted) else to_yaml(value).rstrip("\n")
        head = (
            f"{st('note:', bold=True)} `{show_option(parts)}' is part of the value of "
            f"`{show_option(expl.path)}', which its definitions set as a whole; explaining that."
        )
        value_line = (
            f"{st('value at ' + show_option(parts) + ':', bold=True)}"
            + (("\n" + "\n".join("  " + ln for ln in shown.split("\n"))) if "\n" in shown else f" {shown}")
        )
        owner = declaring_option(ev, expl.path)
        body = format_explanation(
            expl, show_secrets=show_secrets, show_file=show_file, st=st, owner=owner
        )
        return f"{head}\n\n{body}\n{value_line}"
    owner = None if expl.declarations else declaring_option(ev, parts)
    hidden = not show_secrets and _in_hidden_field(ev, parts)
    return format_explanation(
        expl, show_secrets=show_secrets, show_file=show_file, st=st, owner=owner, hidden=hidden
    )


def _in_hidden_field(ev: Any, parts: Sequence[str]) -> bool:
    """Whether `parts` is (inside) a field the Secret rule hides, e.g. `…Secret.db.stringData`
    or one of its keys: its definitions are then redacted like a sensitive option's, references
    excepted."""
    from modsys.dump import Redacted, select

    hide = secret_fields()
    if not any(str(p) in hide.names for p in parts):
        return False
    try:
        value = select(ev.config, list(parts), hide=hide)
    except Exception:
        return False
    if isinstance(value, Redacted):
        return True
    return isinstance(value, dict) and any(isinstance(v, Redacted) for v in value.values())


def format_explanation(
    expl: Any,
    *,
    show_secrets: bool,
    show_file: Callable[[str], str],
    st: Style,
    owner: tuple[tuple[str, ...], tuple[Any, ...]] | None = None,
    hidden: bool = False,
) -> str:
    """The text `modsys why` prints for one `Explanation`; `hidden`: the path is (inside) a
    Secret's data, whose values are redacted except references (`<from env X>`)."""
    _SHOWING.append(show_secrets)
    try:
        return _format_explanation(expl, show_secrets, show_file, st, owner, hidden)
    finally:
        _SHOWING.pop()


def _format_explanation(
    expl: Any,
    show_secrets: bool,
    show_file: Callable[[str], str],
    st: Style,
    owner: tuple[tuple[str, ...], tuple[Any, ...]] | None,
    hidden: bool,
) -> str:
    from modsys.dump import NOTHING_TEXT, REDACTED_TEXT, plain, priority_text, to_yaml
    from modsys.merge import NOTHING
    from modsys.show import show_option

    secret = bool(expl.sensitive or getattr(expl, "secret", False))
    redact = secret and not show_secrets
    if hidden and not redact:
        return _format_hidden(expl, show_secrets, show_file, st, owner)
    # computed from a secret without being one: hide what holds the secret values it read,
    # show the rest (or hide it all when it holds none of them as they are)
    needles: list[Any] = []
    masked: Any = NOTHING
    if redact and not expl.sensitive and expl.error is None and expl.value is not NOTHING:
        from modsys.dump import Redacted, mask_with_needles, needles_of_values

        needles = needles_of_values(_secret_read_values(expl.reads))
        try:
            masked = mask_with_needles(
                plain(expl.value, path=tuple(expl.path), hide=_hide()), needles
            )
        except Exception:
            masked = NOTHING
        if masked is NOTHING or isinstance(masked, Redacted):
            needles, masked = [], NOTHING
        else:
            redact = False
    lines: list[str] = []
    lines.append(st(show_option(expl.path), bold=True))
    lines.append(f"  type:        {expl.type}")
    if expl.description:
        desc = " ".join(str(expl.description).split())
        if len(desc) > 300:
            desc = desc[:299] + "…"
        lines.append(f"  description: {desc}")
    if expl.declarations:
        for i, d in enumerate(expl.declarations):
            label = "declared in:" if i == 0 else "            "
            where = show_file(d.file) + (f":{d.line}" if d.line is not None else "")
            lines.append(f"  {label} {where}")
    elif owner is not None:
        opt_path, decls = owner
        for i, d in enumerate(decls):
            label = "declared in:" if i == 0 else "            "
            where = show_file(d.file) + (f":{d.line}" if d.line is not None else "")
            lines.append(f"  {label} {where} (within option `{show_option(opt_path)}')")
    else:
        lines.append("  declared in: (an entry of an attribute set; see the parent option)")
    if expl.sensitive:
        lines.append("  sensitive:   yes" + ("" if show_secrets else " (values redacted)"))
    elif secret:
        lines.append(
            "  secret:      computed from a sensitive value"
            + ("" if show_secrets else " (values redacted)")
        )
    lines.append("")
    defs = expl.definitions
    lines.append(
        st(f"definitions ({len(defs)}, in merge order):", bold=True)
        if defs
        else st("definitions: none", bold=True)
    )
    for i, rec in enumerate(defs, 1):
        where = show_file(rec.file) + (f":{rec.line}" if rec.line is not None else "")
        tag = " (option default)" if rec.is_default else ""
        lines.append(f"  {i}. {where}{tag}")
        order_name = {500: " (mk_before)", 1500: " (mk_after)"}.get(rec.order, "")
        facts = [priority_text(rec.priority), f"order {rec.order}{order_name}"]
        cond = _conditions(rec)
        if cond:
            facts.append(cond)
        lines.append(f"     {', '.join(facts)}")
        if rec.status == "condition false" and is_thunk(rec.value):
            shown = "(not evaluated: its mk_if condition is false)"
        else:
            shown = _value_text(rec.value, redact, tuple(expl.path))
            if needles:
                shown = _mask_text(shown, needles)
        lines.append(f"     value:  {shown}")
        lines.append(f"     status: {_status_text(rec, st)}")
    lines.append("")
    lines.append(f"{st('why:', bold=True)} {_verdict(expl)}")
    if expl.error is not None:
        from modsys.cli.common import shorten_paths

        lines.append(f"{st('error:', fg='red', bold=True)} {shorten_paths(expl.error)}")
    elif expl.value is NOTHING:
        lines.append(f"{st('value:', bold=True)} {NOTHING_TEXT}")
    else:
        if redact:
            text = REDACTED_TEXT
        elif masked is not NOTHING:
            text = to_yaml(masked).rstrip("\n")
        else:
            try:
                value = plain(
                    expl.value, path=tuple(expl.path), hide=_hide(), show_secrets=show_secrets
                )
                text = to_yaml(value).rstrip("\n")
            except Exception as exc:
                text = f"<error: {exc}>"
        if "\n" in text:
            lines.append(st("value:", bold=True))
            lines.extend("  " + ln for ln in text.split("\n"))
        else:
            lines.append(f"{st('value:', bold=True)} {text}")
    lines.extend(chain_lines(expl, show_secrets=show_secrets, show_file=show_file, st=st))
    return "\n".join(lines)


def _secret_read_values(reads: Sequence[Any]) -> list[Any]:
    """The values of the secret reads of an explanation, at any depth."""
    out: list[Any] = []
    for r in reads:
        if r.secret:
            out.append(r.value)
            out.extend(_secret_read_values(r.reads))
    return out


def _mask_text(text: str, needles: Sequence[Any]) -> str:
    """`text` with every secret string in it (as is, or as JSON spells it) `<redacted>`."""
    import json

    from modsys.dump import REDACTED_TEXT

    strs = sorted({n for n in needles if isinstance(n, str) and len(n) >= 3}, key=len, reverse=True)
    for n in strs:
        text = text.replace(n, REDACTED_TEXT)
        spelled = json.dumps(n, ensure_ascii=False)[1:-1]
        if spelled != n:
            text = text.replace(spelled, REDACTED_TEXT)
    return text


def _where(locs: Sequence[Any], show_file: Callable[[str], str]) -> str:
    shown = [show_file(d.file) + (f":{d.line}" if d.line is not None else "") for d in locs]
    return ", ".join(shown[:3]) + (f" (+{len(shown) - 3})" if len(shown) > 3 else "")


def _prio_tag(priority: int, is_default: bool) -> str:
    from modsys.dump import PRIORITY_NAMES

    if is_default:
        return " (option default)"
    if priority == 100:
        return ""
    name = PRIORITY_NAMES.get(priority)
    return f" ({name})" if name else f" (priority {priority})"


def _short(value: Any, redact: bool) -> str:
    from modsys.dump import REDACTED_TEXT, plain, to_json

    if redact:
        return REDACTED_TEXT
    try:
        text = to_json(plain(value, hide=_hide(), show_secrets=not _hide()), indent=None)
    except Exception as exc:
        text = f"<error: {exc}>"
    return text if len(text) <= 80 else text[:79] + "…"


_OTHERS = 12


def _same_value_reads(value: Any, reads: Sequence[Any]) -> list[Any]:
    """The reads whose value is `value` (a scalar): where a copied value came from."""
    if value is None or type(value) not in (str, int, float, bool):
        return []
    return [r for r in reads if type(r.value) is type(value) and r.value == value]


def chain_lines(
    expl: Any, *, show_secrets: bool, show_file: Callable[[str], str], st: Style
) -> list[str]:
    """The `computed from:` section: the options the value was computed from and, recursively,
    where those came from, e.g. `replicas = 3 ← projects/shop/default.py:42 read
    projects.shop.api.replicas = 3 ← overlays/prod.yaml:7 (mk_force)`."""
    from modsys.merge import NOTHING
    from modsys.show import show_option

    reads = getattr(expl, "reads", ())
    if not reads:
        return []
    secret = bool(expl.sensitive or expl.secret)
    head_value = "" if expl.value is NOTHING else " = " + _short(expl.value, secret and not show_secrets)
    winners = [d.location for d in expl.definitions if d.status == "won"]
    head = f"{expl.path[-1] if expl.path else show_option(expl.path)}{head_value}"
    if winners:
        head += " ← " + _where(winners, show_file)

    def one(r: Any) -> str:
        text = f"read {show_option(r.path)} = {_short(r.value, r.secret and not show_secrets)}"
        if r.definitions:
            text += " ← " + _where(r.definitions, show_file)
        return text + _prio_tag(r.priority, r.is_default)

    out = ["", st("computed from:", bold=True)]
    # the reads that hold the very value shown (a copy of another option: the usual case a
    # reviewer asks about) first, as a one-line chain; the rest of the computation's reads after
    same = _same_value_reads(expl.value, reads)
    if same:
        for r in same:
            parts = [head, one(r)]
            nxt = _same_value_reads(r.value, r.reads)
            while len(nxt) == 1:
                parts.append(one(nxt[0]))
                nxt = _same_value_reads(nxt[0].value, nxt[0].reads)
            out.append("  " + " ".join(parts))
        others = [r for r in reads if r not in same]
        if others:
            out.append(f"  (the same computation also read {len(others)} other option"
                       f"{'s' if len(others) != 1 else ''}:)")
            for r in others[:_OTHERS]:
                out.append("    " + one(r))
            if len(others) > _OTHERS:
                out.append(f"    … {len(others) - _OTHERS} more")
        return out
    # a chain (one read at each step) prints on one line, as a reviewer reads it
    linear, rs, parts = True, reads, [head]
    while rs:
        if len(rs) != 1:
            linear = False
            break
        parts.append(one(rs[0]))
        rs = rs[0].reads
    if linear:
        out.append("  " + " ".join(parts))
        return out

    def walk(rs: Sequence[Any], depth: int) -> None:
        for x in rs:
            out.append("  " + "  " * depth + "← " + one(x))
            walk(x.reads, depth + 1)
            if x.more:
                out.append("  " + "  " * (depth + 1) + f"… {x.more} more read(s)")

    out.append("  " + head)
    walk(reads, 1)
    return out


def _format_hidden(
    expl: Any,
    show_secrets: bool,
    show_file: Callable[[str], str],
    st: Style,
    owner: tuple[tuple[str, ...], tuple[Any, ...]] | None,
) -> str:
    """`format_explanation` of a path inside a Secret's data: every definition and the value
    shown as `_hidden_text` shows them (keys, references, `<redacted>`)."""
    import attrs

    from modsys.dump import Redacted, hide_value, plain
    from modsys.merge import NOTHING

    shown = secret_fields().shown
    defs = [attrs.evolve(rec, value=_Shown(_hidden_text(rec.value, shown))) for rec in expl.definitions]
    value = expl.value
    if value is not NOTHING and expl.error is None:
        try:
            value = hide_value(plain(value), shown)
        except Exception:
            value = Redacted(None)
    return format_explanation(
        attrs.evolve(expl, definitions=defs, value=value),
        show_secrets=show_secrets, show_file=show_file, st=st, owner=owner,
    )


class _Shown:
    """Text that `why` prints as is (a redacted rendering made beforehand)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text
