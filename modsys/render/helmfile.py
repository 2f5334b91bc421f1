"""The `helmfile` format: `helmfile.yaml` with one release per bundle, ordered by `needs:`.

Raw-manifest bundles become small local charts (`charts/<batch>-<bundle>/`); their templates
have every `{{` escaped, because Helm would otherwise run a ConfigMap's Go template text. A
release `needs` every release of its dependencies and of the previous batch, written as
`namespace/name` because Helmfile only matches namespaced releases that way; the kube context
goes in `helmDefaults` so it never becomes part of those ids. Written for Helmfile v1, which
does not template a plain `helmfile.yaml`.
"""

from __future__ import annotations

from typing import Any

from modsys.errors import ValidationError
from modsys.kube.yamldump import canonical, dump, dump_object
from modsys.render.charts import bundle_timeout, is_oci, needs_create_namespace
from modsys.render.graph import deployable, predecessors
from modsys.render.layout import BundleLayout, Layout, plan_layout
from modsys.render.model import RenderInput
from modsys.render.naming import Unique, dns_label, file_segment
from modsys.render.planfiles import add_plan_files, names_under
from modsys.render.waits import bundle_wait_commands


def escape_template(text: str) -> str:
    """Text that Go templates print back unchanged: every `{{` becomes `{{ "{{" }}`."""
    return text.replace("{{", '{{ "{{" }}')


def _release_id(namespace: str | None, name: str) -> str:
    return f"{namespace}/{name}" if namespace else name


class _Releases:
    """Release names: chart releases keep their name (clashes are errors), raw ones are unique."""

    def __init__(self, layout: Layout) -> None:
        self._taken: dict[str, Unique] = {}
        seen: dict[tuple[str, str], str] = {}
        problems = []
        for b in deployable(layout):
            chart = b.bundle.chart
            if chart is None:
                continue
            key = (b.bundle.namespace or "", chart.release_name)
            if key in seen:
                problems.append(
                    f"bundles {seen[key]} and {b.id} both install release "
                    f"{_release_id(b.bundle.namespace, chart.release_name)}"
                )
            seen[key] = b.id
            self._names(key[0]).claim(chart.release_name)
        if problems:
            raise ValidationError(
                "helm release names clash:\n" + "\n".join(f"  - {p}" for p in problems), problems
            )

    def _names(self, namespace: str) -> Unique:
        return self._taken.setdefault(namespace, Unique())

    def raw(self, b: BundleLayout) -> str:
        base = dns_label(f"{b.batch.name}-{b.bundle.name}", max_len=50, fallback="bundle")
        return self._names(b.bundle.namespace or "").claim(base)


def _local_chart(name: str, b: BundleLayout, chart_dir: str, files: dict[str, bytes]) -> None:
    files[f"{chart_dir}/Chart.yaml"] = dump(
        {
            "apiVersion": "v2",
            "name": name,
            "description": f"The objects of modsys bundle {b.id}",
            "type": "application",
            "version": "0.1.0",
        }
    ).encode()
    for f in b.files:
        fname = f.path.rsplit("/", 1)[-1]
        files[f"{chart_dir}/templates/{fname}"] = escape_template(
            dump_object(f.obj).decode()
        ).encode()


def _hooks(layout: Layout, b: BundleLayout) -> list[dict[str, Any]]:
    return [
        {
            "events": ["postsync"],
            "showlogs": True,
            "command": argv[0],
            "args": [escape_template(a) for a in argv[1:]],
        }
        for argv in bundle_wait_commands(b.bundle, layout.plan.cluster.context)
    ]


def render_helmfile(plan: RenderInput, notes: list[str] | None = None) -> dict[str, bytes]:
    layout = plan_layout(plan)
    preds = predecessors(layout)
    names = _Releases(layout)
    notes = [] if notes is None else notes
    chart_dirs = Unique(names_under(plan, "charts"))
    values_names = Unique(names_under(plan, "values"))
    repos: dict[str, dict[str, Any]] = {}
    repo_names = Unique()
    files: dict[str, bytes] = {}
    releases: list[dict[str, Any]] = []
    ids: dict[str, list[str]] = {}  # bundle id -> its release ids

    for b in deployable(layout):
        ns = b.bundle.namespace
        needs = [rid for p in preds[b.id] for rid in ids[p]]
        common: dict[str, Any] = {"namespace": ns} if ns else {}
        labels = {"batch": b.batch.name, "bundle": b.bundle.name}
        settings: dict[str, Any] = {
            "createNamespace": needs_create_namespace(layout, b.bundle),
            "wait": True,
            "timeout": bundle_timeout(b.bundle),
        }
        own: list[str] = []
        if b.files:
            name = names.raw(b)
            chart_dir = "charts/" + chart_dirs.claim(
                file_segment(f"{b.batch.name}-{b.bundle.name}", fallback="bundle")
            )
            _local_chart(name, b, chart_dir, files)
            release = {"name": name, **common, "chart": f"./{chart_dir}", "labels": labels}
            release.update(needs=list(needs), **settings, disableValidationOnInstall=True)
            releases.append(release)
            own.append(_release_id(ns, name))
        chart = b.bundle.chart
        if chart is not None:
            url = chart.repository
            if url not in repos:
                repo_name = repo_names.claim(dns_label(url.split("://", 1)[-1], fallback="repo"))
                entry: dict[str, Any] = {"name": repo_name}
                if is_oci(chart):
                    entry.update(url=url[len("oci://") :].rstrip("/"), oci=True)
                else:
                    entry["url"] = url
                repos[url] = entry
            values_path = "values/" + values_names.claim(
                file_segment(f"{b.batch.name}-{b.bundle.name}", fallback="bundle"), ".yaml"
            )
            files[values_path] = dump(canonical(chart.values)).encode()
            release = {
                "name": chart.release_name,
                **common,
                "chart": f"{repos[url]['name']}/{chart.name}",
                "version": chart.version,
                "labels": labels,
                "needs": [*needs, *own],
                **settings,
                "values": [*chart.values_files, values_path],
            }
            if not chart.include_crds:
                notes.append(
                    f"helmfile: {b.id} asks to skip the chart's CRDs, which a release cannot "
                    "say; run `helmfile sync --skip-crds` or install them in an earlier batch"
                )
            releases.append(release)
            own.append(_release_id(ns, chart.release_name))
        hooks = _hooks(layout, b)
        if hooks:
            releases[-1]["hooks"] = hooks
        for release in releases[-len(own) :]:
            if not release["needs"]:
                del release["needs"]
        ids[b.id] = own

    doc: dict[str, Any] = {}
    if repos:
        doc["repositories"] = list(repos.values())
    if plan.cluster.context:
        doc["helmDefaults"] = {"kubeContext": plan.cluster.context}
    doc["releases"] = releases
    files["helmfile.yaml"] = dump(doc).encode()
    return add_plan_files(files, plan)
