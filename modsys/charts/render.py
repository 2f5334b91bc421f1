"""Rendering a fetched chart with Helm, in process, through the render cache.

`render_chart` is `helm template --include-crds` as an install, with three differences that
make the output fit modsys: objects come back parsed, in template order, each with its template
file; CRDs from `crds/` come back separately (the platform orders and validates against them);
errors come back as modsys errors: `ChartValuesError` lists each schema problem with its value
path, `ChartRenderError` names the chart and the template file. Nothing in a message quotes a
secret value (see `messages.py`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from modsys.charts.errors import ChartError, ChartRenderError, ChartValuesError
from modsys.charts.fetch import FetchedChart
from modsys.charts.helm import render as helm_render
from modsys.charts.helm import sdk
from modsys.charts.manifests import ChartObject, parse_template
from modsys.charts.messages import redact, template_of, values_problems
from modsys.charts.render_cache import RenderCache, render_key
from modsys.charts.rendered import RenderedChart
from modsys.charts.request import RenderRequest


def render_chart(
    chart: FetchedChart, request: RenderRequest, cache: RenderCache | None = None
) -> RenderedChart:
    """The objects `chart` renders as `request` asks; from `cache` when it has them."""
    key = render_key(chart.sha256, request) if cache is not None else ""
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    rendered = _render(chart, request)
    if cache is not None:
        cache.put(key, rendered)
    return rendered


def _render(fetched: FetchedChart, request: RenderRequest) -> RenderedChart:
    helm = sdk()
    label = fetched.label
    with _loaded(fetched, request.skip_schema_validation) as chart:
        try:
            texts = helm_render(chart, request.values, request.helm_options())
        except helm.HelmValuesError as exc:
            raise _values_error(label, fetched.name, str(exc), request) from None
        except helm.HelmRenderError as exc:
            text = redact(str(exc), request.values)
            template = template_of(text)
            where = f"template {template}" if template else "a template"
            raise ChartRenderError(
                f"chart {label}: {where} failed: {' '.join(text.split())}",
                chart=label,
                template=template,
            ) from None
        except helm.HelmError as exc:
            text = " ".join(redact(str(exc), request.values).split())
            raise ChartRenderError(f"chart {label}: {text}", chart=label) from None
        crds = chart.crds
    objects: list[ChartObject] = []
    for template in sorted(texts):
        if os.path.basename(template) == "NOTES.txt" or not texts[template].strip():
            continue
        objects += parse_template(label, template, texts[template])
    crd_objects: list[ChartObject] = []
    for crd in sorted(crds, key=lambda c: c["filename"]):
        crd_objects += parse_template(label, crd["filename"], crd["data"])
    return RenderedChart(
        fetched.name, fetched.version, fetched.sha256, tuple(objects), tuple(crd_objects)
    )


def _values_error(label: str, name: str, text: str, request: RenderRequest) -> ChartValuesError:
    problems = values_problems(text, name, request.values)
    lines = "\n".join(f"  - {p}" for p in problems)
    if "schema" not in text:  # malformed values rather than a schema failure
        return ChartValuesError(f"chart {label}: Helm rejects the values:\n{lines}", problems)
    hint = (
        ""
        if request.skip_schema_validation
        else "\n(if the chart's own schema is wrong, skipSchemaValidation opts out, as "
        "`helm --skip-schema-validation` does)"
    )
    return ChartValuesError(
        f"chart {label}: the values do not match the chart's values.schema.json:\n{lines}{hint}",
        problems,
    )


@contextmanager
def _loaded(fetched: FetchedChart, skip_schema: bool) -> Iterator[Any]:
    helm = sdk()
    try:
        chart = helm.Chart.load(fetched.path)
    except helm.HelmError as exc:
        raise ChartError(f"chart {fetched.label}: Helm cannot load {fetched.path}: {exc}") from None
    try:
        _check_dependencies(fetched, chart)
        if not skip_schema:
            yield chart
            return
        with tempfile.TemporaryDirectory(prefix="modsys-chart-") as tmp:
            stripped = _without_schemas(helm, chart, Path(tmp))
        try:
            yield stripped
        finally:
            stripped.close()
    finally:
        chart.close()


def _check_dependencies(fetched: FetchedChart, chart: Any) -> None:
    """Every dependency `Chart.yaml` declares is in `charts/`, as `helm template` requires.

    The SDK's render skips a missing subchart silently, which would drop its objects unseen.
    """
    declared = [d.get("name") for d in chart.metadata.get("dependencies") or []]
    present = {d.get("name") for d in chart.dependencies}
    missing = [str(name) for name in declared if name not in present]
    if missing:
        raise ChartError(
            f"chart {fetched.label}: dependencies declared in Chart.yaml are missing from its "
            f"charts/ folder: {', '.join(missing)} (vendor them with `helm dependency build`, "
            "or use the packaged chart)"
        )


def _without_schemas(helm: Any, chart: Any, tmp: Path) -> Any:
    """The chart loaded again without any `values.schema.json`, its subcharts' included.

    Helm 4's SDK has no switch for this in a render, so the chart is written out as a
    directory, subchart archives unpacked, schemas removed, and loaded again (into memory:
    `tmp` may go once this returns).
    """
    root = Path(chart.save_dir(tmp))
    while archives := list(root.rglob("charts/*.tgz")):
        for archive in archives:
            helm.expand(archive.parent, archive)
            archive.unlink()
    for schema in root.rglob("values.schema.json"):
        schema.unlink()
    return helm.Chart.load(root)
