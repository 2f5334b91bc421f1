"""The review page without a browser: its data, its escaping, its redaction, its policy."""

from __future__ import annotations

import base64
import hashlib
import html.parser
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modsys.cli.app import cli
from modsys.cli.common import Common, load
from modsys.cli.resolve import display_path
from modsys.review.data import report_data
from modsys.review.page import render_page

APP = '''
from modsys import mk_option, types as t

module = {
    "options": {"shop": {
        "token": mk_option(type=t.str, default="", sensitive=True),
        "motto": mk_option(type=t.str, default=""),
        "replicas": mk_option(type=t.int, default=1),
    }},
    "config": {
        "shop": {"token": "tok-SECRET", "motto": "</script><script>alert(1)</script>",
                 "replicas": 2},
        "platform": {"kubernetes": {"cluster": {"batches": {
            "namespaces": {"bundles": {"ns": {"manifests": [
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}},
            ]}}},
            "services": {"bundles": {"shop": {
                "namespace": "shop",
                "dependsOn": ["namespaces/ns"],
                "resources": {
                    "Secret": {"creds": {"stringData": {"password": "hunter2"}}},
                    "ConfigMap": {"settings": {"data": {"note": "<b>bold</b> & </script>"}}},
                },
            }}},
        }}}},
    },
}
'''

BROKEN = '''
module = {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {
    "shop": {"resources": {"ConfigMap": {"bad": {"data": {"n": 1}, "spec": {"x": 1}}}}},
}}}}}}}
'''

HEAD = '''
from modsys import mk_force

module = {"shop": {"replicas": mk_force(3)},
          "platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"shop": {
              "resources": {"ConfigMap": {"extra": {"data": {"a": "b"}}}}}}}}}}}}
'''


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "broken.py").write_text(BROKEN)
    (tmp_path / "head.py").write_text(HEAD)
    return tmp_path


def report(*mods: str, base: tuple[str, ...] = ()) -> Any:
    head = load(mods, Common())
    base_ev = load(base, Common()) if base else None
    return report_data(head, base_ev, modules=mods, base_modules=base, show_file=display_path)


class _Page(html.parser.HTMLParser):
    """The elements of a page: every tag with its attributes, and the script bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._in: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = (tag, dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            tag, attrs = self._in
            if tag == "script":
                self.scripts.append((attrs, data))
            else:
                self.styles.append(data)
            self._in = None


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def _leaves(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for n in nodes:
        if "c" in n:
            out.update(_leaves(n["c"]))
        else:
            out[n["path"]] = n
    return out


def test_page_is_self_contained_and_locked_down(modules):
    text = render_page(report("app.py"))
    page = parse(text)
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "srcset", "data"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:|//|ftp:)", value), (tag, name, value)
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
    policy = next(a["content"] for t, a in page.tags
                  if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy
    code = [body for attrs, body in page.scripts if "type" not in attrs]
    assert len(code) == 1 and len(page.styles) == 1

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    assert f"script-src {digest(code[0])}" in policy
    assert f"style-src {digest(page.styles[0])}" in policy


def test_embedded_data_cannot_break_out(modules):
    text = render_page(report("app.py"))
    # the motto and the ConfigMap hold </script>: only the page's own two script tags close
    assert text.count("</script>") == 2
    page = parse(text)
    blocks = [body for attrs, body in page.scripts if attrs.get("type") == "application/json"]
    data = json.loads(blocks[0])
    leaves = _leaves(data["config"])
    assert "</script><script>alert(1)</script>" in leaves["shop.motto"]["v"]
    objects = {o["name"]: o for b in data["bundles"] for o in b["objects"]}
    assert "<b>bold</b> & </script>" in objects["settings"]["yaml"]


def test_secrets_are_redacted(modules):
    r = report("app.py")
    text = render_page(r)
    assert "tok-SECRET" not in text and "hunter2" not in text
    leaves = _leaves(r.data["config"])
    token = leaves["shop.token"]
    assert token["v"] == "<redacted>"
    assert {d["value"] for d in token["p"]["defs"]} == {"<redacted>"}
    objects = {o["name"]: o for b in r.data["bundles"] for o in b["objects"]}
    assert "password: <redacted>" in objects["creds"]["yaml"]


def test_config_tree_has_what_modules_set_with_provenance(modules):
    leaves = _leaves(report("app.py").data["config"])
    replicas = leaves["shop.replicas"]
    assert replicas["v"] == "2"
    prov = replicas["p"]
    assert prov["type"] == "signed integer"
    winner = next(d for d in prov["defs"] if d["status"] == "won")
    assert re.fullmatch(r"app\.py:\d+", winner["at"])
    assert any(d["default"] and d["status"] == "overridden" for d in prov["defs"])
    assert "overrides 1 other definition" in prov["why"]
    # option defaults nobody set stay out
    assert not any(p.startswith("targets.") for p in leaves)
    assert "assertions" not in {p.split(".")[0] for p in leaves}


def test_bundles_objects_and_validation(modules):
    data = report("app.py").data
    assert data["summary"] == {"batches": 2, "bundles": 2, "objects": 3, "charts": 0,
                               "problems": 0}
    shop = next(b for b in data["bundles"] if b["name"] == "shop")
    assert shop["ok"] and shop["dependsOn"] == ["namespaces/ns"]
    assert [o["kind"] for o in shop["objects"]] == ["Secret", "ConfigMap"]


def test_a_broken_plan_still_gets_a_page_with_its_problems(modules):
    data = report("broken.py").data
    assert data["summary"]["problems"] >= 1
    shop = next(b for b in data["bundles"] if b["name"] == "shop")
    assert not shop["ok"]
    bad = next(o for o in shop["objects"] if o["name"] == "bad")
    assert bad["name"] == "bad" and bad["problems"]
    assert any("spec" in p for p in bad["problems"])


def test_changes_against_a_base(modules):
    data = report("app.py", "head.py", base=("app.py",)).data
    leaves = _leaves(data["config"])
    assert leaves["shop.replicas"]["d"] == {"op": "changed", "old": "2"}
    assert "d" not in leaves["shop.motto"]
    shop = next(b for b in data["bundles"] if b["name"] == "shop")
    assert shop["changed"] and not shop["added"]
    marks = {o["name"]: o["d"] for o in shop["objects"]}
    assert marks["extra"] == {"op": "added"} and marks["settings"] is None
    assert data["base"]["modules"] == ["app.py"]
    # and the other way round: what the head no longer has
    back = report("app.py", base=("app.py", "head.py")).data
    gone = next(b for b in back["bundles"] if b["name"] == "shop")["removed"]
    assert gone == [{"bundle": "services/shop", "kind": "ConfigMap", "namespace": "shop",
                     "name": "extra"}]


def test_report_command(modules):
    result = CliRunner().invoke(
        cli, ["report", "app.py", "head.py", "--base", "app.py", "--out", "out/r.html"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    text = (modules / "out" / "r.html").read_text()
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text
    assert "hunter2" not in text and "tok-SECRET" not in text


def test_a_bundle_new_since_the_base(modules):
    # the base's plan is broken: its bundles are still compared, as far as they were built
    data = report("app.py", base=("broken.py",)).data
    assert {b["key"]: b["added"] for b in data["bundles"]} == {
        "namespaces/ns": True, "services/shop": False,
    }


def test_a_configuration_without_the_platform(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.py").write_text(
        "from modsys import mk_option, types as t\n"
        'module = {"options": {"a": mk_option(type=t.int, default=1)}, "config": {"a": 2}}\n'
    )
    result = CliRunner().invoke(
        cli, ["report", "--no-default-modules", "plain.py", "--out", "r.html"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    page = parse((tmp_path / "r.html").read_text())
    data = json.loads(next(b for a, b in page.scripts if a.get("type") == "application/json"))
    assert data["bundles"] == [] and [n["path"] for n in data["config"]] == ["a"]
