"""Istio multi-cluster (primary + remote) on two local k3d clusters, with Wookie's Istio.

One evaluation deploys to one cluster; render each (the primary is the default):

    modsys render examples/multi-cluster.py --out out/primary
    modsys render examples/multi-cluster.py --set targets.multi-k3d.current=remote --out out/remote
    out/primary/create-clusters.sh && out/primary/apply.sh && out/primary/link-clusters.sh
    out/remote/apply.sh

From Python: `modsys.builders.multicluster.render_clusters(evaluation, "dir", "out")`.
"""

module = {
    "imports": ["../targets/multi-k3d.py", "../projects/wookie", "./overlays/development.yaml"],
    "targets": {"multi-k3d": {"enable": True}},
    "projects": {"wookie": {"enable": True, "istio": {"enable": True}}},
}
