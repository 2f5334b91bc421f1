"""Escaping user text for each output syntax, in one place so each rule is tested once.

Bundle names, namespaces, option paths and values are user data: any of them may hold quotes,
backslashes, angle brackets or `</script>`. Each writer puts user text only where the syntax
has a quoted-string form, and passes it through the matching function here.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """Control characters (newlines, tabs, escapes) as spaces: labels are single lines."""
    return _CONTROL.sub(" ", text)


def dot_string(text: str) -> str:
    """A Graphviz quoted string. Backslashes are doubled because Graphviz reads `\\n`, `\\l`,
    `\\N` and friends inside labels; quotes are escaped; control characters become spaces."""
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_label(lines: list[str] | tuple[str, ...]) -> str:
    """A multi-line Graphviz label: each line escaped, joined by Graphviz's own `\\n`."""
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines) + '"'


_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 .,:/_=+@()*{}\[\]!?'%~$^-]")


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: every character outside a small safe set as a
    numeric entity code (`#34;`), which Mermaid decodes when it draws. Quotes, `#`,
    brackets, pipes, backticks (markdown strings), `<`/`>` (HTML labels) and `;` (statement
    ends) can then never end the label or change its meaning."""
    return "".join(
        ch if _MERMAID_SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in one_line(text)
    )


def mermaid_label(lines: list[str] | tuple[str, ...]) -> str:
    """A quoted Mermaid label, lines joined by `<br/>` (the only markup written)."""
    return '"' + "<br/>".join(mermaid_text(line) for line in lines) + '"'


def xml_text(text: Any) -> str:
    """Text or attribute value for XML and HTML (SVG labels, the page's static parts)."""
    return (
        str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&#39;")
    )


def script_json(data: Any) -> str:
    """JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` as
    `\\u` escapes, so no value can close the element (`</script>`) or open a comment
    (`<!--`); U+2028/U+2029 too, for the script readers that still treat them as newlines.
    `JSON.parse` reads the escapes back as the same characters."""
    from modsys.dump import to_json

    text = to_json(data, indent=None)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
