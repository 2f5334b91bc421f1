"""Production: Wookie and the webapp on an existing cluster, with the production overlay.

    DB_PASSWORD=… modsys render examples/production.py --out out/production
    kubectl config use-context prod-eu-1 && out/production/apply.sh   # asks before it applies

The remote target guards the generated scripts: they refuse to run unless the current kube
context is `prod-eu-1`, then ask you to type the context name (or take `--yes`).

The webapp's database password never sits in the modules: the Secret `webapp/db` takes it from
the environment variable `DB_PASSWORD` when rendering (`from_env`). The `dir` output, applied from
the operator's machine, holds it as a plain Secret; a GitOps output (`--format argocd`, …) holds
it only sealed for the cluster's sealed-secrets controller, whose certificate this example
expects next to it:

    kubeseal --context prod-eu-1 --fetch-cert > examples/sealed-secrets.pem
    DB_PASSWORD=… modsys render examples/production.py --format argocd --out out/argocd \\
        --set platform.kubernetes.gitops.repoURL=https://git.example.org/platform.git
"""

from modsys.platform.authoring import from_env

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
            "env": {"DB_PASSWORD": {"secretKeyRef": {"name": "db", "key": "password"}}},
            "networkPolicy": {
                "ingressFrom": [
                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "istio-system"}}}
                ]
            },
        },
    },
    "platform": {
        "kubernetes": {
            "cluster": {
                # the sealed-secrets controller runs on the cluster (installed outside this plan)
                "externalCRDs": ["bitnami.com/SealedSecret"],
                "sealedSecrets": {"certificate": "./sealed-secrets.pem"},
                "batches": {
                    "services": {
                        "bundles": {
                            "webapp": {
                                "resources": {
                                    "Secret": {
                                        "db": {"stringData": {"password": from_env("DB_PASSWORD")}}
                                    }
                                }
                            }
                        }
                    }
                },
            }
        }
    },
}
