"""Chart bundles become objects: the Wookie estate rendered with real Helm from the shared mirror,
then completed, ordered, validated, patched and written like hand-written objects."""

from __future__ import annotations

import json
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from modsys import eval_modules, mk_force
from modsys.charts import ChartRenderer, RenderCache
from modsys.errors import ValidationError
from modsys.platform import build_plan, default_modules, validate_plan
from modsys.platform.chartobjects import ChartSession, chart_session
from modsys.render.pipeline import render_files
from modsys.render.registry import RENDERERS
from tests.needs import kubectl_with_kustomize, shared_path

REPO = Path(__file__).resolve().parents[2]
LOCAL = str(REPO / "examples" / "local.py")


@pytest.fixture(autouse=True)
def _fresh_render_memory() -> Iterator[None]:
    RenderCache.forget_memory()
    yield
    RenderCache.forget_memory()


@pytest.fixture
def charts(tmp_path: Path) -> Iterator[ChartSession]:
    """A session rendering from the shared mirror, never the network."""
    mirror = shared_path("charts", "mirror")
    renderer = ChartRenderer.from_settings(
        mirrors=[mirror], lock_file=tmp_path / "modsys.lock", cache_dir=tmp_path / "cache",
        network=False, environ={},
    )
    with chart_session(renderer) as session:
        yield session


def _wookie(*extra: Any) -> Any:
    return eval_modules([*default_modules(), LOCAL, *extra])


def _bundle_def(file: str, batch: str, bundle: str, value: dict[str, Any]) -> dict[str, Any]:
    """A module defining `value` in bundle `batch/bundle`."""
    return {"_file": file, "platform": {"kubernetes": {"cluster": {"batches": {
        batch: {"bundles": {bundle: value}}}}}}}


def _bundles(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{batch['name']}/{b['name']}": b
        for batch in plan["manifestSets"] for b in batch["bundles"]
    }


def test_wookie_estate_renders_validated_objects(charts: ChartSession) -> None:
    ev = _wookie()
    validate_plan(ev)  # every object, chart objects included, valid
    bundles = _bundles(build_plan(ev))
    counts = {k: len(b["objects"]) for k, b in bundles.items()}
    assert counts == {
        "crds/istio-base": 17,  # 16 rendered (14 CRDs in templates/) + the Namespace
        "namespaces/wookie-namespace": 1,
        "operators/istiod": 16,
        "operators/pxc-operator": 7,  # 3 CRDs from crds/ + 4 templates
        "services/istio-ingressgateway": 6,
        "services/pxc-cluster": 1,
    }
    assert not charts.unrendered
    info = bundles["operators/pxc-operator"]["renderedChart"]
    assert info["name"] == "pxc-operator" and info["version"] == "1.18.0"
    assert info["digest"].startswith("sha256:") and info["source"] == "mirror"
    assert info["objects"] == 7
    # no externalCRDs workaround: the PXC CRD comes from the chart
    assert "pxc.percona.com/PerconaXtraDBCluster" not in (
        ev.config.platform.kubernetes.cluster.externalCRDs
    )


def test_order_labels_namespaces(charts: ChartSession) -> None:
    bundles = _bundles(build_plan(_wookie()))
    base = bundles["crds/istio-base"]["objects"]
    assert base[0]["kind"] == "Namespace"  # namespaces first
    kinds = [o["kind"] for o in base[1:]]  # Helm's kind order
    assert kinds == ["ServiceAccount", *["CustomResourceDefinition"] * 14,
                     "ValidatingWebhookConfiguration"]
    operator = [o["kind"] for o in bundles["operators/pxc-operator"]["objects"]]
    assert operator[:3] == ["CustomResourceDefinition"] * 3  # crds/ first
    assert operator.index("Deployment") > operator.index("ServiceAccount")
    for o in bundles["operators/istiod"]["objects"]:
        labels = o["metadata"]["labels"]
        assert labels["app.kubernetes.io/managed-by"] == "modsys"
        assert labels["modsys.io/bundle"] == "istiod"
        if o["kind"] in ("Deployment", "Service", "ConfigMap"):
            assert o["metadata"]["namespace"] == "istio-system"
        if o["kind"].startswith("Cluster"):
            assert "namespace" not in o["metadata"]
    # the CRD wait of the chart's CRDs is added
    waits = bundles["operators/pxc-operator"]["wait"]
    assert any(w.get("kind") == "CustomResourceDefinition" for w in waits)


def test_pxc_custom_resource_is_validated_against_the_chart_crd(charts: ChartSession) -> None:
    bogus = _bundle_def("bogus.py", "services", "pxc-cluster", {"resources": {
        "PerconaXtraDBCluster": {"wookie-db": {"spec": {"pxc": {"bogusField": 1}}}}}})
    with pytest.raises(ValidationError) as info:
        validate_plan(_wookie(bogus))
    assert "bogusField" in str(info.value)
    assert "PerconaXtraDBCluster" in str(info.value)


def test_resources_patch_the_rendered_object(charts: ChartSession) -> None:
    patch = _bundle_def("patch.py", "operators", "istiod", {"resources": {"Deployment": {
        "istiod": {"metadata": {"annotations": {"example.com/patched": "yes"}}}}}})
    ev = _wookie(patch)
    validate_plan(ev)
    objects = _bundles(build_plan(ev))["operators/istiod"]["objects"]
    deployments = [o for o in objects if o["kind"] == "Deployment"]
    assert len(deployments) == 1  # patched, not added
    deployment = deployments[0]
    assert deployment["metadata"]["annotations"]["example.com/patched"] == "yes"
    assert deployment["spec"]["template"]["spec"]["containers"]  # the chart's spec is kept
    assert b"example.com/patched" in b"".join(render_files(ev, "kustomize").files.values())
    helmfile = render_files(ev, "helmfile")  # the controller renders the chart: said so
    assert any("Deployment/istiod" in n and "unpatched" in n for n in helmfile.notes)


def test_patching_an_object_the_chart_does_not_render_lists_what_it_renders(
    charts: ChartSession,
) -> None:
    patch = _bundle_def("patch.py", "operators", "istiod", {"resources": {"Deployment": {
        "istiod-typo": {"spec": {"replicas": 2}}}}})
    with pytest.raises(ValidationError) as info:
        validate_plan(_wookie(patch))
    text = str(info.value)
    assert "resources.Deployment.istiod-typo" in text
    assert "it renders Deployment istiod" in text


def _local_chart(root: Path, templates: dict[str, str], schema: dict[str, Any] | None = None) -> Path:
    chart = root / "mychart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: mychart\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("replicas: 1\n")
    if schema is not None:
        (chart / "values.schema.json").write_text(json.dumps(schema))
    for name, text in templates.items():
        (chart / "templates" / name).write_text(textwrap.dedent(text))
    return chart


_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  replicas: {{ .Values.replicas | quote }}
"""


def _chart_module(tmp_path: Path, values: str = "{}") -> Path:
    module = tmp_path / "app.py"
    module.write_text(
        "module = {'platform': {'kubernetes': {'cluster': {'batches': {'services': {\n"
        f"    'bundles': {{'app': {{'chart': {{'path': './mychart', 'values': {values}}}}}}}}}}}}}}}}}}}\n"
    )
    return module


def test_local_chart_path_renders(charts: ChartSession, tmp_path: Path) -> None:
    _local_chart(tmp_path, {"cm.yaml": _CM})
    ev = eval_modules([*default_modules(), str(_chart_module(tmp_path, '{"replicas": 3}'))])
    validate_plan(ev)
    objects = _bundles(build_plan(ev))["services/app"]["objects"]
    assert [(o["kind"], o["metadata"]["name"], o["data"]) for o in objects] == [
        ("ConfigMap", "app", {"replicas": "3"})
    ]


def test_values_schema_problem_names_the_option_and_the_definition(
    charts: ChartSession, tmp_path: Path
) -> None:
    schema = {"type": "object", "properties": {"replicas": {"type": "integer"}}}
    _local_chart(tmp_path, {"cm.yaml": _CM}, schema)
    module = _chart_module(tmp_path, '{"replicas": "three"}')
    with pytest.raises(ValidationError) as info:
        validate_plan(eval_modules([*default_modules(), str(module)]))
    text = str(info.value)
    assert "platform.kubernetes.cluster.batches.services.bundles.app.chart.values.replicas" in text
    assert f"{module}:" in text
    assert "three" not in text  # the value a schema problem is about is never shown


def test_template_error_names_chart_template_and_bundle(
    charts: ChartSession, tmp_path: Path
) -> None:
    _local_chart(tmp_path, {"cm.yaml": _CM, "broken.yaml": '{{ fail "no database given" }}\n'})
    with pytest.raises(ValidationError) as info:
        validate_plan(eval_modules([*default_modules(), str(_chart_module(tmp_path))]))
    text = str(info.value)
    assert "mychart" in text and "broken.yaml" in text and "services/app" in text
    assert "no database given" in text


def test_offline_keeps_chart_references(tmp_path: Path) -> None:
    renderer = ChartRenderer.from_settings(
        lock_file=tmp_path / "modsys.lock", cache_dir=tmp_path / "cache", network=False,
        environ={},
    )
    with chart_session(renderer) as session:
        ev = _wookie()
        validate_plan(ev)  # the PXC object is "not checked", not a problem
        bundles = _bundles(build_plan(ev))
    assert sorted(session.unrendered) == [
        "crds/istio-base", "operators/istiod", "operators/pxc-operator",
        "services/istio-ingressgateway",
    ]
    assert bundles["operators/istiod"]["chart"]["name"] == "istiod"
    assert bundles["operators/istiod"]["objects"] == []
    messages = "\n".join(session.messages())
    assert "crds/istio-base was not rendered" in messages and "unvalidated" in messages
    assert "PerconaXtraDBCluster wookie-db not checked" in messages
    assert not (tmp_path / "modsys.lock").exists()
    with chart_session(renderer, require=True), pytest.raises(ValidationError) as info:
        validate_plan(_wookie())
    assert "--require-charts" in str(info.value)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_format_validates_against_the_schemas(charts: ChartSession, fmt: str) -> None:
    from tests.render.render_schemas import schema_problems

    shared_path("schemas")
    gitops = {"_file": "gitops.py", "platform": {"kubernetes": {"gitops": {
        "repoURL": "https://git.example.com/estate.git"}}}}
    files = render_files(_wookie(gitops), fmt).files
    if fmt == "stream":
        docs = [d for f in files.values() for d in yaml.safe_load_all(f) if d]
        assert len(docs) == 48
    else:
        assert schema_problems(fmt, files) == {}
    text = b"\n".join(files.values()).decode()
    if fmt in ("dir", "stream", "kustomize"):
        assert "kind: PerconaXtraDBCluster" in text and "name: istiod" in text
        assert "helm " not in text.replace("helm.sh", "")
        assert "helmCharts" not in text
    else:
        assert "pxc-operator" in text  # still the chart reference
        assert "kind: Deployment\nmetadata:\n  name: istiod" not in text


def test_dir_index_records_the_chart(charts: ChartSession) -> None:
    index = json.loads(render_files(_wookie(), "dir").files["index.json"])
    bundles = {b["id"]: b for batch in index["batches"] for b in batch["bundles"]}
    info = bundles["operators/pxc-operator"]["renderedChart"]
    assert {k: info[k] for k in ("name", "version", "source")} == {
        "name": "pxc-operator", "version": "1.18.0", "source": "mirror",
    }
    assert info["digest"].startswith("sha256:")
    crd_first = bundles["operators/pxc-operator"]["files"][0]
    assert "customresourcedefinition" in crd_first


def test_kubectl_kustomize_builds_without_enable_helm(
    charts: ChartSession, tmp_path: Path
) -> None:
    kubectl = kubectl_with_kustomize()
    files = render_files(_wookie(), "kustomize").files
    for name, data in files.items():
        path = tmp_path / "out" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    proc = subprocess.run(
        [kubectl, "kustomize", str(tmp_path / "out")], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("kind: CustomResourceDefinition") == 17
    assert "kind: PerconaXtraDBCluster" in proc.stdout


def test_skip_schema_validation_is_needed_for_gateway_1_24(charts: ChartSession) -> None:
    strict = _bundle_def("strict.py", "services", "istio-ingressgateway", {
        "chart": {"skipSchemaValidation": mk_force(False)}})
    with pytest.raises(ValidationError) as info:
        validate_plan(_wookie(strict))
    text = str(info.value)
    assert "bundles.istio-ingressgateway.chart.values" in text
    assert "_internal_defaults_do_not_set" in text


def test_cli_render_and_validate_with_a_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The done-when command: the whole estate written, CRDs first, every object checked, the
    lock file saved; without a mirror (and no network) it still renders, naming what is not."""
    from click.testing import CliRunner

    from modsys.cli.app import cli

    mirror = str(shared_path("charts", "mirror"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MODSYS_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    r = runner.invoke(cli, ["render", LOCAL, "--chart-mirror", mirror, "--out", "out/local"])
    assert r.exit_code == 0, r.output
    assert "not rendered" not in r.stderr
    index = json.loads((tmp_path / "out/local/index.json").read_text())
    files = [f for batch in index["batches"] for b in batch["bundles"] for f in b["files"]]
    assert len([f for f in files if f.endswith(".yaml")]) == 48
    assert "namespace-istio-system" in files[0]  # namespaces first
    assert "customresourcedefinition" in files[2]  # after istio-system's ServiceAccount
    first_cr = next(i for i, f in enumerate(files) if "perconaxtradbcluster-" in f)
    last_crd = max(i for i, f in enumerate(files) if "customresourcedefinition" in f)
    assert last_crd < first_cr
    assert "helm" not in (tmp_path / "out/local/apply.sh").read_text()
    assert (tmp_path / "modsys.lock").is_file()
    r = runner.invoke(cli, ["validate", LOCAL, "--chart-mirror", mirror])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("ok: 48 objects in 6 bundles")
    assert "checked: operators/pxc-operator: chart pxc-operator 1.18.0" in r.stdout
    # offline: no mirror, nothing cached, the repositories unreachable (tests/conftest.py)
    monkeypatch.setenv("MODSYS_CACHE_DIR", str(tmp_path / "empty-cache"))
    (tmp_path / "modsys.lock").unlink()
    r = runner.invoke(cli, ["render", LOCAL, "--out", "out/offline"])
    assert r.exit_code == 0, r.output
    assert "chart bundle operators/istiod was not rendered" in r.stderr
    r = runner.invoke(cli, ["validate", LOCAL, "--require-charts"])
    assert r.exit_code == 1 and "--require-charts" in r.stderr


_HOOK = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  annotations:
    helm.sh/hook: {event}
data: {{}}
"""


def test_hooks_placed_or_dropped(charts: ChartSession, tmp_path: Path) -> None:
    """pre-install hooks before the chart's other objects, post-install after them; hooks an
    install never runs (here a `helm test` hook) are left out, with a note."""
    _local_chart(tmp_path, {
        "cm.yaml": _CM,
        "pre.yaml": _HOOK.format(name="aaa-post", event="post-install"),
        "post.yaml": _HOOK.format(name="zzz-pre", event="pre-install,pre-upgrade"),
        "test.yaml": _HOOK.format(name="smoke", event="test"),
    })
    ev = eval_modules([*default_modules(), str(_chart_module(tmp_path))])
    validate_plan(ev)
    objects = _bundles(build_plan(ev))["services/app"]["objects"]
    assert [o["metadata"]["name"] for o in objects] == ["zzz-pre", "app", "aaa-post"]
    assert any("smoke" in n and "left out" in n for n in charts.notes)


def test_diff_shows_what_a_chart_upgrade_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from modsys.cli.app import cli

    mirror = str(shared_path("charts", "mirror"))
    monkeypatch.chdir(tmp_path)
    head = tmp_path / "upgrade.py"
    head.write_text(
        f"module = {{'imports': [{LOCAL!r}], "
        "'projects': {'wookie': {'istio': {'version': '1_24_6'}}}}\n"
    )
    r = CliRunner().invoke(
        cli, ["diff", LOCAL, "--chart-mirror", mirror, "--", str(head), "--format", "json"]
    )
    assert r.exit_code == 1, r.output
    text = r.stdout
    assert "1.24.6" in text
    assert '"operators/istiod"' in text or "operators/istiod" in text
    assert "Deployment" in text  # istiod's rendered Deployment changed (its image tag, labels)


def test_values_with_secret_references_stay_a_chart_reference(
    charts: ChartSession, tmp_path: Path
) -> None:
    from modsys.platform.authoring import from_env

    _local_chart(tmp_path, {"cm.yaml": _CM})
    module = _chart_module(tmp_path)
    secret = _bundle_def("secret.py", "services", "app", {
        "chart": {"values": {"password": from_env("APP_PASSWORD")}}})
    ev = eval_modules([*default_modules(), str(module), secret])
    validate_plan(ev)
    assert _bundles(build_plan(ev))["services/app"]["objects"] == []
    assert "secret references" in charts.unrendered["services/app"]


def test_local_chart_needs_an_objects_format(charts: ChartSession, tmp_path: Path) -> None:
    _local_chart(tmp_path, {"cm.yaml": _CM})
    ev = eval_modules([*default_modules(), str(_chart_module(tmp_path))])
    assert "00-services/00-app/configmap-app.yaml" in render_files(ev, "dir").files
    with pytest.raises(ValidationError) as info:
        render_files(ev, "helmfile")
    assert "services/app" in str(info.value) and "chart.path" in str(info.value)
