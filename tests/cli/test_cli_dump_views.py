"""`modsys dump`'s focused views: `--path`, `--changed`, folding (`--full`), with `--annotate`
and `--json`."""

from __future__ import annotations

import json

import pytest
import yaml

from modsys import eval_modules, mk_option, types
from modsys.cli.views import object_fold
from modsys.dump import Folded, changed_only, fold, paths_tree, plain

NO_DEFAULTS = "--no-default-modules"


def _ok(r):
    assert r.exit_code == 0, r.output
    return r.stdout


# --- --path ------------------------------------------------------------------------------------


def test_dump_path_prints_one_subtree_under_its_full_path(run, fixtures):
    """`--path A.B` prints only that subtree, nested under its path."""
    out = _ok(run("dump", "base.py", "overlay.py", "--path", "app.servers", NO_DEFAULTS))
    assert yaml.safe_load(out) == {"app": {"servers": {"main": {"host": "example.org", "port": 8080}}}}


def test_dump_path_is_repeatable(run, fixtures):
    """Several `--path`s print their subtrees together; a leaf path prints the leaf."""
    out = _ok(run(
        "dump", "base.py", "overlay.py", "--path", "app.replicas", "--path", "app.labels",
        NO_DEFAULTS,
    ))
    assert yaml.safe_load(out) == {"app": {"replicas": 5, "labels": {"env": "prod", "team": "core"}}}


def test_dump_path_that_does_not_exist_is_an_error(run, fixtures):
    """An unknown path is an error with a suggestion, not an empty dump (nor a module name)."""
    r = run("dump", "base.py", "overlay.py", "--path", "app.replica", NO_DEFAULTS)
    assert r.exit_code == 1
    assert "app.replica" in r.stderr and "app.replicas" in r.stderr


def test_dump_path_keeps_secrets_redacted(run, fixtures):
    """A sensitive option reached by `--path` stays redacted."""
    out = _ok(run("dump", "base.py", "overlay.py", "--path", "app.password", NO_DEFAULTS))
    assert "hunter2" not in out and yaml.safe_load(out) == {"app": {"password": "<redacted>"}}


def test_paths_tree_merges_paths():
    """The `only` tree: shared prefixes merge, a shorter path wins over a longer one."""
    assert paths_tree([]) is None
    assert paths_tree([("a", "b"), ("a", "c", "d")]) == {"a": {"b": None, "c": {"d": None}}}
    assert paths_tree([("a",), ("a", "b")]) == {"a": None}


def test_dump_path_through_a_list_keys_by_index():
    """A path through a list keeps the element under its index."""
    ev = eval_modules([{"options": {"l": mk_option(type=types.anything)},
                        "config": {"l": [{"x": 1}, {"x": 2}]}}])
    assert plain(ev.config, only=paths_tree([("l", "1")])) == {"l": {"1": {"x": 2}}}


# --- --changed ---------------------------------------------------------------------------------


def test_dump_changed_keeps_only_values_that_differ_from_defaults(run, fixtures):
    """Defaults (name, debug, mode, ratio) and internal options drop out; what the modules set
    stays, secrets redacted."""
    out = _ok(run("dump", "base.py", "overlay.py", "--changed", NO_DEFAULTS))
    assert "hunter2" not in out
    assert yaml.safe_load(out) == {"app": {
        "labels": {"env": "prod", "team": "core"},
        "password": "<redacted>",
        "replicas": 5,
        "servers": {"main": {"host": "example.org", "port": 8080}},
        "tags": ["b", "a"],
        "version": "1.0",
    }}


def test_dump_changed_leaves_out_a_value_set_to_its_default(run, write):
    """A module that sets an option to its default value changed nothing."""
    write("m.py", """
        from modsys import mk_option, types as t
        module = {"options": {"a": mk_option(type=t.int, default=1),
                              "b": mk_option(type=t.int, default=1)},
                  "config": {"a": 1, "b": 2}}
    """)
    assert yaml.safe_load(_ok(run("dump", "m.py", "--changed", NO_DEFAULTS))) == {"b": 2}


def test_dump_changed_leaves_out_values_given_at_the_default_priority(run, write):
    """`mk_option_default` (priority 1500, how a module gives defaults to entries it creates)
    counts as a default; the same option set at a plain priority counts as a change."""
    write("m.py", """
        from modsys import mk_option, mk_option_default, types as t
        entry = {"options": {"priority": mk_option(type=t.int)}}
        module = {"options": {"s": mk_option(type=t.attrs_of(t.submodule(entry)), default={})},
                  "config": {"s": {"seeded": {"priority": mk_option_default(100)},
                                   "set": {"priority": 7}}}}
    """)
    out = yaml.safe_load(_ok(run("dump", "m.py", "--changed", NO_DEFAULTS)))
    assert out == {"s": {"seeded": {}, "set": {"priority": 7}}}


DISABLED = """
from modsys import mk_enable_option, mk_option, types as t

def part(default_on):
    return {
        "enable": mk_option(type=t.bool, default=default_on),
        "size": mk_option(type=t.int, default=1),
    }

module = {
    "options": {"projects": {"off": part(False), "on": part(False), "optout": part(True)}},
    "config": {"projects": {
        "off": {"size": 3},
        "on": {"enable": True, "size": 4},
        "optout": {"enable": False, "size": 5},
    }},
}
"""


def test_dump_changed_skips_disabled_subtrees(run, write):
    """A subtree whose `enable` is false is left out; when the modules switched it off (its
    default is on), only `enable: false` shows."""
    write("m.py", DISABLED)
    out = yaml.safe_load(_ok(run("dump", "m.py", "--changed", NO_DEFAULTS)))
    assert out == {"projects": {"on": {"enable": True, "size": 4}, "optout": {"enable": False}}}
    # asked for by path, a disabled subtree shows what was set in it
    out = yaml.safe_load(_ok(run("dump", "m.py", "--changed", "--path", "projects.off", NO_DEFAULTS)))
    assert out == {"projects": {"off": {"size": 3}}}


def test_dump_changed_of_the_platform_leaves_out_disabled_projects_and_targets(run, fixtures):
    """With the default modules, the bundled projects and targets that are off do not show."""
    out = yaml.safe_load(_ok(run("dump", "app.py", "--changed")))
    assert "projects" not in out and "targets" not in out
    bundles = out["platform"]["kubernetes"]["cluster"]["batches"]["services"]["bundles"]
    assert bundles["web"]["namespace"] == "web"
    assert "labels" not in bundles["web"]  # {} by default
    assert bundles["web"]["resources"]["Secret"]["creds"]["stringData"] == {"password": "<redacted>"}


def test_dump_changed_keeps_new_attrs_entries_even_if_empty():
    """An attrs-of entry the default does not have counts as a change, even when all of its
    options are at their defaults."""
    sub = types.submodule({"options": {"x": mk_option(type=types.int, default=0)}})
    ev = eval_modules([{"options": {"s": mk_option(type=types.attrs_of(sub), default={})},
                        "config": {"s": {"new": {}}}}])
    assert changed_only(ev.config, plain(ev.config)) == {"s": {"new": {}}}


CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget", "plural": "widgets"},
        "scope": "Namespaced",
        "versions": [{"name": "v1", "served": True, "storage": True,
                      "schema": {"openAPIV3Schema": {"type": "object"}}}],
    },
}

CRD_MODULE = f"""
CRD = {CRD!r}
module = {{"platform": {{"kubernetes": {{"cluster": {{
    "uniqueIdentifier": "k3d-test",
    "batches": {{"crds": {{"bundles": {{"widgets": {{"manifests": [CRD]}}}}}}}},
}}}}}}}}
"""


def test_dump_changed_folds_crd_bodies_and_full_shows_them(run, write):
    """`--changed` folds a CRD body to one line naming its size; `--full` shows it; the
    computed plan that repeats it is left out of `--changed` and folded in the plain dump."""
    write("crd.py", CRD_MODULE)
    out = _ok(run("dump", "crd.py", "--changed"))
    assert out.count("widgets.example.com") == 0
    lines = [ln for ln in out.splitlines() if "CustomResourceDefinition," in ln]
    assert len(lines) == 1
    assert lines[0].strip().startswith("- … CustomResourceDefinition, ")
    assert lines[0].endswith(" lines, --full to show")
    full = _ok(run("dump", "crd.py", "--changed", "--full"))
    assert full.count("widgets.example.com") == 1  # once: the plan is not a user's setting
    plain_dump = _ok(run("dump", "crd.py"))
    assert plain_dump.count("widgets.example.com") == 1  # the plan that repeats it is folded
    assert "manifestSets: … computed from other options (read-only), " in plain_dump
    assert _ok(run("dump", "crd.py", "--full")).count("widgets.example.com") == 2


def test_object_fold_rule():
    """Complete objects fold by kind, in a manifests list or under `resources.<Kind>`;
    what a module wrote partially (no apiVersion) does not; a CRD folds with its body."""
    assert object_fold(CRD, ("manifests", 0)) == "CustomResourceDefinition"
    body = {"apiVersion": "apps/v1", "metadata": {"name": "w"}, "spec": {}}
    assert object_fold(body, ("resources", "Deployment", "w")) == "Deployment"
    assert object_fold({"spec": {"replicas": 2}}, ("resources", "Deployment", "w")) is None
    assert object_fold({"kind": "CustomResourceDefinition", "name": "x"}, ("wait", 0)) is None
    folded = fold({"m": [CRD]}, object_fold)["m"][0]
    assert isinstance(folded, Folded) and folded.what == "CustomResourceDefinition"
    assert str(folded) == f"… CustomResourceDefinition, {folded.lines:,} lines, --full to show"


def test_dump_folds_computed_outputs_and_full_shows_them(run, write):
    """A read-only option without a default (computed from others) folds to one line in the
    dump: it repeats what the dump shows elsewhere. `--full` and `--path` show it."""
    write("m.py", """
        from modsys import mk_option, types as t
        def module(config):
            return {
                "options": {"items": mk_option(type=t.list_of(t.str), default=[]),
                            "out": mk_option(type=t.anything, read_only=True)},
                "config": {"items": ["a", "b"], "out": lambda: {"all": list(config["items"])}},
            }
    """)
    out = yaml.safe_load(_ok(run("dump", "m.py", NO_DEFAULTS)))
    assert out == {"items": ["a", "b"],
                   "out": "… computed from other options (read-only), 3 lines, --full to show"}
    full = yaml.safe_load(_ok(run("dump", "m.py", "--full", NO_DEFAULTS)))
    assert full["out"] == {"all": ["a", "b"]}
    asked = yaml.safe_load(_ok(run("dump", "m.py", "--path", "out", NO_DEFAULTS)))
    assert asked == {"out": {"all": ["a", "b"]}}
    changed = yaml.safe_load(_ok(run("dump", "m.py", "--changed", NO_DEFAULTS)))
    assert changed == {"items": ["a", "b"]}


# --- combinations ------------------------------------------------------------------------------


def test_dump_views_combine_with_annotate(run, fixtures):
    """`--changed --path --annotate`: the notes name the winning definitions."""
    out = _ok(run("dump", "base.py", "overlay.py", "--changed", "--annotate", "--path", "app",
                  NO_DEFAULTS))
    assert "replicas: 5  # overlay.py:5, priority 50 (mk_force), beat 2" in out
    assert "name:" not in out and "hunter2" not in out


def test_dump_views_combine_with_json(run, fixtures):
    """`--json` prints the same view as JSON; with `--annotate`, the notes by option path."""
    data = json.loads(_ok(run("dump", "base.py", "overlay.py", "--changed", "--json",
                              "--path", "app.replicas", "--path", "app.password", NO_DEFAULTS)))
    assert data == {"app": {"replicas": 5, "password": "<redacted>"}}
    data = json.loads(_ok(run("dump", "base.py", "overlay.py", "--changed", "--json",
                              "--annotate", "--path", "app.replicas", NO_DEFAULTS)))
    assert data["value"] == {"app": {"replicas": 5}}
    assert data["notes"] == {"app.replicas": "overlay.py:5, priority 50 (mk_force), beat 2"}


def test_dump_json_of_the_whole_config(run, fixtures):
    """`dump --json` without a view is the whole config as JSON, secrets redacted."""
    out = _ok(run("dump", "base.py", "overlay.py", "--json", NO_DEFAULTS))
    assert json.loads(out)["app"]["password"] == "<redacted>" and "hunter2" not in out


# --- the bundled example -----------------------------------------------------------------------


def test_dump_changed_of_production_fits_on_a_few_screens(run, workdir):
    """The issue's goal: `dump --changed --annotate` of examples/production is a few screens
    (here: under 250 lines, against 750 for the folded full dump and 1,245 unfolded), and
    still shows the overlay's values with their lines."""
    from modsys.cli.resolve import bundled_root

    root = bundled_root()
    if root is None or not (root / "examples" / "production.py").is_file():
        pytest.skip("examples/production.py is not there")
    changed = _ok(run("dump", "examples/production", "--changed", "--annotate"))
    full = _ok(run("dump", "examples/production", "--annotate"))
    assert len(changed.splitlines()) < 250 < len(full.splitlines())
    assert "replicas: 5  # examples/overlays/production.yaml:" in changed
    assert "kind:\n" not in changed and "targets:\n  remote:" in changed


SECRETS = """
from modsys import mk_option, types as t
module = {
    "options": {"app": {"token": mk_option(type=t.null_or(t.str), default=None, sensitive=True)}},
    "config": {"app": {"token": "opt-PLANTED"},
               "platform": {"kubernetes": {"cluster": {
        "uniqueIdentifier": "k3d-test",
        "batches": {"services": {"bundles": {"web": {
            "namespace": "web",
            "resources": {"Secret": {"partial": {"stringData": {"password": "obj-PLANTED"}}}},
            "manifests": [{"apiVersion": "v1", "kind": "Secret",
                           "metadata": {"name": "whole", "namespace": "web"},
                           "stringData": {"password": "whole-PLANTED"}}],
        }}}},
    }}}},
}
"""


@pytest.mark.parametrize(
    "view",
    [(), ("--changed",), ("--changed", "--full"), ("--full",), ("--path", "app"),
     ("--path", "platform.kubernetes.build.manifestSets"), ("--changed", "--path", "platform"),
     # a path that reaches into a Secret: the rule still sees its kind
     ("--path", "platform.kubernetes.cluster.batches.services.bundles.web.manifests.0.stringData"),
     ("--path", "platform.kubernetes.build.manifestSets.0.bundles.0.objects.0.stringData"),
     ("--changed", "--full", "--path",
      "platform.kubernetes.build.manifestSets.0.bundles.0.objects.0.stringData.password")],
)
@pytest.mark.parametrize("form", [(), ("--annotate",), ("--json",), ("--json", "--annotate")])
def test_dump_views_never_leak_a_planted_secret(run, write, view, form):
    """Sensitive options and Secrets' data stay redacted in every view and form."""
    write("s.py", SECRETS)
    out = _ok(run("dump", "s.py", *view, *form))
    assert "PLANTED" not in out and "<redacted>" in out


def test_dump_of_an_option_path_given_as_a_module_points_at_path(run, fixtures):
    """`dump base.py app.servers` (the issue's `dump envs/prod.py projects.shop`) is a usage
    error that says to give the path with --path."""
    r = run("dump", "base.py", "app.servers", NO_DEFAULTS)
    assert r.exit_code == 2
    assert "--path app.servers" in r.stderr
    r = run("dump", "base.py", "nope.py", NO_DEFAULTS)
    assert r.exit_code == 2 and "--path" not in r.stderr
