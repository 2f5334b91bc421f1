"""The chart catalog: chart name → repository and pinned versions.

A bundle that names only a chart (`chart.name = "istiod"`, maybe with `chart.version`) gets its
repository and version from here; asking for a chart or version the catalog lacks is an error
that lists the known ones. A bundle that gives name, repository and version itself needs no
entry. Add a version or a chart from any module:

    {"platform": {"kubernetes": {"chartCatalog": {"istiod": {"versions": ["1.25.0"]}}}}}

`versions` lists concatenate across modules; `defaultVersion` is set with `mk_default`, so a
plain definition elsewhere replaces it.
"""

from modsys import mk_default

ISTIO_REPOSITORY = "https://istio-release.storage.googleapis.com/charts"
PERCONA_REPOSITORY = "https://percona.github.io/percona-helm-charts/"

#: Istio releases of the 1.24 line; 1.24.6 is the newest, and the one whose values.yaml the
#: tests check our values against.
ISTIO_VERSIONS = [f"1.24.{patch}" for patch in range(7)]

CATALOG = {
    # Istio (https://istio.io/latest/docs/setup/install/helm/)
    "base": {"repository": ISTIO_REPOSITORY, "versions": ISTIO_VERSIONS, "defaultVersion": "1.24.6"},
    "istiod": {"repository": ISTIO_REPOSITORY, "versions": ISTIO_VERSIONS, "defaultVersion": "1.24.6"},
    "gateway": {"repository": ISTIO_REPOSITORY, "versions": ISTIO_VERSIONS, "defaultVersion": "1.24.6"},
    # Percona Operator for MySQL based on Percona XtraDB Cluster
    "pxc-operator": {
        "repository": PERCONA_REPOSITORY,
        "versions": ["1.17.0", "1.18.0"],
        "defaultVersion": "1.18.0",
    },
}

module = {
    "key": "modsys:projects/charts",
    "imports": ["../modules/platform/kubernetes"],
    "platform": {
        "kubernetes": {
            "chartCatalog": {
                name: {**entry, "defaultVersion": mk_default(entry["defaultVersion"])}
                for name, entry in CATALOG.items()
            }
        }
    },
}
