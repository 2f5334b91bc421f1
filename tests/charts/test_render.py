"""Rendering real charts with real Helm: the shared mirror, and small charts for the edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modsys.charts import (
    ChartRef,
    ChartRenderError,
    ChartSource,
    ChartValuesError,
    RenderRequest,
    render_chart,
)
from modsys.charts.errors import ChartError
from modsys.charts.messages import REDACTED
from tests.charts.chart_files import write_chart
from tests.needs import shared_path

# (archive, objects with default values, CRDs from crds/, kinds)
MIRROR = [
    ("base-1.24.6.tgz", 16, 0, {"CustomResourceDefinition": 14}),
    ("base-1.24.2.tgz", 16, 0, {"CustomResourceDefinition": 14}),
    ("istiod-1.24.6.tgz", 17, 0, {"Deployment": 1, "ConfigMap": 2}),
    ("istiod-1.24.2.tgz", 17, 0, {"Deployment": 1}),
    ("pxc-operator-1.18.0.tgz", 4, 3, {"Deployment": 1}),
    ("pxc-db-1.18.0.tgz", 3, 0, {"Secret": 2, "PerconaXtraDBCluster": 1}),
]


def kinds(objs: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for obj in objs:
        out[obj["kind"]] = out.get(obj["kind"], 0) + 1
    return out


@pytest.mark.parametrize(("archive", "count", "crds", "some_kinds"), MIRROR)
def test_mirror_charts_render(
    offline: ChartSource, mirror: Path, archive: str, count: int, crds: int, some_kinds: dict
) -> None:
    fetched = offline.fetch(ChartRef(path=mirror / archive))
    rendered = render_chart(fetched, RenderRequest("rel", namespace="apps"))
    assert len(rendered.manifests) == count
    assert len(rendered.crds) == crds
    assert rendered.hooks == ()
    assert all(o.kind == "CustomResourceDefinition" for o in rendered.crds)
    found = kinds([o.object for o in rendered.manifests])
    assert {k: found.get(k) for k in some_kinds} == some_kinds
    assert not any(o.template.endswith("NOTES.txt") for o in rendered.objects)
    assert all(o.template.startswith(f"{fetched.name}/templates/") for o in rendered.objects)
    assert [o.template for o in rendered.objects] == sorted(o.template for o in rendered.objects)
    assert len(rendered.all_objects()) == count + crds
    assert len(rendered.all_objects(include_crds=False)) == count


def test_pxc_operator_crds_define_the_pxc_db_custom_resource(
    offline: ChartSource, mirror: Path
) -> None:
    operator = render_chart(
        offline.fetch(ChartRef(path=mirror / "pxc-operator-1.18.0.tgz")), RenderRequest("op")
    )
    db = render_chart(
        offline.fetch(ChartRef(path=mirror / "pxc-db-1.18.0.tgz")), RenderRequest("db")
    )
    defined = {
        (c.object["spec"]["group"], c.object["spec"]["names"]["kind"]) for c in operator.crds
    }
    cluster = next(o for o in db.manifests if o.kind == "PerconaXtraDBCluster")
    assert (cluster.api_version.split("/")[0], cluster.kind) in defined
    assert {c.template for c in operator.crds} == {"pxc-operator/crds/crd.yaml"}


@pytest.mark.parametrize("version", ["1.24.6", "1.24.2"])
def test_istio_gateway_needs_schema_validation_skipped(
    offline: ChartSource, mirror: Path, version: str
) -> None:
    fetched = offline.fetch(ChartRef(path=mirror / f"gateway-{version}.tgz"))
    with pytest.raises(ChartValuesError) as err:
        render_chart(fetched, RenderRequest("gw", namespace="istio-ingress"))
    assert [(p.path, p.chart) for p in err.value.problems] == [((), "gateway")]
    assert "_internal_defaults_do_not_set" in err.value.problems[0].message
    assert f"chart gateway {version}" in str(err.value)
    assert "skipSchemaValidation" in str(err.value)
    rendered = render_chart(
        fetched, RenderRequest("gw", namespace="istio-ingress", skip_schema_validation=True)
    )
    assert len(rendered.manifests) == 6
    assert kinds(rendered.all_objects())["Deployment"] == 1


def test_source_folders_render_like_the_archives(offline: ChartSource) -> None:
    istiod = offline.fetch(ChartRef(path=shared_path("charts", "istio-1.24.6", "istiod")))
    assert (istiod.name, istiod.version, istiod.source) == ("istiod", "1.0.0", "path")
    assert (
        len(render_chart(istiod, RenderRequest("istiod", namespace="istio-system")).manifests) == 17
    )
    pxc = offline.fetch(ChartRef(path=shared_path("charts", "percona-1.18.0", "pxc-operator")))
    rendered = render_chart(pxc, RenderRequest("op", namespace="pxc"))
    assert (len(rendered.manifests), len(rendered.crds)) == (4, 3)


def test_release_name_namespace_and_values_reach_the_templates(
    offline: ChartSource, mirror: Path
) -> None:
    fetched = offline.fetch(ChartRef(path=mirror / "pxc-db-1.18.0.tgz"))
    rendered = render_chart(fetched, RenderRequest("orders", {"pxc": {"size": 5}}, namespace="db"))
    cluster = next(o.object for o in rendered.manifests if o.kind == "PerconaXtraDBCluster")
    assert cluster["metadata"]["name"].startswith("orders")
    assert cluster["spec"]["pxc"]["size"] == 5


def test_rendering_is_deterministic(offline: ChartSource, mirror: Path) -> None:
    fetched = offline.fetch(ChartRef(path=mirror / "istiod-1.24.6.tgz"))
    request = RenderRequest("istiod", {"pilot": {"replicaCount": 2}}, namespace="istio-system")
    texts = {render_chart(fetched, request).to_json() for _ in range(3)}
    assert len(texts) == 1


# --- small charts: the behaviours the mirror does not show ------------------------------------

CHART_YAML = "apiVersion: v2\nname: {name}\nversion: 0.1.0\n"


def test_template_error_names_chart_and_template(offline: ChartSource, tmp_path: Path) -> None:
    chart = write_chart(
        tmp_path / "bad",
        {
            "Chart.yaml": CHART_YAML.format(name="bad"),
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ required "set name, please" .Values.name }}
                data:
                  password: {{ .Values.db.password }}
                  {{- if .Values.fail }}{{ fail (printf "bad password %s" .Values.db.password) }}{{ end }}
            """,
        },
    )
    fetched = offline.fetch(ChartRef(path=chart))
    with pytest.raises(ChartRenderError) as err:
        render_chart(fetched, RenderRequest("r"))
    assert err.value.template == "bad/templates/cm.yaml"
    assert err.value.chart == "bad 0.1.0"
    assert str(err.value).startswith("chart bad 0.1.0: template bad/templates/cm.yaml failed")
    assert "set name, please" in str(err.value)
    values = {"name": "x", "db": {"password": "hunter2-very-secret"}, "fail": True}
    with pytest.raises(ChartRenderError) as err:
        render_chart(fetched, RenderRequest("r", values))
    assert "hunter2-very-secret" not in str(err.value)
    assert f"bad password {REDACTED}" in str(err.value)


def test_a_document_that_is_not_an_object_names_its_template(
    offline: ChartSource, tmp_path: Path
) -> None:
    chart = write_chart(
        tmp_path / "odd",
        {
            "Chart.yaml": CHART_YAML.format(name="odd"),
            "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
            "templates/b.yaml": "kind: [\n",
            "templates/c.yaml": "just: data\n",
        },
    )
    fetched = offline.fetch(ChartRef(path=chart))
    with pytest.raises(
        ChartRenderError,
        match=r"template odd/templates/b.yaml did not render valid YAML \(line 2\)",
    ):
        render_chart(fetched, RenderRequest("r"))
    (chart / "templates" / "b.yaml").unlink()
    with pytest.raises(
        ChartRenderError,
        match=re.escape(
            "template odd/templates/c.yaml rendered a document that is not a Kubernetes object"
        ),
    ):
        render_chart(offline.fetch(ChartRef(path=chart)), RenderRequest("r"))


def test_values_schema_problems_carry_paths_not_secret_values(
    offline: ChartSource, tmp_path: Path
) -> None:
    chart = write_chart(
        tmp_path / "app",
        {
            "Chart.yaml": CHART_YAML.format(name="app")
            + "dependencies:\n- name: sub\n  version: 0.1.0\n  alias: db\n",
            "values.schema.json": """
                {"type": "object", "properties": {
                  "replicas": {"type": "integer", "minimum": 1},
                  "auth": {"type": "object", "properties": {
                    "token": {"type": "string", "pattern": "^[a-f0-9]{8}$"}}},
                  "hosts": {"type": "array", "items": {"type": "string"}}}}
            """,
            "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
            "charts/sub/Chart.yaml": CHART_YAML.format(name="sub"),
            "charts/sub/values.yaml": "port: 1\n",
            "charts/sub/values.schema.json": '{"properties": {"port": {"type": "integer", "maximum": 100}}}',
            "charts/sub/templates/s.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
        },
    )
    fetched = offline.fetch(ChartRef(path=chart))
    values = {
        "replicas": 0,
        "auth": {"token": "not-the-right-shape-s3cr3t"},
        "hosts": ["a", 7],
        "db": {"port": 500},
    }
    with pytest.raises(ChartValuesError) as err:
        render_chart(fetched, RenderRequest("r", values))
    paths = {p.path: p for p in err.value.problems}
    assert set(paths) == {("replicas",), ("auth", "token"), ("hosts", "1"), ("db", "port")}
    assert paths[("db", "port")].chart == "db"
    assert "maximum" in paths[("db", "port")].message
    assert "s3cr3t" not in str(err.value)
    assert REDACTED in paths[("auth", "token")].message
    # skipSchemaValidation drops the schemas of subcharts too
    rendered = render_chart(fetched, RenderRequest("r", values, skip_schema_validation=True))
    assert [o.kind for o in rendered.manifests] == ["Service", "ConfigMap"]
    assert rendered.manifests[0].template == "app/charts/db/templates/s.yaml"


def test_values_must_be_plain_data() -> None:
    with pytest.raises(ChartValuesError, match="not plain data"):
        RenderRequest("r", {"when": object()})


def test_hooks_are_classified(offline: ChartSource, tmp_path: Path) -> None:
    def obj(kind: str, name: str, hook: str | None = None, weight: str | None = None) -> str:
        notes = {"helm.sh/hook": hook, "helm.sh/hook-weight": weight}
        annotations = "".join(f"    {k}: {v!r}\n" for k, v in notes.items() if v is not None)
        meta = f"metadata:\n  name: {name}\n" + (
            f"  annotations:\n{annotations}" if annotations else ""
        )
        return f"apiVersion: v1\nkind: {kind}\n{meta}"

    chart = write_chart(
        tmp_path / "hooky",
        {
            "Chart.yaml": CHART_YAML.format(name="hooky"),
            "templates/a.yaml": "\n---\n".join(
                [
                    obj("ConfigMap", "plain"),
                    "# only a comment",
                    obj("Pod", "migrate", "pre-install,pre-upgrade", "5"),
                    obj("Pod", "schema", "pre-install", "-5"),
                    obj("Pod", "smoke", "post-install"),
                    obj("Pod", "cleanup", "pre-delete"),
                ]
            ),
            "templates/tests/t.yaml": obj("Pod", "test-connection", "test"),
            "templates/NOTES.txt": "Thanks for installing {{ .Release.Name }}\n",
        },
    )
    rendered = render_chart(offline.fetch(ChartRef(path=chart)), RenderRequest("r"))
    assert [o.name for o in rendered.manifests] == ["plain"]
    assert [o.name for o in rendered.install_hooks("before")] == ["schema", "migrate"]
    assert [o.name for o in rendered.install_hooks("after")] == ["smoke"]
    by_name = {o.name: o.hook for o in rendered.hooks}
    assert by_name["test-connection"] is not None and by_name["test-connection"].is_test
    assert by_name["cleanup"] is not None and by_name["cleanup"].install_phase is None
    assert by_name["migrate"] is not None and by_name["migrate"].events == (
        "pre-install",
        "pre-upgrade",
    )
    assert [o.index for o in rendered.objects if o.template == "hooky/templates/a.yaml"] == [
        0,
        1,
        2,
        3,
        4,
    ]


def test_kubernetes_version_and_api_versions_reach_capabilities(
    offline: ChartSource, tmp_path: Path
) -> None:
    chart = write_chart(
        tmp_path / "caps",
        {
            "Chart.yaml": CHART_YAML.format(name="caps"),
            "templates/cm.yaml": """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}
                  namespace: {{ .Release.Namespace }}
                data:
                  kube: {{ .Capabilities.KubeVersion.Version | quote }}
                  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}
                  when: 2024-01-01
            """,
        },
    )
    fetched = offline.fetch(ChartRef(path=chart))
    request = RenderRequest(
        "caps", namespace="ns", kube_version="1.29", api_versions=("monitoring.coreos.com/v1",)
    )
    (cm,) = render_chart(fetched, request).manifests
    assert cm.object["metadata"] == {"name": "caps", "namespace": "ns"}
    assert cm.object["data"] == {"kube": "v1.29.0", "monitoring": "true", "when": "2024-01-01"}
    with pytest.raises(ChartError, match="not of the form"):
        RenderRequest("caps", kube_version="latest")


def test_missing_subchart_is_an_error_not_silence(offline: ChartSource, tmp_path: Path) -> None:
    chart = write_chart(
        tmp_path / "umbrella",
        {
            "Chart.yaml": CHART_YAML.format(name="umbrella")
            + "dependencies:\n- name: redis\n  version: 1.0.0\n  repository: https://charts.example\n",
            "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        },
    )
    with pytest.raises(ChartError, match="missing from its charts/ folder: redis"):
        render_chart(offline.fetch(ChartRef(path=chart)), RenderRequest("r"))
