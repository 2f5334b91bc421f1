"""Every `modsys` command through click's test runner, on small modules in a temporary folder."""

from __future__ import annotations

import json

import pytest
import yaml

NO_DEFAULTS = "--no-default-modules"


def test_eval_whole_config_as_yaml(run, fixtures):
    """`eval` without -A prints the whole configuration; sensitive values are redacted."""
    r = run("eval", "base.py", "overlay.py", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    data = yaml.safe_load(r.stdout)
    assert data["app"]["replicas"] == 5
    assert data["app"]["password"] == "<redacted>"
    assert data["app"]["tags"] == ["b", "a"]
    assert "_module" not in data
    assert "internalThing" in data["app"]  # internal options still have values


def test_eval_attr_json(run, fixtures):
    """`-A` selects a value; `--json` prints JSON."""
    r = run("eval", "base.py", "overlay.py", "-A", "app.servers", "--json", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"main": {"host": "example.org", "port": 8080}}


def test_eval_attr_scalar_and_list_index(run, fixtures):
    """A scalar prints bare; list elements are addressed by index."""
    r = run("eval", "base.py", "overlay.py", "-A", "app.tags.1", NO_DEFAULTS)
    assert (r.exit_code, r.stdout) == (0, "a\n")
    r = run("eval", "base.py", "-A", "app.replicas", NO_DEFAULTS)
    assert (r.exit_code, r.stdout) == (0, "2\n")


def test_eval_redacts_sensitive_unless_show_secrets(run, fixtures):
    """A sensitive option is redacted at any depth of -A, and shown with --show-secrets."""
    r = run("eval", "base.py", "overlay.py", "-A", "app.password", NO_DEFAULTS)
    assert r.stdout == "<redacted>\n"
    r = run("eval", "base.py", "overlay.py", "-A", "app", "--json", NO_DEFAULTS)
    assert json.loads(r.stdout)["password"] == "<redacted>"
    r = run("eval", "base.py", "overlay.py", "-A", "app.password", "--show-secrets", NO_DEFAULTS)
    assert r.stdout == "hunter2\n"


def test_eval_json_and_yaml_exclusive(run, fixtures):
    """--json with --yaml is a usage error."""
    r = run("eval", "base.py", "--json", "--yaml", NO_DEFAULTS)
    assert r.exit_code == 2


def test_dump_plain(run, fixtures):
    """`dump` prints YAML that reads back as the configuration (secrets redacted)."""
    r = run("dump", "base.py", "overlay.py", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    data = yaml.safe_load(r.stdout)
    assert data["app"]["servers"]["main"]["port"] == 8080
    assert data["app"]["password"] == "<redacted>"
    r = run("dump", "base.py", "overlay.py", "--show-secrets", NO_DEFAULTS)
    assert yaml.safe_load(r.stdout)["app"]["password"] == "hunter2"


def test_dump_annotate_comments(run, fixtures):
    """Each leaf names the winning definition, its priority and how many it beat."""
    r = run("dump", "base.py", "overlay.py", "--annotate", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    replicas = next(ln for ln in lines if ln.strip().startswith("replicas:"))
    assert replicas.strip() == "replicas: 5  # overlay.py:5, priority 50 (mk_force), beat 2"
    port = next(ln for ln in lines if ln.strip().startswith("port:"))
    assert "overlay.py" in port and "beat 1" in port
    debug = next(ln for ln in lines if ln.strip().startswith("debug:"))
    assert "option default" in debug and "1 skipped by mk_if" in debug
    # the comments do not change the data
    assert yaml.safe_load(r.stdout) == yaml.safe_load(
        run("dump", "base.py", "overlay.py", NO_DEFAULTS).stdout
    )


def test_dump_leaves_out_options_without_value(run, write):
    """An option nobody defines (and without default) does not break the dump."""
    write(
        "m.py",
        """
        from modsys import mk_option, types as t
        module = {"options": {"a": mk_option(type=t.str), "b": mk_option(type=t.int, default=1)}}
        """,
    )
    r = run("dump", "m.py", NO_DEFAULTS)
    assert (r.exit_code, r.stdout) == (0, "b: 1\n")


def test_dump_redacts_secret_objects(run, fixtures):
    """The data of Kubernetes Secrets is redacted in dumps (here under resources.Secret)."""
    r = run("dump", "app.py")
    assert r.exit_code == 0, r.output
    assert "hunter2" not in r.stdout
    data = yaml.safe_load(r.stdout)
    bundle = data["platform"]["kubernetes"]["cluster"]["batches"]["services"]["bundles"]["web"]
    assert bundle["resources"]["Secret"]["creds"]["stringData"] == {"password": "<redacted>"}
    assert bundle["resources"]["ConfigMap"]["settings"]["data"] == {"mode": "prod"}
    assert "hunter2" in run("dump", "app.py", "--show-secrets").stdout


def test_why_lists_every_definition(run, fixtures):
    """`why` shows each definition with priority, status, the verdict and the value."""
    r = run("why", "base.py", "overlay.py", "app.replicas", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "type:        positive integer, meaning >0" in out
    assert "declared in: base.py:" in out
    assert out.count("status: overridden") == 2
    assert out.count("status: won") == 1
    assert "priority 50 (mk_force)" in out
    assert "value: 5" in out


def test_why_inside_submodule_and_attrs_entry(run, fixtures):
    """Paths into attrs-of entries and submodules work."""
    r = run("why", "base.py", "overlay.py", "app.servers.main.port", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    assert "overlay.py:" in r.stdout and "value: 8080" in r.stdout
    r = run("why", "base.py", "overlay.py", "app.labels.env", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    assert "value: prod" in r.stdout


def test_why_mk_if_condition(run, fixtures):
    """A definition whose mk_if condition is false is listed as skipped."""
    r = run("why", "base.py", "app.debug", NO_DEFAULTS)
    assert "mk_if: false" in r.stdout
    assert "skipped: an mk_if condition was false" in r.stdout


def test_why_redacts_sensitive(run, fixtures):
    """Definitions and value of a sensitive option are redacted unless --show-secrets."""
    r = run("why", "base.py", "overlay.py", "app.password", NO_DEFAULTS)
    assert "hunter2" not in r.stdout and "<redacted>" in r.stdout
    r = run("why", "base.py", "overlay.py", "app.password", "--show-secrets", NO_DEFAULTS)
    assert "hunter2" in r.stdout


def test_why_secret_object_data(run, fixtures):
    """A Secret's data is redacted in `why` of the resource holding it."""
    path = "platform.kubernetes.cluster.batches.services.bundles.web.resources.Secret.creds"
    r = run("why", "app.py", path)
    assert r.exit_code == 0, r.output
    assert "hunter2" not in r.stdout


def test_options_markdown_and_prefix(run, fixtures):
    """`options` documents visible options under a prefix, with sub-options of submodules."""
    r = run("options", "base.py", "app", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "## `app.replicas`" in out and "*Type:* positive integer, meaning >0" in out
    assert "## `app.servers.<name>.port`" in out
    assert "internalThing" not in out
    assert "*Declared in:* `base.py:" in out
    assert "_module" not in out


def test_options_json(run, fixtures):
    """`--format json` gives defaults and examples as data."""
    r = run("options", "base.py", "--format", "json", "app.servers", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    docs = {d["name"]: d for d in json.loads(r.stdout)}
    assert set(docs) == {"app.servers", "app.servers.<name>.host", "app.servers.<name>.port"}
    assert docs["app.servers.<name>.port"]["default"] == 80
    assert docs["app.servers.<name>.port"]["description"] == "Port to listen on."


def test_plan_tree(run, fixtures):
    """`plan` shows batches, bundles, dependencies and waits."""
    r = run("plan", "app.py")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "batch namespaces  priority 200" in out
    assert "bundle web  namespace web  3 objects (ConfigMap, Deployment, Secret)" in out
    assert "depends on namespaces/ns" in out
    assert "wait: rollout Deployment/* (300s)" in out
    assert out.index("batch namespaces") < out.index("batch services")


def test_validate_ok_and_failing(run, fixtures, write):
    """`validate` passes a good plan and reports problems of a bad one with exit 1."""
    r = run("validate", "app.py")
    assert (r.exit_code, r.stdout) == (0, "ok: 4 objects in 2 bundles and 2 batches are valid\n")
    write(
        "broken.py",
        """
        module = {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {
            "web": {"dependsOn": ["nowhere"]}}}}}}}}
        """,
    )
    r = run("validate", "app.py", "broken.py")
    assert r.exit_code == 1
    assert "nowhere" in r.stderr
    assert "Traceback" not in r.stderr


def test_render_dir_and_stream(run, fixtures, workdir):
    """`render` writes the dir format to --out, and `stream` to stdout."""
    r = run("render", "app.py", "--out", "rendered")
    assert r.exit_code == 0, r.output
    assert (workdir / "rendered" / "index.json").is_file()
    assert "rendered" in r.stderr
    r = run("render", "app.py", "--format", "stream")
    assert r.exit_code == 0, r.output
    docs = [d for d in yaml.safe_load_all(r.stdout) if d]
    assert docs[0]["kind"] == "Namespace"
    assert {d["kind"] for d in docs} == {"Namespace", "Deployment", "Secret", "ConfigMap"}


@pytest.mark.parametrize("fmt", ["kustomize", "helmfile", "argocd", "flux", "fleet"])
def test_render_other_formats(run, fixtures, workdir, fmt):
    """Every format renders the small plan; its plaintext Secret only where the cluster allows
    plaintext Secrets in a GitOps tree (nothing is written otherwise)."""
    repo = "--set=platform.kubernetes.gitops.repoURL=https://git.example.org/deploy.git"
    r = run("render", "app.py", "--format", fmt, "--out", f"out-{fmt}", repo)
    assert r.exit_code == 1
    assert f"Secret web/creds would be written in plaintext into the {fmt} tree" in r.output
    assert "hunter2" not in r.output
    assert not (workdir / f"out-{fmt}").exists()
    allow = "--set=platform.kubernetes.cluster.allowPlaintextSecrets=true"
    r = run("render", "app.py", "--format", fmt, "--out", f"out-{fmt}", repo, allow)
    assert r.exit_code == 0, r.output
    assert any((workdir / f"out-{fmt}").rglob("*"))


def test_diff_separator_and_lists(run, fixtures):
    """`A -- B` and `--base/--head` compare; differences exit 1, equal configs exit 0."""
    r = run("diff", "base.py", NO_DEFAULTS, "--", "base.py", "overlay.py")
    assert r.exit_code == 1, r.output
    assert "~ app.replicas: 2 → 5" in r.stdout
    assert "+ app.labels.env: prod" in r.stdout
    assert "~ app.password: null → <redacted>" in r.stdout
    r2 = run("diff", NO_DEFAULTS, "--base", "base.py", "--head", "base.py", "--head", "overlay.py")
    assert r2.exit_code == 1 and r2.stdout.splitlines()[3:] == r.stdout.splitlines()[3:]
    r3 = run("diff", "base.py", NO_DEFAULTS, "--", "base.py")
    assert r3.exit_code == 0, r3.output
    assert r3.stdout.rstrip().endswith("no differences")


def test_diff_objects(run, fixtures):
    """Rendered objects are compared by kind/namespace/name, summed up per bundle."""
    r = run("diff", "app.py", "--", "app.py", "app_prod.py")
    assert r.exit_code == 1, r.output
    out = r.stdout
    assert "+ Service web/web  [services/web]" in out
    assert "~ Deployment web/web  [services/web]" in out
    assert "~ spec.replicas: 2 → 5" in out
    assert "~ stringData.password: <redacted> → <redacted> (secret value changed)" in out
    assert "services/web: 1 added, 2 changed" in out
    assert "hunter2" not in out


def test_diff_needs_two_sides(run, fixtures):
    """Without `--` or --head, diff is a usage error."""
    r = run("diff", "base.py", NO_DEFAULTS)
    assert r.exit_code == 2


def test_schema_is_valid_and_exact(run, fixtures):
    """`schema` prints a draft 2020-12 schema that maps types exactly."""
    import jsonschema

    r = run("schema", "base.py", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    app = schema["properties"]["app"]
    assert app["additionalProperties"] is False
    props = app["properties"]
    assert props["replicas"]["type"] == "integer" and props["replicas"]["minimum"] == 1
    assert props["mode"]["enum"] == ["dev", "prod"]
    assert props["servers"]["additionalProperties"]["properties"]["port"]["maximum"] == 65535
    assert "internalThing" not in props
    v = jsonschema.Draft202012Validator(schema)
    assert v.is_valid({"app": {"replicas": 3, "servers": {"x": {"port": 8080}}}})
    assert not v.is_valid({"app": {"replicas": 0}})
    assert not v.is_valid({"app": {"replica": 3}})
    assert not v.is_valid({"app": {"mode": "test"}})
    assert not v.is_valid({"app": {"servers": {"x": {"port": 70000}}}})
    assert v.is_valid({"imports": ["other.yaml"], "app": {"password": None}})


def test_version(run):
    """`--version` prints the version."""
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("modsys ")


def test_help_lists_commands(run):
    """`--help` lists every command."""
    r = run("--help")
    for cmd in ("eval", "dump", "why", "options", "schema", "plan", "render", "validate", "diff"):
        assert f"  {cmd} " in r.stdout


def test_why_inside_a_value_set_as_a_whole(run, fixtures):
    """A path inside an object that one definition sets whole is explained from that
    definition: its file and line, and the value at the path itself."""
    base = "platform.kubernetes.cluster.batches.services.bundles.web.resources.Deployment.web"
    r = run("why", "app.py", base + ".spec.replicas")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"{base}.spec.replicas\n")
    assert f"part of the value of `{base}'" in r.stdout
    assert "app.py:" in r.stdout and "status: won" in r.stdout
    assert r.stdout.rstrip().endswith("value: 2")
    # with two definitions the leaf itself is merged, and explained directly
    r = run("why", "app.py", "app_prod.py", base + ".spec.replicas")
    assert r.stdout.startswith(f"{base}.spec.replicas\n")
    assert "app_prod.py:" in r.stdout and "value: 5" in r.stdout


def test_yaml_overlay_lines_in_annotations_and_why(run, fixtures, write):
    """Definitions from a YAML data module carry their line; priority tags show by name."""
    write(
        "ov.yaml",
        """
        app:
          replicas: !force 7
          version: !force "2.0"
          tags: !before [z]
        """,
    )
    r = run("dump", "base.py", "ov.yaml", "--annotate", NO_DEFAULTS)
    assert r.exit_code == 0, r.output
    assert "  replicas: 7  # ov.yaml:2, priority 50 (mk_force), beat 2\n" in r.stdout
    assert "  version: '2.0'  # ov.yaml:3, priority 50 (mk_force), beat 1\n" in r.stdout
    r = run("why", "base.py", "ov.yaml", "app.tags", NO_DEFAULTS)
    assert "ov.yaml:4" in r.stdout and "order 500 (mk_before)" in r.stdout


def test_diff_options_after_the_separator(run, fixtures):
    """Common flags may follow the second module list; they apply to both sides."""
    r = run("diff", "base.py", "--", "base.py", NO_DEFAULTS, "--set", "app.replicas=3")
    assert r.exit_code == 0, r.output  # the same --set on both sides: no difference
    r = run("diff", "base.py", "--", "base.py", "overlay.py", "--no-default-modules")
    assert r.exit_code == 1 and "~ app.replicas: 2 → 5" in r.stdout
