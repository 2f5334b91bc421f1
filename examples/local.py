"""The first example: Wookie (Istio + Percona XtraDB Cluster) on a local k3d cluster.

    modsys render examples/local.py --out out/local
    cd out/local && ./create-cluster.sh && ./apply.sh      # later: ./delete-cluster.sh

WHERE: the local k3d target; WHAT: the Wookie project; HOW MUCH: the development overlay.
Values set here are plain definitions, so they win over the overlay's `!default`s; the Istio
version is a default (`mk_default`), so `--set projects.wookie.istio.version=...` can change it.
"""

from modsys import mk_default

module = {
    "imports": [
        "../targets/local-k3d.py",
        "../projects/wookie",
        "./overlays/development.yaml",
    ],
    "targets": {
        "local-k3d": {
            "enable": True,
            "clusterName": "wookie-local",
            "ports": {"8080": 80, "8443": 443},
        }
    },
    "projects": {
        "wookie": {
            "enable": True,
            "clusterRole": "standalone",
            "istio": {"enable": True, "version": mk_default("1_24_2")},
            "pxc": {"enable": True},
        }
    },
}
