"""`modsys diff --format text|md|json` and `--objects full`: PR-ready diffs that name, for each
changed config value, the head-side definition that produced it; secrets never shown."""

from __future__ import annotations

import base64
import itertools
import json

import pytest

from modsys.cli.diff import md_code

NO_DEFAULTS = "--no-default-modules"
APP_DIFF = ("diff", "app.py", "--", "app.py", "app_prod.py")


def _differ(r):
    assert r.exit_code == 1 and "error" not in r.stderr, r.output
    return r.stdout


# --- text --------------------------------------------------------------------------------------


def test_diff_text_is_the_default_format(run, fixtures):
    """`--format text` is what `diff` prints without `--format`."""
    assert _differ(run(*APP_DIFF)) == _differ(run(*APP_DIFF, "--format", "text"))


def test_diff_text_objects_full_shows_added_objects_as_yaml(run, fixtures):
    """With `--objects full`, an added object's YAML follows its line; by default one line."""
    short = _differ(run(*APP_DIFF))
    full = _differ(run(*APP_DIFF, "--objects", "full"))
    assert "  + Service web/web  [services/web]\n  ~ Deployment" in short
    assert (
        "  + Service web/web  [services/web]\n"
        "      apiVersion: v1\n"
        "      kind: Service\n"
    ) in full
    assert "        - port: 80\n" in full


def test_diff_objects_full_shows_removed_objects(run, fixtures):
    """Removed objects show in full too (here: the head drops the production overlay)."""
    r = run("diff", "app.py", "app_prod.py", "--", "app.py", "--objects", "full")
    out = _differ(r)
    assert "  - Service web/web  [services/web]\n      apiVersion: v1\n" in out


# --- Markdown ----------------------------------------------------------------------------------


def test_diff_format_md_is_a_pull_request_comment(run, fixtures, golden):
    """Summary counts, a table of changed values with old → new and the head-side definition,
    objects grouped by bundle."""
    out = _differ(run(*APP_DIFF, "--format", "md"))
    golden("diff.md", out)
    assert out.startswith("## modsys diff\n")
    assert "**6 differences** · configuration: 2 changed, 1 added, 0 removed · objects: " \
           "2 changed, 1 added, 0 removed" in out
    assert (
        "| ~ | `platform.kubernetes.cluster.batches.services.bundles.web.resources.Deployment.web"
        ".spec.replicas` | `2` | `5` | `app_prod.py:5` (priority 50, mk_force), beat 1 |"
    ) in out
    assert "#### `services/web`: 1 added, 2 changed" in out
    assert "| ~ | `Deployment web/web` | ~ `spec.replicas` `2` → `5` |" in out
    assert "| + | `Service web/web` | added |" in out


def test_diff_format_md_folds_long_object_diffs_into_details(run, write, fixtures):
    """An object with more changed fields than fit a table cell gets a <details> block."""
    write("many.py", """
        from modsys import set_at
        module = set_at(
            "platform.kubernetes.cluster.batches.services.bundles.web.resources.ConfigMap.settings",
            {"data": {"a": "1", "b": "2", "c": "3", "d": "4"}},
        )
    """)
    out = _differ(run("diff", "app.py", "--", "app.py", "many.py", "--format", "md"))
    assert "| ~ | `ConfigMap web/settings` | 4 fields, see below |" in out
    assert "<details>\n<summary>~ ConfigMap web/settings: 4 changed fields</summary>" in out
    assert "| + | `data.a` |  | `'1'` |" in out


def test_diff_format_md_objects_full_in_details(run, fixtures):
    """`--objects full` in Markdown: each added object as YAML in a <details> block."""
    out = _differ(run(*APP_DIFF, "--format", "md", "--objects", "full"))
    assert (
        "<details>\n<summary>+ Service web/web (added)</summary>\n\n```yaml\napiVersion: v1\n"
    ) in out
    assert "```\n\n</details>" in out


def test_diff_format_md_without_differences(run, fixtures):
    """Equal configurations: a short comment, exit 0."""
    r = run("diff", "app.py", "--", "app.py", "--format", "md")
    assert r.exit_code == 0, r.output
    assert "No differences." in r.stdout


def test_md_code_survives_table_cells():
    """Pipes are escaped, backticks get a longer fence, newlines become spaces."""
    assert md_code("a|b") == "`a\\|b`"
    assert md_code("x`y") == "``x`y``"
    assert md_code("`x") == "`` `x ``"
    assert md_code("a\nb") == "`a b`"


# --- JSON --------------------------------------------------------------------------------------


def test_diff_format_json_has_the_same_information(run, fixtures):
    """Counts, config changes with old/new and origin, object changes by bundle."""
    data = json.loads(_differ(run(*APP_DIFF, "--format", "json")))
    assert data["base"] == ["app.py"] and data["head"] == ["app.py", "app_prod.py"]
    assert data["differences"] == 6
    assert data["summary"] == {
        "configuration": {"added": 1, "removed": 0, "changed": 2},
        "objects": {"added": 1, "removed": 0, "changed": 2, "moved": 0},
    }
    replicas = data["configuration"][0]
    assert replicas["op"] == "changed" and (replicas["old"], replicas["new"]) == (2, 5)
    assert replicas["path"].endswith("Deployment.web.spec.replicas")
    assert replicas["origin"]["definitions"] == [
        {"file": "app_prod.py", "line": 5, "priority": 50, "optionDefault": False}
    ]
    web = data["objects"]["services/web"]
    assert [o["id"] for o in web["added"]] == ["Service web/web"]
    assert "object" not in web["added"][0]
    deployment = next(o for o in web["changed"] if o["kind"] == "Deployment")
    assert deployment["changes"] == [
        {"op": "changed", "path": "spec.replicas", "parts": ["spec", "replicas"], "old": 2, "new": 5}
    ]
    full = json.loads(_differ(run(*APP_DIFF, "--format", "json", "--objects", "full")))
    assert full["objects"]["services/web"]["added"][0]["object"]["kind"] == "Service"


def test_diff_format_json_without_the_platform(run, fixtures):
    """Without the platform there are no objects: `objects` is null."""
    data = json.loads(_differ(run("diff", "base.py", NO_DEFAULTS, "--", "base.py", "overlay.py",
                                  "--format", "json")))
    assert data["objects"] is None and data["summary"]["objects"] is None
    assert data["differences"] == len(data["configuration"]) == 5


# --- provenance of new values ------------------------------------------------------------------


def test_diff_names_the_winning_definition_of_each_new_value(run, fixtures):
    """Each added or changed value names its head-side winners (file:line, priority) and how
    many they beat; a value inside a list is explained through its option; removals have none."""
    data = json.loads(_differ(run("diff", "base.py", NO_DEFAULTS, "--", "base.py", "overlay.py",
                                  "--format", "json")))
    origins = {c["path"]: c["origin"] for c in data["configuration"]}
    assert origins["app.replicas"]["definitions"] == [
        {"file": "overlay.py", "line": 5, "priority": 50, "optionDefault": False}
    ]
    assert origins["app.replicas"]["beat"] == 2
    assert origins["app.replicas"]["note"] == "overlay.py:5, priority 50 (mk_force), beat 2"
    tags = origins["app.tags"]["definitions"]
    assert [(d["file"], d["line"]) for d in tags] == [("overlay.py", 6), ("base.py", 28)]
    removed = json.loads(_differ(run("diff", "base.py", "overlay.py", NO_DEFAULTS, "--", "base.py",
                                     "--format", "json")))
    assert all(c["origin"] is None for c in removed["configuration"] if c["op"] == "removed")


def test_diff_md_names_the_option_explained_for_a_value_inside_it(run, write):
    """A value inside a list is explained through the option that holds it (`via`)."""
    write("a.py", """
        from modsys import mk_option, types as t
        module = {"options": {"o": mk_option(type=t.list_of(t.anything), default=[])},
                  "config": {"o": [{"y": 1}]}}
    """)
    write("b.py", """
        from modsys import mk_force
        module = {"o": mk_force([{"y": 2}])}
    """)
    out = _differ(run("diff", "a.py", NO_DEFAULTS, "--", "a.py", "b.py", "--format", "md"))
    assert "| ~ | `o[0].y` | `1` | `2` | `b.py:2` (priority 50, mk_force), beat 2, via `o` |" in out


# --- secrets and exit codes --------------------------------------------------------------------

SECRETS_BASE = """
from modsys import mk_option, types as t
module = {
    "options": {"app": {"token": mk_option(type=t.null_or(t.str), default=None, sensitive=True)}},
    "config": {"app": {"token": "old-opt-PLANTED"},
               "platform": {"kubernetes": {"cluster": {
        "uniqueIdentifier": "k3d-test",
        "batches": {"services": {"bundles": {"web": {"namespace": "web", "resources": {
            "Secret": {"kept": {"stringData": {"password": "old-obj-PLANTED"}}},
            "ConfigMap": {"settings": {"data": {"mode": "dev"}}},
        }}}}},
    }}}},
}
"""

SECRETS_HEAD = """
from modsys import mk_force, set_at
module = {
    "app": {"token": mk_force("new-opt-PLANTED")},
    **set_at("platform.kubernetes.cluster.batches.services.bundles.web.resources.Secret", {
        "kept": {"stringData": {"password": mk_force("new-obj-PLANTED")}},
        "added": {"data": {"key": "ENCODED"}, "stringData": {"more": "added-obj-PLANTED"}},
    }),
}
""".replace("ENCODED", base64.b64encode(b"b64-PLANTED").decode())


@pytest.mark.parametrize(
    ("fmt", "objects"), list(itertools.product(["text", "md", "json"], ["summary", "full"]))
)
def test_diff_never_leaks_a_planted_secret(run, write, fmt, objects):
    """Sensitive options and Secrets' data (changed, added, shown in full) stay redacted in
    every format; the diff still says that they changed."""
    write("base.py", SECRETS_BASE)
    write("head.py", SECRETS_HEAD)
    args = ("diff", "base.py", "--", "base.py", "head.py", "--format", fmt, "--objects", objects)
    out = _differ(run(*args))
    encoded = base64.b64encode(b"b64-PLANTED").decode()
    assert "PLANTED" not in out and encoded not in out
    assert "<redacted>" in out
    if fmt == "json":
        data = json.loads(out)
        token = next(c for c in data["configuration"] if c["path"] == "app.token")
        assert token["secretChanged"] is True
    else:
        assert "secret value changed" in out
    shown = _differ(run(*args, "--show-secrets"))
    assert "new-obj-PLANTED" in shown  # the planted values are there to be hidden


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_diff_exit_codes_in_every_format(run, fixtures, fmt):
    """0 when the configurations are the same, 1 when they differ, whatever the format."""
    assert run("diff", "app.py", "--", "app.py", "--format", fmt).exit_code == 0
    assert run(*APP_DIFF, "--format", fmt).exit_code == 1


def test_diff_md_of_the_examples_names_the_overlay_lines(run, workdir):
    """On the bundled examples, a changed value names the overlay line that set it."""
    from modsys.cli.resolve import bundled_root

    root = bundled_root()
    if root is None or not (root / "examples" / "production.py").is_file():
        pytest.skip("examples/production.py is not there")
    out = _differ(run("diff", "examples/local", "--", "examples/production", "--format", "md"))
    row = next(ln for ln in out.splitlines() if ln.startswith("| ~ | `projects.webapp.replicas`"))
    assert "`examples/overlays/production.yaml:" in row and "mk_default" in row
    assert "#### `services/webapp`: 8 added" in out  # with the db Secret
