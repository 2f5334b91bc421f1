"""One bundle: a unit of deployment (raw objects and/or a Helm chart) inside a batch.

Evaluated as a submodule per `platform.kubernetes.cluster.batches.<batch>.bundles.<name>`;
`name` is the bundle's name (the default Helm release name of its chart).

`manifests` is a list of `attrs_of(anything)`, not of `types.attrs`: each object is one
definition, so nothing is deep-merged across modules, but going through `anything` means
definitions inside an object still work at any depth (thunks like `lambda: config.x`, `mk_if`,
`mk_merge`), where `types.attrs` would only force thunks and leave `mk_if` objects in the data.
`resources` uses the same object type per `<kind>.<name>`, which is what lets an overlay set one
field (`resources.Deployment.web.spec.replicas = mk_force(5)`). The object type is
`modsys.platform.authoring.kube_object`: `attrs_of(anything)` with a fast path for objects written
once as plain data.
"""

from modsys import mk_option
from modsys import types as t
from modsys.platform.authoring import file_path, kube_object

KUBE_OBJECT = kube_object

DURATION = t.str_matching(r"(?:[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h))+")
WAIT_FOR = t.str_matching(r"rollout|delete|create|condition=.+|jsonpath=.+")


def chart_module(bundle_name):
    return {
        "options": {
            "name": mk_option(
                type=t.null_or(t.non_empty_str),
                default=None,
                description="The chart's name in its repository.",
            ),
            "repository": mk_option(
                type=t.null_or(t.non_empty_str),
                default=None,
                description=(
                    "Helm repository URL (`https://…`) or OCI registry (`oci://…`). Null: taken "
                    "from `platform.kubernetes.chartCatalog.<name>`."
                ),
            ),
            "version": mk_option(
                type=t.null_or(t.non_empty_str),
                default=None,
                description="Chart version. Null: the catalog's default version.",
            ),
            "path": mk_option(
                type=t.null_or(file_path),
                default=None,
                example="./charts/my-app",
                description=(
                    "A local chart: a chart directory or packaged `.tgz`, relative to the file "
                    "that defines it. Instead of `repository`."
                ),
            ),
            "skipSchemaValidation": mk_option(
                type=t.bool,
                default=False,
                description=(
                    "Do not check `values` against the chart's `values.schema.json` "
                    "(`helm --skip-schema-validation`)."
                ),
            ),
            "releaseName": mk_option(
                type=t.non_empty_str,
                default=bundle_name,
                default_text="the bundle's name",
                description="Helm release name.",
            ),
            "values": mk_option(
                type=t.attrs_of(t.anything),
                default={},
                description="Chart values; deep-merged across modules with the usual priorities.",
            ),
            "valuesFiles": mk_option(
                type=t.list_of(t.str),
                default=[],
                description="Values files (paths among the plan's `files`), merged before `values`.",
            ),
            "includeCRDs": mk_option(
                type=t.bool, default=True, description="Whether to install the chart's CRDs."
            ),
        }
    }


wait_module = {
    "options": {
        "kind": mk_option(type=t.null_or(t.non_empty_str), default=None, description="Kind to wait for."),
        "name": mk_option(
            type=t.null_or(t.non_empty_str),
            default=None,
            description="Object name; null: every object of `kind` in the bundle.",
        ),
        "namespace": mk_option(
            type=t.null_or(t.non_empty_str),
            default=None,
            description="Namespace; null: the object's own (or the bundle's).",
        ),
        "for": mk_option(
            type=t.null_or(WAIT_FOR),
            default=None,
            example="condition=Available",
            description='"rollout", "condition=…", "jsonpath=…", "create" or "delete".',
        ),
        "command": mk_option(
            type=t.null_or(t.non_empty_str),
            default=None,
            description="A shell command to run instead of a kind check.",
        ),
        "timeout": mk_option(type=DURATION, default="300s", description="Go duration."),
    }
}


def module(name):
    return {
        "options": {
            "enable": mk_option(type=t.bool, default=True, description="Whether to deploy this bundle."),
            "namespace": mk_option(
                type=t.null_or(t.str),
                default=None,
                description="Namespace of the bundle's namespaced objects (unless they set one).",
            ),
            "dependsOn": mk_option(
                type=t.list_of(t.str),
                default=[],
                description=(
                    'Bundles applied (and waited for) before this one: "bundle" (this batch, or '
                    'an earlier one) or "batch/bundle". Only the same or earlier batches.'
                ),
            ),
            "labels": mk_option(
                type=t.attrs_of(t.str), default={}, description="Labels added to every object."
            ),
            "annotations": mk_option(
                type=t.attrs_of(t.str), default={}, description="Annotations added to every object."
            ),
            "manifests": mk_option(
                type=t.list_of(KUBE_OBJECT),
                default=[],
                description="Raw Kubernetes objects, concatenated across modules.",
            ),
            "resources": mk_option(
                type=t.attrs_of(t.attrs_of(KUBE_OBJECT)),
                default={},
                example={"Deployment": {"web": {"spec": {"replicas": 2}}}},
                description=(
                    "Objects by `<kind>.<name>`, merged per field across modules; kind, "
                    "metadata.name and apiVersion are filled in when left out."
                ),
            ),
            "chart": mk_option(
                type=t.null_or(t.submodule(chart_module(name))),
                default=None,
                description="A Helm chart to install as this bundle.",
            ),
            "wait": mk_option(
                type=t.list_of(t.submodule(wait_module)),
                default=[],
                description=(
                    "Readiness checks after the bundle is applied. CRDs (Established) and "
                    "Deployments, StatefulSets, DaemonSets (rollout) are waited for by default."
                ),
            ),
        }
    }
