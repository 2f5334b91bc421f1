"""Istio multi-cluster (primary + remote) on two local k3d clusters, with Wookie's Istio.

One render writes one manifest set per cluster (the target declares a variant per cluster):

    modsys render examples/multi-cluster.py --out out
    out/primary/create-clusters.sh && out/primary/apply.sh && out/primary/link-clusters.sh
    out/remote/apply.sh
"""

module = {
    "imports": ["../targets/multi-k3d.py", "../projects/wookie", "./overlays/development.yaml"],
    "targets": {"multi-k3d": {"enable": True}},
    "projects": {"wookie": {"enable": True, "istio": {"enable": True}}},
}
