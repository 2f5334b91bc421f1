"""Production: Wookie and the webapp on an existing cluster, with the production overlay.

    modsys render examples/production.py --out out/production
    kubectl config use-context prod-eu-1 && out/production/apply.sh   # asks before it applies

The remote target guards the generated scripts: they refuse to run unless the current kube
context is `prod-eu-1`, then ask you to type the context name (or take `--yes`).
"""

module = {
    "imports": [
        "../targets/remote.py",
        "../projects/wookie",
        "../projects/webapp",
        "./overlays/production.yaml",
    ],
    "targets": {"remote": {"enable": True, "context": "prod-eu-1", "environment": "production"}},
    "projects": {
        "wookie": {
            "enable": True,
            "istio": {"enable": True},
            "pxc": {"enable": True, "storageClass": "fast-ssd"},
        },
        "webapp": {
            "enable": True,
            "image": {"repository": "nginxinc/nginx-unprivileged"},
            "networkPolicy": {
                "ingressFrom": [
                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "istio-system"}}}
                ]
            },
        },
    },
}
