"""Secrets never shown, unless asked (issue 10): known strings planted in every kind of secret
place (a sensitive option and its default, an entry of a sensitive attribute set, values computed
from a sensitive option, a Secret's `stringData` and base64 `data`) and in error paths, then every
command run on them. The strings appear only in rendered files and with `--show-secrets`.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

OPT_DEFAULT = "PLANTED-OPT-DEFAULT-77"  # a sensitive option's default
OPT_DEF = "PLANTED-OPT-DEFINED-78"  # ... and its definition in another module
ENTRY = "PLANTED-CRED-ENTRY-55"  # an entry of a sensitive attrs-of option
STRING_DATA = "PLANTED-STRINGDATA-11"  # a Secret's stringData
B64_PLAIN = "PLANTED-BASE64-22"  # a Secret's data, base64
B64 = base64.b64encode(B64_PLAIN.encode()).decode()

APP = f'''
from modsys import mk_option, types, set_at


def module(config):
    return {{
        "options": {{"myapp": {{
            "dbPassword": mk_option(types.str, sensitive=True, default="{OPT_DEFAULT}"),
            "creds": mk_option(types.attrs_of(types.str), sensitive=True, default={{}}),
            "url": mk_option(types.str, default=""),
            "user": mk_option(types.str, default="app-user"),
        }}}},
        "config": {{
            "myapp": {{
                "creds": {{"api": "{ENTRY}"}},
                "url": lambda: f"postgres://{{config.myapp.user}}:{{config.myapp.dbPassword}}@db/x",
            }},
            **set_at("platform.kubernetes.cluster.batches", {{
                "namespaces": set_at("bundles.sec-ns.resources.Namespace", {{"sec": {{}}}}),
                "services": set_at("bundles.sec", {{
                    "namespace": "sec",
                    "resources": {{
                        "Secret": {{"db": {{
                            "stringData": {{"password": "{STRING_DATA}"}},
                            "data": {{"b64": "{B64}"}},
                        }}}},
                        "ConfigMap": {{"cm": {{"data": {{
                            "copy": lambda: config.myapp.dbPassword,
                            "url": lambda: config.myapp.url,
                            "plain": "visible-value",
                        }}}}}},
                        "Deployment": {{"web": {{"spec": {{
                            "selector": {{"matchLabels": {{"app": "web"}}}},
                            "template": {{
                                "metadata": {{"labels": {{"app": "web"}}}},
                                "spec": {{"containers": [{{
                                    "name": "web", "image": "nginx:1.27",
                                    "env": [{{"name": "DB_PASSWORD",
                                             "value": lambda: config.myapp.dbPassword}}],
                                }}]}},
                            }},
                        }}}}}},
                    }},
                }}),
            }}),
        }},
    }}
'''

OVERLAY = f"""
myapp:
  dbPassword: {OPT_DEF}
"""

SECRETS = [OPT_DEFAULT, OPT_DEF, ENTRY, STRING_DATA, B64, B64_PLAIN]
#: what each module set holds, for "shown with --show-secrets" checks
DEFINED = [OPT_DEF, ENTRY, STRING_DATA, B64]

# error paths: (module source, planted string, command prefix)
APPLY_ERR = "PLANTED-APPLY-33"
SUBMODULE_ERR = "PLANTED-SUBTYPE-44"
DERIVED_ERR = "PLANTED-DERIVED-66"
SCHEMA_ERR = 424242

ERRORS = {
    "apply.py": (f'''
from modsys import mk_option, types


def _check(v):
    raise ValueError(f"bad password {{v}}")


def module(config):
    return {{"options": {{"pw": mk_option(types.str, sensitive=True, apply=_check)}},
            "config": {{"pw": "{APPLY_ERR}"}}}}
''', APPLY_ERR),
    "sub.py": (f'''
from modsys import mk_option, types


def module(config):
    sub = types.submodule({{"options": {{"port": mk_option(types.int)}}}})
    return {{"options": {{"creds": mk_option(sub, sensitive=True)}},
            "config": {{"creds": {{"port": "{SUBMODULE_ERR}"}}}}}}
''', SUBMODULE_ERR),
    "derived.py": (f'''
from modsys import mk_option, types


def module(config):
    return {{"options": {{"pw": mk_option(types.str, sensitive=True), "n": mk_option(types.int)}},
            "config": {{"pw": "{DERIVED_ERR}", "n": lambda: config.pw}}}}
''', DERIVED_ERR),
}

SCHEMA_MODULE = f'''
from modsys import set_at


def module(config):
    return set_at("platform.kubernetes.cluster.batches", {{
        "namespaces": set_at("bundles.sec-ns.resources.Namespace", {{"sec": {{}}}}),
        "services": set_at("bundles.sec", {{
            "namespace": "sec",
            "resources": {{"Secret": {{"db": {{"stringData": {{"password": {SCHEMA_ERR}}}}}}}}},
        }}),
    }})
'''

BUNDLE = "platform.kubernetes.cluster.batches.services.bundles.sec.resources"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "prod.yaml").write_text(OVERLAY, encoding="utf-8")
    for name, (src, _planted) in ERRORS.items():
        (tmp_path / name).write_text(src, encoding="utf-8")
    (tmp_path / "schema.py").write_text(SCHEMA_MODULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _out(result) -> str:
    return (result.stdout or "") + (result.stderr or "")


def _leaks(text: str, planted: list[str]) -> list[str]:
    return [p for p in planted if p in text]


WHY_PATHS = [
    "myapp.dbPassword",
    "myapp.creds.api",
    "myapp.url",
    f"{BUNDLE}.Secret.db.stringData.password",
    f"{BUNDLE}.Secret.db.stringData",
    f"{BUNDLE}.Secret.db.data.b64",
    f"{BUNDLE}.ConfigMap.cm.data.copy",
    f"{BUNDLE}.ConfigMap.cm.data.url",
    f"{BUNDLE}.Deployment.web.spec.template.spec.containers",
]

COMMANDS = [
    ["dump"],
    ["dump", "--annotate"],
    ["dump", "--json"],
    ["dump", "--changed"],
    ["dump", "--path", "myapp"],
    ["eval"],
    ["eval", "--json"],
    ["eval", "-A", "myapp"],
    ["eval", "-A", f"{BUNDLE}.ConfigMap.cm.data"],
    ["eval", "-A", f"{BUNDLE}.Secret.db"],
    ["eval", "-A", f"{BUNDLE}.Deployment.web.spec.template.spec.containers.0.env"],
    ["plan"],
    ["plan", "--format", "json"],
    ["validate"],
    *[["why", p] for p in WHY_PATHS],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_no_command_shows_a_secret(run, project, args):
    mods = ["app.py", "prod.yaml"]
    cmd, rest = args[0], args[1:]
    result = run(cmd, *mods, *rest)
    text = _out(result)
    assert result.exit_code in (0, 1), text
    assert not _leaks(text, SECRETS), text
    if cmd in ("dump", "eval", "why") and "<redacted>" in text:
        shown = _out(run(cmd, *mods, *rest, "--show-secrets"))
        assert _leaks(shown, SECRETS), shown  # what was redacted is shown when asked


def test_show_secrets_shows_them(run, project):
    mods = ["app.py", "prod.yaml"]
    text = _out(run("dump", *mods, "--show-secrets"))
    for p in DEFINED:
        assert p in text
    assert f"postgres://app-user:{OPT_DEF}@db/x" in text
    assert OPT_DEF in _out(run("why", *mods, "myapp.url", "--show-secrets"))
    assert STRING_DATA in _out(
        run("why", *mods, f"{BUNDLE}.Secret.db.stringData.password", "--show-secrets")
    )
    assert ENTRY in _out(run("why", *mods, "myapp.creds.api", "--show-secrets"))


def test_derived_values_are_redacted_leaf_by_leaf(run, project):
    """A value copied from (or embedding) a secret is redacted; what it did not take from one
    is still shown, and `why` traces it to the sensitive option."""
    text = _out(run("eval", "app.py", "prod.yaml", "-A", f"{BUNDLE}.ConfigMap.cm.data", "--json"))
    assert '"copy": "<redacted>"' in text and '"url": "<redacted>"' in text
    assert "visible-value" in text
    why = _out(run("why", "app.py", "prod.yaml", f"{BUNDLE}.ConfigMap.cm.data.copy"))
    assert "read myapp.dbPassword = <redacted> ← prod.yaml" in why, why


def test_options_and_schema_never_show_a_sensitive_default(run, project):
    for args in (["options", "app.py"], ["options", "app.py", "--json"], ["schema", "app.py"]):
        text = _out(run(*args))
        assert not _leaks(text, SECRETS), text


def test_diff_hides_secrets(run, project):
    (project / "prod2.yaml").write_text("myapp:\n  dbPassword: PLANTED-OTHER-99\n", encoding="utf-8")
    for fmt in ("text", "md", "json"):
        for objects in ("summary", "full"):
            result = run("diff", "app.py", "prod.yaml", "--", "app.py", "prod2.yaml",
                         "--format", fmt, "--objects", objects)
            text = _out(result)
            assert not _leaks(text, [*SECRETS, "PLANTED-OTHER-99"]), text


def test_report_page_hides_secrets(run, project):
    result = run("report", "app.py", "prod.yaml", "--out", str(project / "r.html"))
    assert result.exit_code == 0, _out(result)
    page = (project / "r.html").read_text(encoding="utf-8")
    assert not _leaks(page, SECRETS)


def test_render_output_has_the_real_values(run, project):
    result = run("render", "app.py", "prod.yaml", "--out", str(project / "out"))
    assert result.exit_code == 0, _out(result)
    assert not _leaks(_out(result), SECRETS)
    rendered = "".join(
        p.read_text(encoding="utf-8") for p in (project / "out").rglob("*") if p.is_file()
    )
    assert OPT_DEF in rendered and STRING_DATA in rendered and B64 in rendered


@pytest.mark.parametrize("name", sorted(ERRORS))
@pytest.mark.parametrize("trace", [False, True])
def test_error_messages_hide_secrets(run, project, name, trace):
    planted = ERRORS[name][1]
    extra = ["--show-trace"] if trace else []
    result = run("eval", "--no-default-modules", name, *extra)
    text = _out(result)
    assert result.exit_code == 1, text
    assert planted not in text, text
    assert "<redacted>" in text
    shown = _out(run("eval", "--no-default-modules", name, "--show-secrets"))
    assert planted in shown


@pytest.mark.parametrize("trace", [False, True])
def test_secret_schema_errors_hide_the_value(run, project, trace):
    extra = ["--show-trace"] if trace else []
    for cmd in ("validate", "plan", "render"):
        args = [cmd, "schema.py", *extra] + (["--out", "o"] if cmd == "render" else [])
        text = _out(run(*args))
        if cmd != "plan":  # plan does not validate objects
            assert "stringData.password" in text and "must be string" in text, text
        assert str(SCHEMA_ERR) not in text, text
